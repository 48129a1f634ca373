"""Fence repair: 「」パイソン … 「」 (MT's rendering of ```python … ```) back to Markdown fences."""

from __future__ import annotations

import re

from .common import load_json

FENCE_LANGUAGES: dict[str, str] = {k: v for k, v in load_json("repair_fence_languages.json").items()
                                   if not k.startswith("_")}

_OPEN = re.compile(r"^\s*(?P<fence>```+|~~~+|「」|『』|」「)\s*「?(?P<tag>[^\s」{=]*)」?(?P<extra>.*)$")
_CLOSE = re.compile(r"^\s*(?:```+|~~~+|「」|『』|」「)\s*$")


def fence_language(tag: str) -> str | None:
    tag = tag.strip().strip("「」")
    if not tag:
        return None
    if tag in FENCE_LANGUAGES:
        return FENCE_LANGUAGES[tag]
    low = tag.lower()
    return {"py": "python", "python": "python", "python3": "python", "bash": "shell", "sh": "shell",
            "shell": "shell", "console": "shell", "zsh": "shell", "js": "javascript", "javascript": "javascript",
            "ts": "typescript", "typescript": "typescript", "json": "json"}.get(low, low)


def strip_fences(text: str) -> tuple[str, str | None, bool]:
    """Return the block without an MT-broken fence pair, and the fence's language.

    ``「」パイソン\\nx = 1\\n「」`` → (``x = 1``, ``python``). Intact ``` fences are stripped
    too: the caller puts a standard fence back (see ``restore_fence``).
    """
    lines = text.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    if first is None or last is None or first == last:
        return text, None, False
    m = _OPEN.match(lines[first])
    if not m or not _CLOSE.match(lines[last]):
        return text, None, False
    lang = fence_language(m.group("tag"))
    body = lines[first + 1 : last]
    while body and not body[0].strip():
        body.pop(0)
    return "\n".join(body), lang, True
