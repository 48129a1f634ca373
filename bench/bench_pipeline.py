#!/usr/bin/env python3
"""Pipeline throughput against bare fugashi tokenization, measured in the same run.

Prints chars/s for process() and for fugashi reading every token's features (the
baseline), their ratio (target >= 0.5), and batch throughput with 1 and 2 jobs.
Text: ../shared/eval-data/corpus-ja/ when present, else corpus/. Times are CPU time
(time.process_time): the machine is shared, wall time is noise.
"""

from __future__ import annotations

import glob
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval-data" / "corpus-ja"


def texts(limit_chars: int) -> tuple[list[tuple[str, str]], str]:
    from ja_article_tools.read import read_path

    if SHARED.is_dir():
        paths, where = sorted(glob.glob(str(SHARED / "*.txt"))), str(SHARED)
    else:
        paths = sorted(str(p) for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md"))
        where = "corpus/"
    out, total = [], 0
    for p in paths:
        t = read_path(p).text[: max(0, limit_chars - total)]
        if t:
            out.append((p, t))
            total += len(t)
    return out, where


def bare_fugashi(docs: list[str]) -> float:
    import fugashi

    tagger = fugashi.Tagger()
    t0 = time.process_time()
    for text in docs:
        for line in text.splitlines():
            for w in tagger(line):
                f = w.feature
                _ = (w.surface, f.pos1, f.pos2, f.lemma, f.kana, f.pron, f.goshu)
    return time.process_time() - t0


def pipeline(docs: list[tuple[str, str]]) -> float:
    from ja_article_tools.pipeline import process

    t0 = time.process_time()
    for path, text in docs:
        process(text, path).to_dict()
    return time.process_time() - t0


def main() -> int:
    limit = int(os.environ.get("BENCH_CHARS", "1500000"))
    docs, where = texts(limit)
    chars = sum(len(t) for _, t in docs)
    print(f"text: {chars:,} chars from {len(docs)} files in {where}")
    from ja_article_tools.pipeline import process

    process("ウォームアップ。https://example.com")  # load the tagger and models once
    base = min(bare_fugashi([t for _, t in docs]) for _ in range(2))
    pipe = min(pipeline(docs) for _ in range(2))
    print(f"bare fugashi (features read): {chars / base:12,.0f} chars/s")
    print(f"process() + to_dict():        {chars / pipe:12,.0f} chars/s")
    print(f"ratio pipeline/bare: {base / pipe:.2f}  (target >= 0.5)")

    from ja_article_tools.batch import run_batch

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, (path, text) in enumerate(docs):
            f = Path(tmp) / f"doc{i}.txt"
            f.write_text(text, encoding="utf-8")
            files.append(str(f))
        for jobs in (1, 2):
            s = run_batch(files, str(Path(tmp) / f"out{jobs}.jsonl"), jobs=jobs)
            print(f"batch --jobs {jobs}: {s.chars_per_second:12,.0f} chars/s ({s.seconds:.2f} s, {s.files} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
