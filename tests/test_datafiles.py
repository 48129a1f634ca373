"""The one reader of the package's data tables."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from ja_article_tools import datafiles
from ja_article_tools.datafiles import tsv_rows


def test_docstring_example() -> None:
    result = doctest.testmod(datafiles)
    assert result.attempted > 0 and result.failed == 0


def test_comments_blank_lines_and_crlf(tmp_path: Path) -> None:
    p = tmp_path / "t.tsv"
    p.write_bytes("# 見出し\r\nパイソン\tpython\r\n\r\n#途中の注記\nジム\tgym\textra\n".encode())
    assert list(tsv_rows(p)) == [["パイソン", "python"], ["ジム", "gym", "extra"]]
    assert list(tsv_rows(p, 1)) == [["パイソン", "python"], ["ジム", "gym\textra"]]


def test_missing_table(tmp_path: Path) -> None:
    assert list(tsv_rows(tmp_path / "absent.tsv", missing_ok=True)) == []
    with pytest.raises(FileNotFoundError):
        list(tsv_rows(tmp_path / "absent.tsv"))


def test_every_shipped_table_reads() -> None:
    root = Path(datafiles.__file__).parent
    tables = sorted(root.glob("**/data/*.tsv"))
    assert len(tables) >= 5
    for t in tables:
        rows = list(tsv_rows(t))
        assert rows, t
        assert all(r[0] for r in rows), t
