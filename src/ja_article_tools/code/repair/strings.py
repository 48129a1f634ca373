"""Identifier-like string literals that machine translation turned into Japanese.

MT translates string literals along with the prose around them. Most are text and stay
text (``"Hello!"`` → ``"こんにちは!"``: the English cannot be recovered and the program
still runs). But many literals are *names*: dictionary keys, DataFrame columns, span
attribute keys, labels and identifiers that other code looks up
(``df["関連性_スコア"]``, ``{"キー": "値"}``, ``"ドキュメント.id"``, ``"私のアプリ"``).
The program only works with their original spelling, and the words are short enough for
the identifier glossary to give it back.

A literal is **key-like** when its text is a few words and nothing else: Japanese words,
ASCII words and digits joined by ``_ - . / :``; no spaces (but the one MT puts between
Japanese and ASCII: ``スパン ID-1``), no sentence punctuation, and no
particle or auxiliary but the の of ``私の`` (``"エラーです"`` is a sentence; ``答え`` and
``正確さ`` are words). Each Japanese run becomes
English words through :func:`.identifiers.segment` (glossary, UniDic loanword origin),
preferring a rendering the block already spells in ASCII (``クエリ`` → ``query`` when the
block says ``query``); the words are joined the way the literal joins its parts
(``ラグ|パイプライン-v2`` → ``…-pipeline-v2``), else the way the block's ASCII keys are
joined (kebab-case ``my-app`` or snake_case ``status_code``), else with ``_``.

A literal handed straight to output or to an error (``print(…)``, ``console.log(…)``,
``ValueError(…)``) is text for people and is left alone. The passes that use this run
only where MT reached the code itself (a keyword or a name
was back-translated): a program whose Japanese strings are its own is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import regex

from .common import JA_CHAR, JA_RE, STR_PLACEHOLDER_RE, code_only
from .identifiers import segment, split_words

_MAX_KEY_CHARS = 48
_KEY_LIKE = regex.compile(rf"[{JA_CHAR}A-Za-z0-9_.\-/:]+")
# MT puts a space between Japanese and ASCII (``span-id-1`` → ``スパン ID-1``): such a space
# is the literal's own joiner, not prose; a space between two Japanese words is prose.
_MT_SPACE = regex.compile(rf"(?<=[{JA_CHAR}]) (?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) (?=[{JA_CHAR}])")
_MAX_MT_SPACES = 2
_PART_SPLIT = re.compile(r"([_.\-/:])")
_RUNS = regex.compile(rf"[{JA_CHAR}]+|[A-Za-z0-9]+")
_HIRAGANA = regex.compile(r"\p{Hiragana}")
# Hiragana words that make a literal prose: particles and auxiliaries (the の of 私の aside).
_PROSE_POS = ("助詞", "助動詞")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
_SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
# A literal handed straight to output or an error is text for people, whatever its length:
# ``console.log("ワン")`` stays (``ワン`` was "Woof", not a name).
_DISPLAY_CALL = re.compile(
    r"(?:\bprint\w*|\bconsole\.\w+|\blog(?:ger|ging)?\.\w+|\balert|\becho|\bPrint\w*|\bprintf|\bputs"
    r"|\bFatal\w*|\b\w*(?:Error|Exception)|\braise\s+\w+|\bthrow\s+new\s+\w+)\s*\(\s*$")
# A plain one-line literal: optional r/u/b prefix (not f: its braces are code), one quote kind.
_LITERAL = re.compile(r"""([rRuUbB]{0,2})(["'`])([^"'`\\\n]*)\2""")


def key_like(text: str) -> bool:
    """Whether a literal's text is a name rather than prose.

    >>> key_like("関連性_スコア"), key_like("ドキュメント.id"), key_like("答え")
    (True, True, True)
    >>> key_like("こんにちは!"), key_like("エラーです"), key_like("割引をでっち上げた")
    (False, False, False)
    """
    spaces = text.count(" ")
    if spaces:
        if spaces > _MAX_MT_SPACES or len(_MT_SPACE.findall(text)) != spaces:
            return False
        text = text.replace(" ", "")
    if len(text) > _MAX_KEY_CHARS or _KEY_LIKE.fullmatch(text) is None or JA_RE.search(text) is None:
        return False
    if _HIRAGANA.search(text) is None:
        return True
    from ja_article_tools.tokens import tokenize

    return not any(t.pos and t.pos[0] in _PROSE_POS and t.surface != "の" for t in tokenize(text))


def translate_key(text: str, known_words: frozenset[str] | set[str], joiner: str = "_") -> str | None:
    """The English spelling of a key-like literal text, or None when a Japanese word has
    no rendering.

    >>> translate_key("関連性_スコア", set())
    'relevance_score'
    >>> translate_key("本番サンプルv1", set(), "-")
    'production-sample-v1'
    >>> translate_key("スパン ID-1", set())
    'span-id-1'
    """
    if not key_like(text):
        return None
    own = "-" if "-" in text else "_" if "_" in text else joiner
    out: list[str] = []
    for part in _PART_SPLIT.split(text):
        if not JA_RE.search(part):
            out.append(part)
            continue
        words: list[str] = []
        for run in _RUNS.findall(part):
            if not JA_RE.search(run):
                words.append(run.lower())
                continue
            segments = segment(run)
            if segments is None:
                return None
            for _, alts in segments:
                pick = next((a for a in alts if a.lower() in known_words), alts[0])
                words.extend(split_words(pick))
        if not words:
            return None
        out.append(own.join(words))
    return "".join(out)


def block_joiner(ascii_literals: Iterable[str]) -> str:
    """``-`` when the block's ASCII keys are mostly kebab-case (``my-app``), else ``_``."""
    kebab = snake = 0
    for text in ascii_literals:
        kebab += _KEBAB.fullmatch(text) is not None
        snake += _SNAKE.fullmatch(text) is not None
    return "-" if kebab > snake else "_"


def restore_key_strings(lines: list[str], pieces: list[str], reasons: dict[int, list[str]]) -> None:
    """Rewrite, in ``pieces`` (the masked block's literals), every key-like Japanese
    string literal placed on the masked ``lines``, and add ``"key-string"`` to the
    ``reasons`` of their lines; only when ``reasons`` (the passes that changed each line)
    show that MT reached the code: a keyword pass (``keywords``, Python's ``keyword:<family>``)
    or an identifier pass changed a line. The words of the block's ASCII identifiers and
    literals decide between renderings."""
    if not any(r.startswith("keyword") or r == "identifiers" for rs in reasons.values() for r in rs):
        return
    literals: list[tuple[int, int, re.Match[str]]] = []
    for i, line in enumerate(lines):
        for m in STR_PLACEHOLDER_RE.finditer(line):
            k = int(m.group(1))
            lit = _LITERAL.fullmatch(pieces[k])
            if lit and not _DISPLAY_CALL.search(line, max(0, m.start() - 80), m.start()):
                literals.append((i, k, lit))
    ascii_texts = [lit.group(3) for _, _, lit in literals if lit.group(3).isascii()]
    code = "\n".join(code_only(line) for line in lines)
    known = {w for ident in _IDENTIFIER.findall(code) for w in split_words(ident)}
    known.update(w for text in ascii_texts for w in split_words(re.sub(r"[^A-Za-z0-9]+", "_", text)))
    joiner = block_joiner(ascii_texts)
    for i, k, lit in literals:
        prefix, quote, text = lit.groups()
        new = translate_key(text, known, joiner)
        if new and new != text:
            pieces[k] = f"{prefix}{quote}{new}{quote}"
            if "key-string" not in reasons.setdefault(i, []):
                reasons[i].append("key-string")
