"""Shared helpers for code repair: masking of strings/comments, script classes, punctuation.

Every repair pass works on *masked* lines: string literals and comments are replaced by
placeholders made of private-use characters, so Japanese inside them never looks like a
translated keyword or identifier, and the passes cannot damage them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

from ...datafiles import tsv_rows

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# A Japanese (or Chinese) word character: kanji, kana, the long-vowel mark, iteration marks.
JA_CHAR = r"\p{Han}\p{Hiragana}\p{Katakana}ー々〆ヶ"
JA_RE = regex.compile(f"[{JA_CHAR}]")
# An identifier as MT leaves it: ASCII word characters mixed with Japanese ones.
IDENT_RE = regex.compile(rf"[A-Za-z_0-9{JA_CHAR}]+")
HIRAGANA_RE = regex.compile(r"\p{Hiragana}")

STR_OPEN, STR_CLOSE = "\ue000", "\ue001"
COM_OPEN, COM_CLOSE = "\ue002", "\ue003"
PLACEHOLDER_RE = re.compile("[\ue000\ue002](\\d+)[\ue001\ue003]")
STR_PLACEHOLDER_RE = re.compile("\ue000(\\d+)\ue001")


def has_japanese(text: str) -> bool:
    return JA_RE.search(text) is not None


def code_only(line: str) -> str:
    """A masked line with its string and comment placeholders blanked: the part a pass may
    read as code."""
    return PLACEHOLDER_RE.sub(" ", line)


LinePass = Callable[[list[str]], list[str]]


def run_line_passes(masked: Masked, passes: Sequence[tuple[str, LinePass]]
                    ) -> tuple[str, float, dict[int, list[str]], tuple[int, ...]]:
    """Run whole-block passes over the masked lines of ``masked`` (JavaScript and the other
    brace languages): the unmasked result, a confidence, the pass names that changed each
    line (0-based), and the 1-based lines still holding Japanese outside strings/comments.
    Where a keyword or identifier pass changed a line, MT reached the code, and key-like
    string literals are translated back too (:mod:`.strings`)."""
    from .strings import restore_key_strings  # here: strings.py imports this module

    lines = masked.text.split("\n")
    reasons: dict[int, list[str]] = {}
    for name, fn in passes:
        new = fn(lines)
        for i, (a, b) in enumerate(zip(lines, new)):
            if a != b:
                reasons.setdefault(i, []).append(name)
        lines = new
    restore_key_strings(lines, masked.pieces, reasons)
    unresolved = tuple(i + 1 for i, line in enumerate(lines) if has_japanese(code_only(line)))
    return masked.unmask("\n".join(lines)), 0.4 if unresolved else 0.7, reasons, unresolved


@lru_cache(maxsize=None)
def load_json(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=None)
def load_tsv(name: str) -> dict[str, list[str]]:
    """``key<TAB>alt1|alt2`` lines; ``#`` starts a comment line."""
    table: dict[str, list[str]] = {}
    for row in tsv_rows(DATA_DIR / name, 1):
        alts = [v.strip() for v in row[-1].split("|") if v.strip()] if len(row) == 2 else []
        if row[0].strip() and alts:
            table.setdefault(row[0].strip(), []).extend(alts)
    return table


@dataclass
class Masked:
    """``text`` with strings and comments replaced by numbered placeholders."""

    text: str
    pieces: list[str] = field(default_factory=list)
    mt_quotes: int = 0  # 「…」 / “…” pairs turned into ASCII string literals

    def unmask(self, text: str | None = None) -> str:
        src = self.text if text is None else text
        # Placeholders may nest only through unmasking order; one pass suffices.
        return PLACEHOLDER_RE.sub(lambda m: self.pieces[int(m.group(1))], src)


_CHAR_LITERAL = re.compile(r"'(?:\\(?:u\{[0-9A-Fa-f]{1,6}\}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|.)|[^'\\\n])'")
_RAW_STRING = re.compile(r'r(#*)"[\s\S]*?"\1|R"([^\s()\\]{0,16})\([\s\S]*?\)\2"')
_FW_QUOTES = {"「": "」", "『": "』", "“": "”", "‘": "’"}


def mask(text: str, lang: str) -> Masked:
    """Mask string literals and comments of ``text``.

    ``lang``: ``python`` (``#`` comments, triple quotes), ``shell`` (``#`` after space),
    ``javascript`` (``//``, ``/* */``, backticks), ``clike`` (the other brace languages:
    ``//``, ``/* */``, triple-quoted text blocks, backtick raw strings, and ``'`` only as a
    character literal ``'a'`` / ``'\\n'``, so Rust's ``&'a str`` stays code). MT quote pairs 「…」 and “…” are
    string literals in code positions and come back as ASCII ``"…"``.
    """
    out: list[str] = []
    pieces: list[str] = []
    mt_quotes = 0
    i, n = 0, len(text)
    hash_comments = lang in ("python", "shell")
    slash_comments = lang in ("javascript", "clike")

    def add(kind_open: str, kind_close: str, piece: str) -> None:
        out.append(f"{kind_open}{len(pieces)}{kind_close}")
        pieces.append(piece)

    while i < n:
        c = text[i]
        if hash_comments and c == "#" and (lang == "python" or i == 0 or text[i - 1].isspace()):
            j = text.find("\n", i)
            j = n if j < 0 else j
            add(COM_OPEN, COM_CLOSE, text[i:j])
            i = j
            continue
        if slash_comments and text.startswith("//", i) and (i == 0 or text[i - 1] != ":"):
            j = text.find("\n", i)
            j = n if j < 0 else j
            add(COM_OPEN, COM_CLOSE, text[i:j])
            i = j
            continue
        if slash_comments and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            add(COM_OPEN, COM_CLOSE, text[i:j])
            i = j
            continue
        if (lang == "python" and text.startswith("'''", i)) or (lang in ("python", "clike") and text.startswith('"""', i)):
            q = text[i : i + 3]
            j = text.find(q, i + 3)
            j = n if j < 0 else j + 3
            add(STR_OPEN, STR_CLOSE, text[i:j])
            i = j
            continue
        if lang == "clike" and c in "rR" and (i == 0 or not text[i - 1].isalnum()):
            raw = _RAW_STRING.match(text, i)  # Rust r#"…"#, C++ R"(…)": may span lines
            if raw:
                add(STR_OPEN, STR_CLOSE, raw.group())
                i = raw.end()
                continue
        if c == "'" and lang == "clike":
            char = _CHAR_LITERAL.match(text, i)
            if char:
                add(STR_OPEN, STR_CLOSE, char.group())
                i = char.end()
            else:
                out.append(c)
                i += 1
            continue
        if c in "\"'" or (c == "`" and lang in ("javascript", "clike")):
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                if text[j] == "\\":
                    j += 1
                j += 1
            if j < n and text[j] == c:
                add(STR_OPEN, STR_CLOSE, text[i : j + 1])
                i = j + 1
                continue
            if c == "'" and lang == "shell":
                out.append(c)
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c in _FW_QUOTES and lang != "shell":
            close = _FW_QUOTES[c]
            j = text.find(close, i + 1)
            nl = text.find("\n", i + 1)
            if j > i + 1 and (nl < 0 or j < nl):
                inner = text[i + 1 : j]
                q = "'" if '"' in inner and "'" not in inner else '"'
                add(STR_OPEN, STR_CLOSE, q + inner + q)
                mt_quotes += 1
                i = j + 1
                continue
        out.append(c)
        i += 1
    return Masked("".join(out), pieces, mt_quotes)


# ---------------------------------------------------------------- punctuation
_FULLWIDTH = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({
    "　": " ", "、": ", ", "，": ", ", "。": ".", "・": ".", "【": "[", "】": "]",
    "〔": "[", "〕": "]", "〈": "<", "〉": ">", "《": "<", "》": ">", "～": "~", "−": "-",
    "‐": "-", "―": "-", "：": ":", "；": ";",
})
_FULLWIDTH["，"] = ", "
_FULLWIDTH["．"] = "."
_PUNCT_RE = re.compile("[" + re.escape("".join(_FULLWIDTH)) + "]")


def ascii_punctuation(code: str) -> str:
    """Full-width ASCII, 、。【】 and friends become their ASCII forms (code parts only).

    >>> ascii_punctuation("tn、fp = cm.ravel（）")
    'tn, fp = cm.ravel()'
    """
    return _PUNCT_RE.sub(lambda m: _FULLWIDTH[m.group()], code)


_KEYWORDS_BEFORE_DOT = frozenset({"from", "import", "in", "and", "or", "not", "is", "return",
                                  "yield", "await", "else", "if", "lambda", "assert"})
_SPACE_BEFORE_DOT = re.compile(r"([\w\)\]]+)[ \t]+\.(?=[ \t]*[^\W\d])")
_SPACE_AFTER_DOT = re.compile(r"([\w\)\]]+)\.[ \t]+(?=[^\W\d])")


_SPACED_CALL = re.compile(r"([\w\)\]]+)[ \t]+\((?!\s*$)")


def tighten_spacing(code: str) -> str:
    """``gym .make ( "x" )`` becomes ``gym.make("x")``.

    Only the space around an attribute dot and inside/before call parentheses is removed
    (``from . import x`` and ``if (a)`` are kept); it never changes Python's AST.
    """

    def fix(m: re.Match[str]) -> str:
        word = m.group(1)
        if word in _KEYWORDS_BEFORE_DOT or word.isdigit():
            return m.group(0)
        return word + "."

    code = _SPACE_BEFORE_DOT.sub(fix, code)
    code = _SPACE_AFTER_DOT.sub(fix, code)
    if not _SPACED_CALL.search(code):
        return code

    def call(m: re.Match[str]) -> str:
        word = m.group(1)
        if word in _KEYWORDS_BEFORE_DOT or word in ("print", "while", "elif", "for", "with", "del", "except"):
            return m.group(0)
        return word + "("

    code = _SPACED_CALL.sub(call, code)
    code = re.sub(r"\([ \t]+(?=\S)", "(", code)
    return re.sub(r"(?<=\S)[ \t]+\)", ")", code)
