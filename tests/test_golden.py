"""Golden JSON per corpus article: the output must match byte for byte and validate
against the shipped schema. After a deliberate change run
``python scripts/regen_golden.py`` and review the diff."""

from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import ROOT

spec = importlib.util.spec_from_file_location("regen_golden", ROOT / "scripts" / "regen_golden.py")
regen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(regen)

FILES = regen.corpus_files()


def test_every_corpus_article_has_a_golden_file():
    assert len(FILES) >= 8
    missing = [p.name for p in FILES if not (regen.GOLDEN / (p.name + ".json")).exists()]
    assert not missing, f"run scripts/regen_golden.py: {missing}"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_golden(path, validator):
    golden = regen.GOLDEN / (path.name + ".json")
    got = regen.golden_record(path)
    record = json.loads(got)
    validator.validate(record)
    text = path.read_bytes()
    assert record["source"]["sha256"] == __import__("hashlib").sha256(text).hexdigest()
    assert got == golden.read_text(encoding="utf-8"), f"{path.name} differs from its golden file"
