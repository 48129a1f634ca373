"""Writing an article back with its code blocks repaired and properly fenced.

Prose is left byte for byte as it was. A block is rewritten when its repair changed it
or when it was not in a proper fence (a fence broken by translation, or code pasted into
prose): it then gets a ``` fence with its language tag. Real fences and indented code
that needed no repair stay exactly as written.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models import CodeBlock

__all__ = ["rewrite_code_blocks", "fenced"]


def fenced(code: str, language: str) -> str:
    """``code`` in a backtick fence long enough not to be closed by the code itself."""
    longest = 0
    run = 0
    for ch in code:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    tag = "" if language in ("", "text") else language
    body = code if code.endswith("\n") else code + "\n"
    return f"{fence}{tag}\n{body}{fence}"


def _replacement(text: str, cb: CodeBlock, newline: str) -> str | None:
    r = cb.repair
    changed = r is not None and r.changed
    if cb.detected_by in ("fence", "indent") and not changed:
        return None
    code = r.code if changed else text[cb.content_start if cb.content_start >= 0 else cb.start : cb.content_end if cb.content_end >= 0 else cb.end]
    language = r.language if r is not None and r.language else cb.language
    if cb.detected_by == "fence" and changed:
        # Keep the author's fence line; replace only the content.
        s, e = cb.content_start, cb.content_end
        return text[cb.start : s] + code.rstrip("\n") + ("\n" if text[s:e].endswith("\n") else "") + text[e : cb.end]
    return fenced(code.rstrip("\n"), language).replace("\n", newline)


def rewrite_code_blocks(text: str, code_blocks: Sequence[CodeBlock], newline: str = "\n") -> str:
    """``text`` with each repaired or unfenced block replaced (see the module doc);
    new fences use ``newline``, the article's own line end."""
    parts: list[str] = []
    pos = 0
    for cb in sorted(code_blocks, key=lambda c: c.start):
        new = _replacement(text, cb, newline)
        if new is None or cb.start < pos:
            continue
        parts.append(text[pos : cb.start])
        parts.append(new)
        pos = cb.end
    parts.append(text[pos:])
    return "".join(parts)
