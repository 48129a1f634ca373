#!/usr/bin/env python3
"""Build ``src/ja_article_tools/extract/data/ner_gazetteer_ipadic.tsv``: IPAdic's proper
nouns (名詞,固有名詞,{組織,地域,人名,一般}) as a typed gazetteer for the entity CRF.

    python scripts/build_ner_ipadic.py /path/to/ipadic-1.0.0.tar.gz   # or the dicdir/sys.dic

The PyPI ``ipadic`` package ships only the compiled dictionary, so the entries are read
from ``sys.dic`` itself: a 72-byte header, a Darts double array (units of int32 base,
uint32 check) whose keys are the UTF-8 surfaces, a token array (16 bytes each: left/right
ids, POS id, cost, feature offset, compound), then the NUL-terminated feature strings.
A leaf value is ``token index << 8 | token count``. The trie is walked breadth-first in
numpy (~5 s for its 1M nodes).

Kept: each surface is split by unidic-lite into morphemes (the CRF's units); an entry is
kept when it spans two or more morphemes (IPAdic knows the compound as one name:
トヨタ自動車, 国際連合) or is a single morpheme UniDic does not already call a proper
noun. Labels: ``org`` (組織), ``place`` (地域), ``person`` (人名,一般: full names),
``name`` (固有名詞,一般: works, products, buildings…). Surnames and given names alone are
left out (UniDic tags them already).

Licence: IPAdic, © NAIST, BSD-style (see the COPYING in the package); the notice is
recorded in the file header.
"""

from __future__ import annotations

import argparse
import sys
import tarfile
from collections import defaultdict
from pathlib import Path

import numpy as np
from mecab_dic import sections
from name_tables import tagged_proper, unidic_units, write_table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "src" / "ja_article_tools" / "extract" / "data" / "ner_gazetteer_ipadic.tsv"

LABELS = {("組織", "*"): "org", ("地域", "一般"): "place", ("地域", "国"): "place",
          ("人名", "一般"): "person", ("一般", "*"): "name"}


def read_sys_dic(path: Path) -> bytes:
    if path.name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(path) as t:
            member = next(m for m in t.getmembers() if m.name.endswith("dicdir/sys.dic"))
            return t.extractfile(member).read()  # type: ignore[union-attr]
    return path.read_bytes()


def entries(buf: bytes) -> list[tuple[str, str]]:
    """(surface, feature string) of every token of a MeCab system dictionary."""
    da_bytes, token_bytes, features = sections(buf)
    da = np.frombuffer(da_bytes, dtype=[("base", "<i4"), ("check", "<u4")])
    base, check = da["base"].astype(np.int64), da["check"].astype(np.int64)
    tokens = np.frombuffer(token_bytes, dtype=[("l", "<u2"), ("r", "<u2"), ("pos", "<u2"),
                                               ("cost", "<i2"), ("feature", "<u4"), ("compound", "<u4")])
    n = len(base)
    parent, byte = [-1], [0]
    leaves: list[tuple[int, int]] = []
    cs = np.arange(1, 256)
    front_b, front_id = np.array([base[0]]), np.array([0])
    while len(front_b):
        ok = (front_b >= 0) & (front_b < n)
        leaf = np.zeros(len(front_b), dtype=bool)
        leaf[ok] = (check[front_b[ok]] == front_b[ok]) & (base[front_b[ok]] < 0)
        leaves += [(int(i), int(-base[b] - 1)) for i, b in zip(front_id[leaf], front_b[leaf])]
        next_b, next_id = [], []
        for s in range(0, len(front_b), 20_000):
            fb, fid = front_b[s:s + 20_000], front_id[s:s + 20_000]
            p = fb[:, None] + cs[None, :] + 1  # child by byte c sits at base + c + 1
            valid = (p >= 0) & (p < n)
            p = np.where(valid, p, 0)
            rows, cols = np.nonzero(valid & (check[p] == fb[:, None]))
            start = len(parent)
            parent.extend(fid[rows].tolist())
            byte.extend((cols + 1).tolist())
            next_b.append(base[p[rows, cols]])
            next_id.append(np.arange(start, start + len(rows)))
        front_b = np.concatenate(next_b) if next_b else np.array([], dtype=np.int64)
        front_id = np.concatenate(next_id) if next_id else np.array([], dtype=np.int64)
    out = []
    for node, value in leaves:
        key = bytearray()
        while node > 0:
            key.append(byte[node])
            node = parent[node]
        surface = bytes(reversed(key)).decode("utf-8")
        for t in range(value >> 8, (value >> 8) + (value & 0xFF)):
            f = int(tokens["feature"][t])
            out.append((surface, features[f:features.index(b"\0", f)].decode("utf-8")))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="ipadic-1.0.0.tar.gz or a sys.dic")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    rows = entries(read_sys_dic(a.source))
    print(f"{len(rows)} IPAdic tokens", flush=True)
    labels: dict[str, set[str]] = defaultdict(set)
    for surface, feature in rows:
        f = feature.split(",")
        label = LABELS.get((f[2], f[3])) if f[:2] == ["名詞", "固有名詞"] else None
        if label and " " not in surface and "\t" not in surface:
            labels[surface].add(label)
    kept = []
    for surface, labs in sorted(labels.items()):
        units = unidic_units(surface)
        if units is None or tagged_proper(units):
            continue  # not spelled by unidic-lite's morphemes, or already a proper noun there
        kept.append((" ".join(u for u, _ in units), "|".join(sorted(labs))))
    write_table(a.out, "# unidic-lite morphemes (space-separated)\tIPAdic proper-noun type(s): org place person "
                "name; from IPAdic (ipadic 1.0.0 on PyPI), Copyright 2000-2003 Nara Institute of Science and "
                "Technology, BSD-style licence; built by scripts/build_ner_ipadic.py\n", kept)
    print(f"{len(kept)} names -> {a.out} ({a.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
