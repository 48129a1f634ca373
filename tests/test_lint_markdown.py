"""Prose extraction: block kinds, and masking that keeps offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ja_article_tools.lint.markdown import MASKS, parse

CASES = [json.loads(x) for x in (Path(__file__).parent / "cases" / "lint" / "markdown.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["why"][:40])
def test_blocks_and_masks(case: dict) -> None:
    text = case["input"]
    doc = parse(text, markdown=True)
    assert [b.kind for b in doc.blocks] == case["expected_kinds"]
    for b in doc.blocks:
        assert len(b.prose) == len(b.text) == b.end - b.start
        assert text[b.start:b.end] == b.text
    for piece in case["masked"]:
        pos = text.index(piece)
        b = next(b for b in doc.blocks if b.start <= pos < b.end)
        local = pos - b.start
        masked = b.prose[local:local + len(piece)]
        # Every non-space character of a masked piece is a mask character.
        assert all(ch in MASKS for ch, orig in zip(masked, piece) if not orig.isspace()), (piece, masked)


def test_fences_recorded_and_not_prose() -> None:
    text = "前\n\n```python\nx = 1\n```\n\n後"
    doc = parse(text)
    assert [b.text for b in doc.blocks] == ["前", "後"]
    (f,) = doc.fences
    assert text[f.content_start:f.content_end] == "x = 1\n"
    assert f.info == "python"


def test_plain_text_keeps_markup_characters() -> None:
    doc = parse("# これは見出しではない\n本文", markdown=False)
    assert [b.kind for b in doc.blocks] == ["paragraph"]
    assert doc.blocks[0].prose.startswith("# ")
