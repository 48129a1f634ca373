"""Character classes shared by the rules."""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

import regex

__all__ = ["is_full", "is_japanese", "is_katakana", "JA_PUNCT", "compile_patterns", "pattern_spans", "inside", "load_data"]

# Full-width punctuation that the spacing rules treat separately (exceptPunctuation).
JA_PUNCT = frozenset("、。，．！？「」『』（）［］【】〔〕〈〉《》｛｝・：；〜～…‥＂＇")

_JA = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}ー々〆ヶ]")


@lru_cache(maxsize=4096)
def is_full(ch: str) -> bool:
    """A visible full-width or wide character (not the ideographic space, not a mask)."""
    if ch == "\u3000" or ch.isspace():
        return False
    return unicodedata.east_asian_width(ch) in ("F", "W")


@lru_cache(maxsize=4096)
def is_japanese(ch: str) -> bool:
    return bool(_JA.match(ch))


@lru_cache(maxsize=4096)
def is_katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff" or ch == "ー"


def compile_patterns(items: list[str] | tuple[str, ...]) -> list[re.Pattern[str]]:
    """textlint-style allow lists: plain strings, or ``/regex/flags`` strings."""
    out = []
    for it in items or ():
        it = str(it)
        m = re.fullmatch(r"/(.*)/([a-z]*)", it, re.S)
        if m:
            flags = re.I if "i" in m.group(2) else 0
            out.append(re.compile(m.group(1), flags))
        else:
            out.append(re.compile(re.escape(it)))
    return out


def pattern_spans(patterns: list[re.Pattern[str]], text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for p in patterns:
        spans.extend((m.start(), m.end()) for m in p.finditer(text) if m.end() > m.start())
    spans.sort()
    return spans


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies in one of ``spans`` (sorted by start)."""
    if len(spans) <= 16:
        return any(s <= pos < e for s, e in spans)
    # Many spans (a link-heavy block): bisect over the starts; spans rarely overlap, so
    # a few steps back suffice.
    k = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    for j in range(k, max(-1, k - 8), -1):
        if spans[j][0] <= pos < spans[j][1]:
            return True
    return False


@lru_cache(maxsize=None)
def load_data(name: str) -> Any:
    """A JSON file from ``lint/data/``, parsed once."""
    return json.loads(resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8"))
