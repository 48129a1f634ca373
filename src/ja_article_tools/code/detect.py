"""Find code blocks in Japanese articles: fenced, fences broken by machine translation, or bare.

Four detectors run in order; each later one only sees lines the earlier ones left:

1. ``fence``: CommonMark ```` ``` ```` / ``~~~`` fences (closing fence of the same character and
   at least the same length; unclosed runs to the end). A fence whose tag was translated
   (```` ```タイプスクリプト ````) may be closed by ``「」``, which MT often leaves as the closer.
2. ``mt-fence``: fences MT turned into ``「」`` (``「」パイソン`` … ``「」``), glued to a heading
   (``## セッション「」パイソン``, ``# #安装```bash``) or written with full-width backticks.
   An opener needs a closer; an unclosed one is left to the heuristic.
3. ``indent``: Markdown indented code (4+ columns after a blank line, not in a list) — only when
   the text is Markdown.
4. ``heuristic``: every remaining line gets a code score from :func:`code_line_logit`; a two-state
   Viterbi pass smooths the scores along the text, so a comment or a bare ``）`` between code
   lines becomes code and one odd line inside prose does not. Runs of code lines (blank lines
   allowed inside) become blocks.

Everything is linear in the text; the line scorer looks at most at the first
:data:`SCORE_PREFIX` code points of a line, so a 10 MB single line costs one slice.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex
from re import _constants as _sre

from ..models import LINE_END, CodeBlock, LineIndex
from . import pattern_tree
from .language import command_names, guess_language, language_from_tag

__all__ = [
    "find_code_blocks",
    "is_code_line",
    "code_line_logit",
    "line_features",
    "looks_like_markdown",
    "SCORE_PREFIX",
]

_DATA = Path(__file__).with_name("data")
SCORE_PREFIX = 2000

# Viterbi parameters (log-probabilities). Staying in a state is likely; switching right at a
# line is less likely than switching across a blank line, where blocks usually begin and end.
_LOG_STAY = math.log(0.85)
_LOG_SWITCH = math.log(0.15)
_LOG_STAY_BLANK = math.log(0.65)
_LOG_SWITCH_BLANK = math.log(0.35)
_LOG_START_CODE = math.log(0.2)
_LOG_START_PROSE = math.log(0.8)
_BIAS = -1.0


@dataclass(frozen=True, slots=True)
class _Prefilter:
    """What every line a rule's pattern can match has: a first/last character in a class (only
    for patterns anchored at that end; ``None`` = any), and at least one character of each
    ``needs`` set. Derived from the pattern by :func:`_derive_prefilter`, never written by hand."""

    first: regex.Pattern[str] | None = None
    last: regex.Pattern[str] | None = None
    needs: tuple[frozenset[str], ...] = ()
    anchored: bool = False  # every match starts at 0: ``match`` finds what ``search`` finds

    def allows(self, s: str) -> bool:
        """False only if the pattern cannot match the stripped, non-empty line ``s`` (the
        reference for :class:`_RuleIndex`, which checks the same with memoised bit masks)."""
        return (
            (self.first is None or bool(self.first.fullmatch(s[0])))
            and (self.last is None or bool(self.last.fullmatch(s[-1])))
            and all(not need.isdisjoint(s) for need in self.needs)
        )


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: regex.Pattern[str]
    weight: float
    prefilter: _Prefilter = _Prefilter()


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[_Rule, ...], tuple[_Rule, ...]]:
    raw = json.loads((_DATA / "detect_line_patterns.json").read_text(encoding="utf-8"))

    def build(items: list[dict]) -> tuple[_Rule, ...]:
        return tuple(
            _Rule(r["name"], regex.compile(r["pattern"]), float(r["weight"]), _derive_prefilter(r["pattern"]))
            for r in items
        )

    return build(raw["code"]), build(raw["prose"])


# ---------------------------------------------------------------- rule prefilter
#
# Calling all 67 line rules on every line cost ~0.3 µs each, mostly call overhead, although a
# line can only match a few: ``^(?:from|import)…`` needs a line starting with f or i, ``=>``
# needs "=" and ">", ``…;$`` a line ending in ";". These conditions are read off each pattern's
# syntax tree (stdlib ``re`` parser; ``\p{…}`` is swapped for a placeholder first) and erring
# only towards "may match": a pattern the analysis does not understand gets no prefilter. A
# skipped rule is one that could not have matched, so the features are exactly the same.

_MAX_NEEDS = 2  # the two most selective; more rarely skip another rule
_CATEGORY_CLASS = {
    _sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s", _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_UNSUPPORTED_FLAGS = _sre.SRE_FLAG_IGNORECASE | _sre.SRE_FLAG_MULTILINE | _sre.SRE_FLAG_DOTALL | _sre.SRE_FLAG_VERBOSE

# Items are (opcode, argument) pairs of the stdlib parser; a character set is a set of regex
# fragments that each match one character, or None for "any character".
_Items = list
_CharSet = set[str] | None


def _derive_prefilter(pattern: str) -> _Prefilter:
    """The :class:`_Prefilter` of one rule pattern; an empty one when in doubt.

    ``^(?:クラス|class)\\s`` -> first character in {ク, c}; ``として\\s*+[:：]$`` -> needs
    と, し, て and the last character in {:, ：}.
    """
    parsed = pattern_tree.parse(pattern)
    if parsed is None:  # no prefilter, never a wrong one
        return _Prefilter()
    tree, properties = parsed
    if tree.state.flags & _UNSUPPORTED_FLAGS:
        return _Prefilter()
    items = list(tree)
    first = last = None
    anchored = _anchored(items, _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING, 0)
    if not _nullable(items):
        if anchored:
            first = _class_pattern(_seq_ends(items, properties, reverse=False))
        if _anchored(items, _sre.AT_END, _sre.AT_END_STRING, -1):
            last = _class_pattern(_seq_ends(items, properties, reverse=True))
    needs = sorted(set(_seq_needs(items)), key=lambda n: (_need_cost(n), sorted(n)))[:_MAX_NEEDS]
    return _Prefilter(first, last, tuple(needs), anchored)


def _need_cost(need: frozenset[str]) -> int:
    """How often a line probably has one of ``need``: letters, digits and kana are everywhere,
    symbols and kanji are rarer. Only picks which needs to keep, never what is correct."""
    return sum(10 if ch.isascii() and ch.isalnum() or "\u3041" <= ch <= "\u30ff" else 1 for ch in need)


def _class_pattern(chars: _CharSet) -> regex.Pattern[str] | None:
    if chars is None:
        return None
    return regex.compile("(?:" + "|".join(sorted(chars)) + ")" if chars else "(?!)")


def _anchored(items: _Items, at: object, at_string: object, pos: int) -> bool:
    """Whether every match of ``items`` starts (pos 0) or ends (pos -1) at an anchor ``^``/``$``."""
    if not items:
        return False
    op, av = items[pos]
    if op is _sre.AT:
        return av is at or av is at_string
    if op is _sre.SUBPATTERN:
        return _anchored(list(av[3]), at, at_string, pos)
    if op is _sre.ATOMIC_GROUP:
        return _anchored(list(av), at, at_string, pos)
    if op is _sre.BRANCH:
        return all(_anchored(list(b), at, at_string, pos) for b in av[1])
    return False


def _nullable(items: _Items) -> bool:
    return all(_item_nullable(op, av) for op, av in items)


def _item_nullable(op: object, av: object) -> bool:
    if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY):
        return False
    if op in _REPEATS:
        return av[0] == 0 or _nullable(list(av[2]))  # type: ignore[index]
    if op is _sre.SUBPATTERN:
        return _nullable(list(av[3]))  # type: ignore[index]
    if op is _sre.ATOMIC_GROUP:
        return _nullable(list(av))  # type: ignore[arg-type]
    if op is _sre.BRANCH:
        return any(_nullable(list(b)) for b in av[1])  # type: ignore[index]
    return True  # anchors, lookarounds, and anything unknown may match the empty string


def _seq_ends(items: _Items, properties: dict[str, str], *, reverse: bool) -> _CharSet:
    """Characters a non-empty match of ``items`` may start (or, ``reverse``, end) with."""
    out: set[str] = set()
    for op, av in (reversed(items) if reverse else items):
        chars = _item_ends(op, av, properties, reverse=reverse)
        if chars is None:
            return None
        out |= chars
        if not _item_nullable(op, av):
            break
    return out


def _item_ends(op: object, av: object, properties: dict[str, str], *, reverse: bool) -> _CharSet:
    if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN):
        atom = _one_char_class(op, av, properties)
        return None if atom is None else {atom}
    if op in _REPEATS:
        return _seq_ends(list(av[2]), properties, reverse=reverse)  # type: ignore[index]
    if op is _sre.SUBPATTERN:
        return _seq_ends(list(av[3]), properties, reverse=reverse)  # type: ignore[index]
    if op is _sre.ATOMIC_GROUP:
        return _seq_ends(list(av), properties, reverse=reverse)  # type: ignore[arg-type]
    if op is _sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:  # type: ignore[index]
            chars = _seq_ends(list(branch), properties, reverse=reverse)
            if chars is None:
                return None
            out |= chars
        return out
    if op in _ZERO_WIDTH:
        return set()
    return None  # ANY, back-references, conditionals: any character


def _char_text(code: int, properties: dict[str, str]) -> str:
    ch = chr(code)
    return properties.get(ch) or "\\U%08x" % code


def _one_char_class(op: object, av: object, properties: dict[str, str]) -> str | None:
    """A regex (for the ``regex`` module, like the rules) matching exactly what one character
    item matches, or ``None`` if the item is not understood."""
    if op is _sre.LITERAL:
        return _char_text(av, properties)  # type: ignore[arg-type]
    if op is _sre.NOT_LITERAL:
        return "[^" + _char_text(av, properties) + "]"  # type: ignore[arg-type]
    parts: list[str] = []
    negate = False
    for sub_op, sub_av in av:  # type: ignore[attr-defined]
        if sub_op is _sre.NEGATE:
            negate = True
        elif sub_op is _sre.LITERAL:
            parts.append(_char_text(sub_av, properties))
        elif sub_op is _sre.RANGE and chr(sub_av[0]) not in properties and chr(sub_av[1]) not in properties:
            parts.append("\\U%08x-\\U%08x" % sub_av)
        elif sub_op is _sre.CATEGORY and sub_av in _CATEGORY_CLASS:
            parts.append(_CATEGORY_CLASS[sub_av])
        else:
            return None
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


def _seq_needs(items: _Items) -> list[frozenset[str]]:
    """Sets of characters of which every match of ``items`` contains at least one each."""
    out: list[frozenset[str]] = []
    for op, av in items:
        out.extend(_item_needs(op, av))
    return out


def _item_needs(op: object, av: object) -> list[frozenset[str]]:
    if op is _sre.LITERAL:
        ch = chr(av)  # type: ignore[arg-type]
        return [] if pattern_tree.is_placeholder(av) else [frozenset(ch)]  # type: ignore[operator]
    if op is _sre.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:  # type: ignore[attr-defined]
            if sub_op is _sre.LITERAL and not pattern_tree.is_placeholder(sub_av):
                chars.add(chr(sub_av))
            elif sub_op is _sre.RANGE and sub_av[1] - sub_av[0] < 64 and not pattern_tree.range_has_placeholder(*sub_av):
                chars.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
            else:
                return []  # negated sets, categories, \p{…}: too large to be a useful trigger
        return [frozenset(chars)] if chars else []
    if op in _REPEATS:
        return _seq_needs(list(av[2])) if av[0] >= 1 else []  # type: ignore[index]
    if op is _sre.SUBPATTERN:
        return _seq_needs(list(av[3]))  # type: ignore[index]
    if op is _sre.ATOMIC_GROUP:
        return _seq_needs(list(av))  # type: ignore[arg-type]
    if op is _sre.BRANCH:
        # one character from any branch's smallest need: "==|&&" needs "=" or "&"
        per_branch = [_seq_needs(list(b)) for b in av[1]]  # type: ignore[index]
        if not all(per_branch):
            return []
        # every branch must need a subset of the union; reuse what earlier branches brought in,
        # so "==|!=|<=" needs just "="
        union: set[str] = set()
        for needs in per_branch:
            if not any(n <= union for n in needs):
                union.update(min(needs, key=lambda n: (_need_cost(n - union), sorted(n))))
        return [frozenset(union)]
    return []  # lookarounds (their text is not consumed), anchors, unknown items


# (name, weight, find, keep_span): what the line scorer needs of a rule, without attribute
# lookups in the loop; ``find`` is the pattern's bound ``match`` (anchored) or ``search``.
_RuleCall = tuple[str, float, Callable[[str], "regex.Match[str] | None"], bool]


# ---------------------------------------------------------------- stdlib twins of rules
#
# The stdlib ``re`` engine calls cost about half of the ``regex`` module's. A rule pattern made
# only of literals, explicit sets, anchors, groups, lookarounds and quantifiers matches exactly
# the same in both; of the class escapes only ``\s`` needs care (``re`` also counts \x1c-\x1f
# as space) and is spelt out as the regex module's own set. Anything else (``\w``, ``\d``,
# ``\b``, ``\p{…}``, whose Unicode tables differ between the engines) keeps the regex module.

_REGEX_SPACES = "".join(
    "\\u%04x" % c for c in range(0x3001) if chr(c).isspace() and regex.match(r"\s", chr(c)))
_STDLIB_GROUPS = ("(?:", "(?=", "(?!", "(?<=", "(?<!", "(?>")


def _stdlib_twin(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` for the stdlib engine when it provably matches the same, else None.

    ``[。．](?:[」』）)])?+$`` qualifies as is; ``\\s++`` becomes an explicit set;
    ``\\w++\\s?+=`` does not qualify (``\\w`` differs on 30k code points)."""
    out: list[str] = []
    i, n, set_start = 0, len(pattern), -1  # set_start: index after "[" or "[^" while in a set
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1:i + 2]
            if nxt == "s" and set_start >= 0 and "-" in (pattern[i + 2:i + 3], pattern[i - 1:i]):
                return None  # "[\s-x]": spelt out, \s would turn the "-" into a range
            if nxt == "s":
                out.append(_REGEX_SPACES if set_start >= 0 else "[" + _REGEX_SPACES + "]")
            elif nxt == "S" and set_start < 0:
                out.append("[^" + _REGEX_SPACES + "]")
            elif nxt == "x" and regex.fullmatch(r"[0-9a-fA-F]{2}", pattern[i + 2:i + 4]):
                out.append(pattern[i:i + 4])
                i += 4
                continue
            elif nxt in ("n", "t", "r", "f"):
                out.append(pattern[i:i + 2])  # control characters: the same in both engines
            elif not nxt or nxt.isalnum() or nxt == "S":
                return None  # \w \d \b \p \1 …: not the same (or unknown) in the two engines
            else:
                out.append(pattern[i:i + 2])  # an escaped punctuation character
            i += 2
            continue
        if set_start >= 0:
            if ch == "[" or (ch in "-&|~" and pattern[i + 1:i + 2] == ch):
                return None  # nested sets, POSIX classes, set operations: engines differ
            if ch == "]" and i > set_start:
                set_start = -1
        elif ch == "[":
            set_start = i + 1 + (pattern[i + 1:i + 2] == "^")
        elif ch == "(" and pattern[i + 1:i + 2] == "?" and not pattern.startswith(_STDLIB_GROUPS, i):
            return None  # inline flags, named groups, conditionals
        out.append(ch)
        i += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a FutureWarning means the stdlib reads it otherwise
            return re.compile("".join(out))
    except (re.error, FutureWarning, DeprecationWarning):
        return None


class _RuleIndex:
    """The rules (code, prose) that may match a line, from its first and last character and
    the trigger characters it contains. Everything is a bit mask over the rules (bit i = rule
    i), memoised per first character, last character, set of trigger characters present and
    resulting mask, so a typical line costs one set intersection and four dict hits."""

    _MAX_MEMO = 50_000  # distinct keys; cleared beyond that (pathological inputs)

    def __init__(self, code: tuple[_Rule, ...], prose: tuple[_Rule, ...]) -> None:
        self.n_code = len(code)
        self.calls: tuple[_RuleCall, ...] = tuple(
            (r.name, r.weight, _finder(r), r.name.startswith("mt_")) for r in code + prose)
        rules = code + prose
        everything = (1 << len(rules)) - 1
        # One match of all first (last) classes at once, as optional lookaheads: group i+1 is
        # set when rule i's class accepts the character.
        self._first_probe = regex.compile("".join(
            f"(?:(?=({r.prefilter.first.pattern})))?" if r.prefilter.first else "()" for r in rules))
        self._last_probe = regex.compile("".join(
            f"(?:(?=({r.prefilter.last.pattern})))?" if r.prefilter.last else "()" for r in rules))
        # Up to two needs per rule: "some present character is in need 1 (2) of rule i". Needs
        # with ASCII letters, digits or hiragana are left out: nearly every line has those, and
        # every distinct set of trigger characters is one more memo entry.
        self._no_need = [everything, everything]
        self._need_masks: dict[str, list[int]] = {}
        for i, r in enumerate(rules):
            usable = [n for n in r.prefilter.needs if not any(_is_common_char(ch) for ch in n)]
            for k, need in enumerate(usable[:2]):
                self._no_need[k] &= ~(1 << i)
                for ch in need:
                    self._need_masks.setdefault(ch, [0, 0])[k] |= 1 << i
        self.triggers = frozenset(self._need_masks)
        self._by_first: dict[str, int] = {}
        self._by_last: dict[str, int] = {}
        self._by_present: dict[frozenset[str], int] = {}
        self._by_mask: dict[int, tuple[tuple[_RuleCall, ...], tuple[_RuleCall, ...]]] = {}

    def candidates(self, s: str) -> tuple[tuple[_RuleCall, ...], tuple[_RuleCall, ...]]:
        """Code and prose rules, in their order, that may match the non-empty stripped ``s``.

        ``$`` also matches before a final newline, which a stripped line never has, so the last
        character of ``s`` is the one before ``$``."""
        first = self._by_first.get(s[0])
        if first is None:
            first = self._memo(self._by_first, s[0], self._probe(self._first_probe, s[0]))
        last = self._by_last.get(s[-1])
        if last is None:
            last = self._memo(self._by_last, s[-1], self._probe(self._last_probe, s[-1]))
        present = self.triggers.intersection(s)
        has = self._by_present.get(present)
        if has is None:
            need1, need2 = self._no_need
            for ch in present:
                m1, m2 = self._need_masks[ch]
                need1 |= m1
                need2 |= m2
            has = self._memo(self._by_present, present, need1 & need2)
        mask = first & last & has
        found = self._by_mask.get(mask)
        if found is None:
            n = self.n_code
            code = tuple(c for i, c in enumerate(self.calls[:n]) if mask >> i & 1)
            prose = tuple(c for i, c in enumerate(self.calls[n:]) if mask >> (n + i) & 1)
            found = self._memo(self._by_mask, mask, (code, prose))
        return found

    @staticmethod
    def _probe(probe: regex.Pattern[str], ch: str) -> int:
        groups = probe.match(ch).groups()  # type: ignore[union-attr]  # all optional: always matches
        return sum(1 << i for i, g in enumerate(groups) if g is not None)

    def _memo(self, memo: dict, key, value):  # type: ignore[no-untyped-def]
        if len(memo) >= self._MAX_MEMO:
            memo.clear()
        memo[key] = value
        return value


def _finder(rule: _Rule) -> Callable[[str], "re.Match[str] | regex.Match[str] | None"]:
    """The cheapest call that finds what ``rule.pattern.search`` finds (same span)."""
    pattern = _stdlib_twin(rule.pattern.pattern) or rule.pattern
    return pattern.match if rule.prefilter.anchored else pattern.search  # type: ignore[return-value]


def _is_common_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum() or "\u3041" <= ch <= "\u309f"


@lru_cache(maxsize=1)
def _rule_index() -> _RuleIndex:
    return _RuleIndex(*_rules())


@lru_cache(maxsize=1)
def _command_initials() -> frozenset[str]:
    return frozenset(name[0] for name in command_names())


_HIRAGANA = regex.compile(r"\p{Hiragana}")
_CJK = regex.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}ー]")
_CODE_PUNCT = regex.compile(r"[=(){}\[\];<>$|&\\_（）【】]")


class _CharClasses(dict):  # type: ignore[type-arg]
    """``str.translate`` table: hiragana -> "h", other kanji/katakana/ー -> "c", code punctuation
    -> "p", anything else deleted, decided by the three regexes above on first sight of a code
    point. One ``translate`` and a few ``count`` calls replace three ``findall`` per line."""

    def __missing__(self, code_point: int) -> str | None:
        ch = chr(code_point)
        cls = "h" if _HIRAGANA.match(ch) else "c" if _CJK.match(ch) else "p" if _CODE_PUNCT.match(ch) else None
        if len(self) < 200_000:
            self[code_point] = cls
        return cls


_CHAR_CLASSES = _CharClasses()
_ASCII_WORD = regex.compile(r"(?<![\w./-])[A-Za-z]{2,}+(?![\w./(-])")
_LEAD_PROMPT = regex.compile(r"^(?:[$%#]\s+|sudo\s+)*+")
_FIRST_WORD = regex.compile(r"^[\w.+-]++")
_QUOTED = regex.compile(r"\"[^\"\n]{0,200}+\"|'[^'\n]{0,200}+'")
_PROGRAM_NAME = regex.compile(r"^[a-z][\w.+-]{0,40}+$")
_ARG_TOKEN = regex.compile(r"^(?:--?[A-Za-z0-9][\w-]*+(?:=\S*+)?+|\S*+/\S*+|\w++=\S++|\S*+[*$]\S*+)$")
_ENGLISH_CLAUSE = regex.compile(r"(?:^|\s)[a-z]++(?:\s++[a-z]++)++[.,]$")
_QUOTE_MARKERS = regex.compile(r"^(?:>\s?+)++")
_COMMENT_LINE = regex.compile(r"^(?:#(?![#!])|//(?!/))")
_TRAILING_COMMENT = regex.compile(r"(?<=\S)\s++(?:#|//)\s")
_PROMPT_INITIALS = frozenset("$%#s")  # what a non-empty _LEAD_PROMPT match starts with


def _shell_command_weight(s: str) -> tuple[str, float] | None:
    """A line that starts with a known command (after ``$ ``/``# ``/``sudo``) and goes on with
    arguments, not a Japanese sentence: ``git クローン https://…`` yes, ``pip コマンドを使います`` no."""
    m = _LEAD_PROMPT.match(s) if s[:1] in _PROMPT_INITIALS else None
    rest = s[m.end():] if m else s
    if rest[:1] not in _command_initials():
        return None  # most lines: no command starts with this character, skip the regex
    w = _FIRST_WORD.match(rest)
    if not w or w.group() not in command_names():
        return None
    after = rest[w.end():]
    if after and not after[0].isspace():
        return None  # "ls(1)", "git/", "pip、" are words in a sentence
    args = after.strip()
    if not args:
        return ("shell_command_bare", 1.0)
    hira = len(_HIRAGANA.findall(args))
    share = hira / max(1, len(args.replace(" ", "")))
    if args.endswith("。") or share > 0.25:
        return None
    if share > 0.12:
        return ("shell_command_japanese_args", 1.0)
    if _CJK.search(args):
        # "git クローン https://…" keeps some ASCII; "aptitude ユーザマニュアル" is a title
        if regex.search(r"[A-Za-z0-9\-/.]", args):
            return ("shell_command_translated_args", 3.0)
        return ("shell_command_japanese_args", 1.0)
    if _ENGLISH_CLAUSE.search(args) or (regex.search(r"[A-Za-z][.,]$", args) and not regex.search(r"[-/=$*]", args)):
        return None  # "which it is not overridden." is English prose
    return ("shell_command", 3.5)


def line_features(line: str, *, markdown: bool = False) -> list[tuple[str, float]]:
    """The named features that fire on one line, with their log-odds weights (positive = code).

    ``line_features("ジムをインポート")`` -> ``[("mt_import_suffix", 3.5), ...]``.
    """
    s = line[:SCORE_PREFIX].strip()
    if s.startswith(">"):
        # Code pasted into a Markdown blockquote gets translated like prose ("> パンダを pd として
        # インポート"): score what is quoted.
        s = _QUOTE_MARKERS.sub("", s)
    if not s:
        return []
    if s[0] in ("#", "/") and _COMMENT_LINE.match(s):
        # A comment is translated prose inside code: only its neighbours can tell, unless it
        # is a root prompt ("# apt-get install foo").
        shell = _shell_command_weight(s)
        return [shell, ("root_prompt", 0.5)] if shell else [("comment_line", 0.3 - _BIAS)]
    out: list[tuple[str, float]] = []
    trailing = _TRAILING_COMMENT.search(s) if "#" in s or "//" in s else None
    if trailing and trailing.start() > 0:
        # "$ fn2 whoami # プラン + クォータを確認します": judge the code, not its comment
        s = s[:trailing.start()]
        out.append(("trailing_comment", 0.3))
    keyword_spans: list[tuple[int, int]] = []
    code_rules, prose_rules = _rule_index().candidates(s)  # the others cannot match s
    for name, weight, find, keep_span in code_rules:
        m = find(s)
        if m:
            out.append((name, weight))
            if keep_span:
                keyword_spans.append(m.span())
    for name, weight, find, _ in prose_rules:
        if name == "markdown_heading" and not markdown and not s.startswith(("##", "＃")):
            continue
        if find(s):
            out.append((name, weight))
    shell = _shell_command_weight(s)
    if shell:
        out.append(shell)
    classes = s.translate(_CHAR_CLASSES)
    n_chars = len(s) - s.count(" ") - s.count("\u3000")
    n = max(1, n_chars)
    # The kana of an MT'd keyword ("合計を返す", "…としてインポート") are not evidence of a
    # sentence: count only the hiragana outside the keyword matches.
    hira_all = classes.count("h")
    if keyword_spans:
        hira_count = sum(1 for m in _HIRAGANA.finditer(s) if not any(a <= m.start() < b for a, b in keyword_spans))
    else:
        hira_count = hira_all
    hira = hira_count / n
    if hira > 0.15:
        out.append(("hiragana_share", -min(2.5, 8.0 * (hira - 0.15) + 0.5)))
    punct_count = classes.count("p")
    punct = punct_count / n
    if punct >= 0.08 and punct_count >= 2:  # one ";" does not make "TL;DR" code
        out.append(("code_punctuation", 1.0 if punct < 0.2 else 1.5))
    cjk = (hira_all + classes.count("c")) / n
    if keyword_spans:
        pass  # an MT'd keyword makes an all-Japanese line plausible code: no phrase penalty
    elif cjk > 0.6 and punct < 0.05 and n_chars > 30:
        out.append(("japanese_sentence", -1.5))
    elif cjk > 0.85 and punct == 0:
        out.append(("japanese_phrase", -1.0))
    if cjk < 0.1:
        unquoted = _QUOTED.sub(" ", s) if '"' in s or "'" in s else s
        words = len(_ASCII_WORD.findall(unquoted))
        if words >= 6 and punct < 0.06:
            out.append(("english_sentence", -2.0))
        elif not shell and _ascii_command_like(unquoted):
            out.append(("ascii_command_like", 2.0))
    return out


def _ascii_command_like(s: str) -> bool:
    """An ASCII line shaped like ``cmd -x arg/path``: a lower-case program name, few tokens, at
    least one option, path, URL or ``k=v`` argument, and no run of plain English words.
    ``lsb_release -a`` and ``deb http://ftp.jp.debian.org/debian/ unstable main`` qualify;
    ``foo depends on bar (>= 3.0) and`` does not."""
    if not s.isascii() or s.endswith((".", ",", ":")):
        return False
    tokens = s.split()
    if not 2 <= len(tokens) <= 12 or not _PROGRAM_NAME.match(tokens[0]):
        return False
    if not any(_ARG_TOKEN.match(t) for t in tokens[1:]):
        return False
    plain = 0
    for t in tokens:
        plain = plain + 1 if t.isalpha() and t.islower() else 0
        if plain >= 4:
            return False
    return True


def code_line_logit(line: str, *, markdown: bool = False) -> float:
    """Log-odds that ``line`` is code, from the line alone (no context).

    Positive for ``env = gym .make ( "CartPole-v1" )`` or ``pip インストール arise-phoenix-otel``,
    negative for ``これは強化学習研究用のPythonツールキットです。``.
    """
    if not line.strip():
        return 0.0
    feats = line_features(line, markdown=markdown)
    return _BIAS + sum(w for _, w in feats)


def is_code_line(line: str, *, markdown: bool = False) -> float:
    """Probability (0–1) that one line, seen alone, is code. Used by lint to flag code in prose.

    ``is_code_line("範囲( 1000 )内の_の場合:")`` is high; ``is_code_line("`pip` コマンドを使います。")`` low.
    """
    if not line.strip():
        return 0.0
    return _sigmoid(code_line_logit(line, markdown=markdown))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# ---------------------------------------------------------------- lines


@dataclass(slots=True)
class _Line:
    start: int
    end: int  # end of content, line terminator excluded
    text: str
    blank: bool  # ``not text.strip()``, asked several times per line: computed once


def _make_line(start: int, end: int, text: str) -> _Line:
    return _Line(start, end, text, not text.strip())


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    if "\r" not in text:  # the usual case: str.split is much cheaper than a regex scan
        for part in text.split("\n"):
            end = pos + len(part)
            lines.append(_Line(pos, end, part, not part.strip()))
            pos = end + 1
        return lines
    for m in LINE_END.finditer(text):
        lines.append(_make_line(pos, m.start(), text[pos:m.start()]))
        pos = m.end()
    lines.append(_make_line(pos, len(text), text[pos:]))
    return lines


# ---------------------------------------------------------------- markdown auto-detection

_MD_FENCE = regex.compile(r"^ {0,3}(?:`{3,}|~{3,})")
_MD_HEADING = regex.compile(r"^ {0,3}#{1,6} \S")
_MD_LIST = regex.compile(r"^ {0,3}(?:[-*+]|\d{1,3}[.)]) \S")
# Inline code without "'" inside: groff/TeX-style `quotes' in plain text are not Markdown.
_MD_INLINE = regex.compile(r"\[[^\]\n]{1,200}+\]\([^)\s]{1,500}+\)|\*\*[^*\n]{1,200}+\*\*|(?<!`)`[^`'\n]{1,200}+`(?!`)")


_FRONT_MATTER = regex.compile(r"---[ \t]*\r?\n(?:[^\n]*\n){0,200}?---[ \t]*(?:\r?\n|$)")


def looks_like_markdown(text: str) -> bool:
    """Markdown if it has a code fence, or Markdown-only markers worth 3 points: ``## x``
    headings (1 each; a lone ``# x`` counts half), links ``[x](y)``, ``**bold**`` and inline
    code (1 each). List bullets count at most 1 in all: plain-text documents use them too.
    A leading YAML front-matter block (``---`` … ``---``) is Markdown too."""
    if _FRONT_MATTER.match(text):
        return True
    marks = 0.0
    bullets = 0.0
    for line in _split_lines(text[:200_000]):
        s = line.text[:SCORE_PREFIX]
        if _MD_FENCE.match(s):
            return True
        if _MD_HEADING.match(s):
            marks += 1.0 if s.lstrip().startswith("##") else 0.5
        elif _MD_LIST.match(s):
            bullets = min(1.0, bullets + 0.25)
        if _MD_INLINE.search(s):
            marks += 1.0
        if marks + bullets >= 3:
            return True
    return False


# ---------------------------------------------------------------- fences


@dataclass(slots=True)
class _Fence:
    first: int  # line indices, inclusive
    last: int
    start: int
    end: int
    content_start: int
    content_end: int
    tag: str
    detected_by: str
    closed: bool


# Any indentation, not CommonMark's 0-3: fences inside list items are indented further, and
# an indented-code block holding a fence line is rarer than a fenced block in a list.
_CM_OPEN = regex.compile(r"^([ \t]*+)(`{3,}+|~{3,}+)(.*)$")
# An MT fence marker: 「」 or full-width backticks, or ASCII backticks glued after text.
_MT_MARK = regex.compile(r"「\s?」|｀{3,}+|`{3,}+")
_TAG_OK = regex.compile(r"^[^\s「」`｀。、,，]{1,24}+(?:\s[^\s「」`｀。、]{1,24}+){0,2}+$")
_HEADINGISH = regex.compile(r"^\s*(?:[#＃][#＃\s]*+)?[^。]{0,80}+$")


def _mt_open(s: str) -> tuple[int, str] | None:
    """If line ``s`` opens an MT-damaged fence, return (marker offset in s, tag)."""
    if "」" not in s and "｀｀｀" not in s and "```" not in s:
        return None  # no marker (the common case): skip the regex
    m = None
    for m in _MT_MARK.finditer(s):
        pass
    if m is None:
        return None
    tag = s[m.end():].strip()
    pre = s[:m.start()]
    if tag and not _TAG_OK.match(tag):
        return None
    if m.group().startswith("`") and not pre.strip():
        return None  # a plain ``` fence: CommonMark handles it
    if pre.strip() and not _HEADINGISH.match(pre):
        return None
    if "「" in m.group() and pre.strip() and not pre.lstrip().startswith(("#", "＃")) and tag == "":
        return None  # "…という「」" in a sentence: not a fence
    return m.start(), tag


def _is_mt_close(s: str) -> int | None:
    """Length of the closing marker if line ``s`` starts with one (rest may be a glued heading)."""
    t = s.lstrip()
    if t[:1] not in ("「", "｀", "`"):
        return None
    m = _MT_MARK.match(t)
    if not m:
        return None
    return len(s) - len(t) + m.end()


def _scan_fences(lines: list[_Line], text: str) -> list[_Fence]:
    fences: list[_Fence] = []
    i, n = 0, len(lines)
    # next_closer[i]: first line >= i that starts with an MT closing marker; precomputed so that
    # many openers without a closer do not each scan to the end (quadratic).
    next_closer = [n] * (n + 1)
    # Fence markers are rare: 「」, ｀｀｀, ``` or ~~~ anywhere in the text is needed for any line
    # check below to succeed (those look at line heads, a part of the text).
    any_mark = "「" in text or "｀" in text or "`" in text
    any_cm = "```" in text or "~~~" in text
    if not any_mark and not any_cm:
        return fences
    if any_mark:
        for k in range(n - 1, -1, -1):
            closer = _is_mt_close(lines[k].text[:SCORE_PREFIX]) is not None
            next_closer[k] = k if closer else next_closer[k + 1]
    while i < n:
        line = lines[i]
        s = line.text[:SCORE_PREFIX]
        cm = _CM_OPEN.match(s) if any_cm and s.lstrip(" \t")[:3] in ("```", "~~~") else None
        if cm and not (cm.group(2)[0] == "`" and "`" in cm.group(3)):
            fence = _scan_cm_fence(lines, i, cm)
            fences.append(fence)
            i = fence.last + 1
            continue
        mt = _mt_open(s) if any_mark else None
        if mt is not None:
            fence = _scan_mt_fence(lines, i, line.start + mt[0], mt[1], next_closer[i + 1])
            if fence is not None:
                fences.append(fence)
                i = fence.last + 1
                if fence.end < lines[fence.last].end:
                    # the closer was glued to a heading that may open the next fence
                    rest = lines[fence.last]
                    lines[fence.last] = _make_line(fence.end, rest.end, rest.text[fence.end - rest.start:])
                    i = fence.last
                continue
        i += 1
    return fences


def _scan_cm_fence(lines: list[_Line], i: int, m: regex.Match[str]) -> _Fence:
    char, length = m.group(2)[0], len(m.group(2))
    tag = m.group(3).strip()
    translated_tag = bool(tag) and not tag.isascii()
    closer = regex.compile(r"^[ \t]*+" + regex.escape(char) + "{" + str(length) + r",}+\s*$")
    opener = lines[i]
    for j in range(i + 1, len(lines)):
        s = lines[j].text[:SCORE_PREFIX]
        if closer.match(s) or (translated_tag and s.strip() in ("「」", "「 」")):
            return _Fence(i, j, opener.start, lines[j].end, _next_start(lines, i), lines[j - 1].end if j > i + 1 else _next_start(lines, i),
                          tag, "fence", True)
    last = len(lines) - 1
    while last > i and lines[last].blank:
        last -= 1  # an unclosed fence runs to the end, but trailing blank lines are not code
    if last == i:
        return _Fence(i, i, opener.start, opener.end, opener.end, opener.end, tag, "fence", False)
    return _Fence(i, last, opener.start, lines[last].end, lines[i + 1].start, lines[last].end, tag, "fence", False)


def _next_start(lines: list[_Line], i: int) -> int:
    return lines[i + 1].start if i + 1 < len(lines) else lines[i].end


def _scan_mt_fence(lines: list[_Line], i: int, mark_start: int, tag: str, j: int) -> _Fence | None:
    """The MT fence opened at line ``i``, closed at line ``j`` (the next closer), if any."""
    if j < len(lines):
        s = lines[j].text[:SCORE_PREFIX]
        k = _is_mt_close(s)
        assert k is not None
        rest = s[k:].strip()
        if rest and _TAG_OK.match(rest) and language_from_tag(rest):
            return None  # "「」パイソン" again: an opener, so ours was never closed
        end = lines[j].start + k
        content_start = _next_start(lines, i)
        content_end = lines[j - 1].end if j > i + 1 else content_start
        return _Fence(i, j, mark_start, end, content_start, content_end, tag, "mt-fence", True)
    return None


# ---------------------------------------------------------------- indented code (Markdown)

_BOUNDARY_LINE = regex.compile(r"^ {0,3}(?:#{2,6}\s|#\s#|＃|\*\*[^*]++\*\*\s*+$|\*\*[^*:：]++[:：]\*\*)")
# A full Japanese sentence (not a comment) is also a natural edge of a block.
_SENTENCE_LINE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}][^\n]*?[。．]\s*+$")
_CONTINUATION = regex.compile(r"^\s*+(?:を|は|が|に|で|と|の|へ|も|や|から|まで|より)(?!\s*+[(（:：=])")
_LIST_ITEM = regex.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_CONTINUATION_FIRST = frozenset("をはがにでとのへもやかまよ")
_SENTENCE_STOP = ("。", "．")

_ANY_JAPANESE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


def _is_continuation(s: str) -> bool:
    """``_CONTINUATION.match(s)``; most lines fail on their first character, cheaply. Python's
    ``lstrip`` removes every ``\\s`` of the regex module (and \\x1c-\\x1f too)."""
    return s.lstrip()[:1] in _CONTINUATION_FIRST and bool(_CONTINUATION.match(s))


def _is_sentence_line(head: str) -> bool:
    """``_SENTENCE_LINE.search(head)`` for a line without "\\n", without its lazy scan from
    every Japanese character: the 。 must be the last character but trailing whitespace, and a
    Japanese character must come before it."""
    if not head:
        return False
    last = head[-1]
    if last in _SENTENCE_STOP:
        return _ANY_JAPANESE.search(head, 0, len(head) - 1) is not None
    if last.isspace():  # rare: trailing whitespace (str.isspace covers every regex \s)
        return bool(_SENTENCE_LINE.search(head))
    return False


def _indent_width(s: str) -> int:
    if s[:1] not in (" ", "\t"):
        return 0
    width = 0
    for ch in s:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _indented_code_lines(lines: Sequence[_Line], lo: int, hi: int) -> set[int]:
    """Indices in [lo, hi) of Markdown indented-code lines: 4+ columns, after a blank line (an
    indented line cannot interrupt a paragraph), and not the continuation of a list item."""
    out: set[int] = set()
    in_list = False
    prev_blank = True
    in_code = False
    for i in range(lo, hi):
        line = lines[i]
        s = line.text[:SCORE_PREFIX]
        if line.blank:
            prev_blank = True
            continue
        width = _indent_width(s)
        if width < 4:
            in_code = False
            in_list = bool(_LIST_ITEM.match(s)) or (in_list and not prev_blank)
        elif in_code or (prev_blank and not in_list):
            in_code = True
            out.add(i)
        prev_blank = False
    return out


# ---------------------------------------------------------------- heuristic (Viterbi)


def _viterbi(logits: list[float | None], blank_before: list[bool]) -> list[bool]:
    """Two-state (prose, code) best path over the non-blank lines; ``None`` marks a blank line."""
    idx = [i for i, v in enumerate(logits) if v is not None]
    if not idx:
        return [False] * len(logits)
    # back[k]: bit 0 = best predecessor of prose at step k+1, bit 1 = that of code (1 = code)
    back: list[int] = []
    # (log P(prose), log P(code)) of a line by its logit; logits repeat (sums of a few weights)
    emissions: dict[float, tuple[float, float]] = {}

    def emission(v: float) -> tuple[float, float]:
        p = _sigmoid(v)
        e = emissions[v] = (math.log(max(1e-9, 1 - p)), math.log(max(1e-9, p)))
        return e

    e_prose, e_code = emission(logits[idx[0]])  # type: ignore[arg-type]
    prose = _LOG_START_PROSE + e_prose
    code = _LOG_START_CODE + e_code
    known = emissions.get
    for i in idx[1:]:
        v = logits[i]
        e_prose, e_code = known(v) or emission(v)  # type: ignore[arg-type]
        if blank_before[i]:
            stay, switch = _LOG_STAY_BLANK, _LOG_SWITCH_BLANK
        else:
            stay, switch = _LOG_STAY, _LOG_SWITCH
        prose_to_prose, code_to_prose = prose + stay, code + switch
        prose_to_code, code_to_code = prose + switch, code + stay
        # ties go to the first (prose) argument, as max() and the ">=" back-pointers did
        if prose_to_prose >= code_to_prose:
            best_prose, bits = prose_to_prose, 0
        else:
            best_prose, bits = code_to_prose, 1
        if prose_to_code >= code_to_code:
            best_code = prose_to_code
        else:
            best_code, bits = code_to_code, bits | 2
        prose = best_prose + e_prose
        code = best_code + e_code
        back.append(bits)
    state = 1 if code > prose else 0
    states = [0] * len(idx)
    states[-1] = state
    for k in range(len(idx) - 1, 0, -1):
        state = back[k - 1] >> state & 1
        states[k - 1] = state
    out = [False] * len(logits)
    for k, i in enumerate(idx):
        out[i] = states[k] == 1
    return out


_INDENT_BOOST = 3.0
_UNCLOSED_OPENER = 3.0


# What a line contributes by itself, memoised by its head: (logit, boundary, indent width,
# starts with a particle). The logit already includes the unclosed-opener floor.
_LineFacts = tuple[float, bool, int, bool]


def _line_facts(head: str, markdown: bool) -> _LineFacts:
    # code_line_logit, less its blank check: a line whose head is all whitespace still gets _BIAS
    v = _BIAS + sum([w for _, w in line_features(head, markdown=markdown)])
    mt = _mt_open(head)
    if mt is not None and language_from_tag(mt[1]):
        v = max(v, _UNCLOSED_OPENER)  # "「」パイソン" whose closer MT dropped: code starts here
    return v, _is_boundary(head, markdown), _indent_width(head), _is_continuation(head)


def _context_logits(lines: Sequence[_Line], lo: int, hi: int, markdown: bool, forced: set[int],
                    memo: dict[str, _LineFacts]) -> tuple[list[float | None], list[bool]]:
    """Per-line logits with cues that need the neighbouring line (relative indentation), and
    which lines are boundaries (:func:`_is_boundary`). ``memo`` holds what depends on the line
    head alone for the whole call (documents repeat lines; hashing a 10 MB line is not free)."""
    facts: list[_LineFacts | None] = []
    for i in range(lo, hi):
        line = lines[i]
        if line.blank:
            facts.append(None)
            continue
        head = line.text[:SCORE_PREFIX]
        known = memo.get(head)
        if known is None:
            known = memo[head] = _line_facts(head, markdown)
        facts.append(known)
    logits: list[float | None] = []
    boundaries: list[bool] = []
    prev_indent: int | None = None
    prev_logit = 0.0
    last = len(facts) - 1
    for k, known in enumerate(facts):
        if known is None:
            logits.append(None)
            boundaries.append(False)
            continue
        v, boundary, indent, _ = known
        boundaries.append(boundary)
        if lo + k in forced:
            # Markdown indented code; still scored, because pages misread as Markdown (and
            # MT output) indent prose too: an indented Japanese sentence stays prose.
            v += _INDENT_BOOST
        else:
            if prev_indent is not None and indent > prev_indent and prev_logit > 0:
                v += 1.0  # deeper than a code-like line above: a block body or continuation
            nxt = facts[k + 1] if k < last else None
            if nxt is not None and nxt[3]:  # a blank line never starts with a particle
                v -= 2.0  # the next line goes on with a particle ("を実行します。"): mid-sentence
        prev_indent = indent
        prev_logit = v
        logits.append(v)
    return logits, boundaries


def _is_boundary(head: str, markdown: bool) -> bool:
    """A heading, a bold label line or a full Japanese sentence: where code blocks usually start
    and end (fences removed by MT leave code glued to headings)."""
    lead = head.lstrip(" ")[:1]
    return (
        (lead in ("#", "＃", "*") and bool(_BOUNDARY_LINE.match(head)))
        or (markdown and lead == "#" and bool(_MD_HEADING.match(head)))
        or (_is_sentence_line(head) and not _COMMENT_LINE.match(head.lstrip()))
    )


def _heuristic_runs(lines: Sequence[_Line], lo: int, hi: int, markdown: bool,
                    memo: dict[str, _LineFacts]) -> Iterator[tuple[int, int, str, float]]:
    """(first, last, detected_by, confidence) for code runs in lines [lo, hi)."""
    forced = _indented_code_lines(lines, lo, hi) if markdown else set()
    logits, boundaries = _context_logits(lines, lo, hi, markdown, forced, memo)
    # Blank lines and Markdown headings are where blocks usually start and end, so switching
    # between prose and code there is cheaper (fences removed by MT leave code glued to headings).
    blank_before = []
    prev_boundary = False
    for v, heading in zip(logits, boundaries):
        blank_before.append(prev_boundary or heading)
        prev_boundary = v is None or heading
    states = _viterbi(logits, blank_before)
    k, n = 0, len(states)
    while k < n:
        if not states[k]:
            k += 1
            continue
        j = k
        last = k
        while j < n and (states[j] or logits[j] is None):
            if states[j]:
                last = j
            j += 1
        members = [m for m in range(k, last + 1) if logits[m] is not None]
        probs = [_sigmoid(logits[m]) for m in members]  # type: ignore[arg-type]
        by = "indent" if all(lo + m in forced for m in members) else "heuristic"
        yield lo + k, lo + last, by, sum(probs) / len(probs)
        k = last + 1


def _front_matter_end(lines: Sequence[_Line]) -> int:
    """Index of the first line after a leading YAML/TOML front matter (``---`` … ``---``), or 0."""
    if not lines:
        return 0
    first = lines[0].text.lstrip("\ufeff").rstrip()
    if first not in ("---", "+++"):
        return 0
    for j in range(1, min(len(lines), 200)):
        if lines[j].text.rstrip() in (first, "..."):
            return j + 1
    return 0


# ---------------------------------------------------------------- public entry point


def find_code_blocks(text: str, *, markdown: bool | None = None) -> list[CodeBlock]:
    """All code blocks in ``text``, sorted by start and non-overlapping.

    ``markdown=None`` decides with :func:`looks_like_markdown`. For example the bare lines
    ``ジムをインポート`` / ``env = gym .make ( "CartPole-v1" )`` inside Japanese prose come back
    as one ``heuristic`` block with language ``python``; ``「」パイソン`` … ``「」`` as an
    ``mt-fence`` block.
    """
    if not text:
        return []
    if markdown is None:
        markdown = looks_like_markdown(text)
    lines = _split_lines(text)
    fences = _scan_fences(lines, text)
    index = LineIndex(text)
    blocks: list[CodeBlock] = []
    for f in fences:
        content = text[f.content_start:f.content_end]
        conf = 1.0 if f.detected_by == "fence" and f.closed else (0.9 if f.closed else 0.7)
        blocks.append(CodeBlock(
            start=f.start, end=f.end, line=index.line(f.start),
            language=guess_language(content, f.tag or None),
            detected_by=f.detected_by, confidence=conf, text=text[f.start:f.end],
            content_start=f.content_start, content_end=f.content_end,
        ))
    # Heuristic passes over the gaps between fences (front matter is metadata, not code).
    lo = _front_matter_end(lines)
    gaps: list[tuple[int, int]] = []
    for f in fences:
        if f.first > lo:
            gaps.append((lo, f.first))
        lo = max(lo, f.last + 1)
    if lo < len(lines):
        gaps.append((lo, len(lines)))
    logit_memo: dict[str, _LineFacts] = {}
    # Blocks so far, by start: they never overlap, so their ends are sorted too and the blocks
    # overlapping a new run are a contiguous slice (a scan of all blocks per run was quadratic).
    starts = sorted(b.start for b in blocks)
    ends = sorted(b.end for b in blocks)
    for g_lo, g_hi in gaps:
        for first, last, by, conf in _heuristic_runs(lines, g_lo, g_hi, markdown, logit_memo):
            start, end = lines[first].start, lines[last].end
            below = bisect.bisect_left(starts, end)  # blocks [0, below) start before this run ends
            if below and ends[below - 1] > start:
                # the line after a glued closer belongs partly to a fence; keep the fence
                start = max(start, ends[below - 1])
                if start >= end:
                    continue
            code = text[start:end]
            content_start, hint = start, None
            opener = _mt_open(lines[first].text[:SCORE_PREFIX]) if start == lines[first].start else None
            if opener is not None and language_from_tag(opener[1]) and first < last:
                # an MT fence whose closer was lost: the tag still names the language
                by, hint = "mt-fence", opener[1]
                start = lines[first].start + opener[0]
                content_start = lines[first + 1].start
                code = text[start:end]
            blocks.append(CodeBlock(
                start=start, end=end, line=index.line(start),
                language=guess_language(text[content_start:end], hint),
                detected_by=by, confidence=round(conf, 3), text=code,
                content_start=content_start, content_end=end,
            ))
            at = bisect.bisect_left(starts, start)
            starts.insert(at, start)
            ends.insert(at, end)
    blocks.sort(key=lambda b: b.start)
    return blocks
