"""The lint/rules subcommands, configuration, inline directives and output formats."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pytest

from ja_article_tools.lint import Config, lint, load_config
from ja_article_tools.lint.command import register


def run(argv: list[str], stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="ja-article")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = args.handler(args)
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
    return code, out.getvalue(), err.getvalue()


BAD = "これは ダメです。\n\nPython 言語（です)。\n"


def test_text_format_and_exit_codes(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(BAD, encoding="utf-8")
    code, out, _ = run(["lint", str(f)])
    assert code == 1  # JA205 (unmatched bracket) is an error
    assert f"{f}:1:4: JA102 " in out
    assert "fixable with --fix" in out.splitlines()[-1]
    code, out, _ = run(["lint", str(f), "--ignore", "JA205"])
    assert code == 0  # warnings only, default --fail-on error
    code, _, _ = run(["lint", str(f), "--ignore", "JA205", "--fail-on", "warning"])
    assert code == 1


def test_usage_and_io_errors(tmp_path: Path) -> None:
    assert run(["lint", str(tmp_path / "missing.md")])[0] == 2
    bad = tmp_path / "latin1.md"
    bad.write_bytes("caf\xe9".encode("latin-1"))
    assert run(["lint", str(bad)])[0] == 2
    assert run(["rules", "NOPE999"])[0] == 2


def test_folder_walk_picks_md_and_txt(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("これは ダメ。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("それも ダメ。", encoding="utf-8")
    (tmp_path / "c.py").write_text("x = 'これは ダメ'", encoding="utf-8")
    code, out, _ = run(["lint", str(tmp_path), "--format", "json"])
    data = json.loads(out)
    assert {Path(f["path"]).name for f in data["findings"]} == {"a.md", "b.txt"}
    assert data["summary"]["files"] == 2


def test_stdin_and_github_format() -> None:
    code, out, _ = run(["lint", "-", "--format", "github", "--stdin-filename", "x.md"], stdin="これは ダメ。")
    assert out.startswith("::warning file=x.md,line=1,col=4,")
    assert "::原則として" in out


def test_sarif_shape(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(BAD, encoding="utf-8")
    _, out, _ = run(["lint", str(f), "--format", "sarif"])
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run0 = sarif["runs"][0]
    ids = {r["id"] for r in run0["tool"]["driver"]["rules"]}
    assert {res["ruleId"] for res in run0["results"]} <= ids
    res = next(r for r in run0["results"] if r["ruleId"] == "JA102")
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert res["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == ""


def test_fix_in_place_is_idempotent_and_spares_code(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text("これは ダメ。\n\n```\nx = 'これは ダメ'\n```\n", encoding="utf-8")
    run(["lint", str(f), "--fix"])
    once = f.read_text(encoding="utf-8")
    assert once == "これはダメ。\n\n```\nx = 'これは ダメ'\n```\n"
    run(["lint", str(f), "--fix"])
    assert f.read_text(encoding="utf-8") == once


def test_diff_changes_nothing(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text("これは ダメ。\n", encoding="utf-8")
    code, out, _ = run(["lint", str(f), "--diff"])
    assert code == 1 and "-これは ダメ。" in out and "+これはダメ。" in out
    assert f.read_text(encoding="utf-8") == "これは ダメ。\n"


def test_rules_listing_and_doc() -> None:
    code, out, _ = run(["rules"])
    assert code == 0 and "JA301" in out and "sentence-length" in out
    code, out, _ = run(["rules", "sentence-length"])
    assert "mirrors textlint rule: sentence-length" in out and "max = 100" in out


def test_config_file_select_options_severity(tmp_path: Path) -> None:
    (tmp_path / ".ja-article.toml").write_text(
        'select = ["JA3"]\nignore = ["JA314"]\nfail-on = "warning"\n[rules.sentence-length]\nmax = 5\nseverity = "error"\n',
        encoding="utf-8",
    )
    cfg = load_config(start=tmp_path)
    f = [x for x in lint("あいうえおかきく。", config=cfg)]
    assert [(x.code, x.severity) for x in f] == [("JA301", "error")]
    code, out, _ = run(["lint", "--show-config", "--config", str(tmp_path / ".ja-article.toml")])
    shown = json.loads(out)
    assert shown["rules"]["JA301"]["options"]["max"] == 5 and shown["rules"]["JA101"]["enabled"] is False


def test_pyproject_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ja-article-tools.lint]\nignore = ["JA1"]\n', encoding="utf-8")
    cfg = load_config(start=tmp_path / "doc.md")
    assert not any(f.code.startswith("JA1") for f in lint("これは ダメ。", config=cfg))


def test_unknown_config_key_is_a_usage_error(tmp_path: Path) -> None:
    p = tmp_path / ".ja-article.toml"
    p.write_text("selcet = ['JA1']\n", encoding="utf-8")
    assert run(["lint", "--show-config", "--config", str(p)])[0] == 2


def test_inline_directives() -> None:
    text = (
        "<!-- ja-article-disable JA102 -->\nこれは ダメ。\n<!-- ja-article-enable JA102 -->\n\n"
        "それは ダメ。\n\n<!-- ja-article-disable-next-line -->\nあれは ダメ！\n\nどれも ダメ。\n"
    )
    lines = sorted({f.line for f in lint(text)})
    assert lines == [5, 10]


def test_library_finding_fields() -> None:
    (f,) = [x for x in lint("前文。\n\nこれは ダメ。", config=Config(select=["JA102"]))]
    assert (f.code, f.name, f.severity, f.line, f.column) == ("JA102", "ja-no-space-between-full-width", "warning", 3, 4)
    assert f.fix is not None and f.fix.safety == "safe"
