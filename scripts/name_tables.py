"""What the scripts that turn a dictionary's names into a gazetteer table share
(``build_ner_ipadic.py``, ``build_ner_sudachi.py``, ``build_ner_juman.py``): a name is
stored as the unidic-lite morphemes the entity tagger will see, and the table is one
header line (provenance and licence) then ``morphemes<TAB>label`` rows.

The scripts put ``src/`` on ``sys.path`` before they call :func:`unidic_units`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def unidic_units(surface: str) -> list[tuple[str, str]] | None:
    """``(surface, feature)`` of each unidic-lite morpheme of ``surface``, or None when
    the morphemes do not spell it exactly (white space, characters MeCab drops)."""
    from ja_article_tools.tokens import tag_chunks

    units = [(c[0], c[3]) for c in tag_chunks(surface)]
    if not units or "".join(u for u, _ in units) != surface:
        return None
    return units


def tagged_proper(units: list[tuple[str, str]]) -> bool:
    """One morpheme that UniDic itself tags as a proper noun: the tagger knows it already."""
    return len(units) == 1 and ",固有名詞," in units[0][1]


def write_table(path: Path, header: str, rows: Iterable[tuple[str, str]]) -> None:
    """``header`` (one ``#`` line, with its newline), then ``units<TAB>label`` per row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        f.write(header)
        for units, label in rows:
            f.write(units + "\t" + label + "\n")
