#!/usr/bin/env python3
"""Profile process() with cProfile and report CPU time per stage.

Usage: .venv/bin/python bench/profile_pipeline.py [debian|mt|both] [--cprofile N]

Texts: 300 KB of ../shared/eval-data/corpus-ja/debian_reference_ja.txt ("debian") and a
Japanese MT-style article from corpus/ repeated 50 times ("mt").
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval-data" / "corpus-ja"


def load(which: str) -> tuple[str, str] | None:
    from ja_article_tools.read import read_path

    if which == "debian":
        p = SHARED / "debian_reference_ja.txt"
        if not p.is_file():
            print(f"skip debian: {p} not found")
            return None
        return str(p), read_path(p).text[:300_000]
    p = ROOT / "corpus" / "mt_fastapi_inventory_api.txt"
    if not p.is_file():
        p = sorted((ROOT / "corpus").glob("mt_*.txt"))[0]
    text = read_path(p).text
    return str(p), "\n\n".join([text] * 50)


STAGES = [
    ("code.detect.find_code_blocks", "ja_article_tools.code.detect", "find_code_blocks"),
    ("structure.analyse", "ja_article_tools.pipeline", "analyse"),
    ("urls.extract_urls", "ja_article_tools.extract.urls", "extract_urls"),
    ("urls.extract_emails", "ja_article_tools.extract.urls", "extract_emails"),
    ("clean.clean", "ja_article_tools.pipeline", "clean"),
    ("pipeline._keep_only", "ja_article_tools.pipeline", "_keep_only"),
    ("tokens.tag_chunks(list)", None, None),
    ("tokens.tokens_from_raw (lazy: only if read)", "ja_article_tools.tokens", "tokens_from_raw"),
    ("tokens.split_sentences", "ja_article_tools.pipeline", "split_sentences"),
    ("entities.extract_entities", "ja_article_tools.extract.entities", "extract_entities"),
    ("pipeline._repair_all", "ja_article_tools.pipeline", "_repair_all"),
]


def stage_times(path: str, text: str) -> None:
    import importlib

    import ja_article_tools.pipeline as pl
    from ja_article_tools.pipeline import process

    totals: dict[str, float] = {}
    patched = []

    def wrap(name, fn):
        def timed(*a, **k):
            t0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                totals[name] = totals.get(name, 0.0) + time.process_time() - t0
        return timed

    for name, mod, attr in STAGES:
        if mod is None:
            continue
        m = importlib.import_module(mod)
        orig = getattr(m, attr)
        setattr(m, attr, wrap(name, orig))
        patched.append((m, attr, orig))
        if mod != "ja_article_tools.pipeline" and hasattr(pl, attr):
            setattr(pl, attr, getattr(m, attr))
            patched.append((pl, attr, orig))
    orig_tc = pl.tag_chunks
    def tc(t):
        t0 = time.process_time()
        out = list(orig_tc(t))
        totals["tokens.tag_chunks(list)"] = totals.get("tokens.tag_chunks(list)", 0.0) + time.process_time() - t0
        return out
    pl.tag_chunks = tc
    patched.append((pl, "tag_chunks", orig_tc))
    try:
        best = None
        for _ in range(3):
            totals.clear()
            t0 = time.process_time()
            art = process(text, path)
            t1 = time.process_time()
            art.to_dict()
            t2 = time.process_time()
            run = dict(totals, **{"process() total": t1 - t0, "to_dict()": t2 - t1})
            if best is None or run["process() total"] + run["to_dict()"] < best["process() total"] + best["to_dict()"]:
                best = run
    finally:
        for m, attr, orig in reversed(patched):
            setattr(m, attr, orig)
    total = best["process() total"] + best["to_dict()"]
    print(f"{path}: {len(text):,} chars, process()+to_dict() {total:.3f} s CPU ({len(text)/total:,.0f} chars/s)")
    for name, sec in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"  {name:32s} {sec:8.3f} s {100*sec/total:6.1f}%")


def main() -> int:
    which = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "both"
    n = int(sys.argv[sys.argv.index("--cprofile") + 1]) if "--cprofile" in sys.argv else 0
    from ja_article_tools.pipeline import process

    process("ウォームアップ。https://example.com")
    for w in (["debian", "mt"] if which == "both" else [which]):
        loaded = load(w)
        if loaded is None:
            continue
        path, text = loaded
        stage_times(path, text)
        if n:
            prof = cProfile.Profile()
            prof.enable()
            process(text, path).to_dict()
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
