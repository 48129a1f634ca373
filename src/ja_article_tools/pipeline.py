"""process(): the stages in order, each reading only what earlier stages made.

read -> structure (+ code detection) -> URLs -> clean (prose only) -> tokens -> sentences
-> entities -> code repair. Every stage after cleaning works on the cleaned text and
maps its findings back to source offsets through the :class:`~.clean.OffsetMap`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TypeVar

from .clean import Cleaned, CleanOptions, clean
from .models import Article, Block, CodeBlock, Email, Entity, Sentence, Source, Url
from .read import markdown_by_suffix, read_path
from .code.detect import find_code_blocks, looks_like_markdown
from .structure import PROSE_KINDS, Structure, analyse
from .tokens import LazyTokens, split_sentences, tag_chunks

_Span = TypeVar("_Span", Url, Email)

__all__ = ["process", "process_file", "process_source", "clean_source", "repair_source", "ProcessOptions", "prose_segments", "inline_code_spans"]


@dataclass(frozen=True, slots=True)
class ProcessOptions:
    clean: CleanOptions = field(default_factory=CleanOptions)
    repair: bool = True  # run code repair on every code block
    markdown: bool | None = None  # None: decide from the suffix, else from the content


def process(text: str, path: str | None = None, options: ProcessOptions | None = None) -> Article:
    """Run the whole pipeline on ``text`` (already decoded).

    >>> a = process("ChatGPT は OpenAI が開発した無料の AI チャットボット サービスです。")
    >>> a.cleaned_text
    'ChatGPT は OpenAI が開発した無料の AI チャットボットサービスです。'
    """
    import hashlib

    source = Source(text=text, path=path, encoding="utf-8", sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    return process_source(source, options)


def process_file(path: str | os.PathLike[str], options: ProcessOptions | None = None, encoding: str | None = None) -> Article:
    """Read, decode and process one file. Raises :class:`~.read.InputError` naming the file."""
    return process_source(read_path(path, encoding), options)


def _is_markdown(source: Source, options: ProcessOptions) -> bool:
    if options.markdown is not None:
        return options.markdown
    by_name = markdown_by_suffix(source.path)
    return looks_like_markdown(source.text) if by_name is None else by_name


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What every entry point needs before tagging: structure, URLs, cleaning."""

    markdown: bool
    code_blocks: list[CodeBlock]
    structure: Structure
    prose: list[Block]
    urls: list[Url]
    emails: list[Email]
    protected: list[tuple[int, int]]
    cleaned: Cleaned


def _prepare(source: Source, options: ProcessOptions) -> _Prepared:
    from .extract.urls import extract_emails, extract_urls

    text = source.text
    markdown = _is_markdown(source, options)
    code_blocks = find_code_blocks(text, markdown=markdown)
    structure = analyse(text, markdown, code_blocks)
    urls = extract_urls(text, include_emails=False)
    emails = extract_emails(text)
    prose = [b for b in structure.blocks if b.kind in PROSE_KINDS]
    protected = sorted(
        [(u.start, u.end) for u in urls]
        + [(m.start, m.end) for m in emails]
        + (inline_code_spans(text, prose) if markdown else [])
        + (_html_comments(text, prose) if markdown else [])
    )
    segments = prose_segments([(b.start, b.end) for b in prose], protected)
    cleaned = clean(text, segments, options.clean)
    return _Prepared(markdown, code_blocks, structure, prose, urls, emails, protected, cleaned)


def clean_source(source: Source, options: ProcessOptions | None = None) -> Cleaned:
    """Only the stages cleaning needs (no tagging, entities or code repair)."""
    return _prepare(source, options or ProcessOptions()).cleaned


def repair_source(source: Source, options: ProcessOptions | None = None) -> str:
    """The article with its code blocks repaired and fenced, prose untouched; only
    code detection and repair run."""
    from .code.rewrite import rewrite_code_blocks

    markdown = _is_markdown(source, options or ProcessOptions())
    blocks = _repair_all(source.text, find_code_blocks(source.text, markdown=markdown))
    return rewrite_code_blocks(source.text, blocks, source.newline)


def process_source(source: Source, options: ProcessOptions | None = None) -> Article:
    options = options or ProcessOptions()
    text = source.text
    from .extract.entities import extract_entities

    prep = _prepare(source, options)
    markdown, code_blocks, structure, prose = prep.markdown, prep.code_blocks, prep.structure, prep.prose
    urls, emails, protected, cleaned = prep.urls, prep.emails, prep.protected, prep.cleaned
    omap = cleaned.offsets

    # Tag only prose: everything else is blanked out (same length, so offsets hold).
    prose_clean = [omap.to_cleaned(b.start, b.end) for b in prose]
    tag_text = _keep_only(cleaned.text, prose_clean)
    morphemes = list(tag_chunks(tag_text))  # cleaned offsets, for the entity tagger
    tokens = LazyTokens(morphemes, None if omap.identity else omap.source_mapper)

    protected_clean = [omap.to_cleaned(s, e) for s, e in protected]
    to_source = omap.source_mapper()
    sentences = tuple(
        Sentence(*to_source(s.start, s.end))
        for s in split_sentences(cleaned.text, prose_clean, protected_clean)
    )

    # The tagger's view: URLs and e-mail addresses moved into cleaned offsets (they keep
    # names out of themselves, and URLs link ジム to github.com/openai/gym).
    def in_cleaned(items: Sequence[_Span]) -> Sequence[_Span]:
        if omap.identity:
            return items
        return [replace(x, start=cs, end=ce) for x in items for cs, ce in [omap.to_cleaned(x.start, x.end)]]

    raw_entities = extract_entities(tag_text, urls=list(in_cleaned(urls)), morphemes=morphemes, emails=in_cleaned(emails))
    entities = []
    for e in raw_entities:
        s, t = omap.to_source(e.start, e.end)
        if t > s:
            entities.append(Entity(text[s:t], e.label, s, t, e.normalized))

    if options.repair:
        code_blocks = _repair_all(text, code_blocks)

    return Article(
        source=source,
        markdown=markdown,
        title=structure.title,
        blocks=structure.blocks,
        code_blocks=tuple(code_blocks),
        sentences=sentences,
        tokens=tokens,
        urls=tuple(urls),
        emails=tuple(emails),
        entities=tuple(entities),
        edits=cleaned.edits,
        cleaned_text=cleaned.text,
        options={"clean": asdict(options.clean) | {"disabled": sorted(options.clean.disabled)}, "markdown": markdown},
    )


def _repair_all(text: str, code_blocks: Sequence[CodeBlock]) -> list[CodeBlock]:
    from .code.repair import repair_code

    out = []
    for cb in code_blocks:
        s = cb.content_start if cb.content_start >= 0 else cb.start
        e = cb.content_end if cb.content_end >= 0 else cb.end
        lang = cb.language if cb.language and cb.language != "text" else None
        out.append(replace(cb, repair=repair_code(text[s:e], lang)))
    return out


def prose_segments(regions: Iterable[tuple[int, int]], protected: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``regions`` minus the ``protected`` spans (both sorted by start).

    >>> prose_segments([(0, 10), (20, 30)], [(3, 5), (8, 22)])
    [(0, 3), (5, 8), (22, 30)]
    """
    out: list[tuple[int, int]] = []
    prot = sorted(protected)
    j = 0
    for r0, r1 in sorted(regions):
        while j < len(prot) and prot[j][1] <= r0:
            j += 1
        pos = r0
        k = j
        while k < len(prot) and prot[k][0] < r1:
            p0, p1 = prot[k]
            if p0 > pos:
                out.append((pos, p0))
            pos = max(pos, p1)
            k += 1
        if pos < r1:
            out.append((pos, r1))
    return out


def inline_code_spans(text: str, blocks: Sequence[Block]) -> list[tuple[int, int]]:
    """Markdown code spans (`` `x` ``, ``` ``a`b`` ```) inside ``blocks``, found with a
    linear scan of backtick runs (a regex with a back-reference can go quadratic)."""
    import regex

    out: list[tuple[int, int]] = []
    run = regex.compile(r"`+")
    for b in blocks:
        runs = [(m.start(), m.end()) for m in run.finditer(text, b.start, b.end)]
        by_len: dict[int, list[int]] = {}
        for idx, (s, e) in enumerate(runs):
            by_len.setdefault(e - s, []).append(idx)
        ptr: dict[int, int] = {}
        i = 0
        while i < len(runs):
            s, e = runs[i]
            n = e - s
            cands = by_len[n]
            p = ptr.get(n, 0)
            while p < len(cands) and cands[p] <= i:
                p += 1
            ptr[n] = p
            if p < len(cands):
                closing = cands[p]
                out.append((s, runs[closing][1]))
                i = closing + 1
            else:
                i += 1
    return out


def _html_comments(text: str, blocks: Sequence[Block]) -> list[tuple[int, int]]:
    out = []
    for b in blocks:
        pos = b.start
        while True:
            s = text.find("<!--", pos, b.end)
            if s < 0:
                break
            e = text.find("-->", s + 4, b.end)
            e = b.end if e < 0 else e + 3
            out.append((s, e))
            pos = e
    return out


def _keep_only(text: str, regions: Sequence[tuple[int, int]]) -> str:
    """``text`` with everything outside ``regions`` turned into spaces (line ends kept),
    so the tagger sees only prose while offsets stay valid."""
    parts: list[str] = []
    pos = 0
    for s, e in sorted(regions):
        if s > pos:
            parts.append(_blank(text[pos:s]))
        if e > max(s, pos):
            parts.append(text[max(s, pos) : e])
        pos = max(pos, e)
    if pos < len(text):
        parts.append(_blank(text[pos:]))
    return "".join(parts)


def _blank(s: str) -> str:
    # Keep line ends so sentence and chunk boundaries stay where they were.
    return "\n".join(" " * len(line) for line in s.split("\n"))
