"""Applying edits and mapping offsets between the source and the cleaned text."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..models import Edit

__all__ = ["apply_edits", "OffsetMap"]


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Replay non-overlapping ``edits`` (source offsets, sorted by start) on ``text``.

    >>> apply_edits("オープンソース プロジェクト", [Edit(7, 8, "", "space")])
    'オープンソースプロジェクト'
    """
    parts: list[str] = []
    pos = 0
    for e in edits:
        parts.append(text[pos : e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


class OffsetMap:
    """Maps offsets both ways between a source text and the text its edits produce.

    Outside edits the two texts run in parallel; an edited stretch maps as a whole, so a
    span that starts or ends inside a replacement widens to the replaced source range.
    ``to_source(start, end)`` is what every later stage uses to report source offsets
    for things found in the cleaned text.
    """

    __slots__ = ("_src", "_dst", "_src_end", "_dst_end", "identity")

    def __init__(self, edits: Sequence[Edit]) -> None:
        # Parallel arrays, one entry per edit, in both coordinate systems.
        self._src: list[int] = []
        self._src_end: list[int] = []
        self._dst: list[int] = []
        self._dst_end: list[int] = []
        delta = 0
        for e in edits:
            self._src.append(e.start)
            self._src_end.append(e.end)
            d0 = e.start + delta
            self._dst.append(d0)
            self._dst_end.append(d0 + len(e.replacement))
            delta += len(e.replacement) - (e.end - e.start)
        self.identity = not edits

    @staticmethod
    def _map(p: int, is_end: bool, a0: list[int], a1: list[int], b0: list[int], b1: list[int]) -> int:
        """Map position ``p`` from coordinates ``a`` to ``b``.

        A start position inside a replacement goes to the start of the other side's
        replacement, an end position to its end; positions at the edge of a deletion go
        to the side they belong to (a start after it, an end before it).
        """
        if is_end:
            i = bisect.bisect_left(a0, p) - 1  # last edit starting strictly before p
            if i < 0:
                return p
            if p <= a1[i]:
                return b1[i]
        else:
            i = bisect.bisect_right(a0, p) - 1  # last edit starting at or before p
            if i < 0:
                return p
            if p < a1[i]:
                return b0[i]
        return b1[i] + (p - a1[i])

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source range for the cleaned range ``[start, end)``."""
        if self.identity:
            return start, end
        s = self._map(start, False, self._dst, self._dst_end, self._src, self._src_end)
        e = self._map(end, True, self._dst, self._dst_end, self._src, self._src_end) if end > start else s
        return s, max(s, e)

    def to_cleaned(self, start: int, end: int) -> tuple[int, int]:
        """Cleaned range for the source range ``[start, end)``."""
        if self.identity:
            return start, end
        s = self._map(start, False, self._src, self._src_end, self._dst, self._dst_end)
        e = self._map(end, True, self._src, self._src_end, self._dst, self._dst_end) if end > start else s
        return s, max(s, e)

    def source_mapper(self):
        """A ``to_source`` for queries in ascending order (tokens, sentences): it walks
        the edits forward instead of bisecting, and falls back to :meth:`to_source`
        when a query goes backwards."""
        if self.identity:
            return _identity
        dst, dst_end, src, src_end = self._dst, self._dst_end, self._src, self._src_end
        n = len(dst)
        state = [0, 0]  # edits passed by the last start and by the last end query

        def mapper(start: int, end: int) -> tuple[int, int]:
            i, j = state
            if i and dst[i - 1] > start or j and dst[j - 1] >= end:
                return self.to_source(start, end)
            while i < n and dst[i] <= start:
                i += 1
            while j < n and dst[j] < end:
                j += 1
            state[0], state[1] = i, j
            # Same rules as _map: i - 1 is the last edit starting at or before start,
            # j - 1 the last edit starting strictly before end.
            if i == 0:
                s = start
            else:
                k = i - 1
                s = src[k] if start < dst_end[k] else src_end[k] + (start - dst_end[k])
            if end <= start:
                return s, s
            if j == 0:
                e = end
            else:
                k = j - 1
                e = src_end[k] if end <= dst_end[k] else src_end[k] + (end - dst_end[k])
            return s, max(s, e)

        return mapper


def _identity(start: int, end: int) -> tuple[int, int]:
    return start, end
