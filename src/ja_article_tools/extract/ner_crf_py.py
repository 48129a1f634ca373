"""The CRF decoder without numpy: same model file, same labels, ~3x slower.

Used only when numpy cannot be imported, so that entity extraction keeps working on a
machine where the package was installed without it. ``tests/test_entities.py`` checks
that it labels exactly like :class:`~.ner_crf.CrfModel`.

The ``.npz`` model is read with :mod:`zipfile`: each member is a ``.npy`` file (a
magic string, a header naming dtype and shape, then the raw little-endian data).
"""

from __future__ import annotations

import ast
import struct
import sys
import zipfile
from array import array
from collections.abc import Sequence
from pathlib import Path

from . import ner_features as nf

__all__ = ["PyCrfModel", "read_npz"]

Entry = tuple[int, int, bool, str, str]


def _read_npy(raw: bytes) -> tuple[str, tuple[int, ...], bytes]:
    if raw[:6] != b"\x93NUMPY":
        raise ValueError("not a .npy member")
    major = raw[6]
    if major == 1:
        (hlen,) = struct.unpack("<H", raw[8:10])
        start = 10
    else:
        (hlen,) = struct.unpack("<I", raw[8:12])
        start = 12
    header = ast.literal_eval(raw[start:start + hlen].decode("latin-1"))
    if header.get("fortran_order"):
        raise ValueError("Fortran-ordered arrays are not supported")
    return header["descr"], tuple(header["shape"]), raw[start + hlen:]


def read_npz(path: Path) -> dict[str, tuple[str, tuple[int, ...], bytes]]:
    """``name -> (dtype descr, shape, raw bytes)`` for every array of an ``.npz``."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            out[name.removesuffix(".npy")] = _read_npy(z.read(name))
    return out


def _floats(descr: str, data: bytes) -> array:
    if descr not in ("<f4", "<f8"):
        raise ValueError(f"unexpected dtype {descr}")
    a = array("f" if descr == "<f4" else "d")
    a.frombytes(data)
    if sys.byteorder != "little":
        a.byteswap()
    return a


class PyCrfModel:
    """Pure-Python twin of :class:`~.ner_crf.CrfModel` (same public methods)."""

    def __init__(self, labels: list[str], trans: list[list[float]], attrs: list[str],
                 rows: Sequence[Sequence[float]]):
        self.labels = labels
        self.trans = trans
        n = self._n = len(labels)
        self._sparse: dict[str, list[tuple[int, float]]] = {}
        for a, row in zip(attrs, rows):
            pairs = [(k, float(w)) for k, w in enumerate(row) if w]
            if pairs:
                self._sparse[a] = pairs
        self._entries: dict[str, Entry] = {}
        self._static: list[list[list[float]]] = []  # row -> per offset -> label scores
        self._bias = self._dense(["bias"])
        self._bos = self._dense(["BOS"])
        self._eos = self._dense(["EOS"])
        self._ps: dict[tuple[str, str], int] = {}
        self._ps_names: dict[int, tuple[str, str]] = {}
        self._trans_to = [[trans[p][l] for p in range(n)] for l in range(n)]

    @classmethod
    def load(cls, path: Path) -> PyCrfModel:
        arrays = read_npz(path)
        labels = arrays["labels"][2].decode("utf-8").split("\n")
        attrs = arrays["attrs"][2].decode("utf-8").split("\n")
        n = len(labels)
        t = _floats(arrays["transitions"][0], arrays["transitions"][2])
        trans = [list(t[i * n:(i + 1) * n]) for i in range(n)]
        w = _floats(arrays["weights"][0], arrays["weights"][2])
        rows = [w[i * n:(i + 1) * n] for i in range(len(attrs))]
        return cls(labels, trans, attrs, rows)

    @property
    def entries(self) -> dict[str, Entry]:
        return self._entries

    def _dense(self, feats: Sequence[str]) -> list[float]:
        v = [0.0] * self._n
        get = self._sparse.get
        for f in feats:
            for k, w in get(f, ()):
                v[k] += w
        return v

    def entries_for(self, seq: Sequence[nf.Morph]) -> list[Entry]:
        out = []
        center = nf.OFFSETS.index(0)
        for m in seq:
            ent = self._entries.get(m.key)
            if ent is None:
                own, near, pos, shape = nf.base_features(m)
                vecs = []
                for off in nf.OFFSETS:
                    feats = own if off == 0 else [f"{off}:{f}" for f in near]
                    vecs.append(self._dense(feats))
                vecs[center] = [a + b for a, b in zip(vecs[center], self._bias)]
                self._static.append(vecs)
                ps = self._ps.setdefault((pos, shape), len(self._ps))
                self._ps_names[ps] = (pos, shape)
                ent = (len(self._static) - 1, ps, nf.is_nominal(m), m.lemma, nf.word_kind(m))
                self._entries[m.key] = ent
            out.append(ent)
        return out

    def emissions(self, ents: Sequence[Entry], surfaces: Sequence[str],
                  gazetteer: nf.Gazetteer | None = None) -> list[list[float]]:
        n = len(ents)
        e = []
        for i in range(n):
            v = [0.0] * self._n
            for k, off in enumerate(nf.OFFSETS):
                j = i + off
                if 0 <= j < n:
                    src = self._static[ents[j][0]][k]
                elif j == -1:
                    src = self._bos
                elif j == n:
                    src = self._eos
                else:
                    continue
                v = [a + b for a, b in zip(v, src)]
            e.append(v)
        for i in range(1, n):
            pp, ps = self._ps_names[ents[i - 1][1]]
            cp, cs = self._ps_names[ents[i][1]]
            for_cur, for_prev = nf.pair_features(pp, ps, cp, cs)
            self._add(e[i], for_cur)
            self._add(e[i - 1], for_prev)
        for i, f in nf.context_features(surfaces, [x[2] for x in ents], gazetteer):
            self._add(e[i], (f,))
        return e

    def _add(self, v: list[float], feats: Sequence[str]) -> None:
        get = self._sparse.get
        for f in feats:
            for k, w in get(f, ()):
                v[k] += w

    def tag_entries(self, ents: Sequence[Entry], surfaces: Sequence[str],
                    gazetteer: nf.Gazetteer | None = None) -> list[int]:
        if not ents:
            return []
        return self._viterbi(self.emissions(ents, surfaces, gazetteer))

    def tag(self, seq: Sequence[nf.Morph], gazetteer: nf.Gazetteer | None = None) -> list[str]:
        if not seq:
            return []
        ys = self.tag_entries(self.entries_for(seq), [m.surface for m in seq], gazetteer)
        return [self.labels[k] for k in ys]

    def _viterbi(self, e: list[list[float]]) -> list[int]:
        labels = range(self._n)
        delta = e[0]
        back: list[list[int]] = []
        for row in e[1:]:
            new = []
            bp = []
            for l in labels:
                tl = self._trans_to[l]
                best = max(labels, key=lambda p: delta[p] + tl[p])
                bp.append(best)
                new.append(delta[best] + tl[best] + row[l])
            back.append(bp)
            delta = new
        k = max(labels, key=delta.__getitem__)
        path = [k]
        for bp in reversed(back):
            k = bp[k]
            path.append(k)
        path.reverse()
        return path
