"""URL and e-mail extraction (ja_article_tools.extract.urls).

Case files: ``cases/urls.jsonl`` (which spans are URLs), ``cases/urls_emails.jsonl``
(e-mail spans and addresses), ``cases/urls_normalise.jsonl`` (normalised form, kind,
owner/repo of the first URL). Then invariants on random and adversarial text.
"""

from __future__ import annotations

import pytest
from conftest import case_id, load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from ja_article_tools.extract.urls import extract_emails, extract_urls, package_name, url_summary

URL_CASES = load_cases("urls.jsonl")
EMAIL_CASES = load_cases("urls_emails.jsonl")
NORM_CASES = load_cases("urls_normalise.jsonl")


@pytest.mark.parametrize("case", URL_CASES, ids=case_id)
def test_url_spans(case: dict) -> None:
    text = case["input"]
    got = [text[u.start : u.end] for u in extract_urls(text, include_emails=False)]
    assert got == case["expected"], case["why"]


@pytest.mark.parametrize("case", EMAIL_CASES, ids=case_id)
def test_email_spans(case: dict) -> None:
    text = case["input"]
    emails = extract_emails(text)
    assert [text[e.start : e.end] for e in emails] == case["expected"], case["why"]
    assert [e.address for e in emails] == case["addresses"], case["why"]
    # An e-mail is never also a URL, nor is its domain; by default it is a link of kind email.
    assert [(u.start, u.end) for u in extract_urls(text) if u.kind == "email"] == [(e.start, e.end) for e in emails]
    for u in extract_urls(text, include_emails=False):
        for e in emails:
            assert u.end <= e.start or u.start >= e.end


@pytest.mark.parametrize("case", NORM_CASES, ids=case_id)
def test_normalise_and_kind(case: dict) -> None:
    urls = extract_urls(case["input"])
    assert urls, case["why"]
    u = urls[0]
    for field, want in case["expected"].items():
        assert getattr(u, field) == want, f"{field}: {case['why']}"


def test_url_fields_are_consistent() -> None:
    text = "まずhttps://github.com/psf/requestsを見て、次にwww.example.jp/a（注）"
    urls = extract_urls(text)
    assert [u.text for u in urls] == ["https://github.com/psf/requests", "www.example.jp/a"]
    for u in urls:
        assert text[u.start : u.end] == u.text
    assert urls[0].kind == "github-repo" and (urls[0].owner, urls[0].repo) == ("psf", "requests")
    assert urls[1].url == "http://www.example.jp/a"


def test_url_summary_counts_unique_normalised_urls() -> None:
    text = (
        "https://Example.com/a と https://example.com:443/a、"
        "それから github.com/psf/requests と https://example.com/a。"
    )
    rows = url_summary(extract_urls(text))
    assert [r["url"] for r in rows] == ["https://example.com/a", "http://github.com/psf/requests"]
    assert rows[0]["count"] == 3 and rows[1]["count"] == 1
    assert rows[0]["first_start"] == 0
    assert rows[1]["kind"] == "github-repo" and rows[1]["host"] == "github.com"


def test_package_names() -> None:
    text = "https://pypi.org/project/requests/ と https://www.npmjs.com/package/@types/node?x=1 と https://github.com/a/b"
    urls = extract_urls(text)
    assert [package_name(u) for u in urls] == ["requests", "@types/node", None]
    rows = url_summary(urls)
    assert rows[0]["package"] == "requests" and "package" not in rows[2]


def test_docstring_examples() -> None:
    import doctest

    import ja_article_tools.extract.urls as module

    result = doctest.testmod(module)
    assert result.attempted >= 5 and result.failed == 0


def test_empty_and_plain_text() -> None:
    assert extract_urls("") == []
    assert extract_emails("") == []
    assert extract_urls("これはURLを含まない普通の文です。") == []


# --- adversarial input: each must finish (bounded by construction: one forward pass) ---

ADVERSARIAL = [
    "a." * 100_000,
    "a.a" * 70_000 + "!",
    "(" * 200_000,
    "http://example.com/" + "(" * 200_000,
    "http://example.com/" + ")" * 200_000,
    "http://" * 30_000,
    "http://a." * 25_000,
    "www." * 50_000,
    "a@" * 100_000,
    "a" * 200_000 + "@example.com",
    "http://example.com/" + "'" * 200_000,
    "http://example.com/" + "." * 200_000,
    "http://" + "a" * 200_000,
    "https://ja.wikipedia.org/wiki/" + "東" * 200_000,
    "例" * 100_000 + "example.com" + "。" * 100_000,
    "1." * 100_000,
    "-a.b" * 50_000,
    "http://" + "u:p@" * 50_000,
    "mailto:" * 30_000,
    "git@" * 50_000 + "github.com:a/b",
    "http://a。" * 25_000,
    "https://x" + "。a" * 100_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]) + f"x{len(t)}")
def test_adversarial_input_completes(text: str) -> None:
    urls = extract_urls(text)
    emails = extract_emails(text)
    for u in urls:
        assert text[u.start : u.end] == u.text
    for e in emails:
        assert text[e.start : e.end] == e.text


def test_adversarial_results_are_sensible() -> None:
    assert [u.text for u in extract_urls("http://example.com/" + "." * 50_000)] == ["http://example.com/"]
    assert [u.text for u in extract_urls("(" * 50_000 + "https://example.com)")] == ["https://example.com"]
    assert extract_urls("a." * 50_000) == []


_ALPHABET = st.sampled_from(
    list("ab.:/-_@#?=&()[]'\" 。、「」（）あア漢ｈ：／．") + ["http://", "https://", "www.", ".com", ".jp", "\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_invariants_on_random_text(text: str) -> None:
    urls = extract_urls(text)
    emails = extract_emails(text)
    last_end = -1
    for u in urls:
        assert 0 <= u.start < u.end <= len(text)
        assert text[u.start : u.end] == u.text
        assert u.start >= last_end, "URLs are sorted and do not overlap"
        last_end = u.end
        assert u.text[-1] not in ".,;:!?。、」）", "trailing punctuation is dropped"
        for e in emails:
            assert u.end <= e.start or u.start >= e.end
