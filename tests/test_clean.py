from __future__ import annotations

import pytest
from conftest import case_id, load_cases
from hypothesis import given
from hypothesis import strategies as st

from ja_article_tools.clean import FIXERS, CleanOptions, OffsetMap, apply_edits, clean

CASES = load_cases("clean.jsonl")


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_clean_case(case):
    result = clean(case["input"], None, CleanOptions(**case.get("options", {})))
    assert result.text == case["expected"], case["why"]
    assert apply_edits(case["input"], result.edits) == result.text


def test_every_fixer_has_a_japanese_example():
    for info in FIXERS.values():
        doc = info.func.__doc__ or ""
        assert any(ord(c) > 0x3000 for c in doc), f"{info.name} needs a Japanese example in its docstring"


def test_protected_segments_are_left_alone():
    text = "日本 語 `コード 部分` 日本 語"
    # Only the first seven characters are prose.
    result = clean(text, [(0, 4)])
    assert result.text == "日本語 `コード 部分` 日本 語"


def test_disabled_fixer_does_not_run():
    result = clean("ＡＢＣ と ＤＥＦ", None, CleanOptions(disabled=frozenset({"fullwidth-alnum"})))
    assert "ＡＢＣ" in result.text


_ja = st.text(alphabet=st.sampled_from(list("あいうアイウ漢字 　ＡＢ１２ｶﾞﾊﾟabc12!?。、「」\u200b\u3099\x00\r\n")), max_size=60)


@given(_ja, st.sampled_from(["keep", "none", "space"]), st.booleans())
def test_offset_map_round_trips(text, spacing, excl):
    result = clean(text, None, CleanOptions(latin_spacing=spacing, fullwidth_exclamation=excl))
    m = result.offsets
    assert apply_edits(text, result.edits) == result.text
    # Edits are sorted and disjoint.
    for a, b in zip(result.edits, result.edits[1:]):
        assert a.end <= b.start
    # Every cleaned range maps into the source, monotonically.
    n = len(result.text)
    previous = (0, 0)
    for s in range(0, n + 1):
        for e in (s, min(n, s + 2), n):
            ss, se = m.to_source(s, e)
            assert 0 <= ss <= se <= len(text)
        start = m.to_source(s, s)[0]
        assert start >= previous[0]
        previous = (start, 0)
    # Text outside every edit maps one to one.
    for e in result.edits:
        if e.start == e.end:
            continue  # an insertion has no source text to map from
        cs, ce = m.to_cleaned(e.start, e.end)
        assert result.text[cs:ce] == e.replacement


def test_offset_map_identity():
    m = OffsetMap([])
    assert m.identity and m.to_source(3, 5) == (3, 5) and m.to_cleaned(3, 5) == (3, 5)


@given(_ja, st.sampled_from(["keep", "none", "space"]))
def test_forward_mapper_agrees_with_bisecting_map(text, spacing):
    result = clean(text, None, CleanOptions(latin_spacing=spacing))
    m = result.offsets
    forward = m.source_mapper()
    n = len(result.text)
    for s in range(n + 1):
        for e in sorted({s, min(n, s + 1), min(n, s + 3)}):
            assert forward(s, e) == m.to_source(s, e)
