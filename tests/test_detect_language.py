"""guess_language regressions found while checking that detection output stays identical
(cases in tests/cases/detect_language_regressions.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ja_article_tools.code.language import guess_language

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "cases" / "detect_language_regressions.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=[c["why"][:40] for c in CASES])
def test_guess_language_regressions(case: dict) -> None:
    assert guess_language(case["input"], case["hint"]) == case["expected"], case["why"]
