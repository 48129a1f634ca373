"""Guess the programming language of a code block, from its fence tag or its content.

Fence tags are looked up after NFKC, lower-casing and stripping 「」, in
``data/detect_fence_tags.json``, which also lists what machine translation made of the
tags (``パイソン`` -> python, ``「行く」`` -> go, ``「錆びる」`` -> rust). Without a usable
tag the content is scored per language with a few cheap line cues; the content may be
machine-translated, so cues that survive translation (brackets, ``=``, ``$ ``, ASCII
keywords, ``〜をインポート``) weigh most.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import regex
from re import _constants as _sre

from ..datafiles import tsv_rows
from . import pattern_tree

__all__ = ["guess_language", "language_from_tag", "LANGUAGES"]

_DATA = Path(__file__).with_name("data")

LANGUAGES = (
    "python", "shell", "javascript", "typescript", "json", "yaml", "toml", "ini", "java",
    "scala", "go", "rust", "c", "cpp", "csharp", "ruby", "php", "kotlin", "swift", "sql",
    "html", "xml", "css", "dockerfile", "makefile", "diff", "markdown", "text",
)


@lru_cache(maxsize=1)
def _fence_tags() -> dict[str, str]:
    raw = json.loads((_DATA / "detect_fence_tags.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


_TAG_TRIM = regex.compile(r"^[\s「『\"'{.]+|[\s」』\"'}.。:：]+$")


def language_from_tag(tag: str | None) -> str | None:
    """Map a fence info string to a language, or ``None`` if the tag says nothing.

    ``language_from_tag("「錆びる」")`` -> ``"rust"``; ``"Python テーマ={null}"`` -> ``"python"``.
    """
    if not tag:
        return None
    norm = unicodedata.normalize("NFKC", tag).strip().lower()
    norm = _TAG_TRIM.sub("", norm)
    if not norm:
        return None
    tags = _fence_tags()
    if norm in tags:
        return tags[norm]
    first = regex.split(r"[\s,{=]", norm, maxsplit=1)[0]
    first = _TAG_TRIM.sub("", first)
    if first in tags:
        return tags[first]
    if first.startswith("language-") and first[9:] in tags:
        return tags[first[9:]]
    return None


# (language, weight, pattern) cues, matched per line (MULTILINE) on the first 20k code points.
_CUES: tuple[tuple[str, float, str], ...] = (
    ("python", 3.0, r"^\s*(?:from\s+[\w.]+\s+import\b|import\s+[\w.]+\s*$|(?:async\s+)?def\s*\w+\s*\(|class\s+\w+\s*[(:])"),
    ("python", 2.0, r"^\s*(?:elif\b|except\b|with\s.*:$|for\s.+\sin\s.+:$|if\s.+:$|@\w[\w.]*(?:\(.*\))?$)"),
    ("python", 2.5, r"(?:を|として)\s*インポート|から(?:の)?\s*インポート|インポート.*から$|^\s*\S+\s*から\s*import|^\s*(?:クラス|デフォルト|非同期\s*デフォルト)\s*\S+\s*[(:：]|^\s*@[\w\p{Katakana}\p{Han}ー]+\s*\.|を使用\s*[:：]$|の場合\s*[:：]$|ラムダ\s\w+:|\bself\.|\bNone\b|\bTrue\b|\bFalse\b|^\s*print\s*\("),
    ("python", 1.0, r"^\s*[A-Za-z_]\w*(?:\.\w+)+\(.*\)\s*$|\bf\"|\blen\(|\.append\(|^\s*(?!const\b|let\b|var\b|export\b|import\b|set\b)[\w.\[\]\"' ]+\s*=\s*[^=;\s][^;]*$"),
    ("shell", 3.0, r"^\s*(?:\$|#)\s+(?:sudo\s+)?(?:apt|apt-get|pip3?|npm|git|cd|ls|python3?|curl|wget|docker|make|export|echo|mkdir|chmod)\b"),
    ("shell", 2.5, r"^\s*\$\s+\S|^\s*(?:sudo\s+)?(?:apt|apt-get|pip3?|pipx|npm|npx|yarn|pnpm|git|cd|curl|wget|docker|kubectl|brew|export|sha256sum|chmod|mkdir|uv)\s+\S"),
    ("shell", 3.0, r"^\s*(?:export|import|set)\s+[A-Z_][A-Z0-9_]*="),
    ("shell", 1.5, r"\s\\$|\s--?[A-Za-z\p{Katakana}\p{Han}][\w-]*|^\s*#!/bin/(?:ba)?sh|\|\s*(?:grep|sed|awk|xargs)\b"),
    ("javascript", 3.0, r"^\s*(?:const|let|var)\s+[\w{\[$]|^\s*function\b|=>|console\.\w+\(|require\(|^\s*import\s*[{*]|^\s*export\s+(?:default|const|function)"),
    ("javascript", 1.0, r";\s*$"),
    ("typescript", 3.5, r"^\s*(?:export\s+)?(?:interface|type)\s+\w+|:\s*(?:string|number|boolean|void|any|unknown)\b(?!\s*=\s*\S+\s+#)|\bas\s+const\b|<\w+>\(|^\s*import\s+type\b"),
    ("json", 0.0, r"^\s*[{\[]"),
    ("yaml", 2.0, r"^\s*[\w.-]+:\s+\S|^\s*[\w.-]+:\s*$|^\s*-\s+[\w\"']"),
    ("go", 4.0, r"^\s*package\s+\w+\s*$|^\s*func\s+(?:\(\w+\s+\*?\w+\)\s*)?\w+\(|:=|\bfmt\.\w+"),
    ("rust", 4.0, r"^\s*(?:pub\s+)?fn\s+\w+|\blet\s+mut\b|\w+::\w+|\bimpl\b|#\[\w+|\b(?:println|assert|アサート)!\("),
    # a macro call (vec![…], 印刷!(…)): no other brace language puts ! between a name and its bracket
    ("rust", 2.0, r"[\w\p{Katakana}\p{Han}ー]+!\s*[(\[]"),
    ("java", 3.5, r"^\s*(?:public|private|protected)\s+(?:static\s+)?(?:class|void|\w+)\s|\bSystem\.out\.|^\s*@(?:Test|Override|テスト)\b|^\s*void\s+\w+\s*\("),
    ("java", 3.5, r"^\s*(?:公開|パブリック|プライベート|非公開)\s+(?:(?:静的|最終|ファイナル)\s+)*(?:クラス|ボイド|\S+\s+\w+\s*\()|^\s*@オーバーライド\s*$|\bnew\s+[A-Z]\w*<>\(|^\s*[A-Z]\w*<[^>=]*>\s+\w+\s*=[^=>]"),
    ("kotlin", 4.5, r"^\s*(?:(?:private|public|override|suspend|inline)\s+)*(?:fun|楽しい)\s+(?:<[^>]*>\s*)?[\w.]+\s*\(|^\s*(?:data\s+class|companion\s+object)\b"),
    ("csharp", 4.0, r"^\s*using\s+System\b|\bConsole\.Write(?:Line)?\(|^\s*\[(?:Test|Fact|Theory|TestMethod|HttpGet|HttpPost|テスト|事実)\]\s*$|\bpublic\s+(?:async\s+)?Task\b"),
    ("swift", 5.0, r"^\s*func\s+\w+\s*\([^)]*\)\s*(?:async\s+)?(?:throws\s+)?->|^\s*guard\s+.+\belse\s*\{|^\s*import\s+(?:SwiftUI|UIKit|Foundation)\s*$"),
    ("scala", 3.5, r"^\s*(?:object|case class|trait)\s+\w+|^\s*val\s+\w+\s*[:=]|^\s*def\s+\w+.*\)\s*:\s*[\w\[\]]+\s*=|^\s*def\s+\w+.*\)\s*=\s*\S"),
    ("c", 3.0, r"^\s*#include\s*[<\"]|\bprintf\s*\(|\bint\s+main\s*\("),
    ("sql", 3.0, r"^\s*(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE\s+TABLE|ALTER\s+TABLE)\b"),
    ("html", 3.0, r"^\s*<(?:!DOCTYPE|html|div|span|p|a|script|head|body|ul|li|table)\b"),
    ("xml", 3.0, r"^\s*<\?xml\b"),
    ("dockerfile", 3.5, r"^(?:FROM|RUN|COPY|WORKDIR|ENTRYPOINT|CMD|ENV|EXPOSE)\s+\S"),
    ("makefile", 3.0, r"^[\w.-]+\s*:(?!=)[^=]*$\n\t"),
    ("diff", 4.0, r"^(?:@@ .* @@|--- a/|\+\+\+ b/|diff --git)"),
    ("ini", 2.0, r"^\s*\[[\w. \"-]+\]\s*$"),
    ("toml", 1.0, r"^\s*[\w.-]+\s*=\s*(?:\"|\d|\[|true|false)"),
    ("css", 2.5, r"^\s*[.#]?[\w-]+\s*\{\s*$|^\s*[\w-]+\s*:\s*[^;]+;\s*$"),
)


def _required_substrings(pattern: str) -> tuple[str, ...]:
    """Literal strings of which every match of ``pattern`` contains at least one, read off the
    stdlib parser's syntax tree; ``()`` when none is known (then nothing may be skipped).

    ``\\w+::\\w+|\\bimpl\\b`` -> ``("::", "impl")``. A cue whose strings are all absent from a
    block has no match there, so its scan can be skipped without changing any count.
    """
    if regex.search(r"\(\?[a-zA-Z]*i", pattern):
        return ()  # (?i) breaks literals
    parsed = pattern_tree.parse(pattern)
    if parsed is None:
        return ()
    return tuple(sorted(_seq_substrings(list(parsed[0])) or ()))


def _seq_substrings(items: list) -> frozenset[str] | None:
    """The most selective requirement of a sequence: one of its runs of literal characters, or
    a requirement of a mandatory group inside it."""
    options: list[frozenset[str]] = []
    run = ""
    for op, av in items + [(None, None)]:
        if op is _sre.LITERAL and not pattern_tree.is_placeholder(av):
            run += chr(av)
            continue
        if run:
            options.append(frozenset((run,)))
            run = ""
        inner: frozenset[str] | None = None
        if op is _sre.SUBPATTERN:
            inner = _seq_substrings(list(av[3]))
        elif op is _sre.ATOMIC_GROUP:
            inner = _seq_substrings(list(av))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _seq_substrings(list(av[2]))
        elif op is _sre.BRANCH:
            per_branch = [_seq_substrings(list(b)) for b in av[1]]
            if all(per_branch):
                inner = frozenset().union(*per_branch)  # type: ignore[arg-type]
        if inner:
            options.append(inner)
    if not options:
        return None
    return max(options, key=lambda o: (min(map(len, o)), -len(o)))


# (language, weight, compiled pattern, strings one of which a match needs)
_CUE_RES = tuple(
    (lang, w, regex.compile(p, regex.M), _required_substrings(p)) for lang, w, p in _CUES
)
_JSON_SHAPE = regex.compile(r'^\s*[{\[]\s*(?:"[^"\n]*"\s*:|[{\["\d-]|$)')
_CAP = 20_000


def _looks_like_json(code: str) -> bool:
    s = code.strip()
    if not s or s[0] not in "{[" or s[-1] not in "}]":
        return False
    if regex.search(r"^\s*(?:const|let|var|def|import|return)\b|=(?!=)|\(\)", s[:_CAP], regex.M):
        return False
    return bool(_JSON_SHAPE.match(s))


@lru_cache(maxsize=1)
def command_names() -> frozenset[str]:
    """Shell command names (``data/detect_commands.txt``: ``apt``, ``git``, ``npm`` …), read once
    for both language guessing and the line scorer of :mod:`.detect`."""
    return frozenset(row[0].strip() for row in tsv_rows(_DATA / "detect_commands.txt") if row[0].strip())


_COMMAND_LINE = regex.compile(r"^\s*(?:[$%#]\s+)?(?:sudo\s+)?([\w.+-]+)\s+(?![=(:.,]|\S*\p{Hiragana})\S", regex.M)


def _command_lines(code: str) -> int:
    """Lines starting with a known command followed by a non-sentence argument."""
    names = command_names()
    return sum(1 for m in _COMMAND_LINE.finditer(code) if m.group(1) in names)


_NAMEABLE = frozenset({
    "python", "typescript", "javascript", "java", "scala", "rust", "golang", "kotlin", "swift",
    "ruby", "php", "bash", "shell", "powershell", "sql", "yaml", "json", "html", "css", "dockerfile",
})
_FIRST_COMMENT = regex.compile(r"^\s*(?://|#(?!!)|--)\s*([A-Za-z][\w+#]*)(?:\s|$|[—:–-])")


def _language_named_in_first_comment(code: str) -> str | None:
    """``// Scala — 誤り: …`` as the first line names the language (articles that show one
    example per language start each block like this)."""
    for line in code[:2000].splitlines():
        if not line.strip():
            continue
        m = _FIRST_COMMENT.match(line)
        if not m:
            return None
        # only unambiguous full names: "# Go to …", "# Make sure …" name no language
        return _fence_tags().get(m.group(1).lower()) if m.group(1).lower() in _NAMEABLE else None
    return None


def guess_language(code: str, hint: str | None = None) -> str:
    """The language of ``code``: the fence tag if it names one, else the content's best guess.

    ``guess_language("phoenix.otelインポートレジスタから\\nregister(project_name=\\"x\\")")``
    -> ``"python"``; ``guess_language("$ git クローン https://example.com/r.git")`` -> ``"shell"``;
    ``guess_language("x", hint="バッシュ")`` -> ``"shell"``.
    """
    from_tag = language_from_tag(hint)
    if from_tag is not None:
        return from_tag
    if _looks_like_json(code):
        return "json"
    named = _language_named_in_first_comment(code)
    if named is not None:
        return named
    head = code[:_CAP]
    scores: dict[str, float] = {}
    for lang, weight, pattern, needs in _CUE_RES:
        if weight <= 0 or (needs and not any(n in head for n in needs)):
            continue
        hits = sum(1 for _ in pattern.finditer(head))
        if hits:
            scores[lang] = scores.get(lang, 0.0) + weight * min(hits, 6)
    commands = _command_lines(head)
    if commands:
        scores["shell"] = scores.get("shell", 0.0) + 2.0 * min(commands, 6)
    if not scores:
        return "text"
    # key = value cues also fire on keyword arguments: TOML/INI have no calls.
    if "(" in head:
        scores.pop("toml", None)
        scores.pop("ini", None)
        if not scores:
            return "text"  # only TOML/INI cues, and those do not hold with calls present
    # TypeScript is JavaScript plus types: only claim it when JavaScript cues are there too.
    if "typescript" in scores:
        scores["typescript"] += scores.get("javascript", 0.0)
    # YAML cues ("key: value") also fire on Python dicts and prose-like lines; demand dominance.
    if "yaml" in scores and any(scores.get(k, 0) > 0 for k in ("python", "javascript", "json")):
        scores["yaml"] *= 0.3
    best = max(scores.items(), key=lambda kv: kv[1])
    # A short snippet may carry one weak cue only; accept it when nothing contradicts it.
    return best[0] if best[1] >= 2.0 or (best[1] >= 1.0 and len(scores) == 1) else "text"
