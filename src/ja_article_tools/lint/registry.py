"""The rule registry: one decorator, one table.

A rule is a small function registered with :func:`rule`. Block rules receive one
:class:`~ja_article_tools.lint.engine.BlockContext` (a prose block with its masked text,
tokens and sentences, all in *block-local* offsets) and yield :class:`Hit` objects; the
engine shifts them to document offsets. Document rules receive the
:class:`~ja_article_tools.lint.engine.DocContext` once per file and yield hits in document
offsets; they exist for checks that compare parts of an article (style mixing, notation
drift, entity spellings) and must stay linear in the size of the file.

Code scheme (letter family + number): JA1xx spacing and character width, JA2xx
punctuation and brackets, JA3xx style and grammar, JA4xx machine-translation damage,
JA5xx code in prose, JA6xx URLs, JA7xx entities.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["Hit", "Rule", "rule", "REGISTRY", "all_rules", "get_rule", "PROSE_KINDS"]

# Blocks whose text is prose; code, front matter, HTML and thematic breaks are not.
PROSE_KINDS = frozenset({"title", "heading", "paragraph", "list_item", "blockquote", "table", "footnote"})


class Hit(NamedTuple):
    """One problem a rule found. ``edits`` are ``(start, end, replacement)`` in the same
    coordinates as ``start``/``end`` (block-local for block rules). A named tuple: rules
    make thousands of these per file, and a frozen dataclass costs 4x more to build."""

    start: int
    end: int
    message: str
    edits: tuple[tuple[int, int, str], ...] | None = None
    safety: str | None = None  # overrides the rule's fix safety for this hit


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: str  # error | warning | info
    func: Callable[..., Iterable[Hit]]
    scope: str  # block | document
    fix: str  # safe | unsafe | none
    options: dict[str, Any] = field(default_factory=dict)
    textlint: str | None = None  # the textlint rule this one mirrors
    also_textlint: tuple[str, ...] = ()  # further textlint rules with the same behaviour
    kinds: frozenset[str] = PROSE_KINDS
    needs_tokens: bool = False
    default_enabled: bool = True
    # A regex that every problem this rule reports contains: blocks (of the source
    # text) without a match are skipped. One C-level scan instead of a call per block.
    # A block is chosen by where a match starts; a match lies on one line and a line
    # in one block, so a look-behind may anchor the pattern on its rarest character
    # (``[,.](?<=[ぁ-ヿ][,.])`` scans 2x faster than ``[ぁ-ヿ][,.]``).
    trigger: str | None = None
    # Only Japanese text can break this rule: blocks without kana or kanji are skipped.
    japanese: bool = False

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.name


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    *,
    severity: str = "warning",
    scope: str = "block",
    fix: str = "none",
    options: dict[str, Any] | None = None,
    textlint: str | None = None,
    kinds: Iterable[str] | None = None,
    needs_tokens: bool = False,
    default_enabled: bool = True,
    trigger: str | None = None,
    japanese: bool = False,
    also_textlint: tuple[str, ...] = (),
) -> Callable[[Callable[..., Iterable[Hit]]], Callable[..., Iterable[Hit]]]:
    """Register a rule function under ``code`` (e.g. ``JA301``) and ``name``."""

    def deco(func: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in REGISTRY:
            raise ValueError(f"duplicate rule code {code}")
        if not func.__doc__:
            raise ValueError(f"rule {code} needs a docstring with a Japanese example")
        REGISTRY[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            func=func,
            scope=scope,
            fix=fix,
            options=dict(options or {}),
            textlint=textlint,
            kinds=frozenset(kinds) if kinds is not None else PROSE_KINDS,
            needs_tokens=needs_tokens,
            default_enabled=default_enabled,
            trigger=trigger,
            japanese=japanese,
            also_textlint=tuple(also_textlint),
        )
        return func

    return deco


def _load() -> None:
    # Importing the rule modules fills REGISTRY; done lazily so importing the registry is cheap.
    from . import rules_code, rules_entities, rules_mt, rules_punctuation, rules_spacing, rules_style, rules_urls  # noqa: F401


def all_rules() -> list[Rule]:
    if not REGISTRY:
        _load()
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def get_rule(key: str) -> Rule | None:
    """Look a rule up by code (``JA301``) or name (``sentence-length``)."""
    rules = all_rules()
    for r in rules:
        if r.code.lower() == key.lower() or r.name == key:
            return r
    return None
