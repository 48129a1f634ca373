"""Cleaning: prose segments -> edits -> cleaned text + offset map.

>>> r = clean("無料の AI チャットボット サービス")
>>> r.text
'無料の AI チャットボットサービス'
>>> [(e.start, e.end, e.rule) for e in r.edits]
[(13, 14, 'space-between-japanese')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Edit
from .fixers import FIXERS, CleanOptions, FixerInfo
from .offsets import OffsetMap, apply_edits

__all__ = ["clean", "Cleaned", "CleanOptions", "OffsetMap", "apply_edits", "FIXERS"]


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    edits: tuple[Edit, ...]
    offsets: OffsetMap


def enabled_fixers(options: CleanOptions) -> list[FixerInfo]:
    return [f for f in FIXERS.values() if f.name not in options.disabled and f.enabled(options)]


def clean(
    text: str,
    segments: Sequence[tuple[int, int]] | None = None,
    options: CleanOptions | None = None,
) -> Cleaned:
    """Clean the ``segments`` of ``text`` (all of it when None).

    Edits never overlap: where two fixers claim the same characters, the one that
    starts first (then the one registered first) wins.
    """
    options = options or CleanOptions()
    segs = [(0, len(text))] if segments is None else [s for s in segments if s[1] > s[0]]
    proposed: list[tuple[int, int, int, Edit]] = []
    for rank, info in enumerate(enabled_fixers(options)):
        for e in info.func(text, segs, options):
            if e.replacement != text[e.start : e.end]:
                proposed.append((e.start, rank, e.end, e))
    # Insertions sort before a replacement starting at the same point; they do not overlap.
    proposed.sort(key=lambda p: (p[0], p[2] > p[0], p[1]))
    kept: list[Edit] = []
    last_end = -1
    last_insert_at = -1
    for start, _, end, e in proposed:
        if start < last_end or (start == end and start == last_insert_at):
            continue
        if start == end:
            last_insert_at = start
        kept.append(e)
        last_end = max(last_end, end)
    return Cleaned(apply_edits(text, kept), tuple(kept), OffsetMap(kept))
