"""Keyword passes: Japanese renderings of Python statements back to Python.

All rewrites are rows of one table, ``data/repair_keyword_rules.toml``, walked by the
small engine below: a *family* (``import``, ``def``, ``for`` …) is an ordered list of
rules (regex, output template, optional named transforms and ``not_if`` guard), and
``PYTHON_LINE_REWRITES`` lists the families as ``(name, rewrite)`` in table order (order
matters: ``for`` before ``if``, since both end in ``の場合:``). Lines are masked (strings
and comments are placeholders), so a rewrite can never touch string or comment text. The
keyword renderings the patterns refer to (``{import_word}`` …) live in
``data/repair_keywords.json``.

>>> dict(PYTHON_LINE_REWRITES)["import"]("ジムをインポート")
'import ジム'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from .common import DATA_DIR, load_json

LineRewrite = Callable[[str], "str | None"]
Transform = Callable[[str], "str | None"]

RULES_FILE = "repair_keyword_rules.toml"


@lru_cache(maxsize=None)
def alt(key: str) -> str:
    """A regex alternation of the renderings listed under ``key``, longest first."""
    words = sorted(load_json("repair_keywords.json")[key], key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


@lru_cache(maxsize=None)
def _table() -> dict[str, Any]:
    with open(DATA_DIR / RULES_FILE, "rb") as f:
        return tomllib.load(f)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def expand(pattern: str) -> str:
    """``{MOD}`` → the fragment of that name; ``{as_word}`` → ``alt("as_word")``.

    Any other brace is regex syntax and stays; an unknown name is an error in the table.
    """
    fragments: dict[str, str] = _table().get("fragments", {})

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.isupper():
            return fragments[name]
        return alt(name)

    return _PLACEHOLDER.sub(one, pattern)


# ---------------------------------------------------------------- transforms
def _names_list(text: str) -> str | None:
    """``、a、b`` / ``a と b`` → ``a, b`` (the import list of a ``from`` line); nothing left
    rejects the match (``X からインポート`` alone is not a ``from`` import)."""
    text = text.strip().strip(",").strip()
    text = re.sub(r"\s*(?:,|と|および)\s*", ", ", text)
    text = re.sub(r"(\S)な$", r"\1", text)  # 部分的な → 部分的
    return text or None


def _module_path(text: str) -> str | None:
    """``sklearn.metrics`` / ``os, sys`` pass; ``ジム(x)`` is not a module path (rejected),
    so a sentence ending in インポート is not taken for an import."""
    if re.search(r"[^\w.]", text.replace(" ", "")) and "," not in text:
        return None
    return text


def _spaced(text: str) -> str:
    """A part that may be absent gets its separating space only when present:
    ``例外:`` → ``except:``, ``例外 ValueError:`` → ``except ValueError:``."""
    return f" {text}" if text else ""


def _trailing_comment(text: str) -> str:
    """A comment kept at the end of the rewritten line, two spaces before it (PEP 8):
    ``パス  # 何もしない`` → ``pass  # 何もしない``."""
    return f"  {text}" if text else ""


def _decapitalise_module(text: str) -> str:
    """MT capitalises the first word of a sentence: ``Tracer.start_span(`` → ``tracer.start_span(``."""
    return re.sub(r"^([A-Z])(?=[a-z]+\.[a-z_]+\()", lambda x: x.group(1).lower(), text)


def _condition(text: str) -> str:
    """``x が 0 より大きい`` → ``x > 0``; ``a または b`` → ``a or b``; ``x が None`` → ``x is None``.

    Each ``and``/``or`` operand goes through the ``comparison`` family (first match wins),
    then ``negation`` (``done ではない`` → ``not done``).
    """
    comparison, negation = condition_family("comparison"), condition_family("negation")
    parts = re.split(rf"\s*{alt('or_word')}\s*", text)
    out = []
    for part in parts:
        ands = []
        for piece in re.split(rf"\s*{alt('and_word')}\s*", part):
            piece = piece.strip()
            piece = comparison(piece) or piece
            piece = negation(piece) or piece
            ands.append(piece)
        out.append(" and ".join(ands))
    return " or ".join(out).strip()


TRANSFORMS: dict[str, Transform] = {
    "condition": _condition,
    "names_list": _names_list,
    "module_path": _module_path,
    "spaced": _spaced,
    "trailing_comment": _trailing_comment,
    "decapitalise_module": _decapitalise_module,
}


# ---------------------------------------------------------------- engine
@dataclass(frozen=True, eq=False)  # compared and hashed by identity: rules hold dicts
class Rule:
    """One row: ``match`` (regex), ``emit`` (``str.format`` template over its named groups)."""

    match: str
    emit: str
    transform: Mapping[str, str]
    not_if: str | None = None
    example: tuple[str, str] | None = None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(expand(self.match))

    @cached_property
    def guard(self) -> re.Pattern[str] | None:
        return re.compile(expand(self.not_if)) if self.not_if else None

    @cached_property
    def transforms(self) -> tuple[tuple[str, Transform], ...]:
        return tuple((group, TRANSFORMS[name]) for group, name in self.transform.items())

    def render(self, m: re.Match[str]) -> str | None:
        """The template filled from ``m``; ``None`` when a transform rejects the match."""
        values = m.groupdict()
        for group, fn in self.transforms:
            if values.get(group) is not None:
                value = fn(values[group])
                if value is None:
                    return None
                values[group] = value
        return self.emit.format_map({k: "" if v is None else v for k, v in values.items()})


@dataclass(frozen=True, eq=False)  # identity semantics, like its rules
class Family:
    """An ordered group of rules applied to one line (see the header of the rules file)."""

    name: str
    doc: str
    rules: tuple[Rule, ...]
    mode: str = "line"  # "line": rule replaces the whole line; "sub": every occurrence
    apply: str = "first"  # "first": first rule with a result wins; "all": rules chained
    only_if: str | None = None
    not_if: str | None = None
    examples: tuple[tuple[str, str], ...] = ()

    @cached_property
    def _guards(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        return (re.compile(expand(self.only_if)) if self.only_if else None,
                re.compile(expand(self.not_if)) if self.not_if else None)

    def applies_to(self, line: str) -> bool:
        only_if, not_if = self._guards
        return (only_if is None or only_if.search(line) is not None) and \
            (not_if is None or not_if.search(line) is None)

    def apply_rule(self, rule: Rule, line: str) -> str | None:
        """The line as ``rule`` rewrites it, or ``None`` when the rule does not apply."""
        if rule.guard is not None and rule.guard.search(line):
            return None
        if self.mode == "sub":

            def one(m: re.Match[str]) -> str:
                out = rule.render(m)
                return m.group(0) if out is None else out

            new = rule.regex.sub(one, line)
            return new if new != line else None
        m = rule.regex.match(line)
        return rule.render(m) if m else None

    def first_rule(self, line: str) -> tuple[int, str] | None:
        """``(index, output)`` of the first rule that rewrites ``line``."""
        if not self.applies_to(line):
            return None
        for index, rule in enumerate(self.rules):
            new = self.apply_rule(rule, line)
            if new is not None:
                return index, new
        return None

    def __call__(self, line: str) -> str | None:
        if self.apply == "first":
            hit = self.first_rule(line)
            return hit[1] if hit else None
        if not self.applies_to(line):
            return None
        cur = line
        for rule in self.rules:
            new = self.apply_rule(rule, cur)
            cur = cur if new is None else new
        return cur if cur != line else None


def _family(spec: dict[str, Any], defaults: Mapping[str, str]) -> Family:
    family_transform = {**defaults, **spec.get("transform", {})}
    rules = tuple(
        Rule(match=r["match"], emit=r["emit"], transform={**family_transform, **r.get("transform", {})},
             not_if=r.get("not_if"), example=tuple(r["example"]) if "example" in r else None)
        for r in spec["rule"])
    if spec.get("mode", "line") not in ("line", "sub") or spec.get("apply", "first") not in ("first", "all"):
        raise ValueError(f"{RULES_FILE}: family {spec['name']!r}: mode is line|sub, apply is first|all")
    for rule in rules:
        unknown = set(rule.transform.values()) - set(TRANSFORMS)
        if unknown:
            raise ValueError(f"{RULES_FILE}: family {spec['name']!r}: unknown transform {sorted(unknown)}")
    return Family(name=spec["name"], doc=spec.get("doc", ""), rules=rules, mode=spec.get("mode", "line"),
                  apply=spec.get("apply", "first"), only_if=spec.get("only_if"), not_if=spec.get("not_if"),
                  examples=tuple(tuple(e) for e in spec.get("examples", ())))


def load_families(kind: str) -> list[Family]:
    """The ``[[rewrite]]`` or ``[[condition]]`` families of the rules file, in file order."""
    table = _table()
    return [_family(spec, table.get("transform", {})) for spec in table[kind]]


@lru_cache(maxsize=None)
def condition_family(name: str) -> Family:
    return next(f for f in load_families("condition") if f.name == name)


REWRITE_FAMILIES: list[Family] = load_families("rewrite")
PYTHON_LINE_REWRITES: list[tuple[str, LineRewrite]] = [(f.name, f) for f in REWRITE_FAMILIES]
