"""Prose extraction for the linter: blocks, and inside them a masked copy of the text.

Why our own light parser rather than a CommonMark AST: the rules need, for every prose
block, (1) the block's text at its true offsets and (2) a *masked* copy of the same length
in which Markdown syntax and non-prose inline content are replaced, so that rules can run
regexes and the tokenizer over it and report offsets that are valid in the source without
any mapping. Masking replaces, it never deletes.

Masking alphabet (both are Private Use code points, which MeCab tags as symbols, so they
split words but are never particles, kana or kanji):

* ``MARKUP`` (U+E001): syntax that is not text at all (list markers, ``>``, backticks,
  link brackets and targets, emphasis markers, HTML tags and comments, images).
* ``OPAQUE`` (U+E000): content that is text but not Japanese prose (inline code, bare URLs).
  It counts towards sentence length, like textlint, but no grammar rule looks inside.

One pass over the lines and one regex pass per block: linear in the file size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate, groupby
from operator import add

from ._chars import inside

__all__ = ["MARKUP", "OPAQUE", "ProseBlock", "CodeFence", "Comment", "ParsedDoc", "parse"]

MARKUP = "\ue001"
OPAQUE = "\ue000"
MASKS = MARKUP + OPAQUE


@dataclass(slots=True)
class ProseBlock:
    """One prose block. ``prose`` has the length of ``text``; ``spans`` are local
    ``(kind, start, end)`` ranges of inline constructs: code, link (the link's visible
    text), linkdest, image, html, emphasis, url, footnote."""

    kind: str
    start: int
    end: int
    line: int
    text: str
    prose: str
    spans: list[tuple[str, int, int]] = field(default_factory=list)
    level: int = 0


@dataclass(frozen=True, slots=True)
class CodeFence:
    """A code block in Markdown (fenced or indented); offsets are document offsets."""

    start: int
    end: int
    line: int
    info: str
    content_start: int
    content_end: int
    indented: bool = False


@dataclass(frozen=True, slots=True)
class Comment:
    start: int
    end: int
    line: int
    body: str


@dataclass(slots=True)
class ParsedDoc:
    text: str
    blocks: list[ProseBlock]
    fences: list[CodeFence]
    comments: list[Comment]
    front_matter: tuple[int, int] | None = None


_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^( {0,3}#{1,6})(?:[ \t]+|$)")
_THEMATIC = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>[ ]?")
_LIST = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
_TABLE = re.compile(r"^[ \t]*\|")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_LINK_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S")
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^[^\]]+\]:[ \t]*")
_HTML_START = re.compile(r"^ {0,3}<(?:!--|[A-Za-z][A-Za-z0-9-]*[\s/>]|/[A-Za-z])")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end-without-newline, content) per line."""
    if "\r" not in text:
        # The common case, built in C: split, then starts from the running lengths.
        bodies = text.split("\n")
        if bodies[-1] == "":
            bodies.pop()  # text ends with a newline (or is empty): no last line
        lengths = list(map(len, bodies))
        starts = list(accumulate(map((1).__add__, lengths), initial=0))
        return list(zip(starts, map(add, starts, lengths), bodies))
    out = []
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        body = m.group()
        if body.endswith("\n"):
            body = body[:-1]
        if body.endswith("\r"):
            body = body[:-1]
        out.append((s, s + len(body), body))
    return out


def _comment_matches(text: str) -> Iterator[re.Match[str]]:
    """The HTML comments of ``text``, searched only up to the last ``-->``: an opener
    after it cannot close, and trying each one made ``<!--<!--…`` quadratic (every
    attempt ran to the end of the text)."""
    return _COMMENT.finditer(text, 0, text.rfind("-->") + 3)


def _comments(text: str) -> list[Comment]:
    """The HTML comments of ``text`` with their 1-based lines (counted on from the
    previous comment, not from the start each time)."""
    out: list[Comment] = []
    line, counted = 1, 0
    for m in _comment_matches(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        out.append(Comment(m.start(), m.end(), line, m.group(1)))
    return out


def parse(text: str, markdown: bool = True) -> ParsedDoc:
    """Split ``text`` into prose blocks (masked), code fences and HTML comments."""
    lines = _lines(text)
    blocks: list[ProseBlock] = []
    fences: list[CodeFence] = []
    comments = _comments(text) if "<!--" in text else []
    front: tuple[int, int] | None = None
    n = len(lines)
    i = 0
    # Pieces of the current block: list of (line_start, line_end, prefix_len).
    cur_kind: str | None = None
    cur: list[tuple[int, int, int]] = []
    cur_line = 0
    cur_level = 0

    def flush() -> None:
        nonlocal cur_kind, cur
        if cur_kind is not None and cur:
            blocks.append(_make_block(text, cur_kind, cur, cur_line, cur_level, markdown))
        cur_kind = None
        cur = []

    if not markdown and "```" not in text and "~~~" not in text:
        # Plain text without fences: every run of non-blank lines is a paragraph.
        blank = [not body or body.isspace() for _, _, body in lines]
        for is_blank, run in groupby(range(n), blank.__getitem__):
            if not is_blank:
                first = last = next(run)
                for last in run:
                    pass
                pieces = [(lines[first][0], lines[first][1], 0), (lines[last][0], lines[last][1], 0)]
                blocks.append(_make_block(text, "paragraph", pieces, first + 1, 0, False))
        return ParsedDoc(text, blocks, fences, comments, front)

    if markdown and n and lines[0][2].rstrip() == "---":
        for j in range(1, n):
            if lines[j][2].rstrip() in ("---", "..."):
                front = (0, lines[j][1])
                i = j + 1
                break

    prev_blank = True
    while i < n:
        s, e, body = lines[i]
        if not body.strip():
            flush()
            prev_blank = True
            i += 1
            continue
        fm = _FENCE.match(body) if ("`" in body or "~" in body) else None
        if not markdown and not fm:
            # Plain text: paragraphs only; but a ``` fence is unambiguous even here
            # (and it is what JA501's fix writes), so fences are honoured.
            if cur_kind is None:
                cur_kind, cur_line, cur_level = "paragraph", i + 1, 0
            cur.append((s, e, 0))
            prev_blank = False
            i += 1
            continue
        if fm and not (fm.group(2)[0] == "`" and "`" in fm.group(3)):
            flush()
            mark = fm.group(2)
            j = i + 1
            while j < n:
                cb = lines[j][2].strip()
                if cb.startswith(mark[0] * len(mark)) and not cb.strip(mark[0]):
                    break
                j += 1
            content_start = lines[i + 1][0] if i + 1 < n else e
            if j < n:
                content_end = lines[j][0]
                end = lines[j][1]
            else:
                content_end = end = len(text)
            fences.append(CodeFence(s, end, i + 1, fm.group(3).strip(), min(content_start, content_end), content_end))
            i = j + 1
            prev_blank = False
            continue
        if prev_blank and cur_kind is None and _INDENTED.match(body) and not (blocks and blocks[-1].kind == "list_item"):
            j = i
            last = i
            while j < n and (not lines[j][2].strip() or _INDENTED.match(lines[j][2])):
                if lines[j][2].strip():
                    last = j
                j += 1
            fences.append(CodeFence(s, lines[last][1], i + 1, "", s, lines[last][1], indented=True))
            i = last + 1
            prev_blank = False
            continue
        if body.lstrip().startswith("<!--") and cur_kind is None:
            # A comment block: recorded in ``comments`` (directives), never prose.
            j = i
            while j < n and "-->" not in lines[j][2]:
                j += 1
            i = j + 1
            prev_blank = False
            continue
        hm = _HEADING.match(body)
        if hm:
            flush()
            level = hm.group(1).count("#")
            cur_kind, cur_line, cur_level = "heading", i + 1, level
            cur.append((s, e, hm.end()))
            flush()
            i += 1
            prev_blank = False
            continue
        if _THEMATIC.match(body):
            flush()
            i += 1
            prev_blank = False
            continue
        qm = _QUOTE.match(body)
        if qm:
            if cur_kind != "blockquote":
                flush()
                cur_kind, cur_line, cur_level = "blockquote", i + 1, 0
            cur.append((s, e, qm.end()))
            i += 1
            prev_blank = False
            continue
        lm = _LIST.match(body)
        if lm and not (cur_kind == "paragraph" and not lm.group(3)):
            flush()
            cur_kind, cur_line, cur_level = "list_item", i + 1, 0
            cur.append((s, e, lm.end()))
            i += 1
            prev_blank = False
            continue
        if _TABLE.match(body) or (cur_kind == "table"):
            if cur_kind != "table":
                flush()
                cur_kind, cur_line, cur_level = "table", i + 1, 0
            cur.append((s, e, -1))  # -1: mask the cell separators of this row
            i += 1
            prev_blank = False
            continue
        if cur_kind is None and _LINK_DEF.match(body):
            i += 1
            prev_blank = False
            continue
        fd = _FOOTNOTE_DEF.match(body)
        if fd and cur_kind is None:
            cur_kind, cur_line, cur_level = "footnote", i + 1, 0
            cur.append((s, e, fd.end()))
            i += 1
            prev_blank = False
            continue
        if cur_kind is None and _HTML_START.match(body):
            j = i
            while j < n and lines[j][2].strip():
                j += 1
            i = j
            prev_blank = False
            continue
        if cur_kind in ("paragraph", "list_item", "footnote", "blockquote"):
            # Lazy continuation: leading indentation is layout, not text.
            indent = len(body) - len(body.lstrip(" \t"))
            cur.append((s, e, indent))
        else:
            flush()
            cur_kind, cur_line, cur_level = "paragraph", i + 1, 0
            cur.append((s, e, 0))
        i += 1
        prev_blank = False
    flush()
    return ParsedDoc(text, blocks, fences, comments, front)


def _make_block(text: str, kind: str, pieces: list[tuple[int, int, int]], line: int, level: int, markdown: bool) -> ProseBlock:
    start = pieces[0][0]
    end = pieces[-1][1]
    chunk = text[start:end]
    if not markdown and not _may_hold_url(chunk):
        # Plain text with no URL: nothing to mask (its blocks are paragraphs, and their
        # only prefixes are indentation, which masking leaves as is).
        return ProseBlock(kind, start, end, line, chunk, chunk, [], level)
    buf = list(chunk)
    spans: list[tuple[str, int, int]] = []
    for s, e, prefix in pieces:
        ls = s - start
        if prefix > 0:
            for k in range(ls, ls + prefix):
                if not buf[k].isspace():
                    buf[k] = MARKUP
        elif prefix == -1:
            row = chunk[ls : e - start]
            if _TABLE_SEP.match(row):
                for k in range(ls, e - start):
                    buf[k] = MARKUP
            else:
                for k, ch in enumerate(row):
                    if ch == "|":
                        buf[ls + k] = MARKUP
    if kind == "heading":
        # Closing hashes of an ATX heading are syntax.
        m = re.search(r"[ \t]+#+[ \t]*$", chunk)
        if m:
            for k in range(m.start(), m.end()):
                if not chunk[k].isspace():
                    buf[k] = MARKUP
    if markdown:
        _mask_inline(chunk, buf, spans)
    else:
        _mask_urls(chunk, buf, spans)
    spans.sort(key=lambda t: t[1])
    return ProseBlock(kind, start, end, line, chunk, "".join(buf), spans, level)


_CODE_RUN = re.compile(r"`+")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?/?>")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^\s<>]+>")
_URL = re.compile(r"(?:https?|ftp)(?:://|：／／)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+|www\.[A-Za-z0-9\-]+\.[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
# Emphasis: the content may not hold its own marker, so each attempt stops at the next
# marker and the scan stays linear (a lazy ``.+?`` is quadratic on ``*a *a *a …``).
_EMPH = re.compile(
    r"(\*\*|__)(?=\S)((?:[^*_\n]|[*_](?![*_])){1,300}?)(?<=\S)\1"
    r"|(~~)(?=\S)([^~\n]{1,300}?)(?<=\S)~~"
    r"|(?<![A-Za-z0-9*_\\])([*_])(?=[^\s*_])([^*_\n]{1,300}?)(?<=[^\s*_])\5(?![A-Za-z0-9*_])"
)


def _set(buf: list[str], s: int, e: int, ch: str) -> None:
    for k in range(s, e):
        if buf[k] not in MASKS and buf[k] != "\n":
            buf[k] = ch


def _may_hold_url(chunk: str) -> bool:
    """Whether ``_URL`` can match in ``chunk`` (a cheaper test than the scan)."""
    return "://" in chunk or "www." in chunk or "：／／" in chunk


def _mask_urls(chunk: str, buf: list[str], spans: list[tuple[str, int, int]]) -> None:
    if not _may_hold_url(chunk):
        return
    for m in _URL.finditer(chunk):
        e = m.end()
        while e > m.start() and chunk[e - 1] in ".,:;!?)'":
            if chunk[e - 1] == ")" and chunk.count("(", m.start(), e) >= chunk.count(")", m.start(), e):
                break
            e -= 1
        if buf[m.start()] in MASKS:
            continue
        _set(buf, m.start(), e, OPAQUE)
        spans.append(("url", m.start(), e))


def _mask_inline(chunk: str, buf: list[str], spans: list[tuple[str, int, int]]) -> None:
    # Code spans first: nothing inside them is Markdown.
    if "`" in chunk:
        runs = list(_CODE_RUN.finditer(chunk))
        used = set()
        for a_i, a in enumerate(runs):
            if a_i in used:
                continue
            for b_i in range(a_i + 1, len(runs)):
                b = runs[b_i]
                if b_i not in used and len(b.group()) == len(a.group()):
                    used.update((a_i, b_i))
                    _set(buf, a.start(), a.end(), MARKUP)
                    _set(buf, a.end(), b.start(), OPAQUE)
                    _set(buf, b.start(), b.end(), MARKUP)
                    spans.append(("code", a.start(), b.end()))
                    break
    masked = "".join(buf)
    if "<" in chunk:
        for m in _AUTOLINK.finditer(masked):
            _set(buf, m.start(), m.end(), OPAQUE)
            spans.append(("url", m.start(), m.end()))
        masked = "".join(buf)
        # Comments first, then the tags outside them.
        comments = [m.span() for m in _comment_matches(masked)]
        tags = [m.span() for m in _HTML_TAG.finditer(masked) if not inside(m.start(), comments)]
        for a, b in sorted(comments + tags):
            _set(buf, a, b, MARKUP)
            spans.append(("html", a, b))
        masked = "".join(buf)
    if "[" in chunk:
        _mask_links(masked, buf, spans)
        masked = "".join(buf)
    _mask_urls(masked, buf, spans)
    masked = "".join(buf)
    if "*" in chunk or "_" in chunk or "~~" in chunk:
        for m in _EMPH.finditer(masked):
            mark = len(m.group(1) or m.group(3) or m.group(5))
            _set(buf, m.start(), m.start() + mark, MARKUP)
            _set(buf, m.end() - mark, m.end(), MARKUP)
            spans.append(("emphasis", m.start(), m.end()))


def _pairs(s: str, open_ch: str, close_ch: str, line_only: bool = False) -> dict[int, int]:
    """Position of each opener -> its closer, in one pass (a blank line resets; with
    ``line_only`` every line end does: a link target never spans lines)."""
    out: dict[int, int] = {}
    stack: list[int] = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == open_ch:
            stack.append(i)
        elif c == close_ch:
            if stack:
                out[stack.pop()] = i
        elif c == "\n" and (line_only or (i + 1 < n and s[i + 1] == "\n")):
            stack.clear()
        i += 1
    return out


def _mask_links(masked: str, buf: list[str], spans: list[tuple[str, int, int]]) -> None:
    n = len(masked)
    square = _pairs(masked, "[", "]")
    if not square:
        return
    paren = _pairs(masked, "(", ")", line_only=True) if "(" in masked else {}
    i = 0
    while True:
        i = masked.find("[", i)
        if i < 0:
            return
        image = i > 0 and masked[i - 1] == "!"
        close = square.get(i, -1)
        if close < 0:
            i += 1
            continue
        if masked.startswith("^", i + 1) and (close + 1 >= n or masked[close + 1] != "("):
            _set(buf, i, close + 1, MARKUP)
            spans.append(("footnote", i, close + 1))
            i = close + 1
            continue
        nxt = masked[close + 1] if close + 1 < n else ""
        dest_end = -1
        if nxt == "(":
            dest_end = paren.get(close + 1, -1)
        elif nxt == "[":
            dest_end = square.get(close + 1, -1)
        if dest_end < 0:
            # [text] alone: a shortcut reference or plain brackets; leave as text.
            i += 1
            continue
        s0 = i - 1 if image else i
        if image:
            _set(buf, s0, dest_end + 1, MARKUP)
            spans.append(("image", s0, dest_end + 1))
        else:
            _set(buf, i, i + 1, MARKUP)
            _set(buf, close, dest_end + 1, MARKUP)
            spans.append(("link", i + 1, close))
            spans.append(("linkdest", close, dest_end + 1))
        i = dest_end + 1
