"""Inline control comments.

``<!-- ja-article-disable JA301 JA2 -->`` … ``<!-- ja-article-enable JA301 JA2 -->`` turn
rules (codes, prefixes or names; none = all) off for a region; a disable without an
enable runs to the end of the file. ``<!-- ja-article-disable-next-line JA310 -->``
turns them off for the line after the comment.

例: ``<!-- ja-article-disable-next-line JA203 -->`` の次の行の「すごい！」は報告しない。
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Finding, LineIndex
from .markdown import Comment

__all__ = ["Suppression", "collect_suppressions", "is_suppressed"]

_DIRECTIVE = re.compile(r"^\s*ja-article-(disable-next-line|disable|enable)\b(.*)$", re.S)


@dataclass(frozen=True, slots=True)
class Suppression:
    start: int
    end: int
    codes: tuple[str, ...]  # empty: every rule


def _codes(rest: str) -> tuple[str, ...]:
    rest = rest.split("--", 1)[0]
    return tuple(c for c in re.split(r"[\s,]+", rest.strip()) if c)


def collect_suppressions(comments: Iterable[Comment], text: str, index: LineIndex) -> list[Suppression]:
    out: list[Suppression] = []
    open_: dict[str, int] = {}  # code ("" for all) -> start offset
    for c in comments:
        m = _DIRECTIVE.match(c.body)
        if not m:
            continue
        kind, codes = m.group(1), _codes(m.group(2))
        if kind == "disable-next-line":
            line = index.line(c.end) + 1
            if line <= index.count:
                s = index.line_start(line)
                e = index.line_start(line + 1) if line < index.count else len(text)
                out.append(Suppression(s, e, codes))
        elif kind == "disable":
            for code in codes or ("",):
                open_.setdefault(code, c.end)
        else:
            for code in codes or tuple(open_):
                if code in open_:
                    out.append(Suppression(open_.pop(code), c.start, (code,) if code else ()))
    for code, s in open_.items():
        out.append(Suppression(s, len(text), (code,) if code else ()))
    return out


def _applies(codes: tuple[str, ...], f: Finding) -> bool:
    if not codes:
        return True
    return any(f.code.upper().startswith(c.upper()) or c == f.name for c in codes)


def is_suppressed(f: Finding, sups: list[Suppression]) -> bool:
    return any(s.start <= f.start < s.end and _applies(s.codes, f) for s in sups)
