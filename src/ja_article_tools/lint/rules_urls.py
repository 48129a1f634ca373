"""JA6xx: URLs (glued to Japanese, malformed, http where https is linked).

URLs come from ``ja_article_tools.extract.urls.extract_urls`` (imported lazily; it knows
where a URL glued to Japanese text ends), run on prose blocks that contain a URL-like
string only. Link targets, inline code and HTML are not prose and are skipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import regex

from ..models import Url
from ._chars import inside
from .engine import BlockContext, DocContext
from .registry import Hit, rule

_URL_TRIGGER = r"://|：／／|www\.|https?//|htps?:"
_JA = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}ー、。「」（）]")


def block_urls(ctx: BlockContext) -> list[Url]:
    """URLs in a block's text (block-local offsets), cached on the context."""
    got = ctx.__dict__.get("_urls")
    if got is None:
        try:
            from ..extract.urls import extract_urls
        except ImportError:
            got = []
        else:
            try:
                got = extract_urls(ctx.text) if ("://" in ctx.text or "／／" in ctx.text or "www." in ctx.text) else []
            except Exception:  # noqa: BLE001 - another module's bug must not stop the lint
                got = []
        ctx.__dict__["_urls"] = got
    return got


def _not_prose(ctx: BlockContext, s: int, e: int) -> bool:
    spans = ctx.__dict__.get("_nonprose")
    if spans is None:
        spans = ctx.__dict__["_nonprose"] = [(a, b) for k, a, b in ctx.spans if k in ("linkdest", "code", "html", "image")]
    return any(inside(p, spans) for p in (s, e - 1)) if spans else False


@rule("JA601", "url-glued-to-japanese", severity="warning", fix="safe", trigger=_URL_TRIGGER)
def url_glued(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """URL の直後に日本語が続いている（リンクに日本語が取り込まれる）。

    NG: ``詳細はhttps://github.com/openai/gymを参照`` → OK: ``詳細は<https://github.com/openai/gym>を参照``
    (Markdown autolink; in .txt a space is suggested, without a fix).
    """
    t = ctx.text
    for u in block_urls(ctx):
        if u.end >= len(t) or not _JA.match(t[u.end]):
            continue
        if _not_prose(ctx, u.start, u.end) or (u.start > 0 and t[u.start - 1] in "<(（[「"):
            continue
        if ctx.span_at(u.start, ("link",)) is not None:
            continue
        edits = ((u.start, u.start, "<"), (u.end, u.end, ">")) if ctx.markdown else None
        yield Hit(u.start, u.end, f"URL の直後に日本語「{t[u.end]}」が続いています。<…> で囲むか空白で区切りましょう。", edits)


_MALFORMED = re.compile(r"(?<![A-Za-z])(?:https?//|https?:/(?=[^/\s])|htps?://|htttps?://|https?:\\\\)")


@rule("JA602", "malformed-url", severity="error", fix="safe", trigger=_URL_TRIGGER)
def malformed_url(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """壊れた URL（全角の ：／／、スキームの綴り誤り）。

    NG: ``https：／／example.com`` → OK: ``https://example.com``; NG: ``http//example.com`` →
    ``http://example.com``.
    """
    t = ctx.text
    for u in block_urls(ctx):
        if u.fullwidth and not _not_prose(ctx, u.start, u.end):
            fixed = unicodedata.normalize("NFKC", u.text)
            yield Hit(u.start, u.end, f"URL に全角文字が混ざっています: {u.text}", ((u.start, u.end, fixed),))
    for m in _MALFORMED.finditer(t):
        if _not_prose(ctx, m.start(), m.end()):
            continue
        scheme = "https" if "s" in m.group().lower().replace("ht", "", 1)[:2] else "http"
        yield Hit(m.start(), m.end(), f"URL のスキームが壊れています: {m.group()}", ((m.start(), m.end(), scheme + "://"),), safety="unsafe")


@rule("JA603", "http-where-https-linked", severity="warning", scope="document", fix="unsafe")
def http_where_https(doc: DocContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """同じホストを https でも参照しているのに http:// のリンクがある。

    NG: ``http://github.com/openai`` と ``https://github.com/openai/gym`` が同じ記事に →
    OK: ``https://github.com/openai``.
    """
    found: list[tuple[int, Url]] = []
    pat = re.compile(_URL_TRIGGER)
    for ctx in doc.blocks:
        if not pat.search(ctx.text):
            continue
        for u in block_urls(ctx):
            found.append((ctx.start, u))
    secure = {u.host for _, u in found if u.url.startswith("https://")}
    for base, u in found:
        if u.url.startswith("http://") and u.host in secure and u.text.lower().startswith("http://"):
            s = base + u.start
            yield Hit(s, base + u.end, f"{u.host} は https でも参照されています: {u.text}", ((s, s + 7, "https://"),))
