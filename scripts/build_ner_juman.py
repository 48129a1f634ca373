#!/usr/bin/env python3
"""Build ``build/ner_gazetteer_juman.tsv``: the JUMAN dictionary's Wikipedia entries and
proper nouns, with the *kind* of thing each names, as a gazetteer for the entity CRF and
the span typer. An experiment (round 7, ``docs/entities.md``): +0.002 dev F1 on two
folds, so the table is **not shipped** and no feature code reads it; the script stays so
the experiment can be repeated (hook it in beside ``ipadic_gazetteer`` in
``ner_features.py``: ``jwB=/jwI=`` per facet, ``jw=`` in ``span_features``).

    apt-get download mecab-jumandic-utf8            # Debian's package of JUMAN 7.0 for MeCab
    python scripts/build_ner_juman.py mecab-jumandic-utf8_*.deb   # or the folder of its CSVs

Why: the tagger's type errors are band vs person, company vs product, club vs city, names
it has never seen typed by nothing but their spelling. JUMAN 7.0's ``Wikipedia.csv`` holds
167k titles, 76k of them with a hypernym taken from the article's first sentence
(``Wikipedia上位語:パンク・ロックバンド``, ``…:ゲームソフト開発会社``), and a POS that says
組織名 / 地名 / 人名 for 22k; ``Noun.koyuu.csv`` adds 8k hand-made proper nouns. A
redirect (``Wikipediaリダイレクト:正単体``) takes its target's hypernym.

Each kept title is written as unidic-lite morphemes (NFKC first: the dictionary spells
Latin full-width, ＮＡＶＩＴＩＭＥ) with its facets, ``;``-separated: ``p:`` the POS class
(org, place, person, common) and ``h:`` the hypernym's head, its last noun
(パンク・ロックバンド -> バンド). Kept: titles with a letter, and a hypernym or a proper POS.

Licence: JUMAN dictionary, Copyright (c) 2003 University of Tokyo, BSD-style (see the
package's copyright file); the Wikipedia entries were extracted automatically from
Japanese Wikipedia (CC BY-SA). Both notices are recorded in the file header.
"""

from __future__ import annotations

import argparse
import io
import sys
import tarfile
import unicodedata
from pathlib import Path

from name_tables import unidic_units, write_table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "build" / "ner_gazetteer_juman.tsv"

FILES = ("Wikipedia.csv", "Noun.koyuu.csv")
POS_CLASS = {"組織名": "org", "地名": "place", "人名": "person", "固有名詞": "name", "普通名詞": "common",
             "サ変名詞": "common"}


def read_csvs(source: Path) -> dict[str, str]:
    """File name -> text, from the Debian package (an ``ar`` archive holding
    ``data.tar.*``) or a folder of the CSVs."""
    if source.is_dir():
        return {name: (source / name).read_text(encoding="utf-8") for name in FILES}
    buf = source.read_bytes()
    if not buf.startswith(b"!<arch>\n"):
        raise SystemExit(f"{source}: neither a folder nor a .deb")
    at = 8
    while at < len(buf):
        header = buf[at:at + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58])
        body = buf[at + 60:at + 60 + size]
        at += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            out = {}
            with tarfile.open(fileobj=io.BytesIO(body)) as t:
                for m in t.getmembers():
                    base = m.name.rsplit("/", 1)[-1]
                    if base in FILES:
                        out[base] = t.extractfile(m).read().decode("utf-8")  # type: ignore[union-attr]
            return out
    raise SystemExit(f"{source}: no data.tar member")


def norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def parse(text: str) -> list[tuple[str, str, str | None, str | None]]:
    """(title, POS, hypernym, redirect target) per row."""
    rows = []
    for line in text.splitlines():
        f = line.split(",")
        if len(f) < 11 or f[4] != "名詞":
            continue
        info = ",".join(f[10:])
        hyper = redirect = None
        for item in info.split(" "):
            if item.startswith("Wikipedia上位語:"):
                hyper = item.split(":", 1)[1].split("/", 1)[0]
            elif item.startswith("Wikipediaリダイレクト:"):
                redirect = item.split(":", 1)[1]
        rows.append((f[0], f[5], hyper, redirect))
    return rows


def head_noun(hyper: str, tag_chunks) -> str | None:
    """The last noun of a hypernym (ゲームソフト開発会社 -> 会社), its parenthesis dropped."""
    hyper = norm(hyper).split("(", 1)[0]
    for surface, _, _, feature in reversed(list(tag_chunks(hyper))):
        if feature.startswith("名詞") or feature.startswith("接尾辞,名詞的"):
            return surface
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="mecab-jumandic-utf8_*.deb or the folder of its CSVs")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    from ja_article_tools.tokens import tag_chunks

    csvs = read_csvs(a.source)
    rows = [r for name in FILES for r in parse(csvs[name])]
    print(f"{len(rows)} JUMAN noun rows", flush=True)
    hyper_of: dict[str, str] = {}
    pos_of: dict[str, str] = {}
    for title, pos, hyper, _ in rows:
        key = norm(title)
        if hyper and key not in hyper_of:
            hyper_of[key] = hyper
        if POS_CLASS.get(pos, "common") != "common" or key not in pos_of:
            pos_of[key] = POS_CLASS.get(pos, "common")
    for title, pos, hyper, redirect in rows:
        key = norm(title)
        if key not in hyper_of and redirect:
            target = hyper_of.get(norm(redirect).split("(", 1)[0])
            if target:
                hyper_of[key] = target
    heads: dict[str, str | None] = {}
    kept = []
    for key in sorted(set(pos_of)):
        hyper = hyper_of.get(key)
        pos = pos_of[key]
        if not any(ch.isalpha() for ch in key) or "\t" in key:
            continue
        if hyper is None and pos == "common":
            continue
        facets = ["p:" + pos]
        if hyper is not None:
            if hyper not in heads:
                heads[hyper] = head_noun(hyper, tag_chunks)
            if heads[hyper]:
                facets.append("h:" + heads[hyper])
        units = unidic_units(key)
        if units is not None:
            kept.append((" ".join(u for u, _ in units), ";".join(facets)))
    write_table(a.out, "# unidic-lite morphemes (space-separated)\tfacets: p:POS class (org place person name "
                "common); h:head of the Wikipedia hypernym; from the JUMAN 7.0 dictionary (Debian "
                "mecab-jumandic-utf8), Copyright (c) 2003 University of Tokyo, BSD-style licence; Wikipedia "
                "entries extracted from Japanese Wikipedia, CC BY-SA; built by scripts/build_ner_juman.py\n", kept)
    print(f"{len(kept)} names -> {a.out} ({a.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
