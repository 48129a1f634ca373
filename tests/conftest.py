"""Shared helpers for the tests. Nothing here reads ../shared: the suite runs from a
fresh clone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"
ROOT = TESTS.parent
CORPUS = ROOT / "corpus"


def load_cases(name: str) -> list[dict]:
    """Rows of ``tests/cases/<name>``, each becoming one parametrised test."""
    with open(CASES / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def case_id(case: dict) -> str:
    return case.get("id") or case.get("why", "")[:60]


@pytest.fixture(scope="session")
def validator():
    import jsonschema

    from ja_article_tools.output import load_schema

    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)
