"""Structure: source text -> blocks (title, headings, paragraphs, lists, quotes, code...).

Markdown goes through markdown-it-py (CommonMark plus tables and front matter), whose
line maps we turn into code-point spans of the source. Plain text, the usual shape of
machine-translated posts, is split into runs of non-blank lines; a run of one short
line that does not read as a sentence is a heading (``1. 強化学習トレーニング場:ジム``,
``OpenAIとオープンソース``).

Code is the one exception to "markdown-it decides": code blocks come from
:func:`ja_article_tools.code.detect.find_code_blocks`, which also finds fences broken by
translation and code pasted into prose, and every other block is cut around them.

The title is the front-matter ``title``, else the first H1, else the first heading-like
line that is not site chrome: a lone Latin word such as a site name above the title
(``DUICUO``) is ``metadata``, not the title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .models import LINE_END, Block, CodeBlock, LineIndex

__all__ = ["Structure", "analyse", "PROSE_KINDS"]

PROSE_KINDS = frozenset({"title", "heading", "paragraph", "list_item", "blockquote", "table"})


@dataclass(frozen=True, slots=True)
class Structure:
    blocks: tuple[Block, ...]
    code_blocks: tuple[CodeBlock, ...]
    title: Block | None
    markdown: bool


def analyse(text: str, markdown: bool, code_blocks: Sequence[CodeBlock] | None = None) -> Structure:
    if code_blocks is None:
        from .code.detect import find_code_blocks

        code_blocks = find_code_blocks(text, markdown=markdown)
    lines = LineIndex(text)
    code_lines = _lines_covered(code_blocks, lines)
    if markdown:
        raw = _markdown_blocks(text, lines)
    else:
        raw = _plain_blocks(text, lines, code_lines)
    blocks = [b for r in raw for b in _cut_around(r, code_lines, text, lines)]
    for cb in code_blocks:
        blocks.append(
            Block("code", cb.start, cb.end, cb.line, cb.text, 0,
                  {"language": cb.language, "detected_by": cb.detected_by})
        )
    blocks.sort(key=lambda b: (b.start, b.end))
    blocks, title = _choose_title(blocks, text)
    return Structure(tuple(blocks), tuple(code_blocks), title, markdown)


# --------------------------------------------------------------------------- helpers


def _line_span(text: str, lines: LineIndex, first: int, last: int) -> tuple[int, int]:
    """Span of 0-based lines ``first..last`` inclusive, without the final line end and
    without leading/trailing white space."""
    start = lines.line_start(first + 1)
    end = lines.line_start(last + 2) if last + 2 <= lines.count else len(text)
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _lines_covered(code_blocks: Sequence[CodeBlock], lines: LineIndex) -> set[int]:
    covered: set[int] = set()
    for cb in code_blocks:
        first = lines.line(cb.start) - 1
        last = lines.line(max(cb.start, cb.end - 1)) - 1
        covered.update(range(first, last + 1))
    return covered


def _block(kind: str, text: str, lines: LineIndex, start: int, end: int, level: int = 0, info=None) -> Block:
    return Block(kind, start, end, lines.line(start), text[start:end], level, info or {})


def _cut_around(block: Block, code_lines: set[int], text: str, lines: LineIndex) -> list[Block]:
    """The parts of ``block`` on lines that are not code."""
    if not code_lines or block.kind in ("code", "front_matter"):
        return [block]
    first = lines.line(block.start) - 1
    last = lines.line(max(block.start, block.end - 1)) - 1
    if not any(i in code_lines for i in range(first, last + 1)):
        return [block]
    out = []
    run_start = None
    for i in range(first, last + 2):
        inside = i <= last and i not in code_lines
        if inside and run_start is None:
            run_start = i
        elif not inside and run_start is not None:
            s, e = _line_span(text, lines, run_start, i - 1)
            s, e = max(s, block.start), min(e, block.end)
            if e > s:
                out.append(_block(block.kind, text, lines, s, e, block.level, dict(block.info)))
            run_start = None
    return out


# --------------------------------------------------------------------------- Markdown

_md_parser = None


def _md():
    global _md_parser
    if _md_parser is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.front_matter import front_matter_plugin

        _md_parser = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    return _md_parser


def _markdown_blocks(text: str, lines: LineIndex) -> list[Block]:
    tokens = _md().parse(text)
    out: list[Block] = []
    containers: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        t = tok.type
        if t in ("list_item_open", "blockquote_open"):
            containers.append("list_item" if t == "list_item_open" else "blockquote")
        elif t in ("list_item_close", "blockquote_close"):
            if containers:
                containers.pop()
        elif t == "front_matter" and tok.map:
            s, e = _line_span(text, lines, tok.map[0], tok.map[1] - 1)
            out.append(_block("front_matter", text, lines, s, e, 0, {"keys": parse_front_matter(tok.content)}))
        elif t == "heading_open" and i + 1 < n and tokens[i + 1].map:
            inline = tokens[i + 1]
            s, e = _line_span(text, lines, inline.map[0], inline.map[1] - 1)
            if tok.markup.startswith("#"):
                s, e = _atx_content(text, s, e)
            if e > s:
                out.append(_block("heading", text, lines, s, e, int(tok.tag[1])))
        elif t == "paragraph_open" and tok.map:
            s, e = _line_span(text, lines, tok.map[0], tok.map[1] - 1)
            kind = containers[-1] if containers else "paragraph"
            s = _skip_container_markers(text, s, e)
            if e > s:
                out.append(_block(kind, text, lines, s, e))
        elif t == "table_open" and tok.map:
            s, e = _line_span(text, lines, tok.map[0], tok.map[1] - 1)
            out.append(_block("table", text, lines, s, e))
        elif t == "html_block" and tok.map:
            s, e = _line_span(text, lines, tok.map[0], tok.map[1] - 1)
            if e > s:
                out.append(_block("html", text, lines, s, e))
        elif t == "hr" and tok.map:
            s, e = _line_span(text, lines, tok.map[0], tok.map[1] - 1)
            out.append(_block("thematic_break", text, lines, s, e))
        i += 1
    return out


_ATX = regex.compile(r"#{1,6}[ \t]*")
_ATX_CLOSE = regex.compile(r"[ \t]+#+[ \t]*$|^#+[ \t]*$")


def _atx_content(text: str, s: int, e: int) -> tuple[int, int]:
    m = _ATX.match(text, s, e)
    if m:
        s = m.end()
    m = _ATX_CLOSE.search(text, s, e)
    if m:
        e = m.start()
    return s, e


_MARKERS = regex.compile(r"(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?:[ \t]+|(?=\n)|$))+")


def _skip_container_markers(text: str, s: int, e: int) -> int:
    m = _MARKERS.match(text, s, e)
    return m.end() if m else s


_FM_LINE = regex.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:[ \t]*(.*)$")


def parse_front_matter(content: str) -> dict[str, object]:
    """Top-level keys of YAML front matter: scalars, ``[a, b]`` and ``- item`` lists.

    A deliberate subset (no PyYAML dependency): nested mappings are kept as raw text.

    >>> parse_front_matter("title: 機械学習入門\\ntags: [python, 入門]")
    {'title': '機械学習入門', 'tags': ['python', '入門']}
    """
    out: dict[str, object] = {}
    key = None
    for line in content.splitlines():
        m = _FM_LINE.match(line)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if value.startswith("[") and value.endswith("]"):
                out[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
            else:
                out[key] = _unquote(value) if value else None
        elif key and line.strip().startswith("- "):
            current = out.get(key)
            items = current if isinstance(current, list) else []
            items.append(_unquote(line.strip()[2:]))
            out[key] = items
        elif key and line.startswith((" ", "\t")) and line.strip():
            prev = out.get(key)
            out[key] = (prev + "\n" if isinstance(prev, str) else "") + line.strip()
    return out


def _unquote(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    return v


# --------------------------------------------------------------------------- plain text

_LIST_ITEM = regex.compile(r"^[ \t　]*(?:[・•●○▪‣◦*\-+]|[①-⑳]|\(\d{1,2}\)|（\d{1,2}）)[ \t　]*\S")
# Marks Japanese blogs put before section headings: ■ 開催概要, ◆ まとめ, 【結論】
_HEADING_MARK = regex.compile(r"^[ \t]*[■□◆◇▼▽▶►◎]|^[ \t]*【[^】\n]{1,20}】")
_NUMBERED = regex.compile(r"^[ \t]*(?:\d{1,2}|[０-９]{1,2})(?:[.．、)）]|\s)[ \t　]*\S")
_QUOTE = regex.compile(r"^[ \t]*[>＞][ \t]?")
_SENTENCE_END = regex.compile(r"[。．]\s*$|[。．][」』）)]\s*$")
_URLISH = regex.compile(r"[a-z][a-z0-9+.-]*://|www\.", regex.IGNORECASE)
_LONE_LATIN = regex.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._&'-]{0,30}$")


def _heading_like(line: str, max_len: int = 40) -> bool:
    """A standalone line that reads as a heading rather than a sentence. Titles may be
    longer (``max_len=80``) than section headings."""
    s = line.strip()
    if not s or len(s) > max(60, max_len) or _URLISH.search(s) or "|" in s or "@" in s:
        return False
    if _SENTENCE_END.search(s) or s.endswith(("、", ",", "：", ":", "…")):
        return False
    if _NUMBERED.match(s) or _HEADING_MARK.match(s):
        return True
    if len(s) > max_len or s.count("、") > max_len // 40:
        return False
    # "key: value" metadata lines ("スター数: 29.2k") are not headings.
    if regex.search(r"[:：]\s", s) and not regex.match(r"^\d", s):
        return False
    return bool(regex.search(r"[\p{Han}\p{Hiragana}\p{Katakana}A-Za-z]", s))


def _plain_blocks(text: str, lines: LineIndex, code_lines: set[int]) -> list[Block]:
    out: list[Block] = []
    # Not str.splitlines(): it also splits at \f, \x85, \u2028..., which LineIndex does not.
    all_lines = LINE_END.split(text)
    n = len(all_lines)
    i = 0
    while i < n:
        if not all_lines[i].strip() or i in code_lines:
            i += 1
            continue
        j = i
        while j + 1 < n and all_lines[j + 1].strip() and j + 1 not in code_lines:
            j += 1
        run = all_lines[i : j + 1]
        if len(run) > 1 and (_NUMBERED.match(run[0]) or _HEADING_MARK.match(run[0])) and _heading_like(run[0]) \
                and not any(_NUMBERED.match(x) for x in run[1:]):
            # "1. AIによる異常検知" with its paragraph directly below, no blank line between.
            s, e = _line_span(text, lines, i, i)
            out.append(_block("heading", text, lines, s, e, 2))
            i += 1
            run = run[1:]
        if len(run) > 1 and all(_LIST_ITEM.match(x) or _NUMBERED.match(x) for x in run):
            for k in range(i, j + 1):
                s, e = _line_span(text, lines, k, k)
                out.append(_block("list_item", text, lines, s, e))
        elif all(_QUOTE.match(x) for x in run):
            s, e = _line_span(text, lines, i, j)
            out.append(_block("blockquote", text, lines, s, e))
        elif len(run) == 1 and _heading_like(run[0]):
            s, e = _line_span(text, lines, i, i)
            level = 2 if _NUMBERED.match(run[0]) or _HEADING_MARK.match(run[0]) else 3
            out.append(_block("heading", text, lines, s, e, level))
        else:
            s, e = _line_span(text, lines, i, j)
            out.append(_block("paragraph", text, lines, s, e))
        i = j + 1
    return out


def _choose_title(blocks: list[Block], text: str) -> tuple[list[Block], Block | None]:
    """Mark the title block; site chrome above it becomes ``metadata``."""
    for b in blocks:
        if b.kind == "front_matter":
            title = b.info.get("keys", {}).get("title")
            if isinstance(title, str) and title:
                pos = text.find(title, b.start, b.end)
                if pos >= 0:
                    return blocks, Block("title", pos, pos + len(title), b.line + text.count("\n", b.start, pos), title, 1, {"from": "front_matter"})
            break
    for i, b in enumerate(blocks):
        if b.kind == "heading" and b.level == 1:
            out = _retitle(blocks, i, "h1")
            return out, out[i]
    out = list(blocks)
    lead = [i for i, b in enumerate(out) if b.kind not in ("code", "front_matter", "html", "thematic_break")][:3]
    for n, i in enumerate(lead):
        b = out[i]
        if not _title_like(b):
            break
        nxt = out[lead[n + 1]] if n + 1 < len(lead) else None
        if _is_site_chrome(b, nxt):
            out[i] = Block("metadata", b.start, b.end, b.line, b.text, 0, {"role": "site"})
            continue
        t = _as_title(b, "first-line")
        out[i] = t
        return out, t
    return out, None


def _title_like(b: Block) -> bool:
    return (
        b.kind in ("heading", "paragraph")
        and "\n" not in b.text
        and len(b.text) <= 80
        and not _SENTENCE_END.search(b.text)
    )


def _is_site_chrome(b: Block, nxt: Block | None) -> bool:
    """A site name above the title: a lone Latin word (``DUICUO``), or a short line
    directly followed by a longer title-like line (``開発者ブログ ハヤテ`` above
    ``初心者のための Git ワークフロー入門``). A numbered or marked line is a section."""
    text = b.text.strip()
    if _NUMBERED.match(text) or _HEADING_MARK.match(text):
        return False
    if _LONE_LATIN.match(text):
        return True
    return (
        nxt is not None
        and "\n" not in nxt.text
        and _heading_like(nxt.text, max_len=80)
        and not _NUMBERED.match(nxt.text)
        and len(text) <= 20
        and len(nxt.text.strip()) >= len(text) + 4
    )


def _as_title(b: Block, source: str) -> Block:
    return Block("title", b.start, b.end, b.line, b.text, 1, {"from": source})


def _retitle(blocks: list[Block], i: int, source: str) -> list[Block]:
    out = list(blocks)
    out[i] = _as_title(blocks[i], source)
    return out
