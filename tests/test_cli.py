from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import CORPUS

from ja_article_tools.cli import main

ARTICLE = "ChatGPTの紹介\n\nChatGPT は OpenAI が開発した 無料の AI チャットボット サービス です。\n詳細はhttps://github.com/openai/gymを参照。\n"


@pytest.fixture()
def article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


def test_process_writes_schema_valid_json(article, tmp_path, capsys, validator):
    out = tmp_path / "out.json"
    assert main(["process", str(article), "-o", str(out), "--tokens"]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    validator.validate(record)
    assert record["title"]["text"] == "ChatGPTの紹介"
    assert [u["text"] for u in record["urls"]] == ["https://github.com/openai/gym"]
    assert record["tokens"] and record["token_fields"][0] == "surface"


def test_process_stdin(monkeypatch, capsys, validator):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("cp932"))))
    assert main(["process", "-"]) == 0
    record = json.loads(capsys.readouterr().out)
    validator.validate(record)
    assert record["source"]["encoding"] == "cp932" and record["source"]["path"] is None


def test_process_bad_file_names_it(tmp_path, capsys):
    p = tmp_path / "img.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert main(["process", str(p)]) == 1
    err = capsys.readouterr().err
    assert "img.txt" in err and "binary" in err


def test_clean_and_diff(article, capsys):
    assert main(["clean", str(article)]) == 0
    out = capsys.readouterr().out
    assert "チャットボットサービスです" in out and "https://github.com/openai/gymを参照" in out
    assert main(["clean", str(article), "--diff"]) == 0
    diff = capsys.readouterr().out
    assert diff.startswith("--- a/") and "+ChatGPT は OpenAI が開発した無料の AI チャットボットサービスです。" in diff


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    with pytest.raises(SystemExit) as e:
        main(["process"])
    assert e.value.code == 2
    assert main(["batch", "/no/such/dir", "-o", "/tmp/x.jsonl"]) == 2
    assert main(["clean", "-", "--disable-fixer", "nope"]) == 2


def test_batch_reports_binary_file_and_keeps_every_record(tmp_path, capsys, validator):
    data = tmp_path / "data"
    data.mkdir()
    for p in sorted(CORPUS.glob("*.txt"))[:3]:
        shutil.copy(p, data / p.name)
    (data / "broken.txt").write_bytes(b"\x7fELF\x02\x01" + bytes(range(256)) * 4)
    (data / "empty.md").write_bytes(b"")
    out = tmp_path / "out" / "all.jsonl"
    code = main(["batch", str(data), "-o", str(out), "--jobs", "2"])
    assert code == 1
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    paths = [r.get("path") or r["source"]["path"] for r in records]
    assert paths == sorted(paths)
    for r in records:
        validator.validate(r)
    errors = [r for r in records if "error" in r]
    assert len(errors) == 1 and errors[0]["path"].endswith("broken.txt") and "binary" in errors[0]["error"]
    err = capsys.readouterr().err
    assert "files 5, ok 4, failed 1" in err and "broken.txt" in err
    assert not list(out.parent.glob("*.tmp"))


def test_batch_same_output_with_one_and_two_jobs(tmp_path):
    files = [str(p) for p in sorted(CORPUS.glob("*.md"))]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert main(["batch", *files, "-o", str(a), "--jobs", "1"]) == 0
    assert main(["batch", *files, "-o", str(b), "--jobs", "2"]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_help_for_every_command_has_an_example():
    from ja_article_tools.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert "example" in (p.epilog or "").lower(), name


def test_console_script_and_module_entry_point(article):
    exe = shutil.which("ja-article", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert exe, "console script not installed"
    r = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "ja-article" in r.stdout
    r = subprocess.run([sys.executable, "-m", "ja_article_tools", "process", str(article)], capture_output=True, text=True)
    assert r.returncode == 0 and json.loads(r.stdout)["schema_version"]
