"""The ``lint`` and ``rules`` subcommands.

``register(subparsers)`` adds both to an argparse sub-parser set; each handler returns
the exit code (0: nothing at or above ``--fail-on``; 1: findings; 2: usage or I/O
error). ``python -m ja_article_tools.lint.command lint …`` works without ``cli.py``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from ..models import Finding, LineIndex
from ..read import ARTICLE_SUFFIXES
from ..textio import write_atomic
from .config import SEVERITIES, Config, load_config
from .engine import apply_fixes, lint
from .formats import FORMATS, SEVERITY_RANK, describe_rule, render
from .registry import all_rules

__all__ = ["register", "main", "run_lint", "run_rules"]

_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache", "site-packages"}
MAX_FIX_ROUNDS = 10

LINT_EPILOG = """examples:
  ja-article lint article.md
  ja-article lint docs/ --format github --fail-on warning
  cat draft.md | ja-article lint - --stdin-filename draft.md
  ja-article lint article.md --fix            # apply safe fixes in place
  ja-article lint article.md --diff --unsafe-fixes
  ja-article lint --show-config
exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or I/O error"""

RULES_EPILOG = """examples:
  ja-article rules            # list every rule
  ja-article rules JA301      # one rule's documentation (code or name)
  ja-article rules --format json"""


class UsageError(Exception):
    pass


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "lint",
        help="lint Japanese Markdown/text before publishing",
        description="Lint .md and .txt files (and folders, and stdin) for style, spacing, punctuation, "
        "machine-translation damage, code, URL and entity problems.",
        epilog=LINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", help="files or folders; '-' or nothing reads stdin")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    p.add_argument("--fail-on", choices=SEVERITIES, default=None, help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("--fix", action="store_true", help="apply safe fixes in place (stdin: print the fixed text)")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply unsafe fixes")
    p.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing")
    p.add_argument("--config", type=Path, help="configuration file (.ja-article.toml or pyproject.toml)")
    p.add_argument("--select", help="comma-separated codes or prefixes to run (replaces the configured selection)")
    p.add_argument("--ignore", help="comma-separated codes or prefixes to skip (added to the configured ones)")
    p.add_argument("--stdin-filename", default=None, help="name to report for stdin (its suffix picks .md or .txt)")
    p.add_argument("--show-config", action="store_true", help="print the effective configuration as JSON and exit")
    # cli.py dispatches on ``func``; ``handler`` is kept for the standalone entry point.
    p.set_defaults(handler=run_lint, func=run_lint)

    r = subparsers.add_parser(
        "rules",
        help="list the lint rules, or show one rule's documentation",
        description="List lint rules (code, name, severity, fix safety, textlint equivalent) or document one.",
        epilog=RULES_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("rule", nargs="?", help="a rule code (JA301) or name (sentence-length)")
    r.add_argument("--format", choices=["text", "json"], default="text")
    r.set_defaults(handler=run_rules, func=run_rules)


def _iter_files(paths: list[str]) -> Iterator[Path]:
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if name.lower().endswith(ARTICLE_SUFFIXES):
                        yield Path(root) / name
        elif p.is_file():
            yield p
        else:
            raise UsageError(f"no such file or directory: {raw}")


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc


def _config(args: argparse.Namespace) -> Config:
    start = Path(args.paths[0]) if args.paths and args.paths[0] != "-" else None
    try:
        cfg = load_config(args.config, start=start)
    except (OSError, ValueError) as exc:
        raise UsageError(f"configuration: {exc}") from exc
    if args.select:
        cfg.select = [s.strip() for s in args.select.split(",") if s.strip()]
    if args.ignore:
        cfg.ignore = cfg.ignore + [s.strip() for s in args.ignore.split(",") if s.strip()]
    if args.fail_on:
        cfg.fail_on = args.fail_on
    return cfg


def fix_text(text: str, path: str | None, cfg: Config, unsafe: bool) -> str:
    """Apply fixes until nothing changes (bounded): fixing is idempotent."""
    for _ in range(MAX_FIX_ROUNDS):
        new, n = apply_fixes(text, lint(text, path=path, config=cfg), unsafe=unsafe)
        if n == 0 or new == text:
            break
        text = new
    return text


def run_lint(args: argparse.Namespace) -> int:
    out = sys.stdout
    try:
        cfg = _config(args)
        if args.show_config:
            out.write(json.dumps(cfg.as_dict(), ensure_ascii=False, indent=2) + "\n")
            return 0
        use_stdin = not args.paths or args.paths == ["-"]
        if not use_stdin and "-" in args.paths:
            raise UsageError("'-' (stdin) cannot be mixed with paths")
        inputs: list[tuple[str, str, Path | None]] = []
        if use_stdin:
            name = args.stdin_filename or "-"
            inputs.append((name, sys.stdin.read(), None))
        else:
            for f in _iter_files(args.paths):
                inputs.append((str(f), _read(f), f))
    except UsageError as exc:
        print(f"ja-article lint: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"ja-article lint: error: {exc}", file=sys.stderr)
        return 2

    all_findings: list[Finding] = []
    indexes: dict[str, LineIndex] = {}
    diff_changed = False
    for name, text, fpath in inputs:
        lint_path = name if name != "-" else None
        if args.fix or args.diff:
            fixed = fix_text(text, lint_path, cfg, args.unsafe_fixes)
            if args.diff:
                if fixed != text:
                    diff_changed = True
                    out.writelines(difflib.unified_diff(
                        text.splitlines(keepends=True), fixed.splitlines(keepends=True), f"a/{name}", f"b/{name}"))
                continue
            if fixed != text:
                if fpath is None:
                    out.write(fixed)
                else:
                    try:
                        write_atomic(str(fpath), fixed)  # an interrupted --fix must not leave half a file
                    except OSError as exc:
                        print(f"ja-article lint: error: {exc}", file=sys.stderr)
                        return 2
            elif fpath is None:
                out.write(text)
            text = fixed
        findings = lint(text, path=lint_path, config=cfg)
        if name != lint_path:
            findings = [_with_path(f, name) for f in findings]
        all_findings.extend(findings)
        indexes[name] = LineIndex(text)
    if args.diff:
        return 1 if diff_changed else 0
    report = render(args.format, all_findings, len(inputs), indexes)
    # With --fix on stdin, stdout carries the fixed text: the report goes to stderr.
    (sys.stderr if (args.fix and any(p is None for _, _, p in inputs)) else out).write(report)
    threshold = SEVERITY_RANK[cfg.fail_on]
    return 1 if any(SEVERITY_RANK.get(f.severity, 0) >= threshold for f in all_findings) else 0


def _with_path(f: Finding, path: str) -> Finding:
    return Finding(f.code, f.name, f.severity, f.message, f.start, f.end, f.line, f.column, f.fix, path)


def run_rules(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.rule:
        text = describe_rule(args.rule)
        if text is None:
            print(f"ja-article rules: error: unknown rule {args.rule!r}", file=sys.stderr)
            return 2
        if args.format == "json":
            r = next(x for x in rules if x.code.lower() == args.rule.lower() or x.name == args.rule)
            sys.stdout.write(json.dumps(_rule_dict(r), ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(text)
        return 0
    if args.format == "json":
        sys.stdout.write(json.dumps([_rule_dict(r) for r in rules], ensure_ascii=False, indent=2) + "\n")
        return 0
    for r in rules:
        tl = f"  [textlint: {r.textlint}]" if r.textlint else ""
        sys.stdout.write(f"{r.code}  {r.name:40s} {r.severity:8s} fix={r.fix:7s} {r.summary}{tl}\n")
    return 0


def _rule_dict(r) -> dict:  # type: ignore[no-untyped-def]
    return {
        "code": r.code, "name": r.name, "severity": r.severity, "fix": r.fix, "scope": r.scope,
        "textlint": r.textlint, "options": r.options, "enabled_by_default": r.default_enabled, "doc": r.doc,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ja-article")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
