from __future__ import annotations

import pytest
from conftest import case_id, load_cases

from ja_article_tools.models import LineIndex
from ja_article_tools.structure import analyse, parse_front_matter

CASES = load_cases("structure.jsonl")


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_structure_case(case):
    text = case["input"]
    st = analyse(text, case["markdown"], code_blocks=[])
    got = [[b.kind, b.text] for b in st.blocks]
    assert got == case["expected"], case["why"]
    assert (st.title.text if st.title else None) == case["title"]
    idx = LineIndex(text)
    for b in st.blocks:
        assert text[b.start : b.end] == b.text
        assert idx.line(b.start) == b.line


def test_blocks_are_cut_around_code():
    from ja_article_tools.models import CodeBlock

    text = "説明の行です。\nx = 1\nprint(x)\n続きの説明です。\n"
    start = text.index("x = 1")
    end = text.index("print(x)") + len("print(x)")
    cb = CodeBlock(start, end, 2, "python", "heuristic", 0.9, text[start:end], start, end)
    st = analyse(text, False, code_blocks=[cb])
    assert [(b.kind, b.text) for b in st.blocks] == [
        ("paragraph", "説明の行です。"),
        ("code", "x = 1\nprint(x)"),
        ("paragraph", "続きの説明です。"),
    ]


def test_front_matter_keys():
    keys = parse_front_matter('title: "入門"\ntags:\n  - a\n  - b\ndraft: false')
    assert keys == {"title": "入門", "tags": ["a", "b"], "draft": "false"}


def test_line_index_counts_every_line_end():
    idx = LineIndex("a\r\nb\rc\nd")
    assert [idx.line_col(i) for i in (0, 3, 5, 7)] == [(1, 1), (2, 1), (3, 1), (4, 1)]
