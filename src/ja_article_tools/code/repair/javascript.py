"""JavaScript / TypeScript repair: punctuation, keywords, identifiers (basics).

Passes are registered in ``JS_PASSES`` and work on masked lines (strings, template
literals and comments are placeholders).
"""

from __future__ import annotations

from collections.abc import Callable

import regex as re

from .common import IDENT_RE, JA_RE, ascii_punctuation, has_japanese, load_json, mask
from .identifiers import Translator, Usage, collect_vocabulary
from .keywords import alt

JsPass = Callable[[list[str]], list[str]]


def _code_only(line: str) -> str:
    return re.sub("[\ue000\ue002]\\d+[\ue001\ue003]", " ", line)


def pass_punctuation(lines: list[str]) -> list[str]:
    """``vi 。モック (…)`` → ``vi.モック (…)``; ``limit: 30、`` → ``limit: 30,``."""
    out = []
    for line in lines:
        line = re.sub(r"[ \t]*[。．][ \t]*(?=[\p{L}_$])", ".", line)
        line = re.sub(r"、\s*$", ",", line)
        line = ascii_punctuation(line)
        line = re.sub(r",\s+(?=[\]\)\}])", ",", line)
        line = re.sub(r", +$", ",", line)
        out.append(line)
    return out


_JS_WORDS = {
    "新しい": "new", "未定義": "undefined", "ヌル": "null", "真": "true", "偽": "false", "定数": "const",
    "関数": "function", "非同期": "async", "待機": "await", "待つ": "await", "戻る": "return", "リターン": "return",
    "輸出": "export", "エクスポート": "export", "デフォルト": "default", "クラス": "class", "期待": "expect",
    "させて": "let", "しましょう": "let", "変数": "var", "非同期関数": "async function", "戻り値": "return",
    "投げる": "throw", "スロー": "throw", "壊す": "break", "ブレーク": "break", "続ける": "continue",
    "タイプ": "typeof", "インスタンス": "instanceof", "拡張": "extends", "拡張する": "extends", "コンストラクタ": "constructor",
    "これ": "this", "型": "type", "インターフェース": "interface", "インターフェイス": "interface",
}


def pass_keywords(lines: list[str]) -> list[str]:
    """``} それ以外の場合は {`` → ``} else {``; ``import { a } から "m"`` → ``from``;
    ``import * 'm' からロガーとしてインポートします。`` → ``import * as ロガー from 'm'``;
    ``新しい Date()`` → ``new Date()``; ``x を返します。`` → ``return x;``; ``Expect(`` → ``expect(``."""
    else_words = "|".join(sorted(load_json("repair_keywords.json")["else_word"], key=len, reverse=True))
    out = []
    for line in lines:
        line = re.sub(rf"\}}\s*(?:{else_words})\s*,?\s*(\(.*\))\s*(?:の場合|なら)?\s*(?:は)?\s*\{{", r"} else if \1 {", line)
        line = re.sub(rf"\}}\s*(?:{else_words})\s*\{{", "} else {", line)
        # TypeScript annotations: ``name: 文字列`` → ``name: string``.
        line = re.sub(r"(:\s*)(?:文字列)(?=[\s,;)=\[|>]|$)", r"\1string", line)
        line = re.sub(r"(:\s*)(?:数値|数字|番号)(?=[\s,;)=\[|>]|$)", r"\1number", line)
        line = re.sub(r"(:\s*)(?:ブール値|ブール|真偽値)(?=[\s,;)=\[|>]|$)", r"\1boolean", line)
        line = re.sub(rf"^(\s*)(?:{else_words})\s*\{{", r"\1else {", line)
        line = re.sub(r"^(\s*import\s+(?:\{[^}]*\}|\w+))\s*から\s*(?=[\ue000])", r"\1 from ", line)
        m = re.match(r"^(\s*)import\s+\*\s*([\ue000]\d+[\ue001])\s*から\s*(\S+?)\s*としてインポート(?:します|する)?[。.]?\s*;?\s*$", line)
        if m:
            line = f"{m.group(1)}import * as {m.group(3)} from {m.group(2)};"
        m = re.match(r"^(\s*)(\S.*?)\s*を返(?:します|す)[。.]?\s*;?\s*$", line)
        if m:
            line = f"{m.group(1)}return {m.group(2)};"
        line = re.sub(r"(?<![\w.$])Expect(?=\s*\()", "expect", line)
        line = _statement_keywords(line)

        def word(mt: re.Match[str]) -> str:
            return _JS_WORDS[mt.group(0)]

        line = re.sub(r"(?<![\p{L}\p{N}_$])(?:" + "|".join(sorted(_JS_WORDS, key=len, reverse=True)) + r")(?![\p{L}\p{N}_$])", word, line)
        out.append(line)
    return out


def _statement_keywords(line: str) -> str:
    """Block statements: ``試す {`` → ``try {``, ``} キャッチ (e) {`` → ``} catch (e) {``,
    ``(x > 0) の場合 {`` / ``もし (x) {`` → ``if (x > 0) {``, ``(ok) の間 {`` → ``while (ok) {``,
    ``'m' から x をインポートします。`` → ``import x from 'm';``."""
    try_w, fin_w = alt("try_word"), alt("finally_word")
    line = re.sub(rf"^(\s*)(?:}}\s*)?{try_w}\s*\{{", lambda m: m.group(0).replace(re.search(try_w, m.group(0)).group(0), "try"), line)
    line = re.sub(r"(\}\s*|^\s*)(?:キャッチ|を除く|例外)\s*(\(|\{)", r"\1catch \2", line)
    line = re.sub(rf"(\}}\s*|^\s*){fin_w}\s*\{{", r"\1finally {", line)
    line = re.sub(r"^(\s*(?:\}\s*else\s+)?)(?:もし\s*)(\(.*\))\s*\{", r"\1if \2 {", line)
    line = re.sub(r"^(\s*(?:\}\s*else\s+)?)(\(.*\))\s*(?:の場合|ならば|なら)\s*(?:は)?\s*\{", r"\1if \2 {", line)
    line = re.sub(r"^(\s*)(\(.*\))\s*の間\s*\{", r"\1while \2 {", line)
    m = re.match(r"^(\s*)([\ue000]\d+[\ue001])\s*から\s*(.+?)\s*をインポート(?:します|する)?[。.]?\s*;?\s*$", line)
    if m:
        line = f"{m.group(1)}import {m.group(3)} from {m.group(2)};"
    m = re.match(r"^(\s*)(.+?)\s*をエクスポート(?:します|する)?[。.]?\s*;?\s*$", line)
    if m:
        line = f"{m.group(1)}export {m.group(2)};"
    return line


def pass_identifiers(lines: list[str]) -> list[str]:
    """Japanese identifiers → the block's ASCII names or their back-translation:
    ``const { スパン: エラー }`` → ``const { spans: errors }`` when the block uses them."""
    code = "\n".join(_code_only(line) for line in lines)
    vocab = collect_vocabulary(code)
    translator = Translator(vocab, lang="javascript")
    # Names the block declares itself may be legitimate Japanese identifiers: they change only
    # when the block also spells them in ASCII (MT translated one site).
    declared = set(re.findall(rf"\b(?:const|let|var|function|class)\s+([{JA_RE.pattern[1:-1]}\w$]+)", code))
    out = []
    for line in lines:
        def repl(m: re.Match[str]) -> str:
            word = m.group(0)
            if not JA_RE.search(word):
                return word
            usage = Usage()
            before = line[: m.start()].rstrip()
            after = line[m.end():]
            if before.endswith("."):
                usage.roles["attr"] += 1
            elif re.match(r"\s*:", after):
                usage.roles["kwarg"] += 1
            else:
                usage.roles["name"] += 1
            en = translator.translate(word, usage)
            if word in declared and en not in vocab.names and en not in vocab.attrs:
                return word
            if en and "_" in en and not en.isupper():
                parts = en.split("_")
                en = parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
            return en or word

        out.append(IDENT_RE.sub(repl, line))
    return out


def pass_capitalisation(lines: list[str]) -> list[str]:
    """``let Output = run();`` … ``use(output)`` → ``let output``: MT capitalised the word
    after a sentence-initial keyword; the block's lower-case spelling wins."""
    code = "\n".join(_code_only(line) for line in lines)
    out = []
    for line in lines:
        def lower(m: re.Match[str]) -> str:
            word = m.group(2)
            low = word[0].lower() + word[1:]
            if re.search(rf"(?<![\w$.]){re.escape(low)}(?![\w$])", code):
                return m.group(1) + low
            return m.group(0)

        out.append(re.sub(r"(\b(?:let|const|var)\s+)([A-Z][a-z]\w*)", lower, line))
    return out


JS_PASSES: list[tuple[str, JsPass]] = [
    ("punctuation", pass_punctuation),
    ("keywords", pass_keywords),
    ("identifiers", pass_identifiers),
    ("capitalisation", pass_capitalisation),
]


def repair_javascript(text: str) -> tuple[str, float, dict[int, list[str]], tuple[int, ...]]:
    masked = mask(text, "javascript")
    lines = masked.text.split("\n")
    if not has_japanese(_code_only(masked.text)) and not re.search(
            r"[、。，（）【】：；]|\bExpect\s*\(|\b(?:let|const|var)\s+[A-Z][a-z]", masked.text):
        return text, 1.0, {}, ()
    reasons: dict[int, list[str]] = {}
    for name, fn in JS_PASSES:
        new = fn(lines)
        for i, (a, b) in enumerate(zip(lines, new)):
            if a != b:
                reasons.setdefault(i, []).append(name)
        lines = new
    code = masked.unmask("\n".join(lines))
    unresolved = tuple(i + 1 for i, line in enumerate(lines) if has_japanese(_code_only(line)))
    return code, 0.4 if unresolved else 0.7, reasons, unresolved
