"""Output: Article -> dict/JSON under the versioned schema shipped in ``schema/``.

Offsets are code points into the decoded source; ``line``/``column`` are 1-based and
derived here, once, from a :class:`~.models.LineIndex`. Nothing in the output depends on
timing or the machine, so golden files compare byte for byte.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .models import Article, CodeBlock, LineIndex

__all__ = ["SCHEMA_VERSION", "article_to_dict", "error_record", "dumps", "load_schema", "TOKEN_FIELDS"]

SCHEMA_VERSION = "1.1.0"
SCHEMA_FILE = "article-1.schema.json"
TOKEN_FIELDS = ["surface", "start", "end", "lemma", "pos", "reading", "pronunciation", "goshu", "origin"]


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every record validates against."""
    with resources.files("ja_article_tools.schema").joinpath(SCHEMA_FILE).open(encoding="utf-8") as f:
        return json.load(f)


def dumps(record: dict[str, Any], pretty: bool = False) -> str:
    if pretty:
        return json.dumps(record, ensure_ascii=False, indent=2)
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def error_record(path: str | None, error: str, kind: str = "input") -> dict[str, Any]:
    """What batch writes for a file it could not process."""
    return {"schema_version": SCHEMA_VERSION, "path": path or "<stdin>", "error": error, "error_kind": kind}


def article_to_dict(article: Article, *, tokens: bool = False) -> dict[str, Any]:
    src = article.source
    text = src.text
    idx = LineIndex(text)

    def pos(start: int, end: int) -> dict[str, int]:
        line, col = idx.line_col(start)
        return {"start": start, "end": end, "line": line, "column": col}

    title = None
    if article.title is not None:
        t = article.title
        title = {"text": t.text, **pos(t.start, t.end), "from": t.info.get("from", "heading")}

    blocks = []
    for b in article.blocks:
        d: dict[str, Any] = {"kind": b.kind, **pos(b.start, b.end), "text": b.text}
        if b.level:
            d["level"] = b.level
        if b.info:
            d["info"] = b.info
        blocks.append(d)

    from .extract.entities import entity_summary
    from .extract.urls import url_summary

    record: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "source": {
            "path": src.path,
            "encoding": src.encoding,
            "bom": src.had_bom,
            "newline": {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}[src.newline],
            "format": "markdown" if article.markdown else "text",
            "sha256": src.sha256,
            "chars": len(text),
            "lines": idx.count if text else 0,
        },
        "title": title,
        "blocks": blocks,
        "sentences": [{"start": s.start, "end": s.end, "line": idx.line(s.start)} for s in article.sentences],
        "urls": [
            {
                **pos(u.start, u.end),
                "text": u.text,
                "url": u.url,
                "host": u.host,
                "kind": u.kind,
                "owner": u.owner,
                "repo": u.repo,
                "fullwidth": u.fullwidth,
            }
            for u in article.urls
        ],
        "url_summary": url_summary(list(article.urls)),
        "emails": [{**pos(m.start, m.end), "text": m.text, "address": m.address} for m in article.emails],
        "entities": [
            {**pos(e.start, e.end), "text": e.text, "label": e.label, "normalized": e.normalized}
            for e in article.entities
        ],
        "entity_summary": entity_summary(list(article.entities)),
        "code_blocks": [_code_block(cb, pos) for cb in article.code_blocks],
        "cleaning": {
            "options": article.options.get("clean", {}),
            "edits": [
                {**pos(e.start, e.end), "before": text[e.start : e.end], "after": e.replacement, "rule": e.rule}
                for e in article.edits
            ],
        },
        "stats": {
            "chars": len(text),
            "lines": idx.count if text else 0,
            "blocks": len(article.blocks),
            "sentences": len(article.sentences),
            "tokens": len(article.tokens),
            "urls": len(article.urls),
            "entities": len(article.entities),
            "code_blocks": len(article.code_blocks),
            "code_blocks_changed": sum(1 for cb in article.code_blocks if cb.repair and cb.repair.changed),
            "edits": len(article.edits),
        },
    }
    if tokens:
        record["token_fields"] = TOKEN_FIELDS
        record["tokens"] = [
            [t.surface, t.start, t.end, t.lemma, list(t.pos), t.reading, t.pronunciation, t.goshu, t.origin]
            for t in article.tokens
        ]
    return record


def _code_block(cb: CodeBlock, pos) -> dict[str, Any]:
    r = cb.repair
    return {
        **pos(cb.start, cb.end),
        "content_start": cb.content_start if cb.content_start >= 0 else cb.start,
        "content_end": cb.content_end if cb.content_end >= 0 else cb.end,
        "language": cb.language,
        "detected_by": cb.detected_by,
        "confidence": round(cb.confidence, 3),
        "text": cb.text,
        "repaired": r.code if r is not None else None,
        "changed": r.changed if r is not None else False,
        "repair_confidence": round(r.confidence, 3) if r is not None else None,
        "edits": [{"line": e.line, "before": e.before, "after": e.after, "reason": e.reason} for e in r.edits] if r else [],
        "unresolved": list(r.unresolved) if r else [],
    }
