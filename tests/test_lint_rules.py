"""Data-driven rule cases: tests/cases/lint/rules.jsonl and fixes.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ja_article_tools.lint import Config, all_rules, apply_fixes, lint
from ja_article_tools.lint.command import fix_text

CASES = Path(__file__).parent / "cases" / "lint"


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (CASES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", _load("rules.jsonl"), ids=lambda c: f"{c['code']}:{c['why'][:40]}")
def test_rule_case(case: dict) -> None:
    cfg = Config(select=[case["code"]], rules={case["code"]: case.get("options", {})})
    found = [f for f in lint(case["input"], path="case.md", config=cfg) if f.code == case["code"]]
    assert len(found) == case["expected"], (case["why"], found)
    for f in found:
        assert 0 <= f.start <= f.end <= len(case["input"])


@pytest.mark.parametrize("case", _load("fixes.jsonl"), ids=lambda c: c["why"][:40])
def test_fix_case(case: dict) -> None:
    text = fix_text(case["input"], "case.md", Config(), unsafe=case["unsafe"])
    assert text == case["expected"], case["why"]
    # Idempotent: a second round changes nothing.
    again, _ = apply_fixes(text, lint(text, path="case.md"), unsafe=case["unsafe"])
    assert again == text


def test_registry_metadata() -> None:
    rules = all_rules()
    codes = [r.code for r in rules]
    assert len(codes) == len(set(codes))
    mirrored = {r.textlint for r in rules if r.textlint}
    required = {
        "sentence-length", "max-ten", "max-kanji-continuous-len", "no-mix-dearu-desumasu", "ja-no-mixed-period",
        "no-doubled-joshi", "no-dropping-the-ra", "no-doubled-conjunctive-particle-ga", "no-doubled-conjunction",
        "no-double-negative-ja", "ja-no-successive-word", "ja-no-weak-phrase", "ja-no-redundant-expression",
        "ja-no-abusage", "no-exclamation-question-mark", "no-hankaku-kana", "ja-unnatural-alphabet",
        "no-unmatched-pair", "ja-space-between-half-and-full-width",
    }
    assert required <= mirrored
    for r in rules:
        assert r.code[:3] in {"JA1", "JA2", "JA3", "JA4", "JA5", "JA6", "JA7"}
        assert r.fix in {"safe", "unsafe", "none"}
        assert r.severity in {"error", "warning", "info"}
        # Every docstring shows a Japanese example.
        assert any("\u3040" <= ch <= "\u9fff" for ch in r.doc), r.code


def test_txt_files_keep_fences_written_by_the_fix() -> None:
    text = "手順です。\n\n「」パイソン\nジムをインポート\nenv = gym.make(\"CartPole-v1\")\n「」\n"
    once = fix_text(text, "a.txt", Config(), unsafe=True)
    assert once.count("```") == 2
    assert fix_text(once, "a.txt", Config(), unsafe=True) == once


def test_prose_rules_stay_out_of_code_found_in_prose() -> None:
    text = "次のとおり。\nimport gym\n観測報酬終了切捨情報 = env.step(action)\nenv.close()\n"
    codes = {f.code for f in lint(text, path="a.md")}
    assert "JA501" in codes and "JA302" not in codes


def test_offsets_are_document_offsets() -> None:
    text = "前置き。\n\n- これはは本です。\n"
    f = [f for f in lint(text) if f.code == "JA309"][0]
    assert text[f.start:f.end] == "は"
    assert (f.line, f.column) == (3, 6)


def test_glued_url_fix_uses_markdown_syntax_only_in_markdown() -> None:
    text = "詳細はhttps://example.com/docsを参照。"
    md = [f for f in lint(text, path="a.md") if f.code == "JA601"]
    txt = [f for f in lint(text, path="a.txt") if f.code == "JA601"]
    assert len(md) == 1 and len(txt) == 1
    assert apply_fixes(text, md)[0] == "詳細は<https://example.com/docs>を参照。"
    assert txt[0].fix is None  # no autolinks in plain text; the writer chooses a separator
