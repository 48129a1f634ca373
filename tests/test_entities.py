"""Entity extraction: cases in tests/cases/entities.jsonl plus API properties.

A case's ``expected`` may hold:
  entities   [[text, label], ...] that must be found (first mention of that text)
  not        texts that must not be the text of any entity
  normalized {text: key} for the entity with that text
  same_key   [[text, text], ...] whose entities must share ``normalized``
  count      the exact number of entities
``urls`` (optional) are passed to the extractor as Url objects.
"""

from __future__ import annotations

import pytest

from conftest import case_id, load_cases
from ja_article_tools.extract.entities import entity_summary, extract_entities
from ja_article_tools.models import Entity, Url
from ja_article_tools.tokens import tokenize

CASES = load_cases("entities.jsonl")


def _urls(case: dict) -> list[Url] | None:
    if "urls" not in case:
        return None
    out = []
    for u in case["urls"]:
        start = case["input"].index(u["text"])
        out.append(Url(start=start, end=start + len(u["text"]), text=u["text"], url=u["url"], host=u["host"],
                       kind=u.get("kind", "other"), owner=u.get("owner"), repo=u.get("repo")))
    return out


def _by_text(ents: list[Entity]) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for e in ents:
        out.setdefault(e.text, e)
    return out


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_case(case: dict) -> None:
    text = case["input"]
    ents = extract_entities(text, urls=_urls(case))
    exp = case["expected"]
    found = _by_text(ents)
    got = [(e.text, e.label) for e in ents]
    for t, label in exp.get("entities", []):
        assert t in found, f"{t!r} not found in {got}"
        assert found[t].label == label, f"{t!r}: {found[t].label} != {label}"
    for t in exp.get("not", []):
        assert t not in found, f"{t!r} should not be an entity: {got}"
    for t, key in exp.get("normalized", {}).items():
        assert found[t].normalized == key
    for a, b in exp.get("same_key", []):
        assert a in found and b in found, got
        assert found[a].normalized == found[b].normalized, (found[a], found[b])
    if "count" in exp:
        assert len(ents) == exp["count"], got


@pytest.mark.parametrize("case", [c for c in CASES if c["input"]], ids=case_id)
def test_invariants(case: dict) -> None:
    text = case["input"]
    ents = extract_entities(text)
    starts = [e.start for e in ents]
    assert starts == sorted(starts)
    for e in ents:
        assert text[e.start:e.end] == e.text and e.end > e.start
        assert e.normalized
    for a, b in zip(ents, ents[1:]):
        assert a.end <= b.start, ("overlap", a, b)


def test_given_tokens_match_own_tokenization() -> None:
    text = "イーロン・マスクはOpenAIとテスラ・モーターズに関わり、2015年後半に10億ドルを約束した。"
    assert extract_entities(text, tokens=tokenize(text)) == extract_entities(text)


def test_offsets_are_code_points_after_astral_characters() -> None:
    text = "😀😀 OpenAIは2015年に設立された。"
    ents = _by_text(extract_entities(text))
    assert text[ents["OpenAI"].start:ents["OpenAI"].end] == "OpenAI"
    assert ents["2015年"].start == text.index("2015年")


def test_long_text_with_many_lines() -> None:
    line = "マイクロソフトは2023年に100億ドルを投資した。\n"
    text = line * 300
    ents = extract_entities(text)
    money = [e for e in ents if e.label == "money"]
    assert len(money) == 300
    assert {e.normalized for e in money} == {"10000000000 USD"}


def test_summary_groups_spellings_and_counts_mentions() -> None:
    text = "マイクロソフトは発表した。Microsoftの新製品は、マイクロソフトの主力だ。2023年と2023年。"
    summary = entity_summary(extract_entities(text))
    ms = [d for d in summary if d["normalized"] == "microsoft"]
    assert len(ms) == 1
    assert ms[0]["count"] == 3
    assert ms[0]["label"] == "organization"
    assert ms[0]["first"] == {"start": 0, "end": 7, "text": "マイクロソフト"}
    years = [d for d in summary if d["label"] == "date"]
    assert len(years) == 1 and years[0]["count"] == 2
    assert [d["first"]["start"] for d in summary] == sorted(d["first"]["start"] for d in summary)


def test_invariants_hold_on_arbitrary_text() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("東京都マイクロソフトOpenAIの2015年後半10億ドル%GB.v1-・「」 \n\r\t\x00😀ｶﾀｶﾅabcXYZ`/:"
                                    "午前時分日月割倍銭翌同曜、,@社長幹部"))

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(st.lists(alphabet, max_size=80).map("".join))
    def check(text: str) -> None:
        ents = extract_entities(text)
        for e in ents:
            assert text[e.start:e.end] == e.text and e.end > e.start and e.normalized
        for a, b in zip(ents, ents[1:]):
            assert a.end <= b.start

    check()


def test_docstring_examples() -> None:
    import doctest

    from ja_article_tools.extract import entities

    result = doctest.testmod(entities)
    assert result.attempted >= 2 and result.failed == 0


def test_threads_share_the_model() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"第{i}回はOpenAIのイベントで、{2000 + i}年に東京で開かれた。ユニークな語彙{i}ピヨ{i}" for i in range(40)]
    expected = [extract_entities(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(extract_entities, texts))
    assert got == expected


def test_span_typer_folds_fine_labels_into_their_type() -> None:
    """Two organisation subtypes at 0.4 each beat a person at 0.2: the typer answers
    with the coarse type and the summed probability."""
    import math

    import numpy as np

    from ja_article_tools.extract.ner_crf import SpanTyper

    labels = ["organization/corporate", "organization/other", "person"]
    weights = np.array([[math.log(0.4), math.log(0.4), math.log(0.2)]])
    typer = SpanTyper(labels, ["h=社"], weights)
    best, p = typer.best(["h=社", "never-seen-attribute"])
    assert best == "organization"
    assert abs(p - 0.8) < 1e-9
    assert typer.best([])[0] in {"organization", "person"}  # all scores zero: a tie, no crash


def test_label_bias_shifts_the_decoder_towards_names() -> None:
    """A decode-time penalty on O turns a weak name into a tagged one."""
    import numpy as np

    from ja_article_tools.extract import ner_features as nf
    from ja_article_tools.extract.ner_crf import CrfModel

    labels = ["O", "B-person"]
    attrs = ["bias", "w=ジム"]
    weights = np.array([[0.0, 0.0], [0.0, -0.2]])  # ジム leans slightly towards O
    trans = [[0.0, 0.0], [0.0, 0.0]]
    morph = nf.morphs_from_raw([("ジム", 0, 2, "名詞,普通名詞,一般,*,*,*,ジム,ジム-gym,ジム,ジム,ジム,ジム,外,*")])
    plain = CrfModel(labels, trans, attrs, weights)
    assert plain.tag(morph) == ["O"]
    biased = CrfModel(labels, trans, attrs, weights, label_bias=np.array([-0.5, 0.0]))
    assert biased.tag(morph) == ["B-person"]


@pytest.mark.parametrize(
    "surfaces, expected",
    [
        (["httpx", "（", "同期"], ["httpx"]),  # an opening bracket that does not close inside
        (["NHK", "朝", "ドラ", "「", "こころ"], ["NHK", "朝", "ドラ"]),
        (["版", "）", "ジム"], ["ジム"]),  # a closing bracket that opened before the span
        (["『", "ノルウェイ", "の", "森", "』"], ["ノルウェイ", "の", "森"]),  # balanced: edges trimmed only
        (["東京", "（", "日本", "）", "支社"], ["東京", "（", "日本", "）", "支社"]),  # balanced inside: kept
    ],
)
def test_a_name_does_not_straddle_a_bracket(surfaces: list[str], expected: list[str]) -> None:
    from ja_article_tools.extract.entities import _balanced

    i, j = _balanced(surfaces, 0, len(surfaces))
    assert surfaces[i:j] == expected


@pytest.mark.parametrize("text", [
    "OpenAIのサム・アルトマンは2015年に「ChatGPT」を発表した。\nメタ・プラットフォームズは東京に拠点を置く。",
    "ｈｔｔｐｓ://example.com を見よ。株式会社ミナトデータ　山口 健太氏が登壇し、５,０００万文字まで翻訳した。",
])
def test_the_three_ways_to_hand_over_morphemes_give_the_same_entities(text: str) -> None:
    from ja_article_tools.tokens import tag_chunks

    def key(ents: list) -> list:
        return [(e.start, e.end, e.label, e.normalized) for e in ents]

    own = key(extract_entities(text))
    assert own == key(extract_entities(text, morphemes=list(tag_chunks(text))))
    assert own == key(extract_entities(text, tokens=tokenize(text)))
    assert own  # the texts do hold names


def test_a_year_before_a_name_that_is_no_event_is_a_date_of_its_own() -> None:
    """``_settle_readings`` on the spans the tagger gives a year glued to a hall's name."""
    from ja_article_tools.extract.entities import _settle_readings

    text = "1980年日劇ミュージックホールで公演した。"
    year = (0, 5, "date")
    hall = (0, 16, "facility", None, -1, -1)
    kept, names = _settle_readings(text, [year], [hall])
    assert kept == [year]
    assert [(text[s:e], label) for s, e, label, *_ in names] == [("日劇ミュージックホール", "facility")]
    # an event keeps its year; a date word without a number may begin a title
    games = (0, 13, "event", None, -1, -1)
    assert _settle_readings("1972年札幌オリンピックに出た。", [year], [games])[1] == [games]
    news = (0, 7, "product", None, -1, -1)
    assert _settle_readings("今日のニュースで見た。", [(0, 2, "date")], [news])[1] == [news]
