from __future__ import annotations

import pytest
from conftest import case_id, load_cases

from ja_article_tools.tokens import CHUNK_CHARS, split_sentences, tokenize

SENTENCES = load_cases("sentences.jsonl")


def _check_offsets(text, tokens):
    for t in tokens:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.surface or t.surface == "\ufffd"


def test_loanword_origin_and_fields():
    tokens = tokenize("ジムをインポートする")
    assert [(t.surface, t.origin) for t in tokens][:3] == [("ジム", "gym"), ("を", None), ("インポート", "import")]
    jimu = tokens[0]
    assert jimu.lemma == "ジム" and jimu.goshu == "外" and jimu.reading == "ジム" and jimu.pos[0] == "名詞"


def test_nul_byte_does_not_drop_the_rest():
    text = "前半です\x00後半です"
    tokens = tokenize(text)
    assert tokens[-1].end == len(text) and "後半" in [t.surface for t in tokens]
    _check_offsets(text, tokens)


def test_lone_surrogate_does_not_raise():
    text = "壊れた\ud800文字列"
    tokens = tokenize(text)
    assert tokens[-1].end == len(text)


def test_carriage_return_is_not_a_token():
    text = "一行目\r\n二行目\r三行目"
    tokens = tokenize(text)
    assert all("\r" not in t.surface for t in tokens)
    _check_offsets(text, tokens)


def test_long_single_line_is_chunked_without_losing_offsets():
    text = "これはテストです、" * (3 * CHUNK_CHARS // 9 + 7)
    tokens = tokenize(text)
    _check_offsets(text, tokens)
    assert tokens[-1].end == len(text)
    assert "".join(t.surface for t in tokens) == text


def test_unknown_words_keep_their_surface_as_lemma():
    tokens = tokenize("GPTとBERT")
    assert [t.lemma for t in tokens if t.surface.isascii()] == ["GPT", "BERT"]


@pytest.mark.parametrize("case", SENTENCES, ids=[case_id(c) for c in SENTENCES])
def test_sentence_case(case):
    text = case["input"]
    got = [text[s.start : s.end] for s in split_sentences(text, [(0, len(text))])]
    assert got == case["expected"], case["why"]


def test_sentences_never_split_inside_protected_spans():
    text = "詳細はhttps://example.com/a。b を見て。終わり。"
    url = (3, text.index("。b") + 3)
    got = [text[s.start : s.end] for s in split_sentences(text, [(0, len(text))], [url])]
    assert got == ["詳細はhttps://example.com/a。b を見て。", "終わり。"]
