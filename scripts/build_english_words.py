#!/usr/bin/env python3
"""Build ``src/ja_article_tools/extract/data/english_common_words.txt``: the English words
UniDic borrows as common words (the origin in a lemma such as ``エディション-edition``),
minus those it also gives a proper noun (``アップル-Apple``).

    python scripts/build_english_words.py [path/to/unidic_lite/dicdir/sys.dic]

The entity filter uses the list to tell a capitalised dictionary word in technical prose
(``Required``, ``Optional``, ``Edition`` in a package list) from a name. The words come
from the feature strings of the installed unidic-lite dictionary, read straight from its
compiled ``sys.dic`` (sections read by ``mecab_dic.py``): the NUL-terminated feature
strings, whose 8th field is the lemma. Deterministic; ~2 s.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mecab_dic import sections

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ja_article_tools" / "extract" / "data" / "english_common_words.txt"


def english_origins(sys_dic: Path) -> tuple[set[str], set[str]]:
    """(origins of common words, origins of proper nouns), lower-cased, letters only."""
    common: set[str] = set()
    proper: set[str] = set()
    for raw in sections(sys_dic.read_bytes())[2].split(b"\0"):
        fields = raw.decode("utf-8", "replace").split(",")
        if len(fields) < 8 or "-" not in fields[7]:
            continue
        origin = fields[7].split("-", 1)[1]
        if origin.isascii() and origin.isalpha():
            (proper if fields[1] == "固有名詞" else common).add(origin.lower())
    return common, proper


def main() -> int:
    if len(sys.argv) > 1:
        sys_dic = Path(sys.argv[1])
    else:
        import unidic_lite

        sys_dic = Path(unidic_lite.DICDIR) / "sys.dic"
    common, proper = english_origins(sys_dic)
    words = sorted(w for w in common - proper if len(w) >= 2)
    header = ("# English words unidic-lite borrows as common words (lemma origins, minus those it also "
              "gives a proper noun); built by scripts/build_english_words.py from UniDic "
              "(unidic-mecab, © the UniDic Consortium, under the BSD licence or the GPL or LGPL)\n")
    OUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(words)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
