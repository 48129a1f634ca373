"""Output formats: text (default), json, github (workflow commands), sarif (2.1.0)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from ..models import Finding, LineIndex
from .registry import all_rules, get_rule

__all__ = ["FORMATS", "render", "summary_line", "finding_to_dict"]

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _one_line(s: str) -> str:
    return " ".join(s.split("\n"))


def summary_line(findings: Sequence[Finding], files: int) -> str:
    c = Counter(f.severity for f in findings)
    safe = sum(1 for f in findings if f.fix is not None and f.fix.safety == "safe")
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.safety != "safe")
    head = f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    parts = f"{c['error']} error(s), {c['warning']} warning(s), {c['info']} info"
    fix = f"{safe} fixable with --fix"
    if unsafe:
        fix += f" ({unsafe} more with --unsafe-fixes)"
    return f"{head} ({parts}); {fix}"


def render_text(findings: Sequence[Finding], files: int, indexes: dict[str, LineIndex]) -> str:
    lines = []
    for f in findings:
        mark = " [*]" if f.fix is not None and f.fix.safety == "safe" else (" [unsafe fix]" if f.fix is not None else "")
        lines.append(f"{f.path or '-'}:{f.line}:{f.column}: {f.code} {_one_line(f.message)} ({f.name}){mark}")
    lines.append(summary_line(findings, files))
    return "\n".join(lines) + "\n"


def finding_to_dict(f: Finding, index: LineIndex | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "path": f.path,
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "line": f.line,
        "column": f.column,
        "start": f.start,
        "end": f.end,
    }
    if index is not None:
        d["end_line"], d["end_column"] = index.line_col(f.end)
    if f.fix is not None:
        d["fix"] = {
            "safety": f.fix.safety,
            "edits": [{"start": e.start, "end": e.end, "replacement": e.replacement} for e in f.fix.edits],
        }
    else:
        d["fix"] = None
    return d


def render_json(findings: Sequence[Finding], files: int, indexes: dict[str, LineIndex]) -> str:
    out = {
        "findings": [finding_to_dict(f, indexes.get(f.path or "-")) for f in findings],
        "summary": {
            "files": files,
            "findings": len(findings),
            "by_severity": dict(Counter(f.severity for f in findings)),
            "fixable": sum(1 for f in findings if f.fix is not None and f.fix.safety == "safe"),
            "unsafe_fixable": sum(1 for f in findings if f.fix is not None and f.fix.safety != "safe"),
        },
    }
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def render_github(findings: Sequence[Finding], files: int, indexes: dict[str, LineIndex]) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in findings:
        props = f"file={_gh_escape(f.path or '-', True)},line={f.line},col={f.column}"
        idx = indexes.get(f.path or "-")
        if idx is not None:
            el, ec = idx.line_col(f.end)
            props += f",endLine={el},endColumn={ec}"
        props += f",title={_gh_escape(f.code + ' ' + f.name, True)}"
        lines.append(f"::{level.get(f.severity, 'warning')} {props}::{_gh_escape(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(findings: Sequence[Finding], files: int, indexes: dict[str, LineIndex]) -> str:
    level = {"error": "error", "warning": "warning", "info": "note"}
    rules = all_rules()
    rule_index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for f in findings:
        region: dict[str, Any] = {"startLine": f.line, "startColumn": f.column, "charOffset": f.start, "charLength": f.end - f.start}
        idx = indexes.get(f.path or "-")
        if idx is not None:
            region["endLine"], region["endColumn"] = idx.line_col(f.end)
        loc = {"physicalLocation": {"artifactLocation": {"uri": f.path or "stdin"}, "region": region}}
        res: dict[str, Any] = {
            "ruleId": f.code,
            "level": level.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [loc],
        }
        if f.code in rule_index:
            res["ruleIndex"] = rule_index[f.code]
        if f.fix is not None and idx is not None:
            reps = []
            for e in f.fix.edits:
                sl, sc = idx.line_col(e.start)
                el, ec = idx.line_col(e.end)
                reps.append({
                    "deletedRegion": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec},
                    "insertedContent": {"text": e.replacement},
                })
            res["fixes"] = [{
                "description": {"text": f"{f.fix.safety} fix"},
                "artifactChanges": [{"artifactLocation": {"uri": f.path or "stdin"}, "replacements": reps}],
            }]
        results.append(res)
    driver_rules = []
    for r in rules:
        rd: dict[str, Any] = {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.doc},
            "defaultConfiguration": {"level": level.get(r.severity, "warning")},
            "properties": {"fix": r.fix},
        }
        if r.textlint:
            rd["properties"]["textlint"] = r.textlint
        driver_rules.append(rd)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "ja-article-tools", "informationUri": "https://pypi.org/project/ja-article-tools/", "rules": driver_rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, Callable[[Sequence[Finding], int, dict[str, LineIndex]], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}


def render(fmt: str, findings: Sequence[Finding], files: int, indexes: dict[str, LineIndex] | None = None) -> str:
    return FORMATS[fmt](findings, files, indexes or {})


def describe_rule(key: str) -> str | None:
    r = get_rule(key)
    if r is None:
        return None
    lines = [f"{r.code} {r.name}", ""]
    lines.append(r.doc)
    lines.append("")
    lines.append(f"default severity: {r.severity}")
    lines.append(f"fix: {r.fix}")
    lines.append(f"scope: {r.scope}")
    lines.append(f"enabled by default: {'yes' if r.default_enabled else 'no'}")
    if r.textlint:
        lines.append(f"mirrors textlint rule: {', '.join((r.textlint,) + r.also_textlint)}")
    if r.options:
        lines.append("options:")
        for k, v in r.options.items():
            lines.append(f"  {k} = {json.dumps(v, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
