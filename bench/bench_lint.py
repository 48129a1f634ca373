"""Lint throughput against bare fugashi tokenization of the same text.

"Bare fugashi" = tagging the text in the same chunks and reading each token's surface
and feature string, no objects built. Times are CPU times (``time.process_time``): the
machine is shared, and wall time there swings by 2x between runs; each figure is the
best of three runs (two for the doubled copy).

Prints, for ``eval-data/corpus-ja/debian_reference_ja.txt`` linted as one file (all
default rules): bare fugashi chars/s (``for w in tagger(chunk)`` over the same text),
lint chars/s, their ratio (target >= 0.4), and the lint time of the file and of a
doubled copy (linear when the second is about twice the first).

    .venv/bin/python bench/bench_lint.py [--path FILE]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT = SHARED / "eval-data" / "corpus-ja" / "debian_reference_ja.txt"


def bare_fugashi(text: str) -> float:
    from ja_article_tools.tokens import _chunks, get_tagger

    tagger = get_tagger()
    t0 = time.process_time()
    for a, b in _chunks(text):
        # A token is its surface and its analysis: read both, nothing more.
        for w in tagger(text[a:b]):
            w.surface
            w.feature_raw
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--path", type=Path, default=DEFAULT)
    args = ap.parse_args(argv)
    if not args.path.is_file():
        print(f"skipped: {args.path} not found (needs /work/shared)")
        return 0
    t0 = time.perf_counter()
    from ja_article_tools.lint import lint
    from ja_article_tools.tokens import get_tagger

    get_tagger()
    # Warm-up loads every lazily imported piece (detector, URL scanner) once.
    lint("起動。\n\nenv = ジム.make()\n\n詳細はhttps://example.com/を見る。ChatGPT", path="warm.txt")
    startup = time.perf_counter() - t0
    text = args.path.read_text(encoding="utf-8")
    path = args.path.name
    # Best of three for each measurement, bare and lint alike: the machine is shared.
    bare = min(bare_fugashi(text) for _ in range(3))
    one = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        findings = lint(text, path=path)
        one = min(one, time.process_time() - t0)
    two = float("inf")
    doubled = text + "\n\n" + text
    for _ in range(2):
        t0 = time.process_time()
        lint(doubled, path=path)
        two = min(two, time.process_time() - t0)
    n = len(text)
    print(f"file: {args.path.name} ({n} chars, {len(findings)} findings); import+warm-up {startup:.2f} s")
    print(f"bare fugashi: {n / bare:,.0f} chars/s ({bare:.2f} s)")
    print(f"lint:         {n / one:,.0f} chars/s ({one:.2f} s)")
    print(f"doubled copy: {two:.2f} s ({two / one:.2f}x the single file; 2.0 = linear)")
    print(f"lint throughput: {n / one / (n / bare):.2f} of bare fugashi (target >= 0.40)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
