"""Lint configuration: which rules run, with which options and severities.

Sources, first found wins: ``--config FILE``; ``.ja-article.toml`` (top-level keys, or a
``[lint]`` table); ``pyproject.toml`` ``[tool.ja-article-tools.lint]``, searched from the
linted path upwards. Keys::

    select = ["JA1", "JA301"]     # codes or prefixes; default: every rule enabled by default
    ignore = ["JA310"]            # codes or prefixes, applied after select
    fail-on = "error"             # error | warning | info
    [rules.JA301]                 # by code or name
    max = 120
    severity = "error"
    [rules.sentence-length]       # same thing, by name

Rule options use the names the mirrored textlint rule uses (``max``, ``min_interval``…),
so a ``.textlintrc`` section can be copied over.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .registry import Rule, all_rules

__all__ = ["Config", "load_config", "find_config_file", "SEVERITIES"]

SEVERITIES = ("info", "warning", "error")


def _matches(code: str, name: str, patterns: list[str]) -> bool:
    for p in patterns:
        p = str(p)
        if p.lower() == "all" or code.upper().startswith(p.upper()) or p == name:
            return True
    return False


@dataclass(slots=True)
class Config:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_on: str = "error"
    source: str | None = None  # the file the configuration came from

    def rule_settings(self, r: Rule) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for key in (r.name, r.code):
            merged.update(self.rules.get(key, {}))
        return merged

    def enabled(self, r: Rule) -> bool:
        settings = self.rule_settings(r)
        if settings.get("enabled") is False:
            return False
        if self.select is None:
            on = r.default_enabled or settings.get("enabled") is True
        else:
            on = _matches(r.code, r.name, self.select)
        return on and not _matches(r.code, r.name, self.ignore)

    def options_for(self, r: Rule) -> dict[str, Any]:
        opts = dict(r.options)
        for k, v in self.rule_settings(r).items():
            if k not in ("severity", "enabled"):
                opts[k] = v
        return opts

    def severity_for(self, r: Rule) -> str:
        sev = self.rule_settings(r).get("severity", r.severity)
        return sev if sev in SEVERITIES else r.severity

    def active(self) -> list[tuple[Rule, dict[str, Any], str]]:
        return [(r, self.options_for(r), self.severity_for(r)) for r in all_rules() if self.enabled(r)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "select": self.select,
            "ignore": self.ignore,
            "fail-on": self.fail_on,
            "rules": {
                r.code: {"name": r.name, "enabled": self.enabled(r), "severity": self.severity_for(r), "options": self.options_for(r)}
                for r in all_rules()
            },
        }

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: str | None = None) -> Config:
        known = {"select", "ignore", "rules", "fail-on", "fail_on", "extend-select"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown lint configuration keys: {', '.join(sorted(unknown))}")
        select = data.get("select")
        if select is not None:
            select = [str(x) for x in select]
        if data.get("extend-select"):
            base = select if select is not None else [r.code for r in all_rules() if r.default_enabled]
            select = base + [str(x) for x in data["extend-select"]]
        rules = {str(k): dict(v) for k, v in (data.get("rules") or {}).items()}
        fail_on = str(data.get("fail-on", data.get("fail_on", "error")))
        if fail_on not in SEVERITIES:
            raise ValueError(f"fail-on must be one of {SEVERITIES}")
        return cls(select, [str(x) for x in data.get("ignore", [])], rules, fail_on, source)


def find_config_file(start: Path | None) -> Path | None:
    """The nearest ``.ja-article.toml``, or ``pyproject.toml`` with our table, upwards."""
    here = (start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for d in (here, *here.parents):
        cand = d / ".ja-article.toml"
        if cand.is_file():
            return cand
        py = d / "pyproject.toml"
        if py.is_file():
            try:
                data = tomllib.loads(py.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if data.get("tool", {}).get("ja-article-tools", {}).get("lint") is not None:
                return py
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Read ``path`` (or the nearest config file from ``start``); defaults when none."""
    if path is None:
        path = find_config_file(start)
        if path is None:
            return Config()
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    if Path(path).name == "pyproject.toml":
        data = data.get("tool", {}).get("ja-article-tools", {}).get("lint", {})
    elif "lint" in data and isinstance(data["lint"], dict):
        data = data["lint"]
    return Config.from_mapping(data, str(path))
