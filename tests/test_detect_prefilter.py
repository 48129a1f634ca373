"""The speed-ups of code detection must not change what it finds.

* ``_derive_prefilter`` (which rules a line may match) is checked on hand-written cases
  (tests/cases/detect_prefilter.jsonl) and, for every line rule, on generated lines: a rule whose
  pattern matches a line must be among the index's candidates for it.
* ``line_features`` with the rule index equals ``line_features`` with every rule tried.
* The cheap replacements (sentence/continuation checks, line splitting, character counting,
  guess_language's required substrings) equal the regexes they stand for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ja_article_tools.code import detect, language
from ja_article_tools.models import LINE_END

CASES = Path(__file__).parent / "cases"


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (CASES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


PREFILTER_CASES = _load("detect_prefilter.jsonl")
SUBSTRING_CASES = _load("detect_required_substrings.jsonl")
RULES = detect._rules()[0] + detect._rules()[1]

# Characters the rules care about, Japanese and ASCII, plus whitespace the two regex engines
# disagree on (\x1c is str.isspace but not regex \s).
_ALPHABET = (
    "abcdefimnoprstxyzABCEFIMS_0123456789１２"
    " \t\u3000\x1c.,:;=<>!&|+-*/\\$%#@\"'`()[]{}（）【】「」『』。．、：＃・•"
    "あいかしすたてとのはをまでんくらうるせ"
    "アイクスダトポムラプリントデフォルー"
    "漢字返場合使用待機印刷戻値関数非同期試行最後期待以外"
)
_FRAGMENTS = [r["example"] for r in json.loads(
    (Path(detect.__file__).with_name("data") / "detect_line_patterns.json").read_text(encoding="utf-8"))["code"]]
_line = st.one_of(
    st.text(alphabet=_ALPHABET, min_size=1, max_size=40),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(alphabet=_ALPHABET, max_size=6)),
             min_size=1, max_size=4).map("".join),
)


@pytest.mark.parametrize("case", PREFILTER_CASES, ids=[c["why"][:50] for c in PREFILTER_CASES])
def test_derived_prefilter(case: dict) -> None:
    prefilter = detect._derive_prefilter(case["pattern"])
    allowed = prefilter.allows(case["input"])
    if regex.search(case["pattern"], case["input"]):
        assert allowed, "unsound: the pattern matches a line its prefilter rejects"
    assert allowed == case["expected"], case["why"]


def test_every_rule_example_passes_its_prefilter() -> None:
    raw = json.loads((Path(detect.__file__).with_name("data") / "detect_line_patterns.json").read_text(encoding="utf-8"))
    examples = {r["name"]: r["example"] for r in raw["code"] + raw["prose"]}
    for rule in RULES:
        s = examples[rule.name].strip()
        if rule.pattern.search(s):
            assert rule.prefilter.allows(s), rule.name
            assert rule.name in _candidate_names(s), rule.name


def test_prefilters_are_not_all_empty() -> None:
    """The analysis must understand most rules, or the speed-up is silently gone."""
    assert sum(1 for r in RULES if r.prefilter.first or r.prefilter.last or r.prefilter.needs) >= len(RULES) * 0.8
    assert sum(1 for r in RULES if r.prefilter.anchored) >= 30


def _candidate_names(s: str) -> set[str]:
    code, prose = detect._rule_index().candidates(s)
    return {c[0] for c in code + prose}


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_line)
def test_no_matching_rule_is_filtered_out(line: str) -> None:
    s = line.strip()
    if not s:
        return
    names = _candidate_names(s)
    for rule in RULES:
        m = rule.pattern.search(s)
        if m:
            assert rule.prefilter.allows(s), (rule.name, s)
            assert rule.name in names, (rule.name, s)
            if rule.prefilter.anchored:
                assert rule.pattern.match(s).span() == m.span(), (rule.name, s)


class _EveryRule:
    """A rule index that filters nothing and calls each rule's own pattern with ``search`` (no
    stdlib twin, no ``match`` for anchored rules): line_features as it was before the speed-ups."""

    def __init__(self) -> None:
        code, prose = detect._rules()
        self.code = tuple((r.name, r.weight, r.pattern.search, r.name.startswith("mt_")) for r in code)
        self.prose = tuple((r.name, r.weight, r.pattern.search, False) for r in prose)

    def candidates(self, s: str):  # noqa: ANN201
        return self.code, self.prose


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_line, st.booleans())
def test_line_features_same_as_without_prefilter(line: str, markdown: bool) -> None:
    fast = detect.line_features(line, markdown=markdown)
    every = _EveryRule()
    original = detect._rule_index
    detect._rule_index = lambda: every  # type: ignore[assignment]
    try:
        slow = detect.line_features(line, markdown=markdown)
    finally:
        detect._rule_index = original  # type: ignore[assignment]
    assert fast == slow


@settings(max_examples=800, deadline=None)
@given(_line)
def test_cheap_checks_equal_their_regexes(line: str) -> None:
    head = line.replace("\n", " ").replace("\r", " ")
    assert detect._is_sentence_line(head) == bool(detect._SENTENCE_LINE.search(head))
    assert detect._is_continuation(head) == bool(detect._CONTINUATION.match(head))
    classes = head.translate(detect._CHAR_CLASSES)
    assert classes.count("h") == len(detect._HIRAGANA.findall(head))
    assert classes.count("h") + classes.count("c") == len(detect._CJK.findall(head))
    assert classes.count("p") == len(detect._CODE_PUNCT.findall(head))


@given(st.lists(st.sampled_from(["", "a", " x ", "\t", "「」", "```"]), max_size=8),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_split_lines_fast_path(parts: list[str], newline: str) -> None:
    text = newline.join(parts)
    got = [(x.start, x.end, x.text, x.blank) for x in detect._split_lines(text)]
    want, pos = [], 0
    for m in LINE_END.finditer(text):
        want.append((pos, m.start(), text[pos:m.start()], not text[pos:m.start()].strip()))
        pos = m.end()
    want.append((pos, len(text), text[pos:], not text[pos:].strip()))
    assert got == want


@pytest.mark.parametrize("case", SUBSTRING_CASES, ids=[c["why"][:50] for c in SUBSTRING_CASES])
def test_required_substrings(case: dict) -> None:
    assert list(language._required_substrings(case["pattern"])) == case["expected"], case["why"]


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, min_size=1, max_size=5).map("\n".join))
def test_language_cues_skipped_only_without_matches(code: str) -> None:
    for _lang, _weight, pattern, needs in language._CUE_RES:
        if needs and not any(n in code for n in needs):
            assert pattern.search(code) is None, pattern.pattern


_TWINS = [(r, detect._stdlib_twin(r.pattern.pattern)) for r in RULES]
_TWINS = [(r, t) for r, t in _TWINS if t is not None]


def test_stdlib_twins_exist_for_the_common_rules() -> None:
    names = {r.name for r, _ in _TWINS}
    assert {"sentence_end", "polite_end", "comparison_or_operator", "table_row"} <= names
    assert detect._stdlib_twin(r"\w++\s?+=") is None  # \w differs between the engines
    assert detect._stdlib_twin(r"[\s-x]") is None  # spelt out \s would make "-" a range
    assert detect._stdlib_twin(r"(?i)abc") is None


def test_regex_spaces_are_the_regex_modules_whitespace() -> None:
    """The spelt-out set equals the regex module's \\s over all of Unicode."""
    spaces = regex.compile("[" + detect._REGEX_SPACES + "]")
    ws = regex.compile(r"\s")
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        assert bool(spaces.match(ch)) == bool(ws.match(ch)), hex(cp)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_line)
def test_stdlib_twins_match_like_the_rules(line: str) -> None:
    for rule, twin in _TWINS:
        for s in (line, line.strip()):
            a, b = rule.pattern.search(s), twin.search(s)
            assert (a and a.span()) == (b and b.span()), (rule.name, s)


def test_pattern_tree_reads_properties_and_refuses_private_use() -> None:
    from ja_article_tools.code import pattern_tree

    tree, props = pattern_tree.parse(r"^\p{Katakana}+ー(?:クラス|class)")
    assert list(props.values()) == [r"\p{Katakana}"]
    assert all(pattern_tree.is_placeholder(ord(ch)) for ch in props)
    assert pattern_tree.parse("\ue000abc") is None  # would clash with the placeholders
    assert pattern_tree.parse(r"\p{Han}(?r)x") is None  # syntax only the regex module knows
