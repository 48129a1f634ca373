"""The data model shared by every stage.

One invariant holds everywhere: ``start``/``end`` are a half-open range of code points
into the decoded *source* text (``Source.text``), never into a cleaned copy. Where an
item carries ``text``, ``source.text[start:end] == text``. Line and column numbers are
derived only when output is written (see :class:`LineIndex`).

The classes are frozen, slotted dataclasses: cheap to create in the hot loops of the
tokenizer and the extractors, and safe to share between stages.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Edit",
    "Token",
    "Sentence",
    "Block",
    "CodeBlock",
    "CodeEdit",
    "CodeRepair",
    "Url",
    "Email",
    "Entity",
    "Fix",
    "Finding",
    "Source",
    "LineIndex",
    "Article",
]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``; ``rule`` names the fixer that asked."""

    start: int
    end: int
    replacement: str
    rule: str


@dataclass(frozen=True, slots=True)
class Token:
    """One morpheme from fugashi + UniDic, positioned in the source.

    ``origin`` is the source-language word UniDic records for loanwords: the lemma
    ``ジム-gym`` gives ``origin="gym"``. ``pos`` holds up to four levels, ``*`` dropped.
    """

    surface: str
    start: int
    end: int
    lemma: str
    pos: tuple[str, ...]
    reading: str
    pronunciation: str
    goshu: str
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


BlockKind = Literal[
    "title",
    "heading",
    "paragraph",
    "list_item",
    "blockquote",
    "code",
    "front_matter",
    "table",
    "html",
    "thematic_break",
]


@dataclass(frozen=True, slots=True)
class Block:
    """A structural block of the article. ``line`` is the 1-based line of ``start``.

    ``level`` is the heading level (1–6) for headings and titles, else 0. ``info`` holds
    kind-specific details: a fence's info string, front-matter keys, a list marker.
    """

    kind: str
    start: int
    end: int
    line: int
    text: str
    level: int = 0
    info: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class CodeEdit:
    """One change a code-repair pass made, by 1-based line of the block."""

    line: int
    before: str
    after: str
    reason: str


@dataclass(frozen=True, slots=True)
class CodeRepair:
    """What :func:`ja_article_tools.repair_code` made of one block."""

    code: str
    language: str
    changed: bool
    confidence: float
    edits: tuple[CodeEdit, ...] = ()
    unresolved: tuple[int, ...] = ()  # 1-based lines still holding untranslated words


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A block of code found in the article (fenced, broken by translation, or bare).

    ``detected_by``: ``fence`` (a real Markdown fence), ``mt-fence`` (a fence that machine
    translation turned into 「」 or similar), ``indent`` (Markdown indented code),
    ``heuristic`` (code lines in prose that were never fenced).
    ``content_start``/``content_end`` bound the code itself, without fence lines.
    """

    start: int
    end: int
    line: int
    language: str
    detected_by: str
    confidence: float
    text: str
    content_start: int = -1
    content_end: int = -1
    repair: CodeRepair | None = None


@dataclass(frozen=True, slots=True)
class Url:
    """A URL as written in the text, plus its normalised form and what it points at.

    ``kind``: ``github-repo``, ``github-account``, ``github-file``, ``github-issue``,
    ``pypi-package``, ``npm-package``, ``documentation`` or ``other``.
    """

    start: int
    end: int
    text: str
    url: str  # normalised
    host: str
    kind: str = "other"
    owner: str | None = None
    repo: str | None = None
    fullwidth: bool = False  # written with full-width characters such as ：／／


@dataclass(frozen=True, slots=True)
class Email:
    start: int
    end: int
    text: str
    address: str  # normalised (lower-case domain)


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity or expression. ``normalized`` is the key shared by all spellings
    of one thing in an article (``マイクロソフト`` and ``Microsoft`` -> ``microsoft``)."""

    text: str
    label: str
    start: int
    end: int
    normalized: str


@dataclass(frozen=True, slots=True)
class Fix:
    """Edits (source offsets) that resolve a finding; ``safety`` is ``safe`` or ``unsafe``."""

    edits: tuple[Edit, ...]
    safety: str = "safe"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: str  # error | warning | info
    message: str
    start: int
    end: int
    line: int = 0
    column: int = 0
    fix: Fix | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """The decoded article. ``text`` is the one coordinate system for every offset."""

    text: str
    path: str | None = None
    encoding: str = "utf-8"
    sha256: str = ""
    had_bom: bool = False
    newline: str = "\n"  # the dominant line end in the raw bytes: \n, \r\n or \r


# The line ends of the project (not str.splitlines, which also splits at \f, \x85, \u2028).
LINE_END = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps code-point offsets to 1-based (line, column) in one pass of bisection.

    Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``; the column counts code points.
    """

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        starts.extend(m.end() for m in LINE_END.finditer(text))
        self._starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        idx = bisect.bisect_right(self._starts, offset) - 1
        return idx + 1, offset - self._starts[idx] + 1

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line_start(self, line: int) -> int:
        """Offset of the first code point of 1-based ``line``."""
        return self._starts[line - 1]

    @property
    def count(self) -> int:
        return len(self._starts)


@dataclass(frozen=True, slots=True)
class Article:
    """Everything the pipeline found in one article. Offsets are into ``source.text``.

    ``tokens`` carry source offsets; their ``surface`` is the cleaned form that was
    tagged (``ＡＰＩ`` in the source is tagged as ``API``). ``cleaned_text`` is the
    source with ``edits`` applied.
    """

    source: Source
    markdown: bool
    title: Block | None
    blocks: tuple[Block, ...]
    code_blocks: tuple[CodeBlock, ...]
    sentences: tuple[Sentence, ...]
    tokens: Sequence[Token]  # built on first use (tokens.LazyTokens) by process()
    urls: tuple[Url, ...]
    emails: tuple[Email, ...]
    entities: tuple[Entity, ...]
    edits: tuple[Edit, ...]
    cleaned_text: str
    options: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self, *, tokens: bool = False) -> dict[str, Any]:
        from .output import article_to_dict

        return article_to_dict(self, tokens=tokens)

    def to_json(self, *, tokens: bool = False, pretty: bool = False) -> str:
        from .output import dumps

        return dumps(self.to_dict(tokens=tokens), pretty=pretty)
