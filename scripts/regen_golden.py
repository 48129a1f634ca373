#!/usr/bin/env python3
"""Regenerate tests/golden/<article>.json from corpus/ (run after a deliberate change,
then review the diff: the golden files are the contract the tests compare against)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ja_article_tools.output import dumps  # noqa: E402
from ja_article_tools.pipeline import process_source  # noqa: E402
from ja_article_tools.read import decode  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"


def corpus_files() -> list[Path]:
    return sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md"))


def golden_record(path: Path) -> str:
    article = process_source(decode(path.read_bytes(), f"corpus/{path.name}"))
    return dumps(article.to_dict(tokens=True), pretty=True) + "\n"


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    names = set()
    for path in corpus_files():
        out = GOLDEN / (path.name + ".json")
        out.write_text(golden_record(path), encoding="utf-8")
        names.add(out.name)
        print(f"wrote {out.relative_to(ROOT)}")
    for stale in GOLDEN.glob("*.json"):
        if stale.name not in names:
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
