#!/usr/bin/env python3
"""Build ``src/ja_article_tools/extract/data/ner_clusters.tsv``: word -> cluster ids at
several granularities, from the chiVe word vectors shipped in the ``ja-ginza`` wheel.

    python scripts/build_ner_clusters.py /path/to/ja_ginza-5.3.0-py3-none-any.whl

Why clusters: the CRF only knows words it saw in the Stockmark training split; a
cluster id generalises to unseen words with similar vectors (an unseen band name lands
with other band names, a new company suffix with other company suffixes).

What the wheel holds (spaCy 3 ``Vectors.to_disk``, read here without spaCy):

* ``vocab/vectors`` — a ``numpy.save`` array, 20,000 x 300 float32 (pruned chiVe);
* ``vocab/key2row`` — a msgpack map {uint64 string hash: row}; ~480k keys share the
  20k rows (spaCy's ``prune_vectors`` maps each dropped word to its nearest kept row);
* ``vocab/strings.json`` — the strings; a key is spaCy's ``hash_string``, i.e.
  MurmurHash64A of the UTF-8 bytes with seed 1 (checked below by the hit rate).

Clusters: spherical k-means (numpy, fixed seed) of the 20k unit row vectors into each
of ``--ks`` sizes; a word's cluster is its row's; the row itself is a 20k-way cluster
(the last column). The table keeps only the strings a
UniDic (unidic-lite) tagger can produce as one morpheme surface or lemma — other
strings are never looked up — that contain a letter (kana, kanji or Latin) and are
among the ``--max-rank`` most frequent chiVe words, so the shipped file stays small.

Licence: chiVe is Apache-2.0 (Sudachi / Works Applications), ja-ginza MIT; the derived
table records that in its header.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "src" / "ja_article_tools" / "extract" / "data" / "ner_clusters.tsv"

_MASK = (1 << 64) - 1
_M = 0xC6A4A7935BD1E995


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A (Austin Appleby), as spaCy's ``hash_string`` uses with seed 1."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    end = n - n % 8
    for i in range(0, end, 8):
        k = int.from_bytes(data[i:i + 8], "little")
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    if n % 8:
        h ^= int.from_bytes(data[end:], "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


def read_msgpack_uint_map(buf: bytes) -> dict[int, int]:
    """A msgpack map of unsigned ints to unsigned ints (all ``key2row`` holds)."""
    pos = 0

    def uint() -> int:
        nonlocal pos
        b = buf[pos]
        pos += 1
        if b <= 0x7F:
            return b
        width = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}.get(b)
        if width is None:
            raise ValueError(f"unexpected msgpack type 0x{b:02x} at {pos - 1}")
        v = int.from_bytes(buf[pos:pos + width], "big")
        pos += width
        return v

    b = buf[0]
    if 0x80 <= b <= 0x8F:
        count, pos = b & 0x0F, 1
    elif b == 0xDE:
        count, pos = int.from_bytes(buf[1:3], "big"), 3
    elif b == 0xDF:
        count, pos = int.from_bytes(buf[1:5], "big"), 5
    else:
        raise ValueError("key2row is not a msgpack map")
    out: dict[int, int] = {}
    for _ in range(count):
        k = uint()
        out[k] = uint()
    return out


def read_wheel(path: Path) -> tuple[np.ndarray, dict[int, int], list[str]]:
    with zipfile.ZipFile(path) as z:
        names = z.namelist()

        def member(suffix: str) -> bytes:
            hits = [n for n in names if n.endswith("/vocab/" + suffix)]
            if len(hits) != 1:
                raise SystemExit(f"{path}: expected one */vocab/{suffix}, found {hits}")
            return z.read(hits[0])

        vectors = np.load(BytesIO(member("vectors")), allow_pickle=False)
        key2row = read_msgpack_uint_map(member("key2row"))
        strings = json.loads(member("strings.json"))
    return vectors, key2row, strings


def spherical_kmeans(x: np.ndarray, k: int, seed: int, iterations: int = 25) -> np.ndarray:
    """Cluster ids of the unit rows of ``x`` (k-means++-free: random distinct rows as
    seeds, then cosine assignment / mean-direction updates)."""
    rng = np.random.default_rng(seed)
    centres = x[rng.choice(len(x), size=k, replace=False)].copy()
    assign = np.full(len(x), -1)
    for it in range(iterations):
        new = (x @ centres.T).argmax(axis=1)
        changed = int((new != assign).sum())
        assign = new
        sums = np.zeros_like(centres)
        np.add.at(sums, assign, x)
        counts = np.bincount(assign, minlength=k)
        empty = np.flatnonzero(counts == 0)
        if len(empty):  # reseed empty clusters with the rows farthest from their centre
            sim = (x * centres[assign]).sum(axis=1)
            sums[empty] = x[np.argsort(sim)[: len(empty)]]
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centres = sums / np.maximum(norms, 1e-12)
        if changed < len(x) // 1000:
            break
    return assign


def is_wordlike(s: str) -> bool:
    return any(ch.isalpha() for ch in s) and "\t" not in s and "\n" not in s and " " not in s


def morpheme_strings(strings: list[str]) -> set[str]:
    """The strings that unidic-lite tags as one morpheme, and the lemmas of those
    morphemes: the only strings the CRF features look up."""
    from ja_article_tools.tokens import feature_fields, tag_chunks

    keep: set[str] = set()
    for s in strings:
        chunks = list(tag_chunks(s))
        if len(chunks) != 1 or chunks[0][0] != s:
            continue
        keep.add(s)
        lemma = feature_fields(chunks[0][3])[0]
        if lemma:
            keep.add(lemma)
    return keep


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wheel", type=Path, help="ja_ginza-5.3.0-py3-none-any.whl")
    ap.add_argument("--ks", default="64,256,1024", help="cluster counts, coarse to fine")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--max-rank", type=int, default=150_000,
                    help="keep words among the first N keys of key2row (chiVe frequency order)")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    ks = [int(k) for k in a.ks.split(",")]

    t0 = time.perf_counter()
    vectors, key2row, strings = read_wheel(a.wheel)
    print(f"vectors {vectors.shape} {vectors.dtype}; {len(key2row)} keys; {len(strings)} strings "
          f"({time.perf_counter() - t0:.1f}s)", flush=True)

    # key2row's map order is chiVe's vocabulary order (rows 0..19999 first, then the
    # pruned words, most frequent first): the position is a frequency rank
    rank = {key: i for i, key in enumerate(key2row)}
    word_row: dict[str, int] = {}
    for s in strings:
        if not is_wordlike(s):
            continue
        key = murmurhash64a(s.encode("utf-8"))
        if key in key2row and rank[key] < a.max_rank:
            word_row[s] = key2row[key]
    print(f"{len(word_row)} word-like strings of frequency rank < {a.max_rank} hash to a row", flush=True)
    if len(word_row) < min(len(key2row), a.max_rank) // 4:
        raise SystemExit("few strings hash to a key: the hash function does not match the wheel's")

    x = vectors.astype(np.float64)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    clusters = []
    for k in ks:
        t = time.perf_counter()
        clusters.append(spherical_kmeans(x, k, a.seed + k))
        print(f"k-means {k}: {time.perf_counter() - t:.1f}s", flush=True)

    keep = morpheme_strings(list(word_row))
    rows = sorted((w, r) for w, r in word_row.items() if w in keep)
    print(f"{len(rows)} words kept (single unidic-lite morphemes or their lemmas)", flush=True)

    a.out.parent.mkdir(parents=True, exist_ok=True)
    with a.out.open("w", encoding="utf-8") as f:
        f.write(f"# word\tcluster ids for k = {' '.join(map(str, ks))} (spherical k-means of the 20k "
                f"chiVe vectors in ja-ginza 5.3.0, seed {a.seed})\tvector row; chiVe: Apache-2.0, "
                f"Works Applications; built by scripts/build_ner_clusters.py\n")
        for w, r in rows:
            f.write(w + "\t" + "\t".join(str(int(c[r])) for c in clusters) + "\t" + str(r) + "\n")
    print(f"-> {a.out} ({a.out.stat().st_size / 1e6:.2f} MB, {time.perf_counter() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
