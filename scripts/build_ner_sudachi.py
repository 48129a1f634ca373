#!/usr/bin/env python3
"""Build a typed proper-noun gazetteer for the entity CRF from SudachiDict's compiled
dictionary (名詞,固有名詞,{人名,地名,一般}), like ``build_ner_ipadic.py`` does from IPAdic.

An experiment, not a shipped table: as a third gazetteer it measured flat on two dev
folds (docs/entities.md, "SudachiDict proper nouns"), so its output stays under /tmp.

    python scripts/build_ner_sudachi.py /path/to/sudachidict_core-20261015-py3-none-any.whl
    python scripts/build_ner_sudachi.py system.dic -o /tmp/sudachi/ner_gazetteer_sudachi.tsv

The wheel ships only the compiled ``system.dic``, read here with the standard library
(no sudachipy). SudachiDict 2026 uses the "V1" binary format of sudachi.rs 0.7+ (the
older version-word header is refused with a message):

- description: magic ``SudachiBinaryDic``, u64 format version (1), u64 creation time,
  u64 flags, then comment, signature and reference (varint length + UTF-8), the varint
  counts of indexed and total entries, and a varint-counted list of blocks
  (name, varint start, varint size): ConnMatrix, POS, WordPointers, TrieIndex, Strings,
  Entries, ReferenceIdTable.
- POS: u16 count, each POS 6 strings of i16 length + UTF-16LE units.
- Strings: UTF-16LE pool; an entry names a string by a packed u32 pointer whose top 5
  bits hold the length (lengths over 19 borrow bits and align the offset).
- Entries: 32 zero bytes, then one record per word, 8-byte aligned (word id = byte
  offset >> 3): left, right, cost (i16), POS id (i16), headword and reading pointers
  (u32), normalized and dictionary form word ids (u32), index-form length (i16), the
  lengths (i8) of the C/B/A split, word-structure and synonym arrays (-1 = shared, not
  stored) and a user-data flag; then those u32 arrays and, when flagged, an i16-counted
  UTF-16 string. The records are walked in order (~2 s for 1.6M words); every word is
  read, including those only reachable as split parts (left id -1).

Kept: the headword (display form) of every proper noun is split by unidic-lite into
morphemes (the CRF's units); an entry is kept when it spans two or more morphemes or is
a single morpheme UniDic does not already call a proper noun. Labels: ``person``
(人名,一般: full names), ``place`` (地名), ``org`` (組織, absent from SudachiDict's POS
set), ``name`` (固有名詞,一般: companies, works, products, facilities…). Surnames and
given names alone are left out (UniDic tags them already), and so are surfaces of one
character, over 30 characters, or without any letter.

Licence: SudachiDict, © Works Applications Co., Ltd., Apache License 2.0; the notice is
recorded in the file header.
"""

from __future__ import annotations

import argparse
import struct
import sys
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from name_tables import tagged_proper, unidic_units, write_table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OUT = Path("/tmp/sudachi/ner_gazetteer_sudachi.tsv")

MAGIC = b"SudachiBinaryDic"
LEGACY_VERSIONS = {0x7366D3F18BD111E7, 0xCE9F011A92394434}  # pre-2025 system dictionaries
MAX_CHARS = 30
SMALL_LIMIT = 5_000_000  # bytes: the variant written when the full file is above ~8 MB


def label_of(pos: tuple[str, ...]) -> str | None:
    if pos[:2] != ("名詞", "固有名詞"):
        return None
    if pos[2] == "人名":
        return "person" if pos[3] == "一般" else None
    return {"地名": "place", "組織": "org", "一般": "name"}.get(pos[2])


def read_system_dic(path: Path) -> bytes:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            member = next(n for n in z.namelist() if n.endswith("resources/system.dic"))
            return z.read(member)
    return path.read_bytes()


def _varint(buf: bytes, o: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        b = buf[o]
        o += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, o


def _utf8(buf: bytes, o: int) -> tuple[str, int]:
    n, o = _varint(buf, o)
    return buf[o:o + n].decode("utf-8"), o + n


def description(buf: bytes) -> dict:
    """The V1 header: comment, signature, entry counts and the blocks' (start, size)."""
    if not buf.startswith(MAGIC):
        if struct.unpack_from("<Q", buf, 0)[0] in LEGACY_VERSIONS:
            raise SystemExit("legacy (pre-V1) Sudachi dictionary: only the V1 format is read")
        raise SystemExit("not a Sudachi dictionary (no SudachiBinaryDic magic)")
    version, created, flags = struct.unpack_from("<QQQ", buf, 16)
    if version != 1:
        raise SystemExit(f"Sudachi dictionary format version {version}: only version 1 is read")
    o = 40
    comment, o = _utf8(buf, o)
    signature, o = _utf8(buf, o)
    reference, o = _utf8(buf, o)
    n_indexed, o = _varint(buf, o)
    n_total, o = _varint(buf, o)
    n_blocks, o = _varint(buf, o)
    blocks = {}
    for _ in range(n_blocks):
        name, o = _utf8(buf, o)
        start, o = _varint(buf, o)
        size, o = _varint(buf, o)
        blocks[name] = (start, size)
    if reference:
        raise SystemExit(f"a user dictionary (built against {reference!r}), not a system one")
    return {"created": created, "flags": flags, "comment": comment, "signature": signature,
            "indexed": n_indexed, "total": n_total, "blocks": blocks}


def block(buf: bytes, desc: dict, name: str) -> memoryview:
    start, size = desc["blocks"][name]
    if start + size > len(buf):
        raise SystemExit(f"block {name} ends past the file ({start + size} > {len(buf)})")
    return memoryview(buf)[start:start + size]


def pos_table(data: memoryview) -> list[tuple[str, ...]]:
    (n,) = struct.unpack_from("<H", data, 0)
    o, table = 2, []
    for _ in range(n):
        fields = []
        for _ in range(6):
            (length,) = struct.unpack_from("<h", data, o)
            fields.append(bytes(data[o + 2:o + 2 + 2 * length]).decode("utf-16-le"))
            o += 2 + 2 * length
        table.append(tuple(fields))
    if o != len(data):
        raise SystemExit(f"POS block: {len(data) - o} bytes left after {n} parts of speech")
    return table


def string_at(strings: memoryview, pointer: int) -> str:
    """Decode a packed string pointer: 5 bits of length, then offset (in UTF-16 units)."""
    base = pointer >> 27
    extra = max(0, base - 19)  # lengths past 19 store 1..12 more length bits
    length = base
    if extra:
        length = (base - extra) + (((pointer & 0x07FF0000) >> (28 - extra)) | (4096 >> (13 - extra)))
    align = max(0, extra - 1)
    offset = (pointer & (0x07FFFFFF >> align)) << align
    return bytes(strings[2 * offset:2 * (offset + length)]).decode("utf-16-le")


RECORD = struct.Struct("<hhhhIIIIhbbbbbb")  # the 32-byte fixed part of an entry


def walk_entries(entries: memoryview):
    """Yield (word id, left id, POS id, headword pointer) of every entry record."""
    o, end = 32, len(entries)
    unpack = RECORD.unpack_from
    while o + 32 <= end:
        left, _, _, pos, head, _, _, _, _, c, b, a, ws, syn, user = unpack(entries, o)
        size = 32 + 4 * (c + max(b, 0) + max(a, 0) + max(ws, 0) + syn)
        if user == 1:
            size += 2 + 2 * struct.unpack_from("<h", entries, o + size)[0]
        elif user != 0:
            raise SystemExit(f"entry at byte {o}: user-data flag {user}; the walk is lost")
        yield o >> 3, left, pos, head
        o += (size + 7) & ~7
    if o != end:
        raise SystemExit(f"Entries block: walk ended at byte {o} of {end}")


def proper_nouns(buf: bytes) -> tuple[list[tuple[str, tuple[str, ...]]], dict]:
    """(headword, POS) of every 名詞,固有名詞 entry, and the parse statistics."""
    desc = description(buf)
    pos = pos_table(block(buf, desc, "POS"))
    strings = block(buf, desc, "Strings")
    wanted = {i for i, p in enumerate(pos) if p[:2] == ("名詞", "固有名詞")}
    out, n, indexed, not_indexed = [], 0, 0, 0
    for _, left, pid, head in walk_entries(block(buf, desc, "Entries")):
        n += 1
        indexed += left != -1
        if pid in wanted:
            out.append((string_at(strings, head), pos[pid]))
            not_indexed += left == -1
    stats = {**desc, "n_pos": len(pos), "walked": n, "walked_indexed": indexed,
             "proper_not_indexed": not_indexed}
    return out, stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="sudachidict_core-*.whl or a system.dic")
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    a = ap.parse_args()
    t0 = time.monotonic()
    rows, st = proper_nouns(read_system_dic(a.source))
    print(f"SudachiDict {st['comment']} ({st['signature']}): {st['n_pos']} POS, "
          f"{st['walked']} entry records walked ({st['walked_indexed']} indexed); header says "
          f"{st['total']} total, {st['indexed']} indexed", flush=True)
    print(f"{len(rows)} proper-noun entries ({st['proper_not_indexed']} only reachable as split parts), "
          f"{time.monotonic() - t0:.1f} s", flush=True)
    labels: dict[str, set[str]] = defaultdict(set)
    pos_kept: Counter[tuple[str, ...]] = Counter()
    for surface, pos in rows:
        label = label_of(pos)
        if (label and 1 < len(surface) <= MAX_CHARS and any(ch.isalpha() for ch in surface)
                and not any(ch.isspace() for ch in surface)):
            labels[surface].add(label)
            pos_kept[pos] += 1
    print("POS of the entries considered (before the unidic-lite filter):")
    for pos, n in pos_kept.most_common():
        print(f"  {n:8d}  {','.join(pos)}")
    by_units: dict[str, set[str]] = defaultdict(set)
    for surface, labs in labels.items():
        units = unidic_units(surface)
        if units is None or tagged_proper(units):
            continue  # not spelled by unidic-lite's morphemes, or already a proper noun there
        by_units[" ".join(u for u, _ in units)] |= labs
    kept = sorted((units, "|".join(sorted(labs))) for units, labs in by_units.items())
    header = ("# unidic-lite morphemes (space-separated)\tSudachiDict proper-noun type(s): person place "
              f"name; from SudachiDict core {st['comment']} (sudachidict_core on PyPI), Copyright "
              "Works Applications Co., Ltd., Apache License 2.0; built by scripts/build_ner_sudachi.py\n")
    write_table(a.out, header, kept)
    per_type = Counter(lab for _, labs in kept for lab in labs.split("|"))
    print(f"{len(kept)} names -> {a.out} ({a.out.stat().st_size / 1e6:.2f} MB); per type: "
          + ", ".join(f"{k} {v}" for k, v in per_type.most_common()))
    if a.out.stat().st_size > 8_000_000:
        small = a.out.with_name(a.out.stem + "_small" + a.out.suffix)
        keep, k = shrink(kept, SMALL_LIMIT - len(header.encode("utf-8")))
        write_table(small, header.replace("; built by", f"; place-only entries limited to at most {k} morphemes; "
                                    "built by"), keep)
        print(f"small variant: every non-place entry, place-only entries of at most {k} morphemes")
        per_type = Counter(lab for _, labs in keep for lab in labs.split("|"))
        print(f"{len(keep)} names -> {small} ({small.stat().st_size / 1e6:.2f} MB); per type: "
              + ", ".join(f"{k} {v}" for k, v in per_type.most_common()))
    print(f"{time.monotonic() - t0:.0f} s in all")
    return 0


def shrink(kept: list[tuple[str, str]], budget: int) -> tuple[list[tuple[str, str]], int]:
    """Keep every entry with a type other than ``place``; of the ``place``-only ones
    (SudachiDict's 地名 are mostly street addresses: 十勝郡浦幌町常豊) keep those of at most
    K morphemes, K the largest that stays within ``budget`` bytes. Returns (rows, K)."""
    def size(row: tuple[str, str]) -> int:
        return len(row[0].encode("utf-8")) + len(row[1]) + 2

    fixed = sum(size(r) for r in kept if r[1] != "place")
    by_len: Counter[int] = Counter()
    for r in kept:
        if r[1] == "place":
            by_len[r[0].count(" ") + 1] += size(r)
    k, total = 0, fixed
    while k + 1 in by_len and total + by_len[k + 1] < budget:
        k += 1
        total += by_len[k]
    return [r for r in kept if r[1] != "place" or r[0].count(" ") < k], k


if __name__ == "__main__":
    sys.exit(main())
