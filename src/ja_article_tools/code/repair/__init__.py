"""Repair of code blocks that machine translation mangled.

``repair_code(text, language=None)`` never raises and never runs the code: Python is
checked with ``ast`` only. Passes per language are small registered functions (see
``python.PYTHON_PASSES``, ``keywords.PYTHON_LINE_REWRITES``, ``shell.SHELL_PASSES``,
``javascript.JS_PASSES``).
"""

from __future__ import annotations

import difflib
import re

from ja_article_tools.models import CodeEdit, CodeRepair

from ..language import guess_language as content_language
from ..language import language_from_tag
from .clike import CLIKE_LANGUAGES, repair_clike
from .common import has_japanese, mask
from .fences import FENCE_LANGUAGES, strip_fences

__all__ = ["repair_code", "guess_language"]

_LANG_ALIASES = {
    "py": "python", "python3": "python", "python": "python",
    "sh": "shell", "bash": "shell", "shell": "shell", "console": "shell", "zsh": "shell", "shell-session": "shell",
    "js": "javascript", "javascript": "javascript", "jsx": "javascript", "mjs": "javascript",
    "ts": "typescript", "typescript": "typescript", "tsx": "typescript",
}

_SHELL_START = re.compile(
    r"^\s*(?:\$\s+|sudo\s+|--?[A-Za-z]|['\"`]\s*(?:python3?|pip3?|git|npm)\s|\w+\s*\(\s*python3?\s+\"?\$|"
    r"(?:import|export)\s+[A-Z_][A-Z0-9_]*=|python3?\s+(?:-m\s|\S+\.py\b)|"
    r"(?:pip3?|npm|npx|yarn|pnpm|git|cd|ls|mkdir|curl|wget|docker|brew|apt(?:-get)?|"
    r"export|conda|uv|poetry|make|chmod|cp|mv|rm|echo|source|sha256sum|claude|cargo|kubectl|helm)(?:\s|$))", re.I)
_PY_HINT = re.compile(
    r"^\s*(?:def |class |import |from \S+ import|@\w|print\(|return\b|with |for .+ in |if .+:|elif |"
    r"assert\s|[\w.]+\s*=\s*[\w.]+\(|.*(?:をインポート|インポート|を返す|の場合:|を使用:|をアサート|にありません|を印刷|の間:)|(?:印刷|プリント)\s)")
_JS_HINT = re.compile(r"(?:\bconst |\blet |\bvar |=>|\bfunction\b|console\.|;\s*$|\brequire\(|\bexport\b|import \{|\}\s*from\s*['\"])")
_TS_HINT = re.compile(r"(?::\s*(?:string|number|boolean|any)\b|\binterface\s+\w|\btype\s+\w+\s*=|<\w+>\(|\bas const\b)")


def normalize_language(language: str | None) -> str | None:
    if not language:
        return None
    key = language.strip().lower()
    if key in _LANG_ALIASES:
        return _LANG_ALIASES[key]
    if language.strip() in FENCE_LANGUAGES:
        return FENCE_LANGUAGES[language.strip()]
    return language_from_tag(key) or key


def _guess(body: str) -> str:
    """The repair's own guess (tuned on machine-translated Python, shell and JavaScript),
    unless the detector's content cues name another brace language: ``func``, ``:=``,
    ``fn``/``#[``, ``@Test``/``void``, ``val`` would otherwise be repaired as Python or
    JavaScript (a Go block's ``// 誤り:`` comment read as Python code)."""
    lang = guess_language(body)
    if lang == "shell":
        return lang
    other = content_language(body)
    return other if other in CLIKE_LANGUAGES else lang


def guess_language(text: str) -> str:
    """``python`` / ``shell`` / ``javascript`` / ``typescript`` / ``text`` from line cues."""
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith(("#", "//"))]
    if not lines:
        return "text"
    sh = sum(bool(_SHELL_START.match(ln)) for ln in lines)
    py = sum(bool(_PY_HINT.match(ln)) for ln in lines)
    js = sum(bool(_JS_HINT.search(ln)) for ln in lines)
    ts = sum(bool(_TS_HINT.search(ln)) for ln in lines)
    if sh and sh >= max(py, js) and sh * 2 >= len(lines):
        return "shell"
    if js > py or (js and re.search(r"\b(?:const|let)\s", text)):
        return "typescript" if ts else "javascript"
    if py:
        return "python"
    if sh:
        return "shell"
    code_like = sum(bool(re.search(r"[=(\[{]|:$", ln)) for ln in lines)
    return "python" if code_like * 2 >= len(lines) else "text"


def _edits(before: str, after: str, reasons: dict[int, list[str]]) -> tuple[CodeEdit, ...]:
    a, b = before.split("\n"), after.split("\n")
    edits: list[CodeEdit] = []
    if len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                edits.append(CodeEdit(i + 1, x, y, ",".join(dict.fromkeys(reasons.get(i, ["repair"])))))
        return tuple(edits)
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            x = a[i1 + k] if i1 + k < i2 else ""
            y = b[j1 + k] if j1 + k < j2 else ""
            edits.append(CodeEdit(i1 + min(k, max(i2 - i1 - 1, 0)) + 1, x, y, "fence" if not y else "repair"))
    return tuple(edits)


def _repair(text: str, language: str | None) -> CodeRepair:
    body, fence_lang, fenced = strip_fences(text)
    lang = normalize_language(language) or fence_lang or _guess(body)
    reasons: dict[int, list[str]] = {}
    confidence = 0.0
    unresolved: tuple[int, ...] = ()
    code = body
    if lang == "python":
        from .python import repair_python

        res = repair_python(body)
        code, confidence, reasons, unresolved = res.code, res.confidence, res.reasons, res.unresolved
    elif lang == "shell":
        from .shell import repair_shell

        code, confidence, reasons, unresolved = repair_shell(body)
    elif lang in ("javascript", "typescript"):
        from .javascript import repair_javascript

        code, confidence, reasons, unresolved = repair_javascript(body)
    elif lang in CLIKE_LANGUAGES:
        code, confidence, reasons, unresolved = repair_clike(body, lang)
    if fenced:
        tag = {"shell": "bash"}.get(lang or "", lang or "")
        code = f"```{tag}\n{code}\n```"
        reasons = {}
    changed = code != text
    if not changed:
        if lang not in ("python",):
            confidence = 0.0 if has_japanese(mask(text, "shell").text) else confidence
        return CodeRepair(text, lang or "text", False, confidence, (), unresolved)
    if fenced:
        confidence = max(confidence, 0.5)
        unresolved = tuple(n + 1 for n in unresolved)
    return CodeRepair(code, lang or "text", True, round(confidence, 3), _edits(text, code, reasons), unresolved)


def repair_code(text: str, language: str | None = None) -> CodeRepair:
    """Repair one code block that machine translation damaged.

    >>> repair_code("ジムをインポート").code
    'import gym'

    Never raises: on any internal error the text comes back unchanged with confidence 0.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        return _repair(text, language)
    except Exception:  # noqa: BLE001 - the contract is "never raise"
        return CodeRepair(text, normalize_language(language) or "text", False, 0.0, (), ())
