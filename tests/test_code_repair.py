"""Code repair: data-driven cases in tests/cases/code_repair/*.jsonl.

Python results are compared as ASTs after consistent renaming of the names the snippet
binds itself (any consistent variable name is a correct repair); shell and JavaScript
results are compared token by token.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
from pathlib import Path

import pytest

from ja_article_tools.code.repair import guess_language, repair_code
from ja_article_tools.models import CodeRepair

CASES = Path(__file__).parent / "cases" / "code_repair"


def load(name: str) -> list[dict]:
    with open(CASES / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def canonical(src: str) -> str:
    """ast.dump with the snippet's own bound names renamed in order of appearance."""
    tree = ast.parse(src)
    bound: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            bound.add(n.id)
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
    mapping: dict[str, str] = {}

    class Rename(ast.NodeTransformer):
        def _n(self, name: str) -> str:
            if name not in bound:
                return name
            return mapping.setdefault(name, f"_v{len(mapping)}")

        def visit_Name(self, n: ast.Name) -> ast.Name:
            n.id = self._n(n.id)
            return n

        def visit_arg(self, n: ast.arg) -> ast.arg:
            n.arg = self._n(n.arg)
            return n

    return ast.dump(Rename().visit(tree))


def shell_tokens(src: str) -> list[list[str]]:
    return [shlex.split(line, posix=False) for line in src.split("\n") if line.strip()]


def js_tokens(src: str) -> list[str]:
    return re.findall(r"\"[^\"]*\"|'[^']*'|\w+|[^\s\w]", src)


def _parses(src: str) -> bool:
    try:
        ast.parse(src)
    except SyntaxError:
        return False
    return True


PY = load("python.jsonl")
UNCHANGED = load("unchanged.jsonl")
SH = load("shell.jsonl")
JS = load("javascript.jsonl")
CLIKE = load("clike.jsonl")


@pytest.mark.parametrize("case", PY, ids=[c["why"][:40] for c in PY])
def test_python_repair(case: dict) -> None:
    result = repair_code(case["input"])
    assert result.language == "python"
    if canonical(case["input"] if _parses(case["input"]) else "pass") != canonical(case["expected"]):
        assert result.changed
    assert canonical(result.code) == canonical(case["expected"]), result.code


@pytest.mark.parametrize("case", PY, ids=[c["why"][:40] for c in PY])
def test_python_repair_is_idempotent(case: dict) -> None:
    once = repair_code(case["input"]).code
    assert canonical(repair_code(once, "python").code) == canonical(once)


@pytest.mark.parametrize("case", UNCHANGED, ids=[c["why"][:40] for c in UNCHANGED])
def test_correct_code_is_left_alone(case: dict) -> None:
    result = repair_code(case["input"], "python")
    assert result.code == case["input"]
    assert not result.changed
    assert result.edits == ()


@pytest.mark.parametrize("case", SH, ids=[c["why"][:40] for c in SH])
def test_shell_repair(case: dict) -> None:
    result = repair_code(case["input"], "shell")
    assert shell_tokens(result.code) == shell_tokens(case["expected"]), result.code


@pytest.mark.parametrize("case", JS, ids=[c["why"][:40] for c in JS])
def test_javascript_repair(case: dict) -> None:
    result = repair_code(case["input"], "javascript")
    assert js_tokens(result.code) == js_tokens(case["expected"]), result.code


@pytest.mark.parametrize("case", CLIKE, ids=[c["why"][:40] for c in CLIKE])
def test_brace_language_repair(case: dict) -> None:
    """Go, Rust, Java, Kotlin, Scala, C#, Swift, C: each case names its language; a case
    whose expected text equals its input is correct code that must come back unchanged."""
    result = repair_code(case["input"], case["lang"])
    assert js_tokens(result.code) == js_tokens(case["expected"]), result.code
    if case["expected"] == case["input"]:
        assert not result.changed
    if case["guessable"]:
        assert repair_code(case["input"]).language == case["lang"]


def test_edits_and_unresolved_are_reported() -> None:
    result = repair_code("デフォルト f(x):\n    x を返す\ny = 謎の関数名(1)", "python")
    assert isinstance(result, CodeRepair)
    assert [e.line for e in result.edits][:2] == [1, 2]
    assert all(e.before != e.after and e.reason for e in result.edits)
    assert 0 < result.confidence <= 1


def test_mt_fence_is_restored() -> None:
    result = repair_code("「」パイソン\nx = [1、2]\n「」")
    assert result.language == "python"
    assert result.code == "```python\nx = [1, 2]\n```"


@pytest.mark.parametrize("text", ["", "\n\n", "「」", "((((", "\ud800", "x" * 5000, "「」パイソン\n「」", None, "def f(:\n  戻り値"])
def test_never_raises(text) -> None:
    result = repair_code(text)
    assert isinstance(result, CodeRepair)
    assert 0.0 <= result.confidence <= 1.0


def test_nothing_applies_returns_unchanged_with_zero_confidence() -> None:
    result = repair_code("これはただの文章です。", "text")
    assert result.code == "これはただの文章です。"
    assert not result.changed and result.confidence == 0.0


@pytest.mark.parametrize("text,lang", [
    ("pip install x\ngit clone y", "shell"),
    ("const a = 1;\nconsole.log(a);", "javascript"),
    ("import os\nprint(os.getcwd())", "python"),
])
def test_guess_language(text: str, lang: str) -> None:
    assert guess_language(text) == lang


from hypothesis import given, settings
from hypothesis import strategies as st

_CODEISH = st.text(alphabet=st.sampled_from(list("abc_=():,.\n 　、。「」（）【】#\"'ジムをインポート返す場合範囲内の使用デフォルト")), max_size=60)


@settings(max_examples=60, deadline=None)
@given(_CODEISH, st.sampled_from([None, "python", "shell", "javascript", "typescript", "text", "go", "rust", "java", "kotlin", "csharp", "swift"]))
def test_never_raises_on_arbitrary_text(text: str, language: str | None) -> None:
    from ja_article_tools.code.repair import _repair

    result = _repair(text, language)  # the unguarded path: internal errors must not happen either
    assert isinstance(result.code, str)
    assert 0.0 <= result.confidence <= 1.0
    assert result.changed == (result.code != text)
    assert all(1 <= n for n in result.unresolved)


def test_doctest_transcript_keeps_prompts_and_output() -> None:
    text = ">>> 数学をインポート\n>>> math.sqrt(4)\n2.0\n>>> 範囲(2)内のiの場合:\n...     印刷(i)\n...\n0\n1"
    result = repair_code(text, "python")
    assert result.code.split("\n") == [
        ">>> import math", ">>> math.sqrt(4)", "2.0", ">>> for i in range(2):", "...     print(i)", "...", "0", "1",
    ]
    assert [e.line for e in result.edits] == [1, 4, 5]


def test_package_name_doctests() -> None:
    import doctest

    from ja_article_tools.code.repair import packages

    result = doctest.testmod(packages)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", ["requests", "numpy", "arize-phoenix-otel", "react", "lodash", "typescript"])
def test_known_package_names_are_never_respelled(name: str) -> None:
    from ja_article_tools.code.repair.packages import restore_package_name

    assert restore_package_name(name) is None


# ---------------------------------------------------------------- keyword rule table
from ja_article_tools.code.repair import keywords as _kw

_FAMILIES = _kw.REWRITE_FAMILIES + _kw.load_families("condition")
_RULE_EXAMPLES = [(f, i, r.example) for f in _FAMILIES for i, r in enumerate(f.rules) if r.example]


@pytest.mark.parametrize("family,index,example", _RULE_EXAMPLES,
                         ids=[f"{f.name}[{i}]" for f, i, _ in _RULE_EXAMPLES])
def test_keyword_rule_example_is_taken_by_its_own_rule(family, index: int, example: tuple[str, str]) -> None:
    """Each rule's table example is rewritten as shown *by that rule*: no earlier rule
    shadows it (the order of the table is the semantics)."""
    source, expected = example
    if family.apply == "first":
        assert family.first_rule(source) == (index, expected)
    else:
        assert family.apply_rule(family.rules[index], source) == expected


@pytest.mark.parametrize("family", _FAMILIES, ids=[f.name for f in _FAMILIES])
def test_keyword_family_is_documented_and_its_examples_hold(family) -> None:
    assert family.doc and family.examples, "every family carries a description and a Japanese example"
    for source, expected in family.examples:
        assert family(source) == expected


def test_keyword_families_keep_their_order() -> None:
    names = [name for name, _ in _kw.PYTHON_LINE_REWRITES]
    assert names.index("for") < names.index("if")  # both end in の場合:
    assert names[0] == "import"
    assert repair_code("範囲(3)内のiの場合:\n    print(i)", "python").code == "for i in range(3):\n    print(i)"


@pytest.mark.parametrize("line", ["x = 1", "print(x)", "    return x", "import os", "with open(p) as f:"])
def test_keyword_families_leave_python_lines_alone(line: str) -> None:
    changed = {name: out for name, rewrite in _kw.PYTHON_LINE_REWRITES
               if (out := rewrite(line)) is not None and out != line}
    assert changed == {}


@pytest.mark.parametrize("line", ["sklearn からのインポート,", "ジム(x) をインポート"])
def test_keyword_transform_can_reject_a_match(line: str) -> None:
    """A pattern matches, but a transform rejects that reading: an empty import list
    (``names_list``), a call taken for a module (``module_path``). No import is made up."""
    family = dict(_kw.PYTHON_LINE_REWRITES)["import"]
    assert any(rule.regex.match(line) for rule in family.rules)
    assert family(line) is None


def test_keyword_table_errors_are_reported() -> None:
    with pytest.raises(ValueError, match="unknown transform"):
        _kw._family({"name": "x", "rule": [{"match": "a", "emit": "b", "transform": {"a": "no_such"}}]}, {})
    with pytest.raises(ValueError, match="mode"):
        _kw._family({"name": "x", "mode": "search", "rule": [{"match": "a", "emit": "b"}]}, {})
    with pytest.raises(KeyError):
        _kw.expand("^{NO_SUCH_FRAGMENT}")
    with pytest.raises(KeyError):
        _kw.expand("^{no_such_rendering}")
    assert _kw.expand(r"^(\s*)}?x{2,3}") == r"^(\s*)}?x{2,3}"  # regex braces are left alone


def test_every_keyword_pattern_compiles() -> None:
    """Patterns compile lazily; a typo in a {placeholder}, a regex or an output template must
    fail here, not in use (repair_code would swallow the error and leave the block as is)."""
    import string

    for family in _FAMILIES:
        assert all(g is None or g.pattern for g in family._guards)
        for rule in family.rules:
            assert rule.regex.pattern
            assert rule.guard is None or rule.guard.pattern
            fields = {name for _, name, _, _ in string.Formatter().parse(rule.emit) if name}
            assert fields <= set(rule.regex.groupindex), f"{family.name}: {rule.emit!r} names a group the pattern lacks"
