"""The lint engine: parse once, tokenize each prose block once, run the active rules.

Cost is linear in the file: blocks are found in one pass over the lines, each block is
masked and tokenized once (lazily, only if a token rule is active), and rules see only
their block, in block-local offsets. Document rules get all block contexts once.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterable
from functools import cache
from operator import attrgetter
from typing import Any

from typing import NamedTuple

import regex

from ..models import Edit, Finding, Fix, LineIndex
from ..read import markdown_by_suffix
from ..tokens import CHUNK_CHARS, _chunks, _safe_for_mecab, feature_fields, get_tagger
from .config import Config
from .directives import collect_suppressions, is_suppressed
from .markdown import MARKUP, MASKS, OPAQUE, ParsedDoc, ProseBlock, parse
from .registry import Hit, Rule

__all__ = ["lint", "lint_parsed", "BlockContext", "DocContext", "apply_fixes", "is_markdown_path"]


class LToken(NamedTuple):
    """A light token: what the rules read of a morpheme. Built from a cache keyed by
    MeCab's feature string, it costs a fraction of :class:`~ja_article_tools.models.Token`
    (the tokenizer, not the rules, dominates lint time)."""

    surface: str
    start: int
    end: int
    pos: tuple[str, ...]
    lemma: str
    goshu: str
    origin: str | None = None  # the loanword's source word from UniDic (ジム -> gym)
    pos_class: str = "-"  # one character for the part of speech (TOKEN_CLASSES)


_UNSAFE = re.compile(r"[\x00\r\ud800-\udfff]")  # what tokens._safe_for_mecab replaces
_HAS_JA = re.compile(r"[\u3001-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]")
_new = tuple.__new__
_POS_CLASS = attrgetter("pos_class")
_SURFACE = attrgetter("surface")
_FINDING_ORDER = attrgetter("start", "code", "end")

# One character per token naming its part of speech, so that rules find candidate
# tokens with C-level string searches (``classes.count("C")``) instead of a Python
# loop over every token. Keyed by ``pos[:2]`` first, then ``pos[:1]``.
TOKEN_CLASSES: dict[tuple[str, ...], str] = {
    ("助詞", "接続助詞"): "J",  # 接続助詞 (が, けど, て…)
    ("助詞",): "P",  # any other particle
    ("助動詞",): "A",
    ("接続詞",): "C",
    ("補助記号",): "S",
    ("名詞",): "N",
    ("代名詞",): "n",
    ("動詞",): "V",
    (): "_",  # no part of speech at all
    ("",): "_",
}
OTHER_CLASS = "-"

# Per UniDic feature string: ``(pos, lemma, goshu, origin, class)`` (lemma None for an
# unknown word). The lint's own cache: the hot loop does one dict lookup per token.
_LIGHT_FIELDS: dict[str, tuple[tuple[str, ...], str | None, str, str | None, str]] = {}
_LIGHT_FIELDS_MAX = 200_000


def _light_fields(raw: str) -> tuple[tuple[str, ...], str | None, str, str | None, str]:
    lemma, pos_tags, _, _, goshu, origin = feature_fields(raw)
    cls = TOKEN_CLASSES.get(pos_tags[:2]) or TOKEN_CLASSES.get(pos_tags[:1]) or OTHER_CLASS
    if len(_LIGHT_FIELDS) >= _LIGHT_FIELDS_MAX:
        _LIGHT_FIELDS.clear()
    got = _LIGHT_FIELDS[raw] = (pos_tags, lemma, goshu, origin, cls)
    return got


def light_tokens(text: str, mapping: tuple[list[int], list[int]] | None = None, source: str | None = None) -> list[LToken]:
    """Tag ``text``. With ``mapping`` (from :func:`compact_for_tagging`) offsets are
    mapped back to ``source``, and a token made of a compressed run takes the run's text
    as its surface.

    A token starts where the previous one ended plus the white space MeCab skipped,
    ``rlength - length`` bytes: MeCab skips only tab, LF, VT and space (checked over
    every code point), one byte each, so no search of the text is needed."""
    if _UNSAFE.search(text) or (mapping is not None and source is None):
        return _light_tokens_searching(text, mapping, source)
    tagger = get_tagger()
    out: list[LToken] = []
    append = out.append
    fields_of = _LIGHT_FIELDS.get
    chunks = ((0, len(text)),) if len(text) <= CHUNK_CHARS else _chunks(text)
    src_start, src_end = mapping if mapping is not None else (None, None)
    for c0, c1 in chunks:
        pos = c0
        w = None
        for w in tagger(text[c0:c1] if c1 - c0 < len(text) else text):
            surface = w.surface
            raw = w.feature_raw
            start = pos + w.rlength - w.length
            pos = start + len(surface)
            s, e = start, pos
            if src_start is not None:
                s, e = src_start[start], src_end[pos]
                if e - s != pos - start:
                    surface = source[s:e]  # holds a compressed run or dropped markup
            pos_tags, lemma, goshu, origin, cls = fields_of(raw) or _light_fields(raw)
            append(_new(LToken, (surface, s, e, pos_tags, lemma or surface, goshu, origin, cls)))
        if w is not None and not _ends_at(text, pos, c1, w.surface):
            return _light_tokens_searching(text, mapping, source)
    return out


def _ends_at(text: str, pos: int, chunk_end: int, last_surface: str) -> bool:
    """Whether the offsets counted from byte lengths still point at the text: the last
    token sits where it was counted to and only white space follows it (a dictionary
    that skipped a multi-byte character would fail this, and the chunk is searched)."""
    return pos <= chunk_end and text.startswith(last_surface, pos - len(last_surface)) and not text[pos:chunk_end].strip(" \t\n\x0b")


def _light_tokens_searching(text: str, mapping: tuple[list[int], list[int]] | None = None, source: str | None = None) -> list[LToken]:
    """:func:`light_tokens` for text MeCab is not given as is (NUL, CR, lone
    surrogates replaced): each surface is searched for in the text it was tagged from."""
    tagger = get_tagger()
    safe = _safe_for_mecab(text) if _UNSAFE.search(text) else text
    out: list[LToken] = []
    append = out.append
    src_start, src_end = mapping if mapping is not None else (None, [])
    for c0, c1 in (((0, len(safe)),) if len(safe) <= CHUNK_CHARS else _chunks(safe)):
        chunk = safe[c0:c1] if c1 - c0 < len(safe) else safe
        find = chunk.find
        pos = 0
        for w in tagger(chunk):
            surface = w.surface
            start = find(surface, pos)
            if start < 0:
                continue
            pos = start + len(surface)
            raw = w.feature_raw
            pos_tags, lemma, goshu, origin, cls = _LIGHT_FIELDS.get(raw) or _light_fields(raw)
            if src_start is None:
                append(_new(LToken, (surface, c0 + start, c0 + pos, pos_tags, lemma or surface, goshu, origin, cls)))
            else:
                s = src_start[c0 + start]
                e = src_end[c0 + pos]
                if e - s != pos - start and source is not None:
                    surface = source[s:e]
                append(_new(LToken, (surface, s, e, pos_tags, lemma or surface, goshu, origin, cls)))
    return out


# Runs that MeCab need not see in full: markup (dropped), opaque content and ASCII
# phrases (each run becomes one placeholder character, tagged as a noun). Grammar rules
# only look at Japanese; in technical text over half the characters are ASCII, and
# tagging them is most of the tokenizer's time.
# (``\ue001+``, ``\ue000{2,}``, an ASCII phrase not ending in space or ``.,:;?``; written
# with one leading class so that ``re`` skips the Japanese between runs: 2x faster.)
_COMPRESS = re.compile(
    r"[\ue001\ue000\x21-\x7e](?:(?<=\ue001)\ue001*|(?<=\ue000)\ue000+|(?<=[\x21-\x7e])[\x20-\x7e]*[\x21-\x2b\x2d\x2f-\x39\x3c-\x3e\x40-\x7e])"
)


def compact_for_tagging(p: str) -> tuple[str, tuple[list[int], list[int]]] | None:
    """``(compact, (src_start, src_end))``, or None when nothing is compressed.

    ``src_start[k]`` is where compact character ``k`` starts in ``p``; ``src_end[k]`` is
    where compact character ``k - 1`` ends (indexed by a token's *end* offset)."""
    parts: list[str] = []
    src_start: list[int] = []
    src_end: list[int] = [0]
    last = 0
    for m in _COMPRESS.finditer(p):
        s, e = m.span()
        if s > last:
            parts.append(p[last:s])
            src_start.extend(range(last, s))
            src_end.extend(range(last + 1, s + 1))
        ch = p[s]
        if ch != MARKUP:  # markup is dropped: no compact character
            parts.append(OPAQUE if ch == OPAQUE else ("0" if p[s:e].isdigit() else "X"))
            src_start.append(s)
            src_end.append(e)
        last = e
    if not parts and last == 0:
        return None
    if last < len(p):
        parts.append(p[last:])
        src_start.extend(range(last, len(p)))
        src_end.extend(range(last + 1, len(p) + 1))
    return "".join(parts), (src_start, src_end)


class _lazy:
    """A cached attribute computed on first use, like ``functools.cached_property``
    without its per-call lock (Python 3.11): thousands of blocks each compute several."""

    def __init__(self, func: Any) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


class BlockContext:
    """One prose block as rules see it. Offsets are local to the block."""

    __slots__ = ("block", "text", "prose", "kind", "start", "spans", "markdown", "__dict__")

    def __init__(self, block: ProseBlock, markdown: bool = True) -> None:
        self.block = block
        self.markdown = markdown  # False for plain text: no Markdown syntax in fixes
        self.text = block.text
        self.prose = block.prose
        self.kind = block.kind
        self.start = block.start
        self.spans = block.spans

    @_lazy
    def has_japanese(self) -> bool:
        return _HAS_JA.search(self.prose) is not None

    @_lazy
    def tokens(self) -> list[LToken]:
        """Tokens of the masked text, positioned in the block.

        Markup is *left out* of what MeCab sees (``**と**入力すると`` must read as
        ``と入力すると``), then offsets are mapped back; opaque content (inline code,
        URLs) stays in and comes out as 補助記号 tokens."""
        p = self.prose
        if not self.has_japanese:
            return []  # no Japanese: no grammar rule has anything to say
        compacted = compact_for_tagging(p)
        if compacted is None:
            return light_tokens(p)
        return light_tokens(compacted[0], compacted[1], p)

    @_lazy
    def surfaces(self) -> list[str]:
        """The tokens' surfaces (for C-level comparisons and lookups)."""
        return list(map(_SURFACE, self.tokens))

    @_lazy
    def token_classes(self) -> str:
        """The tokens' :attr:`LToken.pos_class` characters as one string, so rules find
        candidates in C: ``classes.count("C")`` conjunctions, ``re.finditer("[PJ]", …)``
        particles."""
        return "".join(map(_POS_CLASS, self.tokens))

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

    @_lazy
    def styled_spans(self) -> list[tuple[int, int]]:
        """Link text and emphasis, which several spacing and punctuation rules leave alone
        (as textlint does for styled nodes); built once per block, not once per rule."""
        return [(s, e) for k, s, e in self.spans if k in ("link", "emphasis")]


_CLOSERS = "」』）)］]】〕〉》｝}”’"
_OPENERS = "「『（(［[【〔〈《｛{“‘"


_BRACKETISH = re.compile(r'[「『（(［\[【〔〈《｛{“‘」』）)］\]】〕〉》｝}”’"]')


def split_sentences(text: str, terminators: str, split_ascii_period: bool = True) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; brackets and quotes never contain an end.

    A sentence ends after a terminator plus any closing brackets and repeated
    terminators; ASCII ``.`` only before white space; a blank line always ends one."""
    term_class = "".join("\\" + c if c in "\\]^-" else c for c in terminators)
    if not _BRACKETISH.search(text):
        # Common case, no brackets: one regex pass.
        pat = _split_pattern(term_class, split_ascii_period)
        out: list[tuple[int, int]] = []
        s0 = 0
        for m in pat.finditer(text):
            _emit(text, s0, m.start() if m.group(1) is None else m.end(), out)
            s0 = m.end()
        _emit(text, s0, len(text), out)
        return out
    out = []
    n = len(text)
    s0 = 0
    depth = 0
    quoted = False  # inside ASCII double quotes, which open and close alike
    terms = set(terminators)
    scan = _scan_pattern(term_class, split_ascii_period)
    pos = 0
    for m in scan.finditer(text):
        i = m.start()
        if i < pos:
            continue  # inside a run of terminators already consumed
        ch = text[i]
        pos = i + 1
        if ch == '"':
            quoted = not quoted
        elif ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            if depth:
                depth -= 1
        elif ch == "\n":
            _emit(text, s0, i, out)
            s0 = i + 1
            depth = 0
            quoted = False
        elif depth == 0 and not quoted:
            j = i + 1
            while j < n and (text[j] in terms or text[j] in "」』）)］]】〕〉》”’"):
                j += 1
            _emit(text, s0, j, out)
            s0 = pos = j
    _emit(text, s0, n, out)
    return out


@cache
def _scan_pattern(term_class: str, ascii_period: bool) -> re.Pattern[str]:
    """Characters the bracket-aware splitter must look at; everything else is skipped in C."""
    br = re.escape(_OPENERS + _CLOSERS + '"')
    # One character each: a bracket or terminator, an ASCII period before white
    # space, a newline before a newline. Written as one leading class with the
    # cases told apart behind it, so that ``re`` skips to candidates (3x faster).
    first = f"[{br}{term_class}" + (r"\." if ascii_period else "") + r"\n]"
    alt = f"(?<=[{br}{term_class}])" + (r"|(?<=\.)(?=\s|$)" if ascii_period else "") + r"|(?<=\n)(?=\n)"
    return re.compile(f"{first}(?:{alt})")


@cache
def _split_pattern(term_class: str, ascii_period: bool) -> re.Pattern[str]:
    alt = f"[{term_class}]+" + (r"|\.+(?=\s|$)" if ascii_period else "")
    return re.compile(rf"({alt})|\n(?=\n)")


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

    @_lazy
    def joined_prose(self) -> str:
        """Every block's masked prose, joined by newlines: one scan serves all blocks
        (a newline is neither word nor kana, so nothing matches across blocks). Map a
        position back with :meth:`block_at`."""
        return "\n".join(ctx.prose for ctx in self.blocks)

    @_lazy
    def _joined_offsets(self) -> list[int]:
        offsets: list[int] = []
        pos = 0
        for ctx in self.blocks:
            offsets.append(pos)
            pos += len(ctx.prose) + 1
        return offsets

    def block_at(self, pos: int) -> tuple[BlockContext, int]:
        """The block holding ``joined_prose`` offset ``pos``, and the shift that turns
        joined offsets into document offsets."""
        offsets = self._joined_offsets
        k = bisect.bisect_right(offsets, pos) - 1
        ctx = self.blocks[k]
        return ctx, ctx.start - offsets[k]


def is_markdown_path(path: str | None) -> bool:
    """Lint reads anything that is not named as plain text as Markdown (stdin too)."""
    return markdown_by_suffix(path) is not False


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


def lint_parsed(*args: Any, **kwargs: Any) -> list[Finding]:
    """Run the active rules over a parsed document (see :func:`lint`)."""
    # Tokens are many small tuples without cycles; the cyclic collector would walk
    # them again and again (a quarter of the run time on a 1 MB file).
    was = gc.isenabled()
    gc.disable()
    try:
        return _lint_parsed(*args, **kwargs)
    finally:
        if was:
            gc.enable()


def _lint_parsed(
    text: str,
    parsed: ParsedDoc,
    active: list[tuple[Rule, dict[str, Any], str]],
    path: str | None = None,
    markdown: bool = True,
) -> list[Finding]:
    contexts = [BlockContext(b, markdown) for b in parsed.blocks]
    raw: list[tuple[Rule, str, Hit, int]] = []
    block_rules = [(r, o, s) for r, o, s in active if r.scope == "block"]
    doc_rules = [(r, o, s) for r, o, s in active if r.scope == "document"]
    starts = [c.start for c in contexts]
    # Blocks each rule may look at, computed once per distinct (kinds, japanese) and
    # per distinct trigger instead of a test per rule and block.
    eligible: dict[tuple[frozenset[str], bool], list[BlockContext]] = {}
    triggered = _TriggerScan(text, starts, contexts, {r.trigger for r, o, _ in block_rules if r.trigger is not None and o == r.options})
    for r, opts, sev in block_rules:
        if r.trigger is not None and opts == r.options:
            # A trigger is written for the default options (JA302's run of 6 kanji
            # assumes max=5): with other options every eligible block is checked.
            targets = [c for c in triggered.blocks(r.trigger) if c.kind in r.kinds and (not r.japanese or c.has_japanese)]
        else:
            key = (r.kinds, r.japanese)
            targets = eligible.get(key)
            if targets is None:
                targets = eligible[key] = [c for c in contexts if c.kind in r.kinds and (not r.japanese or c.has_japanese)]
        func = r.func
        for ctx in targets:
            for hit in func(ctx, opts):
                raw.append((r, sev, hit, ctx.start))
    if doc_rules:
        dctx = DocContext(text, parsed, contexts, path, markdown)
        for r, opts, sev in doc_rules:
            for hit in r.func(dctx, opts):
                raw.append((r, sev, hit, 0))
        code = getattr(dctx, "_code_in_prose", None)
        if code:
            # Code found inside prose (JA401/JA501) is not prose: the prose rules' findings
            # there (a translated identifier as a 6-kanji run…) would be noise.
            spans = sorted((c.start, c.end) for c in code)
            starts_ = [a for a, _ in spans]

            def in_code(pos: int) -> bool:
                k = bisect.bisect_right(starts_, pos) - 1
                return k >= 0 and pos < spans[k][1]

            raw = [x for x in raw if x[0].code[:3] in ("JA4", "JA5") or not in_code(x[2].start + x[3])]
    index = LineIndex(text)
    sups = collect_suppressions(parsed.comments, text, index) if parsed.comments else []
    out: list[Finding] = []
    append = out.append
    seen: set[tuple[str, int, int]] = set()
    add_seen = seen.add
    line_col = index.line_col
    for r, sev, hit, base in raw:
        start, end, message, hit_edits, safety = hit
        s, e = start + base, end + base
        key = (r.code, s, e)
        if key in seen:
            continue
        add_seen(key)
        fix = None
        if hit_edits is not None and r.fix != "none":
            if len(hit_edits) == 1:
                a, b, rep = hit_edits[0]
                edits: tuple[Edit, ...] = (Edit(a + base, b + base, rep, r.code),)
            else:
                edits = tuple([Edit(a + base, b + base, rep, r.code) for a, b, rep in hit_edits])
            fix = Fix(edits, safety or r.fix)
        line, col = line_col(s)
        f = Finding(r.code, r.name, sev, message, s, e, line, col, fix, path)
        if sups and is_suppressed(f, sups):
            continue
        append(f)
    out.sort(key=_FINDING_ORDER)
    return out


# A trigger that is one character class: all of them are found in one scan.
_ONE_CLASS = re.compile(r"\[(?!\^)((?:\\.|[^\]\\])+)\]")


@cache
def _trigger_pattern(trigger: str) -> re.Pattern[str] | regex.Pattern[str]:
    # ``re`` scans patterns that start with a class or a literal faster (it skips to
    # their first characters); ``regex`` is needed for Unicode properties and is 2-15x
    # faster on alternations of groups (``(?:する|した)(?:こと|事)|…``).
    return regex.compile(trigger) if ("\\p{" in trigger or trigger.startswith("(?")) else re.compile(trigger)


def _class_body(trigger: str) -> str | None:
    """What ``trigger`` contributes inside ``[...]`` if it is one character class that
    can be merged with others as is (no edge ``-``); else None."""
    m = _ONE_CLASS.fullmatch(trigger)
    if m is None:
        return None
    body = m.group(1)
    if body.startswith("-") or (body.endswith("-") and not body.endswith("\\-")):
        return None
    return body


@cache
def _union(triggers: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(str(_class_body(t)) for t in sorted(triggers)) + "]")


class _TriggerScan:
    """The blocks holding a match of each trigger, found lazily and once per trigger.

    Triggers that are one character class share one scan of their union (a class scan
    costs ~2 ms per MB even when nothing matches; ten of them cost one): a match names
    the triggers its character satisfies, and the rest of that block is searched only
    for those still unsatisfied there. A trigger found in many blocks leaves the union
    (each block would cost a Python step) and is scanned on its own from there, jumping
    from block to block; so are single literal characters, which ``re`` finds fast."""

    # Blocks after which a union member is scanned on its own.
    FREQUENT = 32

    def __init__(self, text: str, starts: list[int], contexts: list[BlockContext], triggers: set[str]) -> None:
        self.text = text
        self.starts = starts
        self.contexts = contexts
        self.chars = frozenset(t for t in triggers if _class_body(t) is not None)
        self.found: dict[str, list[BlockContext]] = {}

    def blocks(self, trigger: str) -> list[BlockContext]:
        got = self.found.get(trigger)
        if got is None:
            if trigger in self.chars:
                self._scan_chars()
                got = self.found[trigger]
            else:
                got = self.found[trigger] = _triggered(trigger, self.text, self.starts, self.contexts)
        return got

    def _scan_chars(self) -> None:
        text, starts, contexts = self.text, self.starts, self.contexts
        members = set(self.chars)
        found = self.found
        for t in members:
            found[t] = []
        single = {t: _trigger_pattern(t) for t in members}
        n = len(text)
        pos = 0
        while pos < n and members:
            m = _union(frozenset(members)).search(text, pos)
            if m is None:
                break
            i = m.start()
            k = bisect.bisect_right(starts, i) - 1
            if k < 0 or i >= contexts[k].block.end:
                pos = max(starts[k + 1] if k + 1 < len(starts) else n, i + 1)
                continue
            end = contexts[k].block.end
            remaining = set(members)
            while m is not None:
                ch = text[m.start()]
                for t in [t for t in remaining if single[t].match(ch)]:
                    found[t].append(contexts[k])
                    remaining.discard(t)
                    if len(found[t]) >= self.FREQUENT:
                        members.discard(t)
                        found[t].extend(_triggered(t, text, starts, contexts, end))
                if not remaining:
                    break
                m = _union(frozenset(remaining)).search(text, m.start() + 1, end)
            pos = end


def _triggered(trigger: str, text: str, starts: list[int], contexts: list[BlockContext], pos: int = 0) -> list[BlockContext]:
    """The blocks (starting at or after ``pos``) holding a match of ``trigger``."""
    pat = _trigger_pattern(trigger)
    out: list[BlockContext] = []
    last = -1
    while True:
        m = pat.search(text, pos)
        if m is None:
            break
        k = bisect.bisect_right(starts, m.start()) - 1
        if k >= 0 and m.start() < contexts[k].block.end:
            if k != last:
                out.append(contexts[k])
                last = k
            # Jump to the next block: one match per block is enough.
            pos = contexts[k].block.end
        else:
            pos = starts[k + 1] if k + 1 < len(starts) else len(text)
        if pos <= m.start():
            pos = m.start() + 1
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

