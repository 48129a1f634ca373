#!/usr/bin/env python3
"""Score and time the entity extractor.

    python bench/bench_ner.py            # the project's scorer on the Stockmark test split
    python bench/bench_ner.py --failures 20
    python bench/bench_ner.py --speed    # chars/s on one long text built from the corpus, plus per-sentence

Runs ``/work/shared/eval/score_ner.py`` with ``ja_article_tools.extract_entities`` bound to
``ja_article_tools.extract.entities.extract_entities`` (in case the package root does not
export it yet). Skips with a message when ``shared/`` is absent.
"""

from __future__ import annotations

import runpy
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCORER = SHARED / "eval" / "score_ner.py"
CORPUS = SHARED / "eval-data" / "corpus-ja"


def main() -> int:
    if not SCORER.exists():
        print(f"skipped: {SCORER} not found (shared/ is absent)")
        return 0
    import ja_article_tools
    from ja_article_tools.extract.entities import extract_entities

    if not hasattr(ja_article_tools, "extract_entities"):
        ja_article_tools.extract_entities = extract_entities  # type: ignore[attr-defined]
    args = sys.argv[1:]
    if "--speed" in args:
        files = sorted(CORPUS.glob("*.txt"))
        text = files[0].read_text(encoding="utf-8")[:300_000] if files else ""
        if text:
            extract_entities("ウォームアップ。")
            t0 = time.perf_counter()
            ents = extract_entities(text)
            dt = time.perf_counter() - t0
            print(f"one text of {len(text)} chars: {len(text) / dt:,.0f} chars/s, {len(ents)} entities")
        args = [a for a in args if a != "--speed"]
    sys.argv = [str(SCORER), *args]
    runpy.run_path(str(SCORER), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
