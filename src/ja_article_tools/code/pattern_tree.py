"""Rule patterns (written for the ``regex`` module) read with the standard library's
regex parser, so that cheap pre-tests can be derived from their syntax trees: the
prefilters of :mod:`.detect` (``^(?:クラス|class)\\s`` can only match on a line starting
with ク or c) and the required substrings of :mod:`.language` (``\\bimpl\\b`` needs
``impl``).

The stdlib parser does not know ``\\p{…}``: each property is swapped for a private-use
character (U+E000 upwards) before parsing and must never be read as a literal; patterns
that already hold private-use characters are not read at all.
"""

from __future__ import annotations

from re import _parser as _sre_parse
from typing import Any

import regex

__all__ = ["parse", "is_placeholder", "range_has_placeholder"]

_PROPERTY_OR_ESCAPE = regex.compile(r"\\(?:[pP]\{[^}]*+\}|.)", regex.S)
_FIRST, _LAST = 0xE000, 0xF8FF


def is_placeholder(code_point: int) -> bool:
    """Whether a LITERAL of the tree stands for a ``\\p{…}`` (or is private-use)."""
    return _FIRST <= code_point <= _LAST


def range_has_placeholder(low: int, high: int) -> bool:
    """Whether the character range ``low-high`` of the tree holds a placeholder."""
    return high >= _FIRST and low <= _LAST


def parse(pattern: str) -> tuple[Any, dict[str, str]] | None:
    """(the stdlib syntax tree, placeholder character -> the ``\\p{…}`` it stands for),
    or None when the pattern cannot be read this way (syntax only the ``regex`` module
    knows, or private-use characters of its own).

    >>> tree, props = parse(r"^\\p{Katakana}+ー")
    >>> list(props.values())
    ['\\\\p{Katakana}']
    """
    if any(is_placeholder(ord(ch)) for ch in pattern):
        return None
    properties: dict[str, str] = {}

    def stash(m: regex.Match[str]) -> str:
        if m.group()[1] not in "pP":
            return m.group()  # another escape: left to the stdlib parser
        ch = chr(_FIRST + len(properties))
        properties[ch] = m.group()
        return ch

    try:
        return _sre_parse.parse(_PROPERTY_OR_ESCAPE.sub(stash, pattern)), properties
    except Exception:  # syntax only the regex module knows
        return None
