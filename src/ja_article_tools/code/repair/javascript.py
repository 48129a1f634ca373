"""JavaScript / TypeScript repair: punctuation, keywords, identifiers (basics).

Passes are registered in ``JS_PASSES`` and work on masked lines (strings, template
literals and comments are placeholders).
"""

from __future__ import annotations

from functools import lru_cache, partial

import regex as re

from .common import JA_RE, ascii_punctuation, LinePass, code_only, has_japanese, load_json, mask, run_line_passes
from .identifiers import Translator, collect_vocabulary, interpolated_names, rename_in_lines
from .keywords import alt


def pass_punctuation(lines: list[str]) -> list[str]:
    """``vi 。モック (…)`` → ``vi.モック (…)``; ``limit: 30、`` → ``limit: 30,``."""
    out = []
    for line in lines:
        line = re.sub(r"[ \t]*[。．][ \t]*(?=[\p{L}_$])", ".", line)
        line = re.sub(r"、\s*$", ",", line)
        line = ascii_punctuation(line)
        line = re.sub(r",\s+(?=[\]\)\}])", ",", line)
        line = re.sub(r", +$", ",", line)
        # ``スパン ID: [...]`` → ``スパンID:``: MT put a space inside a translated object key.
        line = re.sub(rf"(?:(?<=^\s*)|(?<=[{{,]\s*))([{JA_RE.pattern[1:-1]}]+) ([A-Za-z][A-Za-z0-9]*)(?=\s*:(?!:))", r"\1\2", line)
        out.append(line)
    return out


def _table() -> dict:
    return load_json("repair_javascript.json")


@lru_cache(maxsize=None)
def _alternation(key: str) -> str:
    """The keys of table ``key`` as a regex alternation, longest first so that a longer
    rendering wins over its prefix; built once, not per line."""
    return "|".join(sorted(_table()[key], key=len, reverse=True))


def pass_keywords(lines: list[str]) -> list[str]:
    """``} それ以外の場合は {`` → ``} else {``; ``import { a } から "m"`` → ``from``;
    ``import * 'm' からロガーとしてインポートします。`` → ``import * as ロガー from 'm'``;
    ``新しい Date()`` → ``new Date()``; ``x を返します。`` → ``return x;``; ``Expect(`` → ``expect(``."""
    else_words = "|".join(sorted(load_json("repair_keywords.json")["else_word"], key=len, reverse=True))
    declared = _declared_names("\n".join(code_only(line) for line in lines))
    import_words = "|".join(_table()["line_start_import"])
    js_words: dict[str, str] = _table()["words"]
    js_word_re = re.compile(r"(?<![\p{L}\p{N}_$])(?:" + _alternation("words") + r")(?![\p{L}\p{N}_$])")
    out = []
    for line in lines:
        line = re.sub(rf"\}}\s*(?:{else_words})\s*,?\s*(?:もし\s*)?(\(.*\))\s*(?:の場合|なら)?\s*(?:は)?\s*\{{", r"} else if \1 {", line)
        line = re.sub(rf"\}}\s*(?:{else_words})\s*\{{", "} else {", line)
        line = _typescript_types(line)
        line = _globals_and_classes(line, declared)
        line = re.sub(rf"^(\s*)(?:{else_words})\s*\{{", r"\1else {", line)
        line = re.sub(rf"^(\s*)(?:{import_words})\s+(?=[\w{{*])", r"\1import ", line)
        line = re.sub(r"^(\s*import\s+(?:\{[^}]*\}|\w+))\s*から\s*(?=[\ue000])", r"\1 from ", line)
        line = re.sub(r"^(\s*)import\s+\*\s*([\ue000]\d+[\ue001])\s*から\s*(\S+?)\s*としてインポート(?:します|する)?[。.]?\s*;?\s*$",
                      r"\1import * as \3 from \2;", line)
        line = _sov_statement(line)
        line = re.sub(r"(?<![\w.$])Expect(?=\s*\()", "expect", line)
        line = _statement_keywords(line)
        line = js_word_re.sub(lambda mt: js_words[mt.group(0)], line)
        out.append(line)
    return out


def _declared_names(code: str) -> set[str]:
    """Names the block binds itself: declarations, parameters, destructuring, for-of targets."""
    ident = rf"[{JA_RE.pattern[1:-1]}\w$]+"
    names = set(re.findall(rf"\b(?:const|let|var|function|class|定数|させて|変数|関数|クラス)\s+({ident})", code))
    for params in re.findall(r"\(([^()]*)\)\s*(?:=>|\{)", code):
        names.update(re.findall(ident, params))
    return names


def _typescript_types(line: str) -> str:
    """``name: 文字列`` → ``name: string``; ``タイプ Id = 文字列 | 数値;`` → ``type Id = string | number;``."""
    table = _table()
    types: dict[str, str] = table["type_words"]
    names = _alternation("type_words")
    alias = re.match(rf"^(\s*(?:export\s+|エクスポート\s+|輸出\s+)?)(?:{'|'.join(table['type_alias_words'])})\s+([A-Za-z_$][\w$]*(?:<[^>]*>)?\s*=)", line)
    if alias:
        line = alias.group(1) + "type " + alias.group(2) + line[alias.end():]
    # A type position: after an annotation colon, a union bar, a generic bracket, or `=` of an alias.
    lead = r"(?<=(?::|\||<|,\s*(?=[^\n]*>)|^\s*(?:export\s+)?type\s+[\w$<>, ]+=)\s*)" if alias else r"(?<=(?::|\||<)\s*)"
    return re.sub(rf"{lead}(?:{names})(?=\s*(?:[,;)=\[\]|>{{]|$))", lambda m: types[m.group(0)], line)


def _globals_and_classes(line: str, declared: set[str]) -> str:
    """``新しい日付(…)`` → ``new Date(…)``; ``数学.max(a, b)`` → ``Math.max(a, b)``;
    ``JSON.文字列化(o)`` → ``JSON.stringify(o)``; ``必要('fs')`` → ``require('fs')``:
    built-in objects and classes have one spelling, so no evidence from the block is needed."""
    table = _table()
    classes: dict[str, str] = table["classes"]
    names = _alternation("classes")
    line = re.sub(rf"(?:\bnew|新しい)\s*({names})(?=\s*[(;<]|\s*$)", lambda m: "new " + classes[m.group(1)], line)
    members: dict[str, str] = table["members"]
    names = _alternation("members")
    # Built-in members have one spelling; the block's own ASCII names still win in pass_identifiers
    # for anything not in this table.
    line = re.sub(rf"(?<=[.。]\s*)({names})(?![\p{{L}}\p{{N}}_$])", lambda m: members[m.group(1)], line)
    calls: dict[str, str] = table["calls"]
    names = _alternation("calls")
    line = re.sub(rf"(?<![\p{{L}}\p{{N}}_$.])({names})(?=\s*\(\s*[\ue000])", lambda m: calls[m.group(1)], line)
    glob: dict[str, str] = table["globals"]
    names = _alternation("globals")
    # A name the block declares (const 配列 = …; 配列.map(…)) is the author's own.
    return re.sub(rf"(?<![\p{{L}}\p{{N}}_$.])({names})(?=\s*[.。]\s*[A-Za-z_$])",
                  lambda m: m.group(1) if m.group(1) in declared else glob[m.group(1)], line)


def _sov_statement(line: str) -> str:
    """The verb moved to the end: ``x を返します。`` → ``return x;``,
    ``new Error("x") を投げる;`` → ``throw new Error("x");``, ``sleep(100) を待つ;`` → ``await sleep(100);``."""
    verbs = _table()["sov_verbs"]
    alternation = _alternation("sov_verbs")
    m = re.match(rf"^(\s*)(\S.*?)\s*を\s*({alternation})[。.]?\s*;?\s*([\ue002]\d+[\ue003])?\s*$", line)
    if not m:
        return line
    tail = f"  {m.group(4)}" if m.group(4) else ""
    return f"{m.group(1)}{verbs[m.group(3)]} {m.group(2)};{tail}"


def _statement_keywords(line: str) -> str:
    """Block statements: ``試す {`` → ``try {``, ``} キャッチ (e) {`` → ``} catch (e) {``,
    ``(x > 0) の場合 {`` / ``もし (x) {`` → ``if (x > 0) {``, ``(ok) の間 {`` → ``while (ok) {``,
    ``'m' から x をインポートします。`` → ``import x from 'm';``."""
    try_w, fin_w = alt("try_word"), alt("finally_word")
    line = re.sub(rf"^(\s*)(?:}}\s*)?{try_w}\s*\{{", lambda m: m.group(0).replace(re.search(try_w, m.group(0)).group(0), "try"), line)
    line = re.sub(r"(\}\s*|^\s*)(?:キャッチ|を除く|例外)\s*(\(|\{)", r"\1catch \2", line)
    line = re.sub(rf"(\}}\s*|^\s*){fin_w}\s*\{{", r"\1finally {", line)
    line = re.sub(r"^(\s*(?:\}\s*else\s+)?)(?:もし\s*)(\(.*\))\s*(?:の場合|ならば|なら)?\s*(?:は)?\s*\{", r"\1if \2 {", line)
    # A one-statement if without braces: ``もし (x) continue;``.
    line = re.sub(r"^(\s*(?:\}\s*else\s+)?)もし\s*(?=\()", r"\1if ", line)
    line = re.sub(r"^(\s*(?:\}\s*else\s+)?)(\(.*\))\s*(?:の場合|ならば|なら)\s*(?:は)?\s*\{", r"\1if \2 {", line)
    line = re.sub(r"^(\s*)(\(.*\))\s*の間\s*\{", r"\1while \2 {", line)
    line = re.sub(r"^(\s*)([\ue000]\d+[\ue001])\s*から\s*(.+?)\s*を(?:インポート|輸入)(?:します|する)?[。.]?\s*;?\s*$",
                  r"\1import \3 from \2;", line)
    return re.sub(r"^(\s*)(.+?)\s*をエクスポート(?:します|する)?[。.]?\s*;?\s*$", r"\1export \2;", line)


def pass_identifiers(lines: list[str], keep: frozenset[str] = frozenset()) -> list[str]:
    """Japanese identifiers → the block's ASCII names or their back-translation:
    ``const { スパン: エラー }`` → ``const { spans: errors }`` when the block uses them.
    Names in ``keep`` (read inside a template literal's ``${名前}``, which is masked) stay:
    renaming only the code side would break the program."""
    code = "\n".join(code_only(line) for line in lines)
    translator = Translator(collect_vocabulary(code), lang="javascript", keep=keep)
    declared = set(re.findall(rf"\b(?:const|let|var|function|class)\s+([{JA_RE.pattern[1:-1]}\w$]+)", code))
    return rename_in_lines(lines, translator, declared=declared, casing="camel", inflect=_plural_by_evidence)


def _plural_by_evidence(en: str, line: str, start: int, after: str) -> str:
    """Japanese has no plural: ``const { トレース } = await getTraces(`` → ``traces`` (the
    called API names the plural), ``スパンID: [...]`` → ``spanIds`` (an array value)."""
    if en.endswith("s") or not en.isascii() or en.lower() in _table()["uncountable"]:
        return en
    if re.match(r"\s*:\s*\[", after):
        return en + "s"
    destructure = re.match(r"^\s*(?:const|let|var)\s*\{([^}]*)\}\s*=\s*(?:await\s+)?([\w$.]+)\s*\(", line)
    if destructure and destructure.start(1) <= start < destructure.end(1):
        words = [w.lower() for w in re.findall(r"[A-Z]?[a-z]+", destructure.group(2))]
        if words and words[-1] in (en.lower() + "s", en.lower() + "es"):
            return en + words[-1][len(en):]
    return en


def pass_capitalisation(lines: list[str]) -> list[str]:
    """``let Output = run();`` … ``use(output)`` → ``let output``: MT capitalised the word
    after a sentence-initial keyword; the block's lower-case spelling wins."""
    return lower_mt_capitals(lines, ("let", "const", "var"))


def lower_mt_capitals(lines: list[str], declaration_words: tuple[str, ...]) -> list[str]:
    """The name after a declaration word, capitalised by MT as a sentence start, takes the
    lower-case spelling the block uses elsewhere (``val Output = …`` / ``println(output)``)."""
    code = "\n".join(code_only(line) for line in lines)
    declaration = re.compile(rf"(\b(?:{'|'.join(declaration_words)})\s+(?:mut\s+)?)([A-Z][a-z]\w*)")
    out = []
    for line in lines:
        def lower(m: re.Match[str]) -> str:
            word = m.group(2)
            low = word[0].lower() + word[1:]
            if re.search(rf"(?<![\w$.]){re.escape(low)}(?![\w$])", code):
                return m.group(1) + low
            return m.group(0)

        out.append(declaration.sub(lower, line))
    return out


_JS_RESERVED = frozenset("""await break case catch class const continue debugger default delete do else export extends
false finally for function if import in instanceof let new null return super switch this throw true try typeof
undefined var void while with yield async of console Math JSON Object Array Promise Date window document""".split())


def pass_for_of(lines: list[str]) -> list[str]:
    """``for (注釈の定数) {`` … ``ann.name`` → ``for (const ann of 注釈) {``: MT read
    ``const ann of annotations`` as "const of annotations" and dropped the loop variable; it is the
    name the loop body uses without any declaration. ``for (items の定数 item)`` keeps its own."""
    code = "\n".join(code_only(line) for line in lines)
    declared = _declared_names(code) | set(re.findall(r"\b(?:const|let|var)\s*\{([^}]*)\}", code))
    declared_words = set(re.findall(r"[\w$]+", " ".join(declared)))
    out = list(lines)
    for i, line in enumerate(lines):
        m = re.match(rf"^(\s*)for\s*\(\s*([^()]+?)\s*の\s*(定数|const|させて|let|変数|var)\s*([\w$]*)\s*\)\s*\{{\s*$", line)
        if not m:
            continue
        keyword = {"定数": "const", "させて": "let", "変数": "var"}.get(m.group(3), m.group(3))
        var = m.group(4)
        if not var:
            body = []
            depth = 1
            for later in lines[i + 1:]:
                depth += later.count("{") - later.count("}")
                if depth <= 0:
                    break
                body.append(code_only(later))
            for name in re.findall(r"(?<![\w$.])([a-z_$][\w$]*)\b(?!\s*\()", " ".join(body)):
                if name not in _JS_RESERVED and name not in declared_words:
                    var = name
                    break
        if var:
            out[i] = f"{m.group(1)}for ({keyword} {var} of {m.group(2)}) {{"
    return out


JS_PASSES: list[tuple[str, LinePass]] = [
    ("punctuation", pass_punctuation),
    ("for-of", pass_for_of),
    ("keywords", pass_keywords),
    ("identifiers", pass_identifiers),
    ("capitalisation", pass_capitalisation),
]


def repair_javascript(text: str) -> tuple[str, float, dict[int, list[str]], tuple[int, ...]]:
    masked = mask(text, "javascript")
    if not has_japanese(code_only(masked.text)) and not re.search(
            r"[、。，（）【】：；]|\bExpect\s*\(|\b(?:let|const|var)\s+[A-Z][a-z]", masked.text):
        return text, 1.0, {}, ()
    keep = interpolated_names(masked.pieces)
    return run_line_passes(masked, [(name, partial(fn, keep=keep) if fn is pass_identifiers else fn)
                                    for name, fn in JS_PASSES])
