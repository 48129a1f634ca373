"""Repair of the brace languages other than JavaScript: Go, Rust, Java, Kotlin, Scala, C#,
C, C++, Swift, Dart, PHP.

They share what machine translation does to them (``、`` for ``,``, ``もし (x) {`` for
``if``, ``} それ以外の場合は {`` for ``else``, translated names) and differ in what the
repair must write back: ``なし`` is ``nil`` in Go and ``None`` in Rust, ``@テスト`` is
``@Test`` in Java and ``#[テスト]`` is ``#[test]`` in Rust, names are camelCase or snake_case.
Those differences are one :class:`Dialect` per language, read from
``data/repair_clike.json``; the passes (``CLIKE_PASSES``) are shared and work on masked
lines (strings, character literals and comments are placeholders, so comments stay prose).
A Japanese word is only taken for a keyword where the language has that keyword and in a
keyword position, so correct code with Japanese identifiers is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

import regex as re

from .common import JA_CHAR, code_only, has_japanese, load_json, mask, run_line_passes
from .identifiers import Translator, Usage, collect_vocabulary, interpolated_names, rename_in_lines
from .javascript import lower_mt_capitals
from .javascript import pass_punctuation as js_punctuation
from .keywords import alt

JA_WORD = rf"[{JA_CHAR}][{JA_CHAR}\w]*"
JA_NAME = rf"\w*{JA_WORD}"  # a whole identifier with Japanese in it (_名前)


@dataclass(frozen=True)
class Dialect:
    """What one brace language writes where the shared passes need a word."""

    name: str
    casing: str  # camel | snake
    null: str  # nil, None, null, NULL, nullptr
    receiver: str | None  # this, self, $this
    semicolons: bool
    annotation: str | None  # "@", "[" (C#), "#[" (Rust) or None
    function: str | None  # func, fn, fun, def, function
    parens: bool  # an if condition needs parentheses
    keywords: frozenset[str]
    predeclared: frozenset[str]  # type names: string, error, String, i32 …


CLIKE_LANGUAGES = ("go", "rust", "java", "kotlin", "scala", "csharp", "c", "cpp", "swift", "dart", "php")


def _table() -> dict:
    return load_json("repair_clike.json")


@lru_cache(maxsize=None)
def dialect(language: str) -> Dialect:
    row = _table()["dialects"][language]
    keywords = frozenset(row["keywords"]) | ({row["function"]} if row["function"] else set())
    return Dialect(language, row["casing"], row["null"], row["receiver"], row["semicolons"],
                   row["annotation"], row["function"], row["parens"], keywords, frozenset(row["predeclared"]))


def _per_dialect(entry: dict[str, str | None], d: Dialect) -> str | None:
    return entry.get(d.name, entry.get("*"))


def _words(d: Dialect) -> dict[str, str]:
    """Keyword renderings this dialect has a keyword for (関数 → its function keyword)."""
    words = {ja: en for ja, en in _table()["words"].items() if en in d.keywords}
    if d.function:
        words.update(dict.fromkeys(_table()["declaration_words"], d.function))
    return words


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _cap_words(name: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[_\s]+", name) if p)


def _translate(word: str, translator: Translator) -> str | None:
    usage = Usage()
    usage.roles["name"] += 1
    return translator.default_name(word, usage)


# ---------------------------------------------------------------- passes
# Keywords that keep a space before ( or . (if (x), case .red, func (r *T)).
_SPACED_KEYWORDS = frozenset({
    "if", "for", "while", "switch", "catch", "return", "case", "foreach", "using", "when", "match", "in",
    "else", "do", "await", "throw", "yield", "func", "fn", "fun", "function", "lock", "sizeof", "typeof",
    "and", "or", "not", "select", "defer", "go", "new", "is", "as"})
_FULLWIDTH_PUNCT = re.compile(r"[\uff01-\uff5e、。，．・【】〔〕〈〉《》～−‐―：；　]")


def pass_punctuation(lines: list[str], d: Dialect, translator: Translator) -> list[str]:
    """``limit: 30、`` → ``limit: 30,``, ``x。len()`` → ``x.len()`` (JavaScript's pass), on the
    lines that hold MT punctuation only: a line without any keeps its own spacing (``), )*``
    in a Rust macro)."""
    return [js_punctuation([line])[0] if _FULLWIDTH_PUNCT.search(line) else line for line in lines]


_MT_DOT_SPACING = re.compile(r"[\w)][ \t]+\.(?!\.)[A-Za-z_]|(?<![.\s])\.[ \t]+[A-Za-z_]")


def pass_spacing(lines: list[str], d: Dialect, translator: Translator) -> list[str]:
    """``m .add_function ( x )`` → ``m.add_function(x)``: the spaces MT sprays around ``.`` and
    call brackets. Only in a block that has spaces around a member dot, which no style guide
    writes (a GNU-style ``printf ("x")`` alone is left as it is); a keyword keeps its space
    (``if (x)``, Swift's ``case .red``), and so do ``..`` ranges."""
    if not any(_MT_DOT_SPACING.search(line) for line in lines):
        return lines
    keywords = _SPACED_KEYWORDS

    def keep_keyword(m: re.Match[str], joined: str) -> str:
        return m.group(0) if m.group(1) in keywords else m.group(1) + joined

    out = []
    for line in lines:
        line = re.sub(r"(?<=[\w)][ \t]*\.)[ \t]+(?=[A-Za-z_])", "", line)
        line = re.sub(r"(\w+)[ \t]+\.(?!\.)(?=[A-Za-z_])", lambda m: keep_keyword(m, "."), line)
        line = re.sub(r"(?<=\))[ \t]+\.(?!\.)(?=[A-Za-z_])", ".", line)
        line = re.sub(r"(\w+!?)[ \t]+\((?!\s*$)", lambda m: keep_keyword(m, "("), line)
        if d.name == "rust":
            line = re.sub(r"(?<=[\w)])[ \t]+\?(?=[\s;).,]|$)", "?", line)  # the ? operator
        line = re.sub(r"\([ \t]+\)", "()", line)
        line = re.sub(r"(?<=\()[ \t]+(?=\S)", "", line)
        line = re.sub(r"(?<=\S)[ \t]+(?=\))", "", line)
        out.append(line)
    return out


def pass_annotations(lines: list[str], d: Dialect, translator: Translator) -> list[str]:
    """``@テスト`` → ``@Test`` (Java, Kotlin, Scala, Dart's ``@override``), ``[テスト]`` → ``[Test]``
    (C#), ``#[テスト]`` → ``#[test]`` and ``#[派生(デバッグ, クローン)]`` → ``#[derive(Debug, Clone)]``
    (Rust), ``アサート!(x)`` → ``assert!(x)`` (Rust macros). Annotation names are type names,
    so one the table does not know is back-translated in CapWords."""
    known: dict[str, dict] = _table()["annotations"]

    def name_of(word: str) -> str | None:
        if word in known:
            return _per_dialect(known[word], d)
        en = _translate(word, translator)
        if not en:
            return None
        return en.lower() if d.annotation == "#[" else _cap_words(en)

    def args(text: str) -> str:
        # derive(デバッグ, クローン): trait names, CapWords in every dialect
        return re.sub(JA_WORD, lambda m: _cap_words(_translate(m.group(), translator) or m.group()), text)

    out = []
    for line in lines:
        if d.annotation == "@":
            line = re.sub(rf"^(\s*)@({JA_WORD})", lambda m: m.group(1) + "@" + (name_of(m.group(2)) or m.group(2)), line)
        elif d.annotation in ("[", "#["):
            opener = re.escape(d.annotation)
            line = re.sub(rf"^(\s*{opener})({JA_WORD})(\(.*\))?(?=\])",
                          lambda m: m.group(1) + (name_of(m.group(2)) or m.group(2)) + args(m.group(3) or ""), line)
        if d.name == "rust":
            macros: dict[str, str] = _table()["rust_macros"]
            line = re.sub(rf"(?<![\w{JA_CHAR}])({JA_WORD})!(?=\s*[(\[{{])",
                          lambda m: (macros.get(m.group(1)) or m.group(1)) + "!", line)
        out.append(line)
    return out


def pass_statements(lines: list[str], d: Dialect, translator: Translator) -> list[str]:
    """Statement keywords: ``} それ以外の場合は {`` → ``} else {``, ``もし (x > 0) {`` /
    ``(x > 0) の場合 {`` → ``if (x > 0) {`` (Go, Rust, Swift: ``もし err != nil {`` → ``if err != nil {``),
    ``x を返します。`` → ``return x;`` (no ``;`` in Go, Kotlin, Scala, Swift),
    ``pyo3::prelude::* を使用します。`` → ``use pyo3::prelude::*;`` (Rust; ``using`` in C#)."""
    else_words = alt("else_word")
    if_suffix = alt("if_suffix")
    end = ";" if d.semicolons else ""
    verbs: dict[str, list[str]] = _table()["sov_verbs"]
    sov = re.compile(rf"^(\s*)(\S.*?)\s*を\s*({_alternation(verbs)})[。.]?\s*;?\s*$")
    cond = r"\(.*\)" if d.parens else r"\S.*?"
    out = []
    for line in lines:
        line = re.sub(rf"\}}\s*{else_words}\s*\{{", "} else {", line)
        line = re.sub(rf"^(\s*){else_words}\s*\{{", r"\1else {", line)
        # else if: the condition after もし, or before an if suffix (not the は of それ以外の場合は)
        line = re.sub(rf"\}}\s*{else_words}\s*[,、]?\s*もし\s*({cond})\s*(?:{if_suffix})?\s*\{{\s*$", r"} else if \1 {", line)
        line = re.sub(rf"\}}\s*{else_words}\s*[,、]?\s*({cond})\s*(?:{if_suffix})\s*\{{\s*$", r"} else if \1 {", line)
        line = re.sub(rf"^(\s*(?:\}}\s*else\s+)?)もし\s*({cond})\s*(?:{if_suffix})?\s*\{{\s*$", r"\1if \2 {", line)
        line = re.sub(rf"^(\s*(?:\}}\s*else\s+)?)({cond})\s*(?:{if_suffix})\s*\{{\s*$", r"\1if \2 {", line)
        m = sov.match(line)
        if m and (keyword := next((k for k in verbs[m.group(3)] if k in d.keywords), None)):
            line = f"{m.group(1)}{keyword} {m.group(2)}{end if keyword != 'import' or d.name == 'java' else ''}"
        out.append(line)
    return out


def pass_keywords(lines: list[str], d: Dialect, translator: Translator) -> list[str]:
    """A run of keyword renderings that opens a line, before a name, a bracket or a literal:
    ``公開 静的 ボイド main(文字列[] 引数) {`` → ``public static void main(…``, ``関数 main() {``
    → ``func main() {`` (Go) / ``fn main() {`` (Rust), ``戻る nil`` → ``return nil``,
    ``新しい Foo()`` → ``new Foo()``. A word of the run that is a keyword of another
    language only (``延期`` outside Go) keeps the run Japanese: it is someone's identifier."""
    words = _words(d)
    if not words:
        return lines
    word = _alternation(words)
    run = re.compile(rf"^(\s*)((?:(?:{word})\s+)*(?:{word}))(?=\s*(?:[A-Za-z_{JA_CHAR}$&*\[\](<{{\ue000-\ue003\d-]|$|;))(?!\s*(?::=|=(?!=)|\.|,))")
    new = rf"(?<![\w{JA_CHAR}])(?:新しい|新規)\s*(?=[A-Z{JA_CHAR}][\w{JA_CHAR}]*\s*[(<{{])" if "new" in d.keywords else None
    shapes = [w for w, en in words.items() if en in ("struct", "interface", "enum", "trait")]
    shaped = rf"(?<=\s)({_alternation(shapes)})(?=\s*\{{\s*$)" if shapes else None
    out = []
    for line in lines:
        m = run.match(line)
        if m:
            line = m.group(1) + " ".join(words[w] for w in m.group(2).split()) + line[m.end():]
        if new:
            line = re.sub(new, "new ", line)
        if shaped and re.search(r"\{\s*$", line):
            line = re.sub(shaped, lambda mt: words[mt.group(1)], line)
        out.append(line)
    return out


def pass_literals(lines: list[str], d: Dialect, translator: Translator) -> list[str]:
    """``なし`` → ``nil`` / ``None`` / ``null`` by dialect, ``真`` / ``偽`` → ``true`` / ``false``,
    ``これ.name`` → ``this.name``, ``&自分`` → ``&self``: only as a value (after ``=``, ``(``,
    ``,``, ``:``, ``return``, a comparison), never as a name being bound."""
    table = _table()
    values = dict.fromkeys(table["null_words"], d.null) | table["literals"]
    value = _alternation(values)
    before = r"(?:(?<=[=(\[,:?!<>]\s*)|(?<=\breturn\s+)|(?<=&&\s*)|(?<=\|\|\s*))"
    literal = re.compile(rf"{before}({value})(?![\w{JA_CHAR}])(?!\s*(?::=|=(?!=)|\.|\())")
    receiver = None
    if d.receiver:
        words = _alternation(table["receiver_words"])
        receiver = re.compile(rf"(?<![\w{JA_CHAR}$])(?:{words})(?=\s*\.\s*[A-Za-z_{JA_CHAR}])|(?<=[(&]\s*(?:mut\s+)?)(?:{words})(?=\s*[,)])")
    out = []
    for line in lines:
        line = literal.sub(lambda m: values[m.group(1)], line)
        if receiver is not None:
            line = receiver.sub(d.receiver, line)
        out.append(line)
    return out


def pass_types(lines: list[str], d: Dialect, translator: Translator) -> list[str]:
    """Type names in type positions: ``(s 文字列)`` → ``(s string)`` (Go), ``name: 文字列`` →
    ``name: String`` (Kotlin, Scala, Swift, Rust), ``リスト<文字列>`` → ``List<String>``,
    ``文字列[] 引数`` → ``String[] 引数`` (Java)."""
    types = {ja: en for ja, row in _table()["types"].items() if (en := _per_dialect(row, d))}
    if not types:
        return lines
    names = _alternation(types)
    # what may follow a type: punctuation, [] / < >, the end, or the name it declares
    after = rf"(?=\s*(?:[,;)=>\]{{|?*]|\[\]|<|$|\s+[A-Za-z_$\ue000-\ue003{JA_CHAR}]))"
    positions = [
        r"(?<=(?<![:?])[:]\s*)",            # name: Type (not ::, not a ternary's ? :)
        r"(?<=->\s*)",                       # -> Type
        r"(?<=[<,]\s*(?=[^<>\n]*>))",        # generic arguments
        r"(?<=\[\]\s*)",                     # Go []Type
        r"(?<=\*\s*)(?=\S+\s*[,)])",         # Go *Type in a parameter list
        rf"(?<=[(,]\s*[A-Za-z_{JA_CHAR}][\w{JA_CHAR}]*\s+)",  # Go (name Type
        r"(?<=\)\s+)(?=[^\s{]+\s*\{\s*$)",  # Go func f(…) Type {
        r"(?<=^\s*(?:(?:public|private|protected|static|final|const|var|val|let|readonly)\s+)*)(?=\S+(?:\[\])?\s+[A-Za-z_$]\w*\s*[=;,)(])",  # Java Type name = / method(
        r"(?<=[(,]\s*)(?=\S+(?:\[\])?\s+[A-Za-z_$]\w*\s*[,)])",  # Java (Type name
    ]
    pattern = re.compile(rf"(?:{'|'.join(positions)})({names}){after}", re.M)
    out = []
    for line in lines:
        line = pattern.sub(lambda m: types[m.group(1)], line)
        out.append(line)
    return out


def pass_identifiers(lines: list[str], d: Dialect, translator: Translator) -> list[str]:
    """Japanese names → the block's ASCII names or their back-translation, camelCase or
    snake_case by dialect: ``出力、エラー := プロセス(フィクスチャ)`` → ``output, err := process(fixture)``
    when the block spells ``err``."""
    code = "\n".join(code_only(line) for line in lines)
    declared = set(re.findall(rf"\b(?:let|val|var|const|fn|func|fun|def|function|class|struct|mut)\s+({JA_NAME})", code))
    declared |= set(re.findall(rf"^\s*({JA_NAME})\s*:=", code, re.M)) if d.name == "go" else set()
    # typed declarations (int 合計 = 0;) and the parameters of a declaration line (… (名前 string) {)
    declared |= set(re.findall(rf"^\s*(?:final\s+)?[A-Za-z_][\w<>\[\]]*\s+({JA_NAME})\s*[=;]", code, re.M))
    declared |= set(re.findall(rf"^\s*\$?({JA_NAME})\s*=(?!=)", code, re.M))  # 合計 = 0, PHP $名前 = …
    for params in re.findall(r"(?m)^(?!\s*(?:if|for|while|switch|catch|match|\}))[^\n(]*\(([^()\n]*)\)[^(){}\n]*\{\s*$", code):
        declared.update(re.findall(JA_NAME, params))
    # a method declared with its type (void 保存する(string 名前), brace on the next line or not)
    for name, params in re.findall(rf"(?m)^\s*(?:[\w<>\[\],.?]+\s+)+({JA_NAME})\s*\(([^()\n]*)\)\s*(?:throws\s[\w., ]+)?\s*\{{?\s*$", code):
        declared.add(name)
        declared.update(re.findall(JA_NAME, params))
    return rename_in_lines(lines, translator, declared=declared, casing=d.casing)


def pass_capitalisation(lines: list[str], d: Dialect, translator: Translator) -> list[str]:
    """``let Output = process(&input)`` … ``output.contains(x)`` → ``let output``: MT
    capitalised the word after the sentence-initial keyword."""
    decl = tuple(w for w in ("let", "val", "var", "const", "auto") if w in d.keywords) or ("var",)
    return lower_mt_capitals(lines, decl)


ClikePass = Callable[[list[str], Dialect, Translator], list[str]]

CLIKE_PASSES: list[tuple[str, ClikePass]] = [
    ("punctuation", pass_punctuation),
    ("spacing", pass_spacing),
    ("annotations", pass_annotations),
    ("statements", pass_statements),
    ("keywords", pass_keywords),
    ("literals", pass_literals),
    ("types", pass_types),
    ("identifiers", pass_identifiers),
    ("capitalisation", pass_capitalisation),
]


def repair_clike(text: str, language: str) -> tuple[str, float, dict[int, list[str]], tuple[int, ...]]:
    """Repair one block of ``language`` (one of ``CLIKE_LANGUAGES``)."""
    d = dialect(language)
    masked = mask(text, "javascript" if language in ("php", "dart") else "clike")
    code = code_only(masked.text)
    if not has_japanese(code) and not re.search(r"[、。，（）【】：；]|\b(?:let|val|var)\s+[A-Z][a-z]", masked.text):
        return text, 1.0, {}, ()
    vocab = collect_vocabulary(code)
    for name in d.predeclared & set(vocab.names):
        del vocab.names[name]
    translator = Translator(vocab, lang=language, keep=interpolated_names(masked.pieces))
    return run_line_passes(masked, [(name, partial(fn, d=d, translator=translator)) for name, fn in CLIKE_PASSES])
