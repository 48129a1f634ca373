"""Keyword passes: Japanese renderings of Python statements back to Python.

Each rewrite is a small function ``(masked_line) -> str | None`` registered in
``PYTHON_LINE_REWRITES`` (order matters: ``for`` before ``if``, since both end in
``の場合:``). Lines are masked (strings and comments are placeholders), so a rewrite can
never touch string or comment text. The renderings themselves live in
``data/repair_keywords.json``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .common import load_json

LineRewrite = Callable[[str], "str | None"]


@lru_cache(maxsize=None)
def alt(key: str) -> str:
    """A regex alternation of the renderings listed under ``key``, longest first."""
    words = sorted(load_json("repair_keywords.json")[key], key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


_MOD = r"[^\W\d][\w.]*"  # a dotted module path as MT leaves it (maybe translated)
_END = r"\s*[.。]?\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$"  # optional 。 and a trailing comment


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _finish(indent: str, stmt: str, m: re.Match[str]) -> str:
    rest = m.groupdict().get("rest") or ""
    return f"{indent}{stmt}{'  ' + rest if rest else ''}"


def _names_list(text: str) -> str:
    """``、a、b`` / ``a と b`` → ``a, b`` (the import list of a ``from`` line)."""
    text = text.strip().strip(",").strip()
    text = re.sub(r"\s*(?:,|と|および)\s*", ", ", text)
    text = re.sub(r"(\S)な$", r"\1", text)  # 部分的な → 部分的
    return text


@lru_cache(maxsize=None)
def _import_patterns() -> list[tuple[re.Pattern[str], str]]:
    iw, fw, iv, asw = alt("import_word"), alt("from_word"), alt("import_verb"), alt("as_word")
    return [
        # X から Y を Z としてインポート → from X import Y as Z
        (_c(rf"^(?P<i>\s*)(?P<mod>{_MOD})\s*{fw}\s*(?P<names>[^\s,]+?)\s*を\s*(?P<as>\S+?)\s*{asw}\s*{iw}(?:します|する)?{_END}"),
         "from {mod} import {names} as {as}"),
        # X を Y としてインポート / 将 X 导入为 Y / 导入 X 作为 Y → import X as Y
        (_c(rf"^(?P<i>\s*)(?P<mod>{_MOD})\s*を\s*(?P<as>\S+?)\s*{asw}\s*{iw}(?:します|する)?{_END}"),
         "import {mod} as {as}"),
        (_c(rf"^(?P<i>\s*)将?\s*(?P<mod>\S+?)\s*{iw}\s*{asw}\s*(?P<as>\S+?){_END}"),
         "import {mod} as {as}"),
        (_c(rf"^(?P<i>\s*){iw}\s*(?P<mod>\S+?)\s*{asw}\s*(?P<as>\S+?){_END}"),
         "import {mod} as {as}"),
        # from X インポート Y
        (_c(rf"^(?P<i>\s*)from\s+(?P<mod>{_MOD})\s*{iw}\s*(?P<names>.+?)(?:\s*から)?{_END}"),
         "from {mod} import {names}"),
        # X から Y をインポート(します) / X から Y のインポートを行う
        (_c(rf"^(?P<i>\s*)(?:from\s+)?(?P<mod>{_MOD})\s*{fw}\s*(?P<names>(?!{iw}).+?)\s*(?:{iv}|のインポートを行う|なインポートを行う){_END}"),
         "from {mod} import {names}"),
        # X からのインポート、a、b / X から import Y / Xからインポート Y / 来自 X 导入 Y
        (_c(rf"^(?P<i>\s*)(?:{fw}\s*)?(?P<mod>{_MOD})\s*(?:{fw})\s*{iw}\s*(?:を行う)?\s*,?\s*(?P<names>.+?){_END}"),
         "from {mod} import {names}"),
        (_c(rf"^(?P<i>\s*)(?:来自|从|から)\s*(?P<mod>{_MOD})\s*{iw}\s*(?P<names>.+?){_END}"),
         "from {mod} import {names}"),
        # X インポートから Y
        (_c(rf"^(?P<i>\s*)(?P<mod>{_MOD})\s*{iw}\s*から\s*(?P<names>[^\sから].*?){_END}"),
         "from {mod} import {names}"),
        # X インポート Y から / XインポートYから / X import Y から
        (_c(rf"^(?P<i>\s*)(?P<mod>{_MOD})\s*{iw}\s*(?P<names>.+?)\s*から{_END}"),
         "from {mod} import {names}"),
        # X をインポートする → import X
        (_c(rf"^(?P<i>\s*)(?P<mod>{_MOD}(?:\s*,\s*{_MOD})*)\s*{iv}{_END}"), "import {mod}"),
        (_c(rf"^(?P<i>\s*)(?P<mod>\S+?)\s*{iv}{_END}"), "import {mod}"),
        (_c(rf"^(?P<i>\s*){iw}\s+(?P<mod>{_MOD}(?:\s*,\s*{_MOD})*){_END}"), "import {mod}"),
        # ZH "X 导入 Y": from X import Y
        (_c(rf"^(?P<i>\s*)(?P<mod>{_MOD})\s*(?:导入|導入)\s*(?P<names>.+?){_END}"),
         "from {mod} import {names}"),
    ]


def rewrite_import(line: str) -> str | None:
    """Import statements in any of MT's word orders.

    ``ジムをインポート`` → ``import gym`` (the name is back-translated later);
    ``sklearn.metrics からのインポート、a、b`` → ``from sklearn.metrics import a, b``;
    ``phoenix.otelインポートレジスタから`` → ``from phoenix.otel import レジスタ``.
    """
    if not re.search(r"インポート|import|导入|導入", line) or re.match(r"^\s*(?:from\s+\S+\s+)?import\s+[\w., ]+$", line):
        return None
    for pat, template in _import_patterns():
        m = pat.match(line)
        if not m:
            continue
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        if "names" in groups:
            groups["names"] = _names_list(groups["names"])
            if not groups["names"]:
                continue
        mod = groups.get("mod", "")
        if re.search(r"[^\w.]", mod.replace(" ", "")) and "," not in mod:
            continue
        return _finish(m.group("i"), template.format(**{**groups, "as": groups.get("as", "")}), m)
    return None


def rewrite_with(line: str) -> str | None:
    """``X を使用:`` → ``with X:``; ``X を Y として使用:`` → ``with X as Y:``;
    the split form ``tracer.start_as_current_span( を使用)`` … ``) スパンとして:``."""
    wv, asw = alt("with_verb"), alt("as_word")
    m = re.match(rf"^(\s*)(.+?)\s*を\s*(\S+?)\s*{asw}\s*使用(?:します)?\s*:\s*$", line)
    if m:
        return f"{m.group(1)}with {m.group(2)} as {m.group(3)}:"
    m = re.match(rf"^(\s*)(?!with\b)(.+?[\)\w\ue001])\s*(?:を使用します|を使用して|を使用|を使う)\s*:\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
    if m:
        return _finish(m.group(1), f"with {m.group(2)}:", m)
    m = re.match(r"^(\s*)(?!with\b)(\S.*\()\s*を使用\)?\s*$", line)
    if m:
        head = m.group(2)
        head = re.sub(r"^([A-Z])(?=[a-z]+\.[a-z_]+\()", lambda x: x.group(1).lower(), head)
        return f"{m.group(1)}with {head}"
    m = re.match(rf"^(\s*)\)\s*(\S+?)\s*{asw}\s*:\s*$", line)
    if m:
        return f"{m.group(1)}) as {m.group(2)}:"
    m = re.match(r"^(\s*)(?!with\b)(.+?)\s*を(?:それぞれ)?次のように指定します[。.]?\s*:?\s*$", line)
    if m:
        return f"{m.group(1)}with {m.group(2)} as \ue010:"  # the name is found from the body
    return None


def rewrite_def(line: str) -> str | None:
    """``デフォルトの正しい推定値(観測値, tpr):`` → ``def 正しい推定値(観測値, tpr):``;
    ``defretrieve_documents(q):`` → ``def retrieve_documents(q):``; ``非同期 def`` → ``async def``."""
    dw, aw = alt("def_word"), alt("async_word")
    m = re.match(rf"^(\s*)(?:(?:{aw})\s*)?{dw}\s*(?P<name>[^\s(]+)\s*\((?P<args>.*)\)\s*(?P<ret>->.*?)?\s*:\s*$", line)
    if m:
        prefix = "async def" if re.match(rf"^\s*{aw}", line) else "def"
        ret = f" {m.group('ret')}" if m.group("ret") else ""
        return f"{m.group(1)}{prefix} {m.group('name')}({m.group('args')}){ret}:"
    m = re.match(rf"^(\s*){aw}\s*(def|with|for)\b\s*(.*)$", line)
    if m:
        return f"{m.group(1)}async {m.group(2)} {m.group(3)}"
    m = re.match(r"^(\s*)def(?=[a-z_])(\w+)\s*\((.*)\)\s*(->.*?)?:\s*$", line)
    if m:
        rest = line[len(m.group(1)) + 3 :]
        return f"{m.group(1)}def {rest.lstrip()}"
    m = re.match(r"^(\s*)class(?=[A-Z])(\w+)\s*(\(.*\))?\s*:\s*$", line)
    if m:
        return f"{m.group(1)}class {line[len(m.group(1)) + 5:]}"
    return None


def rewrite_return(line: str) -> str | None:
    """``x を返す`` → ``return x``; ``結果を返す[0]`` → ``return 結果[0]``;
    ``戻り値 len(r) > 0`` → ``return len(r) > 0``; ``returnf(x)`` → ``return f(x)``."""
    rv, rw = alt("return_verb"), alt("return_word")
    m = re.match(rf"^(\s*)(?!return\b)(.+?)\s*{rv}\s*[.。]?(?P<tail>[\[.(][^\ue002]*?)?\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
    if m:
        return _finish(m.group(1), f"return {m.group(2)}{m.group('tail') or ''}", m)
    m = re.match(rf"^(\s*){rw}\s*(?P<expr>[^\s=].*?)?\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
    if m and not re.match(rf"^\s*{rw}\s*=", line):
        expr = m.group("expr") or ""
        return _finish(m.group(1), f"return {expr}".rstrip(), m)
    m = re.match(r"^(\s+)return(?=[a-z_])([A-Za-z_]\w*)\s*\(", line)
    if m:
        return f"{m.group(1)}return {line[len(m.group(1)) + 6:]}"
    return None


def rewrite_literal_order(line: str) -> str | None:
    """Keywords translated in place, word by word: ``ために i で 範囲(3):`` → ``for i in 範囲(3):``,
    ``一方 x > 0:`` → ``while x > 0:``, ``もし x:`` → ``if x:``, ``と open(p) として f:`` →
    ``with open(p) as f:``, ``グローバル n`` → ``global n``."""
    m = re.match(r"^(\s*)(?:ために|のために)\s+(.+?)\s+(?:で|の中で|の中|内)\s+(.+?)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}for {m.group(2)} in {m.group(3)}:"
    m = re.match(r"^(\s*)(?:一方|その間|しながら)\s+(.+?)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}while {_condition(m.group(2))}:"
    m = re.match(r"^(\s*)もし\s+(.+?)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}if {_condition(m.group(2))}:"
    m = re.match(r"^(\s*)(?:と|一緒に)\s+(.+?)\s+として\s+(\w+)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}with {m.group(2)} as {m.group(3)}:"
    m = re.match(r"^(\s*)(?:グローバル|大域)\s+(\w.*)$", line)
    if m:
        return f"{m.group(1)}global {m.group(2)}"
    return None


def rewrite_for(line: str) -> str | None:
    """``範囲(1000)内の_の場合:`` → ``for _ in 範囲(1000):``;
    ``i の場合、enumerate(items) の項目:`` → ``for i, 項目 in enumerate(items):``;
    ``(結果のドキュメントの場合)`` inside a comprehension → ``for ドキュメント in 結果``."""
    if re.match(rf"^\s*{alt('else_word')}", line):
        return None
    m = re.match(r"^(\s*)(.+?)\s*内の\s*(.+?)\s*(?:の場合|について|に対して)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}for {m.group(3)} in {m.group(2)}:"
    m = re.match(r"^(\s*)(.+?)\s*の各\s*(.+?)\s*(?:について|に対して|の場合)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}for {m.group(3)} in {m.group(2)}:"
    m = re.match(r"^(\s*)(\w+?|\S+?\(.*\)|\S+?\[.*\])\s*の\s*(\w+?)\s*の場合\s*:\s*$", line)
    if m:
        return f"{m.group(1)}for {m.group(3)} in {m.group(2)}:"
    m = re.match(r"^(\s*)(\w+)\s*の場合\s*,\s*(.+?)\s*の\s*(\w+)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}for {m.group(2)}, {m.group(4)} in {m.group(3)}:"
    m = re.match(r"^(\s*)(\w+)\s*の場合\s*,\s*(.+?)\s*(?:内|の中)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}for {m.group(2)} in {m.group(3)}:"
    m = re.match(r"^(\s*)(\w+?)\s*の\s*(\w+?)\s*の場合\s*$", line)
    if m:
        return f"{m.group(1)}for {m.group(3)} in {m.group(2)}"
    return None


def rewrite_comprehension_for(line: str) -> str | None:
    """``[d.text (結果のドキュメントの場合)]`` → ``[d.text for ドキュメント in 結果]``."""
    new = re.sub(r"\s*\(\s*(\w+?)\s*の\s*(\w+?)\s*の場合\s*\)", r" for \2 in \1", line)
    if new != line:
        return new
    new = re.sub(r"(?<=\S)\s+(\w+?)\s*の\s*(\w+?)\s*の場合(?=\s*[\])}])", r" for \2 in \1", line)
    return new if new != line else None


_COMPARISONS = [
    (r"^(.+?)\s*が\s*(.+?)\s*より大きい$", r"\1 > \2"),
    (r"^(.+?)\s*が\s*(.+?)\s*より小さい$", r"\1 < \2"),
    (r"^(.+?)\s*が\s*(.+?)\s*未満$", r"\1 < \2"),
    (r"^(.+?)\s*が\s*(.+?)\s*以上$", r"\1 >= \2"),
    (r"^(.+?)\s*が\s*(.+?)\s*以下$", r"\1 <= \2"),
    (r"^(.+?)\s*が\s*(.+?)\s*(?:と|に)等しくない$", r"\1 != \2"),
    (r"^(.+?)\s*が\s*(.+?)\s*(?:と|に)等しい$", r"\1 == \2"),
    (r"^(.+?)\s*が\s*(None|なし)\s*(?:ではない|でない)$", r"\1 is not None"),
    (r"^(.+?)\s*が\s*(None|なし)$", r"\1 is None"),
    (r"^(.+?)\s*が\s*(.+?)\s*に(?:ない|含まれていない|含まれない|存在しない)$", r"\1 not in \2"),
    (r"^(.+?)\s*が\s*(.+?)\s*に(?:ある|含まれている|含まれる|存在する)$", r"\1 in \2"),
]


def _condition(text: str) -> str:
    """``x が 0 より大きい`` → ``x > 0``; ``a または b`` → ``a or b``; ``x が None`` → ``x is None``."""
    ow, aw = alt("or_word"), alt("and_word")
    parts = re.split(rf"\s*{ow}\s*", text)
    out = []
    for part in parts:
        ands = []
        for piece in re.split(rf"\s*{aw}\s*", part):
            piece = piece.strip()
            for pat, repl in _COMPARISONS:
                new = re.sub(pat, repl, piece)
                if new != piece:
                    piece = new
                    break
            piece = re.sub(r"^(.+?)\s*(?:ではない|でない)$", r"not \1", piece)
            ands.append(piece)
        out.append(" and ".join(ands))
    return " or ".join(out).strip()


def rewrite_if(line: str) -> str | None:
    """``終了または切り捨てられた場合:`` → ``if 終了 or 切り捨てられた:``;
    ``それ以外の場合:`` → ``else:``; ``それ以外の場合、x の場合:`` → ``elif x:``."""
    ew, iw = alt("else_word"), alt("if_suffix")
    m = re.match(rf"^(\s*)}}?\s*{ew}\s*:\s*$", line)
    if m:
        return f"{m.group(1)}else:"
    m = re.match(rf"^(\s*){ew}\s*,?\s*(.+?)\s*{iw}\s*:\s*$", line)
    if m:
        return f"{m.group(1)}elif {_condition(m.group(2))}:"
    m = re.match(rf"^(\s*)(?:もし\s*)?(?!if\b|elif\b)(.+?)\s*{iw}\s*:\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
    if m:
        return _finish(m.group(1), f"if {_condition(m.group(2))}:", m)
    return None


def rewrite_while(line: str) -> str | None:
    """``True の間:`` → ``while True:``."""
    m = re.match(rf"^(\s*)(?!while\b)(.+?)\s*{alt('while_suffix')}\s*:\s*$", line)
    if m:
        return f"{m.group(1)}while {_condition(m.group(2))}:"
    return None


def rewrite_try(line: str) -> str | None:
    """``試す:`` → ``try:``; ``ValueError を除く:`` → ``except ValueError:``;
    ``ValueError を e として除く:`` → ``except ValueError as e:``; ``最後に:`` → ``finally:``."""
    m = re.match(rf"^(\s*){alt('try_word')}\s*:\s*$", line)
    if m:
        return f"{m.group(1)}try:"
    m = re.match(rf"^(\s*){alt('finally_word')}\s*:\s*$", line)
    if m:
        return f"{m.group(1)}finally:"
    m = re.match(rf"^(\s*)(.+?)\s*を\s*(\w+)\s*として(?:除く|除いて|キャッチ)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}except {m.group(2)} as {m.group(3)}:"
    m = re.match(rf"^(\s*)(?:(?:除く|例外|キャッチ)\s*)?(\S.*?)\s*{alt('except_word')}\s*:\s*$", line)
    if m:
        return f"{m.group(1)}except {m.group(2)}:"
    m = re.match(r"^(\s*)(?:除く|例外|キャッチ)\s*(\S.*?)?\s*:\s*$", line)
    if m:
        return f"{m.group(1)}except{' ' + m.group(2) if m.group(2) else ''}:"
    return None


def rewrite_class(line: str) -> str | None:
    """``クラス 二分木(ノード):`` → ``class 二分木(ノード):``."""
    m = re.match(rf"^(\s*){alt('class_word')}\s*(\S.*?)\s*:\s*$", line)
    if m:
        return f"{m.group(1)}class {m.group(2)}:"
    return None


def rewrite_simple(line: str) -> str | None:
    """One-word statements and prefixes: ``パス`` → ``pass``, ``壊す`` → ``break``,
    ``df.head() を印刷`` → ``print(df.head())``,
    ``続ける`` → ``continue``, ``ValueError を上げる`` → ``raise ValueError``,
    ``x を生成する`` → ``yield x``, ``アサート x`` → ``assert x``."""
    for key, kw in (("pass_word", "pass"), ("break_word", "break"), ("continue_word", "continue"),
                    ("raise_word", "raise")):
        m = re.match(rf"^(\s*){alt(key)}\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
        if m:
            return _finish(m.group(1), kw, m)
    m = re.match(r"^(\s*)(?:印刷|プリント)\s+(?![=(])(.+?)\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
    if m:
        return _finish(m.group(1), f"print({m.group(2)})", m)
    m = re.match(rf"^(\s*)(.+?)\s*{alt('print_verb')}\s*[.。]?\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
    if m:
        return _finish(m.group(1), f"print({m.group(2)})", m)
    for key, kw in (("raise_verb", "raise"), ("yield_verb", "yield")):
        m = re.match(rf"^(\s*)(.+?)\s*{alt(key)}\s*[.。]?\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
        if m:
            return _finish(m.group(1), f"{kw} {m.group(2)}", m)
    for key, kw in (("raise_word", "raise"), ("yield_word", "yield"), ("assert_word", "assert")):
        m = re.match(rf"^(\s*){alt(key)}\s+(\S.*)$", line)
        if m:
            return f"{m.group(1)}{kw} {m.group(2)}"
    m = re.match(r"^(\s*)(?:assert\s+)?(.+?)\s*が\s*(.+?)\s*" + alt("not_in_verb") + r"\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
    if m:
        return _finish(m.group(1), f"assert {m.group(2)} not in {m.group(3)}", m)
    m = re.match(r"^(\s*)(.+?)\s*で\s*(.+?)\s*をアサート(?:します|する)?\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
    if m:
        return _finish(m.group(1), f"assert {m.group(3)} in {m.group(2)}", m)
    m = re.match(r"^(\s*)(.+?)\s*をアサート(?:します|する)?\s*(?P<rest>[\ue002]\d+[\ue003])?\s*$", line)
    if m:
        return _finish(m.group(1), f"assert {m.group(2)}", m)
    return None


def rewrite_inline(line: str) -> str | None:
    """Keywords inside expressions: ``ラムダ x:`` → ``lambda x:``, ``待機 f()`` → ``await f()``."""
    new = re.sub(rf"(?<![\w]){alt('lambda_word')}\s+(?=\w)", "lambda ", line)
    new = re.sub(rf"(?<![\w]){alt('await_word')}\s+(?=[A-Za-z_])", "await ", new)
    return new if new != line else None


PYTHON_LINE_REWRITES: list[tuple[str, LineRewrite]] = [
    ("import", rewrite_import),
    ("def", rewrite_def),
    ("class", rewrite_class),
    ("with", rewrite_with),
    ("return", rewrite_return),
    ("literal-order", rewrite_literal_order),
    ("for", rewrite_for),
    ("try", rewrite_try),
    ("while", rewrite_while),
    ("if", rewrite_if),
    ("simple", rewrite_simple),
    ("inline", rewrite_inline),
    ("comprehension", rewrite_comprehension_for),
]
