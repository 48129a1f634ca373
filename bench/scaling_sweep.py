#!/usr/bin/env python3
"""Look for super-linear cost: run process() and lint() on repeated short pieces at
growing sizes and flag the pieces whose time grows much faster than their length.

    python bench/scaling_sweep.py            # the built-in pieces, 4k and 16k chars
    python bench/scaling_sweep.py --pairs    # also every pair of pieces (slow: ~15 min)
    python bench/scaling_sweep.py 'a.jp/あ'  # given pieces only, 4 sizes printed

A piece repeated is the cheap way to build the input a regex or a scanner handles worst:
every repetition is a place where a match may start and run to the end of the input
(``1万1万…``, ``a.jp/あa.jp/あ…``, one long Latin run). Linear code takes ~4x as long for 4x
the text; the sweep flags a ratio above 7 once the larger run takes more than 0.15 s,
and keeps the flag if doubling the size again costs more than 3x (first-use costs such as
a table loaded on the first Japanese word make one step look steep).
CPU time, one process; the figures are for finding problems, not for tracking speed.
"""

from __future__ import annotations

import itertools
import sys
import time

PIECES = [
    "1万", "1・", "1、", "1-", "1.", "1/", "a.", "a-", "a_", "a@", "@a.", "http://a", "https://a.com/(",
    "(", "（", "「", "」", "『", "【", "[", "](", "!", "！", "?", "＃", "#", "*", "_", "`", "~~", ":", "：",
    "//", "\\", "$", "$1", "¥", "1%", "v1.", "1.1.", "GPT-", "Python ", "A-", "ｱ", "ﾞ", "ー", "・", "　",
    " ", "\t", "\n", "\r\n", "- ", "1. ", "> ", "| a |", "<a>", "&amp;", "www.", "a.jp/", "ジム", "を",
    "の場合:", "範囲(", "ｈｔｔｐｓ：／／", "．", "，", "。", "、", "昨年", "午後1時", "1日", "翌1", "1割",
    "1分の", "1年", "第1", "株式会社", "Inc.", "ア・", "CEO", "氏", "\"", "'a'", "{", "=", "x = ", "def ",
    "import ", "$ ", "pip install ", "```", "~~~", "---", "<!--", "    ",
]
TAILS = ["", "あ", "a", "1"]


def _timer():
    from ja_article_tools.lint.engine import lint
    from ja_article_tools.pipeline import process

    def run(text: str) -> float:
        t0 = time.process_time()
        process(text).to_dict()
        lint(text, "x.md")
        return time.process_time() - t0

    return run


def sweep(pieces: list[str], sizes: tuple[int, ...], show_all: bool) -> int:
    run = _timer()
    run("ウォームアップ。")
    flagged = 0
    for piece in pieces:
        times = [run(piece * max(1, size // len(piece))) for size in sizes]
        ratio = times[-1] / max(times[-2], 1e-3)
        suspect = times[-1] > 0.15 and ratio > 7
        if suspect and not show_all:
            # Confirm at twice the size: a first-use cost (a table loaded, a cache
            # filled) makes one step look steep; quadratic growth goes on (x4 again).
            times.append(run(piece * max(1, 2 * sizes[-1] // len(piece))))
            ratio = times[-1] / max(times[-2], 1e-3)
            suspect = ratio > 3
        flagged += suspect
        if suspect or show_all:
            figures = " ".join(f"{t:.2f}" for t in times)
            print(f"{'SUSPECT' if suspect else 'ok':8} {piece!r:24} {figures} s  (last step x{ratio:.1f})", flush=True)
    return flagged


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if args:
        sweep(args, (4000, 8000, 16000, 32000), show_all=True)
        return 0
    pieces = [p + t for p in PIECES for t in TAILS]
    if "--pairs" in sys.argv:
        pieces += [a + b for a, b in itertools.permutations(PIECES, 2)]
    flagged = sweep(pieces, (4000, 16000), show_all=False)
    print(f"{len(pieces)} pieces, {flagged} flagged")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
