"""Code-block detection: data-driven cases in tests/cases/code_detect/ plus invariants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ja_article_tools.code.detect import find_code_blocks, is_code_line, looks_like_markdown
from ja_article_tools.code.language import guess_language
from ja_article_tools.models import LineIndex

CASES = Path(__file__).parent / "cases" / "code_detect"


def _load(name: str) -> list[dict]:
    with (CASES / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


BLOCK_CASES = _load("blocks.jsonl")
LINE_CASES = _load("lines.jsonl")
LANGUAGE_CASES = _load("languages.jsonl")


def _check_invariants(text: str, blocks) -> None:
    prev_end = -1
    lines = LineIndex(text)  # once: 20,000 blocks of a long text made this check quadratic
    for b in blocks:
        assert 0 <= b.start < b.end <= len(text)
        assert b.start >= prev_end, "blocks overlap or are unsorted"
        prev_end = b.end
        assert b.text == text[b.start:b.end]
        assert b.start <= b.content_start <= b.content_end <= b.end
        assert 0.0 <= b.confidence <= 1.0
        assert b.detected_by in {"fence", "mt-fence", "indent", "heuristic"}
        assert b.line == lines.line(b.start)


@pytest.mark.parametrize("case", BLOCK_CASES, ids=[c["name"] for c in BLOCK_CASES])
def test_blocks(case: dict) -> None:
    text = case["input"]
    blocks = find_code_blocks(text, markdown=case.get("markdown"))
    _check_invariants(text, blocks)
    index = LineIndex(text)
    got = [(index.line(b.start), index.line(b.end - 1)) for b in blocks]
    want = [tuple(e["lines"]) for e in case["expected"]]
    assert got == want, case["why"]
    for b, e in zip(blocks, case["expected"]):
        assert b.detected_by == e["detected_by"], case["why"]
        if "language" in e:
            assert b.language == e["language"], case["why"]
        if "content" in e:
            assert text[b.content_start:b.content_end] == e["content"], case["why"]
        if "start_col" in e:
            assert index.line_col(b.start)[1] == e["start_col"], case["why"]


@pytest.mark.parametrize("case", LINE_CASES, ids=[c["input"][:20] for c in LINE_CASES])
def test_is_code_line(case: dict) -> None:
    p = is_code_line(case["input"])
    if case["expected"] == "code":
        assert p >= 0.5, case["why"]
    else:
        assert p < 0.5, case["why"]


@pytest.mark.parametrize("case", LANGUAGE_CASES, ids=[c["why"][:30] for c in LANGUAGE_CASES])
def test_guess_language(case: dict) -> None:
    assert guess_language(case["input"], case.get("hint")) == case["expected"], case["why"]


def test_markdown_autodetect() -> None:
    assert looks_like_markdown("# 見出し\n\n本文\n\n```py\nx = 1\n```\n")
    assert looks_like_markdown("## 概要\n\n- 項目 **太字**\n- [リンク](https://example.com)\n")
    assert not looks_like_markdown("これは普通の文章です。\n\n二段落目です。\n")
    assert looks_like_markdown("---\ntitle: 入門\n---\n本文です。\n")
    assert not looks_like_markdown("---\n区切りの後の本文です。\n")


def test_blank_lines_inside_heuristic_block_are_included() -> None:
    text = "説明です。\n\nx = 計算(1)\n\ny = 計算(2)\n印刷(x + y)\n\n終わりです。\n"
    blocks = find_code_blocks(text)
    assert len(blocks) == 1
    assert blocks[0].text == "x = 計算(1)\n\ny = 計算(2)\n印刷(x + y)"


def test_huge_single_line_is_fast_enough_and_safe() -> None:
    # Linear-time guard: a 10 MB line with no newline must not hang (no timing assertion:
    # a quadratic scan would simply never finish under pytest's timeout).
    text = "あ" * 3_000_000 + "x = (1)" * 1_000_000
    blocks = find_code_blocks(text)
    _check_invariants(text, blocks)


def test_many_unclosed_mt_openers_do_not_go_quadratic() -> None:
    text = "## 見出し「」パイソン\n本文です。\n" * 20_000
    blocks = find_code_blocks(text)
    _check_invariants(text, blocks)
    assert all(b.detected_by != "mt-fence" for b in blocks)


def test_every_line_rule_matches_its_own_example() -> None:
    # Guards the data file: a possessive quantifier that swallows its delimiter makes a rule
    # silently dead, which no other test would notice.
    import regex

    path = Path(__file__).parents[1] / "src" / "ja_article_tools" / "code" / "data" / "detect_line_patterns.json"
    rules = json.loads(path.read_text(encoding="utf-8"))
    for group in ("code", "prose"):
        for rule in rules[group]:
            assert regex.search(rule["pattern"], rule["example"].strip()), (group, rule["name"])


def test_invariants_hold_on_arbitrary_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from([
        "\n", "\r\n", "\r", " ", "    ", "\t", "「」", "「", "」", "```", "~~~", "｀｀｀", "パイソン",
        "## ", "# ", "> ", "- ", "$ ", "x = f(1)", "をインポート", "の場合:", "。", "です", "pip ",
        "install", "---", "{", "}", ")", "（", "）", "\ufeff", "あ", "A",
    ])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=60).map("".join))
    def check(text: str) -> None:
        for markdown in (None, True, False):
            _check_invariants(text, find_code_blocks(text, markdown=markdown))

    check()
