"""The corpus against what a human reader wrote down for each article
(``tests/cases/corpus_expectations.json``, written by hand from the text)."""

from __future__ import annotations

import json
import unicodedata

import pytest
from conftest import CASES, CORPUS

from ja_article_tools.pipeline import process_source
from ja_article_tools.read import decode

EXPECT = json.loads((CASES / "corpus_expectations.json").read_text(encoding="utf-8"))["articles"]
LABELS = {"PERSON": "person", "ORG": "organization", "PRODUCT": "product", "LOC": "location", "FACILITY": "facility",
          "EVENT": "event", "DATE": "date", "MONEY": "money", "QUANTITY": "quantity", "PERCENT": "percent"}


@pytest.fixture(scope="module")
def articles():
    out = {}
    for exp in EXPECT:
        path = CORPUS / exp["file"]
        out[exp["file"]] = process_source(decode(path.read_bytes(), f"corpus/{exp['file']}"))
    return out


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).replace("\u200b", "").strip()


@pytest.mark.parametrize("exp", EXPECT, ids=[e["file"] for e in EXPECT])
def test_reading_and_structure(exp, articles):
    a = articles[exp["file"]]
    enc = {"utf-8-sig": "utf-8", "euc_jp": "euc-jp", "shift_jis": "cp932"}.get(exp["encoding"], exp["encoding"])
    assert a.source.encoding == enc
    assert a.source.had_bom == exp["bom"]
    assert {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}[a.source.newline] == exp["newline"]
    assert a.title is not None and _norm(a.title.text) == _norm(exp["title"])
    headings = [b.text for b in a.blocks if b.kind == "heading"]
    if a.markdown and headings and _norm(headings[0]) == _norm(exp["title"]):
        headings = headings[1:]  # the H1 repeating the front-matter title
    assert [_norm(h) for h in headings] == [_norm(h) for h in exp["headings"]]


@pytest.mark.parametrize("exp", EXPECT, ids=[e["file"] for e in EXPECT])
def test_urls_and_emails(exp, articles):
    a = articles[exp["file"]]
    # Bare host names (no scheme, no www.) are linked as linkify-it and twitter-text do;
    # the expectations list them apart, so either policy reads the same here.
    bare = {_norm(d) for d in exp.get("bare_domains", [])}
    got = [_norm(u.text) for u in a.urls if _norm(u.text) not in bare]
    assert got == [_norm(u) for u in exp["urls"]]
    kinds = {u.text: u.kind for u in a.urls}
    for url, kind in exp.get("url_kinds", {}).items():
        assert kinds.get(url) == kind, url
    assert [_norm(m.text) for m in a.emails] == [_norm(m) for m in exp.get("emails", [])]


@pytest.mark.parametrize("exp", EXPECT, ids=[e["file"] for e in EXPECT])
def test_code_blocks_found(exp, articles):
    a = articles[exp["file"]]
    firsts = [next((ln.strip() for ln in cb.text.splitlines() if ln.strip() and not ln.strip().startswith(("```", "~~~", "「」"))), "") for cb in a.code_blocks]
    expected = [cb["first_line"] for cb in exp["code_blocks"]]
    assert len(firsts) == len(expected)
    for got, want in zip(firsts, expected):
        assert _norm(want) in _norm(got) or _norm(got) in _norm(want)


def test_entity_sample_recall(articles):
    """Recall over every article's hand-picked entity sample, typed (a floor, not
    perfection: the sample includes hard cases)."""
    hit = total = 0
    for exp in EXPECT:
        found = {(_norm(e.text), e.label) for e in articles[exp["file"]].entities}
        for ent in exp["entities"]:
            total += 1
            hit += (_norm(ent["text"]), LABELS[ent["label"]]) in found
    assert total and hit / total >= 0.6, f"typed recall {hit}/{total}"


@pytest.mark.parametrize("exp", [e for e in EXPECT if e["must_not_change"]], ids=lambda e: e["file"])
def test_clean_article_is_left_alone(exp, articles):
    from ja_article_tools.code.rewrite import rewrite_code_blocks

    a = articles[exp["file"]]
    assert a.edits == ()
    assert all(not (cb.repair and cb.repair.changed) for cb in a.code_blocks)
    assert rewrite_code_blocks(a.source.text, a.code_blocks) == a.source.text
