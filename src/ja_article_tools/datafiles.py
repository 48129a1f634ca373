"""The package's data tables (``*/data/*.tsv``, word lists), read by one function so
every table follows the same rules: UTF-8, a line starting with ``#`` is a comment
(licence and provenance headers live there), blank lines are skipped, columns are
separated by tabs.

Keeping the tables apart from the code is a project rule (glossaries, name lists and
keyword renderings are data); this module is the only place that knows their syntax.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

__all__ = ["tsv_rows"]


def tsv_rows(path: Path, maxsplit: int = -1, *, missing_ok: bool = False) -> Iterator[list[str]]:
    """The rows of a table as lists of columns (``maxsplit`` as in :meth:`str.split`:
    ``1`` keeps everything after the first tab together, which is cheaper for a
    100k-row table whose value columns are used as one string).

    A one-column table (a word list) gives one-element rows. A missing file raises
    :class:`FileNotFoundError` unless ``missing_ok``: optional tables (word clusters,
    dictionaries a user may strip) then read as empty, and the features built from them
    are simply absent.

    >>> import tempfile, os
    >>> p = Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_text("# 出典: テスト\\nマイクロソフト\\tmicrosoft\\n\\nジム\\tgym\\tx\\n", encoding="utf-8")
    >>> list(tsv_rows(p, 1))
    [['マイクロソフト', 'microsoft'], ['ジム', 'gym\\tx']]
    """
    if missing_ok and not path.exists():
        return
    for line in path.read_text(encoding="utf-8").split("\n"):
        line = line.rstrip("\r")
        if line and line[0] != "#":
            yield line.split("\t", maxsplit)
