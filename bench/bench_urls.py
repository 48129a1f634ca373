#!/usr/bin/env python3
"""Throughput of extract_urls against linkify-it-py, and suite scores.

Usage: .venv/bin/python bench/bench_urls.py [--repeat N] [--no-scores]

Reads /work/shared (the folder beside the repository): the Japanese corpus
``eval-data/corpus-ja/*.txt`` and the URL suites ``eval-data/url/*.jsonl``. Prints chars/s
for ja-article-tools (extract_urls, e-mail addresses included as kind ``email``) and, when
linkify-it-py is installed (a dev/bench dependency only), for linkify-it-py on the same text.
Also prints the suite scores as the official scorer counts them.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from ja_article_tools.extract.urls import _resolve, extract_urls  # noqa: E402


def _ours(text: str) -> list:
    _resolve.cache_clear()  # the results are cached per text; time the real work
    return extract_urls(text)


def _time(fn, text: str, repeat: int) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        count = len(fn(text) or [])
        best = min(best, time.perf_counter() - t0)
    return best, count


def _linkify():
    try:
        from linkify_it import LinkifyIt
    except ImportError:
        return None
    lk = LinkifyIt()
    return lambda text: lk.match(text)


def _suite_texts() -> str:
    rows = []
    for path in sorted(glob.glob(str(SHARED / "eval-data" / "url" / "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            rows.extend(json.loads(line)["text"] for line in f if line.strip())
    return "\n".join(rows)


def _scores() -> None:
    for path in sorted(glob.glob(str(SHARED / "eval-data" / "url" / "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            cases = [json.loads(line) for line in f if line.strip()]
        ok = 0
        for c in cases:
            text, exp = c["text"], c["expected"]
            got = [text[u.start : u.end] for u in extract_urls(text)]
            if c.get("first_match_only") and exp:
                ok += bool(got) and got[0] == exp[0]
            else:
                ok += set(got) == set(exp)
        n = len(cases)
        print(f"{os.path.basename(path):28s} {ok:4d}/{n:<4d} {100 * ok / n:5.1f}%")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-scores", action="store_true")
    a = ap.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found (benchmarks need the shared evaluation data)")
        return 0
    if not a.no_scores:
        _scores()
    inputs: list[tuple[str, str]] = []
    for path in sorted(glob.glob(str(SHARED / "eval-data" / "corpus-ja" / "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            inputs.append((os.path.basename(path), f.read()))
    inputs.append(("url suites (all texts)", _suite_texts()))
    linkify = _linkify()
    if linkify is None:
        print("linkify-it-py not installed: printing ja-article-tools only")
    print(f"{'input':28s} {'chars':>9s} {'ours chars/s':>14s} {'n':>5s} {'linkify chars/s':>16s} {'n':>5s}")
    tot_chars = tot_ours = tot_lk = 0.0
    for name, text in inputs:
        # linkify-it-py finds links and e-mails in one call; so do we, in two.
        t_ours, n_ours = _time(_ours, text, a.repeat)
        line = f"{name:28s} {len(text):9d} {len(text) / t_ours:14,.0f} {n_ours:5d}"
        tot_chars += len(text)
        tot_ours += t_ours
        if linkify is not None:
            t_lk, n_lk = _time(linkify, text, a.repeat)
            tot_lk += t_lk
            line += f" {len(text) / t_lk:16,.0f} {n_lk:5d}"
        print(line)
    line = f"{'total':28s} {int(tot_chars):9d} {tot_chars / tot_ours:14,.0f} {'':5s}"
    if linkify is not None:
        line += f" {tot_chars / tot_lk:16,.0f}"
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
