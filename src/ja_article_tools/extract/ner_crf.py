"""A linear-chain CRF decoder (numpy) for the weights crfsuite learned.

Why not ``pycrfsuite.Tagger``: handing it ~45 feature strings per morpheme cost
~12 µs per morpheme, twice MeCab. Here the features a morpheme contributes at each
window offset are summed into one score vector once per distinct morpheme (the
vocabulary repeats) and reused; only the few features that depend on neighbours are
looked up per occurrence.

Viterbi runs in numpy, one vectorised step per morpheme (an exact pure-Python Viterbi
with pruning was tried: BIO transitions keep too many states alive to prune well).

Model file: ``models/ner_crf.npz``, written by ``scripts/train_ner.py`` from the
crfsuite model (see :func:`export_crfsuite`); it loads in ~20 ms.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import ner_features as nf

__all__ = ["CrfModel", "export_crfsuite"]

_BOS_ROW = 1
_EOS_ROW = 2
_RESERVED_ROWS = 3


class CrfModel:
    __slots__ = ("labels", "trans", "attr_index", "weights", "_n", "_bias", "_bos", "_eos", "_center",
                 "_entries", "_static", "_cache", "_offset_index", "_window", "_kidx", "_ps", "_ps_names", "_pairs", "_pair_cur", "_pair_prev",
                 "_trans_np", "_cols")

    def __init__(
        self,
        labels: list[str],
        trans: list[list[float]],
        attrs: list[str],
        weights: np.ndarray,
        label_bias: np.ndarray | None = None,
    ):
        self.labels = labels
        self.trans = trans
        n = self._n = len(labels)
        self.attr_index = {a: i for i, a in enumerate(attrs)}
        # one extra zero row: the id of every attribute the model never saw
        w = np.zeros((len(attrs) + 1, n))
        w[: len(attrs)] = weights
        self.weights = w
        self._bias = self._dense(["bias"])
        if label_bias is not None:
            # a decode-time offset per label (O made a little dearer: the CRF trades
            # recall for precision more than F1 wants; tuned on the dev fold)
            self._bias = self._bias + label_bias
        self._bos = self._dense(["BOS"])
        self._eos = self._dense(["EOS"])
        self._center = nf.OFFSETS.index(0)
        # per window offset: base feature string -> attribute id ("-1:w=の" -> "w=の"),
        # built in one pass over the attributes
        self._offset_index: list[dict[str, int]] = [{} for _ in nf.OFFSETS]
        slot = {f"{off}": k for k, off in enumerate(nf.OFFSETS) if off != 0}
        for a, i in self.attr_index.items():
            colon = a.find(":")
            if 0 < colon <= 2:
                k = slot.get(a[:colon])
                if k is not None:
                    self._offset_index[k][a[colon + 1:]] = i
        self._cache = nf.FeatureCache()
        # morpheme key -> entry; _static[row] holds its summed scores per window offset
        # (the bias folded into offset 0). Rows 0-2 stand for what lies beyond the
        # sequence: nothing, the start (BOS for the -1/-2 neighbours), the end (EOS).
        self._entries: dict[str, tuple[int, int, bool, str, str]] = {}
        self._static = np.zeros((4096, len(nf.OFFSETS), n))
        for k, off in enumerate(nf.OFFSETS):
            if off < 0:
                self._static[_BOS_ROW, k] = self._bos
            elif off > 0:
                self._static[_EOS_ROW, k] = self._eos
        # window[i, k]: where position i finds its offset-k neighbour in a sequence
        # padded with two rows on each side
        self._window = np.arange(512)[:, None] + 2 + np.array(nf.OFFSETS)[None, :]
        self._kidx = np.arange(len(nf.OFFSETS))[None, :]
        # (POS, shape) -> id, and (id, id) of neighbours -> row of the pair score tables
        self._ps: dict[tuple[str, str], int] = {}
        self._ps_names: dict[int, tuple[str, str]] = {}
        self._pairs: dict[int, int] = {}
        self._pair_cur = np.zeros((1024, n))
        self._pair_prev = np.zeros((1024, n))
        self._trans_np = np.array(trans, dtype=float)
        self._cols = np.arange(n)

    @classmethod
    def load(cls, path: Path) -> CrfModel:
        with np.load(path, allow_pickle=False) as data:
            labels = bytes(data["labels"]).decode("utf-8").split("\n")
            attrs = bytes(data["attrs"]).decode("utf-8").split("\n")
            trans = data["transitions"].astype(float).tolist()
            weights = data["weights"].astype(float)
            label_bias = data["label_bias"].astype(float) if "label_bias" in data.files else None
        return cls(labels, trans, attrs, weights, label_bias)

    @property
    def entries(self) -> dict[str, tuple[int, int, bool, str, str]]:
        """Morpheme key -> entry, for callers that look entries up in their own loop."""
        return self._entries

    # An entry is (row in the static score table, id of its (POS, shape) pair,
    # is-nominal flag, lemma, word kind): all the hot loop needs to know about a morpheme.

    def entries_for(self, seq: Sequence[nf.Morph]) -> list[tuple[int, int, bool, str, str]]:
        """One entry per morpheme; those seen for the first time are scored in one
        numpy pass."""
        entries = self._entries
        got = [entries.get(m.key) for m in seq]
        if None in got:
            self.add_entries([m for m, g in zip(seq, got) if g is None])
            got = [entries.get(m.key) or self._scratch_entry(m) for m in seq]
        return got  # type: ignore[return-value]

    def add_entries(self, morphs: Sequence[nf.Morph]) -> None:
        entries = self._entries
        if len(entries) >= 400_000:  # a pathological vocabulary: stop growing
            return
        index = self.attr_index
        by_offset = self._offset_index
        center = self._center
        unknown = len(self.weights) - 1
        ids: list[int] = []
        starts: list[int] = []
        fresh: list[int] = []
        for m in morphs:
            if m.key in entries:
                continue  # the same new morpheme twice in one sentence
            # The base feature strings, looked up per offset without building the
            # "-1:"-prefixed copies training used (same attributes, fewer strings).
            own, near, pos, shape = nf.base_features(m)
            row = len(entries) + _RESERVED_ROWS
            if row >= len(self._static):
                self._static = np.concatenate([self._static, np.zeros_like(self._static)])
            for k, table in enumerate(by_offset):
                starts.append(len(ids))
                if k == center:
                    ids.extend([index.get(f, unknown) for f in own])
                else:
                    ids.extend([table.get(f, unknown) for f in near])
            ps = self._ps.setdefault((pos, shape), len(self._ps))
            entries[m.key] = (row, ps, nf.is_nominal(m), m.lemma, nf.word_kind(m))
            fresh.append(row)
        if fresh:
            sums = np.add.reduceat(self.weights[ids], starts, axis=0)
            sums = sums.reshape(len(fresh), len(nf.OFFSETS), self._n)
            sums[:, self._center] += self._bias
            self._static[fresh] = sums

    def _scratch_entry(self, m: nf.Morph) -> tuple[int, int, bool, str, str]:
        """Score a morpheme into the last row without caching it (cache full)."""
        info = self._cache.get(m)
        row = len(self._static) - 1
        index = self.attr_index
        unknown = len(self.weights) - 1
        for k, feats in enumerate(info[0]):
            self._static[row, k] = self.weights[[index.get(f, unknown) for f in feats]].sum(axis=0)
        self._static[row, self._center] += self._bias
        ps = self._ps.setdefault((info[1], info[2]), len(self._ps))
        return (row, ps, info[3], m.lemma, nf.word_kind(m))

    def _pair_rows(self, ents: Sequence[tuple[int, int, bool, str, str]]) -> list[int]:
        pairs = self._pairs
        get = pairs.get
        out = []
        prev = ents[0][1]
        for e in ents[1:]:
            cur = e[1]
            key = prev * 1_000_003 + cur
            row = get(key)
            if row is None:
                row = self._add_pair(key, prev, cur)
            out.append(row)
            prev = cur
        return out

    def _add_pair(self, key: int, prev: int, cur: int) -> int:
        if not self._ps_names or len(self._ps_names) < len(self._ps):
            self._ps_names = {v: k for k, v in self._ps.items()}
        (pp, ps), (cp, cs) = self._ps_names[prev], self._ps_names[cur]
        for_cur, for_prev = nf.pair_features(pp, ps, cp, cs)
        row = len(self._pairs)
        if row >= len(self._pair_cur):
            self._pair_cur = np.concatenate([self._pair_cur, np.zeros_like(self._pair_cur)])
            self._pair_prev = np.concatenate([self._pair_prev, np.zeros_like(self._pair_prev)])
        self._pair_cur[row] = self._dense(for_cur)
        self._pair_prev[row] = self._dense(for_prev)
        self._pairs[key] = row
        return row

    def pos_of(self, ps: int) -> str:
        """The POS tag (``名詞-固有名詞-人名-一般``) of an entry's (POS, shape) id."""
        if len(self._ps_names) < len(self._ps):
            self._ps_names = {v: k for k, v in self._ps.items()}
        return self._ps_names[ps][0]

    def _dense(self, feats: Sequence[str]) -> np.ndarray:
        ids = [self.attr_index[f] for f in feats if f in self.attr_index]
        return self.weights[ids].sum(axis=0) if ids else np.zeros(self._n)

    def emissions(
        self,
        ents: Sequence[tuple[int, int, bool, str, str]],
        surfaces: Sequence[str],
        gazetteer: nf.Gazetteer | None = None,
    ) -> np.ndarray:
        """The (morphemes x labels) state scores crfsuite would compute."""
        n = len(ents)
        padded = np.array([0, _BOS_ROW, *[x[0] for x in ents], _EOS_ROW, 0], dtype=np.intp)
        window = self._window[:n] if n <= len(self._window) else (
            np.arange(n)[:, None] + 2 + np.array(nf.OFFSETS)[None, :])
        e = self._static[padded[window], self._kidx].sum(axis=1)  # (n, labels)
        if n > 1:
            rows = self._pair_rows(ents)
            e[1:] += self._pair_cur[rows]
            e[:-1] += self._pair_prev[rows]
        index = self.attr_index
        at_rows: list[int] = []
        at_ids: list[int] = []
        for i, f in nf.context_features(surfaces, [x[2] for x in ents], gazetteer):
            a = index.get(f)
            if a is not None:
                at_rows.append(i)
                at_ids.append(a)
        if at_ids:
            np.add.at(e, at_rows, self.weights[at_ids])
        return e

    def tag(self, seq: Sequence[nf.Morph], gazetteer: nf.Gazetteer | None = None) -> list[str]:
        if not seq:
            return []
        e = self.emissions(self.entries_for(seq), [m.surface for m in seq], gazetteer)
        return [self.labels[k] for k in self._viterbi_np(e)]

    def tag_entries(
        self,
        ents: Sequence[tuple[int, int, bool, str, str]],
        surfaces: Sequence[str],
        gazetteer: nf.Gazetteer | None = None,
    ) -> list[int]:
        """Label indices (into :attr:`labels`) for a sequence of entries."""
        if not ents:
            return []
        return self._viterbi_np(self.emissions(ents, surfaces, gazetteer))

    def _viterbi_np(self, e: np.ndarray) -> list[int]:
        n, size = e.shape
        trans = self._trans_np
        cols = self._cols
        back = np.empty((n, size), dtype=np.intp)
        delta = e[0]
        for i in range(1, n):
            s = trans + delta[:, None]
            b = s.argmax(axis=0)
            back[i] = b
            delta = s[b, cols] + e[i]
        k = int(delta.argmax())
        path = [k]
        bl = back.tolist()
        for i in range(n - 1, 0, -1):
            k = bl[i][k]
            path.append(k)
        path.reverse()
        return path


class SpanTyper:
    """Second-stage type classifier over whole spans: a multinomial logistic
    regression (a crfsuite model trained on one-item sequences, exported like the
    tagger). ``probabilities`` folds fine labels (``organization/corporate``) into
    their coarse type."""

    __slots__ = ("attr_index", "weights", "coarse", "_cols")

    def __init__(self, labels: list[str], attrs: list[str], weights: np.ndarray):
        self.attr_index = {a: i for i, a in enumerate(attrs)}
        w = np.zeros((len(attrs) + 1, len(labels)))
        w[: len(attrs)] = weights
        self.weights = w
        self.coarse = sorted({lab.split("/", 1)[0] for lab in labels})
        position = {c: k for k, c in enumerate(self.coarse)}
        self._cols = np.array([position[lab.split("/", 1)[0]] for lab in labels], dtype=np.intp)

    @classmethod
    def load(cls, path: Path) -> SpanTyper:
        with np.load(path, allow_pickle=False) as data:
            labels = bytes(data["labels"]).decode("utf-8").split("\n")
            attrs = bytes(data["attrs"]).decode("utf-8").split("\n")
            weights = data["weights"].astype(float)
        return cls(labels, attrs, weights)

    def best(self, feats: Sequence[str]) -> tuple[str, float]:
        """The most probable coarse type and its probability."""
        unknown = len(self.weights) - 1
        index = self.attr_index
        scores = self.weights[[index.get(f, unknown) for f in feats]].sum(axis=0)
        p = np.exp(scores - scores.max())
        folded = np.bincount(self._cols, weights=p, minlength=len(self.coarse))
        k = int(folded.argmax())
        return self.coarse[k], float(folded[k] / p.sum())


def export_crfsuite(model_path: Path, out_path: Path, o_penalty: float = 0.0) -> None:
    """Write the weights of a crfsuite model file as ``ner_crf.npz``: labels and
    attribute names (newline-joined UTF-8), transitions and a dense float32
    attributes x labels weight matrix (mostly zeros; compressed), and ``label_bias``:
    ``-o_penalty`` on the O label, added to every morpheme's scores when decoding."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    info = tagger.info()
    labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
    index = {lab: i for i, lab in enumerate(labels)}
    n = len(labels)
    trans = np.zeros((n, n), dtype=np.float32)
    for (a, b), w in info.transitions.items():
        trans[index[a], index[b]] = w
    attr_ids: dict[str, int] = {}
    for attr, _ in info.state_features:
        attr_ids.setdefault(attr, len(attr_ids))
    weights = np.zeros((len(attr_ids), n), dtype=np.float32)
    for (attr, lab), w in info.state_features.items():
        weights[attr_ids[attr], index[lab]] = w
    assert not any("\n" in a for a in attr_ids)
    np.savez_compressed(
        out_path,
        labels=np.frombuffer("\n".join(labels).encode("utf-8"), dtype=np.uint8),
        attrs=np.frombuffer("\n".join(attr_ids).encode("utf-8"), dtype=np.uint8),
        transitions=trans,
        weights=weights,
        feature_version=np.array(nf.FEATURE_VERSION),
        label_bias=np.array([-o_penalty if lab == "O" else 0.0 for lab in labels], dtype=np.float32),
    )
