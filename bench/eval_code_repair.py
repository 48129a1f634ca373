#!/usr/bin/env python3
"""Score ja_article_tools' code repair on /work/shared's real damaged blocks.

Prints the scorer's report lines, plus the never-damage rate: repair_code(original)
must stay equivalent to the original (AST-equal for Python, token-equal otherwise).
Usage: .venv/bin/python bench/eval_code_repair.py [--per-item] [--gold FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def main() -> int:
    if not SHARED.is_dir():
        print(f"skip: {SHARED} not found (evaluation data lives outside the repository)")
        return 0
    spec = importlib.util.spec_from_file_location("score_coderepair", SHARED / "eval" / "score_coderepair.py")
    scorer = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(scorer)
    from ja_article_tools.code.repair import repair_code

    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(SHARED / "eval-data" / "coderepair" / "real_cases.jsonl"))
    ap.add_argument("--per-item", action="store_true")
    a = ap.parse_args()
    gold = scorer.load_jsonl(a.gold)
    t0 = time.perf_counter()
    preds = {}
    for g in gold:
        try:
            preds[g["id"]] = repair_code(g["mangled"]).code
        except Exception as e:  # the contract is never to raise; count it as a failure
            print(f"repair_code raised on {g['id']}: {e!r}", file=sys.stderr)
            preds[g["id"]] = None
    dt = time.perf_counter() - t0
    from ja_article_tools.code.repair import _repair

    internal_errors = []
    for g in gold:
        try:
            _repair(g["mangled"], None)
        except Exception as e:  # swallowed by repair_code; a bug all the same
            internal_errors.append((g["id"], repr(e)))
    report, results = scorer.score(gold, preds)
    scorer.print_report("repair: ja_article_tools.code.repair.repair_code", report)
    print(f"internal errors (swallowed by repair_code): {len(internal_errors)}", *internal_errors)
    print(f"time: {dt:.2f}s for {len(gold)} blocks ({1000 * dt / max(len(gold), 1):.1f} ms/block)")
    if a.per_item:
        for r in results:
            print("  %-24s %-10s success=%s nostr=%s tok_sim=%.3f" % (
                r["id"], r["lang"], r["success"], r.get("ast_alpha_nostr"), r["tok_sim"]))
    # Never-damage: originals run through the repairer must stay equivalent.
    originals = [g for g in gold if g.get("original")]
    same_rows = [dict(g, mangled=g["original"]) for g in originals]
    preds_o = {g["id"]: repair_code(g["original"]).code for g in originals}
    _, res_o = scorer.score(same_rows, preds_o)
    ok = [r for r in res_o if r["success"]]
    print(f"never-damage on originals: {len(ok)}/{len(res_o)} = {100.0 * len(ok) / max(len(res_o), 1):.1f}%")
    for r in res_o:
        if not r["success"]:
            print("  damaged:", r["id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
