"""JA5xx: code in prose (lines that should be a fenced block).

Detection is ``ja_article_tools.code.detect.find_code_blocks``, imported lazily and run
only on prose blocks that contain a code-looking line (one regex over the block), so
plain prose costs nothing. Results are shared with the JA4xx rules through
:func:`code_blocks_in_prose`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..models import CodeBlock
from .engine import DocContext
from .registry import Hit, rule

# A line that may be code: a statement keyword at its start, an assignment, a call, a
# brace or semicolon, a shell prompt, an MT-damaged fence marker (「」 / ｀｀｀ / glued ```).
_CANDIDATE = re.compile(
    r"(?m)^[ \t]*(?:import|from|def|class|for|while|if|elif|else|return|print|const|let|var|function|"
    r"pip|npm|git|cd|ls|sudo|apt|docker|python3?|\$|>>>|#include)\b"
    r"|(?<![\w\u3040-\u30ff\u4e00-\u9fff])[A-Za-z_\u3040-\u30ff\u4e00-\u9fff][\w\u3040-\u30ff\u4e00-\u9fff]{0,30} ?[=＝] ?\S"
    # A call closing the line; the arguments stop at the next opening paren too, so each
    # ``(`` scans only to the next one (to the line end, a long line went quadratic).
    r"|\w\s?[(（][^()（）\n]*[)）]\s*$|[{};]\s*$|「\s?」|｀{3}|\S`{3}"
)


# In .txt files code lines are normal; only machine-translation damage is looked for:
# an MT fence marker, Japanese beside code punctuation, or MT's spaced-out calls.
_JA_CHAR = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_EQ = re.compile(r"[=＝]")
_AFTER_EQ_JA = re.compile(r" ?[\u3040-\u30ff\u4e00-\u9fff]+ ?[.。(（]")
_SPACED_CALL = re.compile(r" \. ?\w+ ?\(")


def _mt_candidate_positions(text: str) -> list[int]:
    """Offsets of machine-translation damage markers, sorted.

    Literal markers are found with ``str.find`` and the rest by a one-character class
    scan plus a check at each hit: a combined regex with look-behinds costs 30x more
    (``re`` cannot skip ahead on it)."""
    out: list[int] = []
    for lit in ("「」", "「 」", "｀｀｀", "```", "をインポート", "(「", "（「", " ."):
        pos = text.find(lit)
        while pos >= 0:
            ok = True
            if lit == "```":
                ok = pos > 0 and not text[pos - 1].isspace()  # glued after text, not a fence line
            elif lit in ("(「", "（「"):
                ok = pos > 0 and (text[pos - 1].isascii() and (text[pos - 1].isalnum() or text[pos - 1] == "_"))
            elif lit == " .":
                ok = pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_") and _SPACED_CALL.match(text, pos) is not None
            if ok:
                out.append(pos)
            pos = text.find(lit, pos + len(lit))
    for m in _EQ.finditer(text):
        i = m.start()
        before = text[i - 2 : i].strip()
        if (before and _JA_CHAR.match(before[-1])) or _AFTER_EQ_JA.match(text, i + 1):
            out.append(i)
    out.sort()
    return out


def code_blocks_in_prose(doc: DocContext) -> list[CodeBlock]:
    """Code blocks (document offsets) that the detector finds in prose.

    The detector runs on regions around candidate blocks (a candidate and its
    neighbours, merged), not on the whole file: it needs context across blank lines and
    headings (MT turns a ``# comment`` into a heading) but costs ~1 s per MB."""
    cached = getattr(doc, "_code_in_prose", None)
    if cached is not None:
        return cached
    out: list[CodeBlock] = []
    doc._code_in_prose = out  # type: ignore[attr-defined]
    try:
        from ..code.detect import find_code_blocks
    except ImportError:  # the detector is another engineer's module; lint works without it
        return out
    if doc.markdown:
        positions: Iterable[int] = sorted(set(m.start() for m in _CANDIDATE.finditer(doc.text)) | set(_mt_candidate_positions(doc.text)))
    else:
        positions = _mt_candidate_positions(doc.text)
    blocks = doc.blocks
    regions: list[list[int]] = []
    for k in _blocks_at(positions, doc):
        ctx = blocks[k]
        if ctx.kind in ("paragraph", "list_item", "blockquote", "heading"):
            lo, hi = max(0, k - 1), min(len(blocks) - 1, k + 1)
            if regions and lo <= regions[-1][1] + 1:
                regions[-1][1] = hi
            else:
                regions.append([lo, hi])
    text = doc.text
    fences = [(f.start, f.end) for f in doc.parsed.fences]
    for lo, hi in regions:
        base = blocks[lo].start
        end = blocks[hi].block.end
        first_line = blocks[lo].block.line
        try:
            found = find_code_blocks(text[base:end], markdown=doc.markdown)
        except Exception:  # noqa: BLE001 - another module's bug must not stop the lint
            continue
        for cb in found:
            if cb.detected_by not in ("heuristic", "mt-fence"):
                continue
            s, e = cb.start + base, cb.end + base
            if any(fs < e and s < fe for fs, fe in fences):
                continue  # overlaps a real fence: not prose
            out.append(CodeBlock(
                s, e, cb.line + first_line - 1, cb.language, cb.detected_by, cb.confidence, cb.text,
                cb.content_start + base if cb.content_start >= 0 else -1,
                cb.content_end + base if cb.content_end >= 0 else -1,
            ))
    return out


def _blocks_at(positions: Iterable[int], doc: DocContext) -> list[int]:
    """Indices of the blocks holding any of ``positions`` (sorted)."""
    starts = [c.start for c in doc.blocks]
    out: list[int] = []
    for pos in positions:
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and pos < doc.blocks[k].block.end and (not out or out[-1] != k):
            out.append(k)
    return out


def fenced_replacement(code: str, language: str) -> str:
    try:
        from ..code.rewrite import fenced
    except ImportError:
        tag = "" if language in ("", "text") else language
        return f"```{tag}\n{code.rstrip()}\n```"
    return fenced(code.rstrip("\n"), language)


def fence_edit(text: str, start: int, end: int, code: str, language: str) -> tuple[int, int, str]:
    """An edit replacing ``text[start:end]`` by a fence, with blank lines around it so
    the paragraph it sat in is closed before and reopened after."""
    rep = fenced_replacement(code, language)
    if start > 0 and text[start - 1] == "\n" and start > 1 and text[start - 2] != "\n":
        rep = "\n" + rep
    if end < len(text) and text[end] == "\n" and end + 1 < len(text) and text[end + 1] != "\n":
        rep = rep + "\n"
    return start, end, rep


def repaired(code: str, language: str | None) -> tuple[str, bool, float, str]:
    """``(code, changed, confidence, reasons)`` from the code-repair module, if present."""
    try:
        from ..code.repair import repair_code
    except ImportError:
        return code, False, 0.0, ""
    r = repair_code(code, language)
    reasons = ", ".join(sorted({x for e in r.edits for x in e.reason.split(",") if x}))
    return r.code, r.changed, r.confidence, reasons


@rule(
    "JA501",
    "code-in-prose",
    severity="warning",
    scope="document",
    fix="unsafe",
    options={"min_confidence": 0.6, "repair": True},
)
def code_in_prose(doc: DocContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """コードの行が地の文に混ざっている（コードブロックにすべき）。

    NG: 段落の中に ``env = gym.make("CartPole-v1")`` の行がそのまま置かれている →
    OK: ```` ```python ```` … ```` ``` ```` で囲む。The unsafe fix fences the lines and, with
    ``repair``, also applies the code repair (``ジムをインポート`` → ``import gym``). In .txt
    files only code that translation damaged is reported.
    """
    threshold = float(opt.get("min_confidence", 0.6))
    for cb in code_blocks_in_prose(doc):
        if cb.detected_by != "heuristic" or cb.confidence < threshold:
            continue
        code = doc.text[cb.start:cb.end]
        lang = cb.language
        new, changed, conf, _ = repaired(code, lang)
        if not doc.markdown and not (changed and conf >= threshold):
            continue  # .txt: code lines are normal there unless translation damaged them
        if opt.get("repair", True) and changed and conf >= threshold:
            code = new
        lines = code.count("\n") + 1
        yield Hit(cb.start, cb.end, f"{lines} 行のコード（{lang}）が地の文に置かれています。コードブロック（```{lang}）で囲みましょう。",
                  (fence_edit(doc.text, cb.start, cb.end, code, lang),))
