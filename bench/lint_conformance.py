"""Agreement with textlint on its own rule test cases.

Runs every case of ``eval-data/lint/textlint_cases.jsonl`` whose rule one of our rules
mirrors (``Rule.textlint``), with the case's options passed to our rule (our options
use textlint's names), and compares the number of findings with textlint's.
Disagreements are listed (rule, expected, got, text); the last line is the score.

    .venv/bin/python bench/lint_conformance.py [-v] [--rule NAME]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from ja_article_tools.lint import Config, all_rules, lint

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CASES = SHARED / "eval-data" / "lint" / "textlint_cases.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="print every disagreement in full")
    ap.add_argument("--rule", help="only this textlint rule")
    args = ap.parse_args(argv)
    if not CASES.is_file():
        print(f"skipped: {CASES} not found (needs /work/shared)")
        return 0
    mirrors = {name: r for r in all_rules() for name in ((r.textlint,) if r.textlint else ()) + r.also_textlint}
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[tuple[str, int, int, str]] = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        r = mirrors.get(case["rule"])
        if r is None or (args.rule and case["rule"] != args.rule):
            continue
        cfg = Config(select=[r.code], rules={r.code: dict(case.get("options") or {})})
        got = sum(1 for f in lint(case["text"], path="case" + case.get("ext", ".md"), config=cfg) if f.code == r.code)
        want = int(case["expect_errors"])
        stats = per_rule[case["rule"]]
        stats[1] += 1
        if got == want:
            stats[0] += 1
        else:
            misses.append((case["rule"], want, got, case["text"] if args.verbose else case["text"][:70].replace("\n", "⏎")))
    for rule, want, got, text in misses:
        # A rule whose docstring has a "Deliberate difference:" paragraph explains these.
        tag = "DIFF (deliberate, see `ja-article rules " + mirrors[rule].code + "`)" if "Deliberate difference:" in mirrors[rule].doc else "DIFF"
        print(f"{tag} {rule}: textlint={want} ours={got} {text!r}")
    for rule, (ok, n) in sorted(per_rule.items()):
        print(f"{mirrors[rule].code} {rule:45s} {ok:3d}/{n:3d}")
    ok = sum(s[0] for s in per_rule.values())
    n = sum(s[1] for s in per_rule.values())
    pct = 100.0 * ok / n if n else 0.0
    print(f"lint conformance: {pct:.1f}% agreement on error counts ({ok}/{n} cases) over {len(per_rule)} textlint rules covered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
