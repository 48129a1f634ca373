"""`ja-article repair`: code repaired inside proper fences, prose byte for byte."""

from __future__ import annotations

from ja_article_tools.cli import main
from ja_article_tools.code.rewrite import fenced, rewrite_code_blocks
from ja_article_tools.models import Source
from ja_article_tools.pipeline import process, repair_source

ARTICLE = (
    "リクエストの送り方\n\n"
    "次のコードで GET リクエストを 送ります。\n\n"
    "リクエストをインポート\n"
    "応答= requests .get ( \"https://example.com\" )\n"
    "印刷(応答 .status_code )\n\n"
    "以上です。\n"
)


def _prose_outside_code(text, blocks):
    parts, pos = [], 0
    for cb in sorted(blocks, key=lambda b: b.start):
        parts.append(text[pos : cb.start])
        pos = cb.end
    parts.append(text[pos:])
    return parts


def test_unfenced_code_is_fenced_and_repaired():
    article = process(ARTICLE, "a.txt")
    assert len(article.code_blocks) == 1
    out = rewrite_code_blocks(article.source.text, article.code_blocks)
    assert "```python\nimport requests\n" in out
    assert "print(" in out and "```\n\n以上です。" in out
    # Prose is untouched, including the MT spacing damage (that is clean's job).
    before = _prose_outside_code(ARTICLE, article.code_blocks)
    assert out.startswith(before[0]) and out.endswith(before[-1])
    assert "GET リクエストを 送ります。" in out


def test_repair_is_stable():
    once = repair_source(Source(ARTICLE, "a.txt"))
    twice = repair_source(Source(once, "a.md"))
    assert twice == once


def test_fence_longer_than_backticks_in_code():
    assert fenced("print('```')", "python") == "````python\nprint('```')\n````"
    assert fenced("x", "text") == "```\nx\n```"


def test_repair_command_writes_file(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "fixed.md"
    assert main(["repair", str(src), "-o", str(out)]) == 0
    assert "```python" in out.read_text(encoding="utf-8")
    assert main(["repair", str(src), "--diff"]) == 0
    assert "+```python" in capsys.readouterr().out
