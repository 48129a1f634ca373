"""Properties of process() on arbitrary text: it never raises, every span lies inside
the source, every item with text is the source slice it claims, and replaying the
cleaning edits on the source gives the cleaned text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ja_article_tools import process
from ja_article_tools.clean import apply_edits

PIECES = [
    "ChatGPT は OpenAI が開発した", "無料の AI チャットボット サービス", "。", "、", "\n", "\n\n", "\r\n",
    "https://github.com/openai/gym", "詳細はhttps://example.com/a(b)を参照", "「", "」", "（", "）", "ｶﾞｲﾄﾞ",
    "ＡＰＩ", "ジムをインポート", "env = gym .make ( \"CartPole-v1\" )", "範囲( 10 )内の_の場合:", "```python\n",
    "```", "# 見出し\n", "- 項目\n", "> 引用\n", "---\n", "`code`", "\x00", "\u200b", "\ud800", "!", "?", "    ",
    "1. 強化学習:ジム\n", "2019年に10億ドル", "イーロン・マスク", "user@example.com", "www.example.jp/パス",
    "17日午後3時半", "昨年9月", "3割5分", "4億5千万円", "7月20・21日", "11安打", "稲川組幹部", "Edition",
    "1万", "・", "2023-02-02",
]

texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=25).map("".join),
    st.text(max_size=200),
)


def _check(article):
    text = article.source.text
    n = len(text)
    d = article.to_dict(tokens=True)

    def spans(items):
        for it in items:
            assert 0 <= it["start"] <= it["end"] <= n, it
            if "text" in it:
                assert text[it["start"] : it["end"]] == it["text"], it

    spans(d["blocks"])
    spans(d["sentences"])
    spans(d["urls"])
    spans(d["emails"])
    spans(d["entities"])
    spans(d["code_blocks"])
    spans(d["cleaning"]["edits"])
    if d["title"]:
        spans([d["title"]])
    for tok in d["tokens"]:
        assert 0 <= tok[1] <= tok[2] <= n
    assert apply_edits(text, article.edits) == article.cleaned_text
    return d


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from([None, True, False]))
def test_process_never_raises_and_spans_hold(text, markdown):
    from ja_article_tools.pipeline import ProcessOptions

    _check(process(text, options=ProcessOptions(markdown=markdown)))


def test_process_empty_text(validator):
    d = _check(process(""))
    validator.validate(d)
    assert d["blocks"] == [] and d["title"] is None and d["stats"]["chars"] == 0


def test_pathological_inputs_complete(validator):
    """Inputs that make naive regexes backtrack: each must complete (no timing
    assertion: the test would hang, not flake)."""
    cases = [
        "a." * 20000,
        "(" * 20000 + "https://example.com",
        "http://" * 5000,
        " " * 50000 + "あ",
        "あ " * 30000,
        "`" * 10000,
        "「" * 10000 + "。" * 100,
        "x = (" * 3000,
        # numbers: every digit of these runs is a place where a rule may start
        "1万" * 20000,
        "1・" * 20000,
        "1億2" * 10000,
        "1,000" * 10000,
        "a.jp/あ" * 6000,  # every a.jp a bare URL whose path scan ran to the end
        "CEO" * 10000,  # one long Latin run under the version rule
        "範囲(a" * 6000,  # a long line of Japanese names in one code line
        "$ あ" * 10000,  # a long shell line
        "https://a.com/(ア" * 3000,  # a ( before Japanese, looked for its ) to the end
        "def 範囲(" * 4000,  # parameter lists scanned to the line end per def
        "(a.jp/あ" * 6000,  # a set-off URL whose hiragana segment might be a title, read to the end
    ]
    for text in cases:
        validator.validate(_check(process(text)))


def test_pathological_inputs_lint_completes():
    """The lint rules on inputs that made some of them quadratic (found by
    ``bench/scaling_sweep.py``); each must complete, and findings stay in the text."""
    from ja_article_tools.lint.engine import lint

    for text in ["をa" * 16000, "（a" * 16000, "CEO" * 10000, "範囲(" * 8000, "a.jp/あ" * 6000,
                 "<!--" * 10000, "「<!--" * 8000]:
        for f in lint(text, "x.md"):
            assert 0 <= f.start <= f.end <= len(text)
