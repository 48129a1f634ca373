"""The lint engine: parse once, tokenize each prose block once, run the active rules.

Cost is linear in the file: blocks are found in one pass over the lines, each block is
masked and tokenized once (lazily, only if a token rule is active), and rules see only
their block, in block-local offsets. Document rules get all block contexts once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from ..models import Edit, Finding, Fix, LineIndex, Token
from ..tokens import tokenize
from .config import Config
from .directives import collect_suppressions, is_suppressed
from .markdown import MARKUP, MASKS, OPAQUE, ParsedDoc, ProseBlock, parse
from .registry import Hit, Rule

__all__ = ["lint", "lint_parsed", "BlockContext", "DocContext", "apply_fixes", "is_markdown_path"]


class BlockContext:
    """One prose block as rules see it. Offsets are local to the block."""

    __slots__ = ("block", "text", "prose", "kind", "start", "spans", "__dict__")

    def __init__(self, block: ProseBlock) -> None:
        self.block = block
        self.text = block.text
        self.prose = block.prose
        self.kind = block.kind
        self.start = block.start
        self.spans = block.spans

    @cached_property
    def tokens(self) -> list[Token]:
        """Tokens of the masked text, positioned in the block.

        Markup is *left out* of what MeCab sees (``**と**入力すると`` must read as
        ``と入力すると``), then offsets are mapped back; opaque content (inline code,
        URLs) stays in and comes out as 補助記号 tokens."""
        p = self.prose
        if MARKUP not in p:
            return tokenize(p)
        keep = [i for i, ch in enumerate(p) if ch != MARKUP]
        if not keep:
            return []
        compact = "".join(p[i] for i in keep)
        return tokenize(compact, to_source=lambda s, e: (keep[s], keep[e - 1] + 1))

    def sentences(self, terminators: str = "。?!？！．", split_ascii_period: bool = True) -> list[tuple[int, int]]:
        """Sentence ranges in the masked text, cached per terminator set.

        A sentence ends after a terminator plus any closing brackets; ASCII ``.`` ends
        one only before white space (so ``Node.js`` and ``1.2`` stay whole)."""
        key = (terminators, split_ascii_period)
        cache = self.__dict__.setdefault("_sent_cache", {})
        got = cache.get(key)
        if got is None:
            got = split_sentences(self.prose, terminators, split_ascii_period)
            cache[key] = got
        return got

    def span_at(self, pos: int, kinds: Iterable[str]) -> tuple[str, int, int] | None:
        ks = set(kinds)
        for sp in self.spans:
            if sp[1] <= pos < sp[2] and sp[0] in ks:
                return sp
        return None

    @cached_property
    def link_mask(self) -> list[tuple[int, int]]:
        return [(s, e) for k, s, e in self.spans if k in ("link", "image", "emphasis", "footnote")]


_CLOSERS = "」』）)］]】〕〉》｝}”’\""
_OPENERS = "「『（(［[【〔〈《｛{“‘"
_PAIRS = dict(zip(_CLOSERS, _OPENERS))


def split_sentences(text: str, terminators: str, split_ascii_period: bool = True) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; brackets and quotes never contain an end."""
    out: list[tuple[int, int]] = []
    n = len(text)
    s0 = 0
    depth = 0
    quoted = False  # inside ASCII double quotes, which open and close alike
    i = 0
    terms = set(terminators)
    while i < n:
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS and ch not in "\"":
            if depth:
                depth -= 1
        elif ch == "\n" and i + 1 < n and text[i + 1] == "\n":
            _emit(text, s0, i, out)
            s0 = i + 1
            depth = 0
            quoted = False
        elif (ch in terms or (split_ascii_period and ch == "." and (i + 1 >= n or text[i + 1] in " \n\t"))) and depth == 0 and not quoted:
            j = i + 1
            while j < n and (text[j] in terms or text[j] in "」』）)］]】〕〉》”’"):
                j += 1
            _emit(text, s0, j, out)
            s0 = i = j
            continue
        i += 1
    _emit(text, s0, n, out)
    return out


def _emit(text: str, s0: int, s1: int, out: list[tuple[int, int]]) -> None:
    while s0 < s1 and (text[s0].isspace() or text[s0] == MARKUP):
        s0 += 1
    while s1 > s0 and (text[s1 - 1].isspace() or text[s1 - 1] == MARKUP):
        s1 -= 1
    if s1 > s0:
        out.append((s0, s1))


class DocContext:
    """The whole article for document rules. Offsets are document offsets."""

    def __init__(self, text: str, parsed: ParsedDoc, blocks: list[BlockContext], path: str | None, markdown: bool) -> None:
        self.text = text
        self.parsed = parsed
        self.blocks = blocks
        self.path = path
        self.markdown = markdown


def is_markdown_path(path: str | None) -> bool:
    return not (path and path.lower().endswith(".txt"))


def lint(text: str, path: str | None = None, config: Config | None = None) -> list[Finding]:
    """Lint ``text`` (Markdown unless ``path`` ends in ``.txt``) and return the findings
    sorted by position. ``config`` defaults to every rule enabled by default.

    >>> [f.code for f in lint("これは ダメです。")]
    ['JA102']
    """
    cfg = config or Config()
    markdown = is_markdown_path(path)
    parsed = parse(text, markdown)
    return lint_parsed(text, parsed, cfg.active(), path=path, markdown=markdown)


def lint_parsed(
    text: str,
    parsed: ParsedDoc,
    active: list[tuple[Rule, dict[str, Any], str]],
    path: str | None = None,
    markdown: bool = True,
) -> list[Finding]:
    contexts = [BlockContext(b) for b in parsed.blocks]
    raw: list[tuple[Rule, str, Hit, int]] = []
    block_rules = [(r, o, s) for r, o, s in active if r.scope == "block"]
    doc_rules = [(r, o, s) for r, o, s in active if r.scope == "document"]
    for ctx in contexts:
        for r, opts, sev in block_rules:
            if ctx.kind not in r.kinds:
                continue
            for hit in r.func(ctx, opts):
                raw.append((r, sev, hit, ctx.start))
    if doc_rules:
        dctx = DocContext(text, parsed, contexts, path, markdown)
        for r, opts, sev in doc_rules:
            for hit in r.func(dctx, opts):
                raw.append((r, sev, hit, 0))
    index = LineIndex(text)
    sups = collect_suppressions(parsed.comments, text, index) if parsed.comments else []
    out: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    for r, sev, hit, base in raw:
        s, e = hit.start + base, hit.end + base
        key = (r.code, s, e)
        if key in seen:
            continue
        seen.add(key)
        fix = None
        if hit.edits is not None and r.fix != "none":
            edits = tuple(Edit(a + base, b + base, rep, r.code) for a, b, rep in hit.edits)
            fix = Fix(edits, hit.safety or r.fix)
        line, col = index.line_col(s)
        f = Finding(r.code, r.name, sev, hit.message, s, e, line, col, fix, path)
        if sups and is_suppressed(f, sups):
            continue
        out.append(f)
    out.sort(key=lambda f: (f.start, f.code, f.end))
    return out


def apply_fixes(text: str, findings: Iterable[Finding], unsafe: bool = False) -> tuple[str, int]:
    """Apply the fixes of ``findings`` (safe ones, plus unsafe with ``unsafe``).

    Overlapping edits: the first (by position) wins and the later finding stays for the
    next round. Returns the new text and the number of findings fixed."""
    chosen: list[tuple[int, int, str]] = []
    fixed = 0
    last_end = -1
    fixes = [f.fix for f in findings if f.fix is not None and (f.fix.safety == "safe" or unsafe)]
    fixes.sort(key=lambda fx: (min(e.start for e in fx.edits), max(e.end for e in fx.edits)) if fx.edits else (0, 0))
    for fx in fixes:
        edits = sorted({(e.start, e.end, e.replacement) for e in fx.edits})
        if not edits or edits[0][0] < last_end:
            continue
        ok = all(edits[k][1] <= edits[k + 1][0] for k in range(len(edits) - 1))
        if not ok:
            continue
        chosen.extend(edits)
        last_end = max(e[1] for e in edits)
        fixed += 1
    if not chosen:
        return text, 0
    parts: list[str] = []
    pos = 0
    for s, e, rep in sorted(chosen):
        parts.append(text[pos:s])
        parts.append(rep)
        pos = e
    parts.append(text[pos:])
    return "".join(parts), fixed


def masked(ch: str) -> bool:
    return ch in MASKS

