"""A linear-chain CRF decoder (numpy) for the weights crfsuite learned.

Why not ``pycrfsuite.Tagger``: handing it ~45 feature strings per morpheme cost
~12 µs per morpheme, twice MeCab. Here the features a morpheme contributes at each
window offset are summed into one score vector once per distinct morpheme (the
vocabulary repeats) and reused.

A whole document is decoded at once (:meth:`CrfModel.tag_document`), with a numpy
step per *feature template* and per *Viterbi position across all sentences*, never
per morpheme or per sentence: a per-sentence decoder paid numpy's call overhead ~60
times a sentence, which made entity extraction half the pipeline's time.

* Emissions: the window features are a gather of the per-morpheme score blocks at
  each offset; tag/shape pairs are looked up once per distinct pair; noun-chunk and
  gazetteer features are found with array operations on per-morpheme attribute ids.
* Viterbi: sentences are sorted by length and decoded in batches of similar length,
  one numpy step per position for the whole batch; each sentence's final scores are
  taken at its own last position, so the padding never changes a path.

The features are those of :func:`ner_features.sequence_features` (what crfsuite was
trained on); ``tests/test_ner_decoder.py`` checks the two agree label for label.

Model file: ``models/ner_crf.npz``, written by ``scripts/train_ner.py`` from the
crfsuite model (see :func:`export_crfsuite`); it loads in ~20 ms.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import ner_features as nf

__all__ = ["CrfModel", "SpanTyper", "export_crfsuite"]

_NOTHING_ROW = 0
_BOS_ROW = 1
_EOS_ROW = 2
_RESERVED_ROWS = 3

# Noun-chunk templates: for each morpheme, the attribute ids of the features it gives
# as a chunk's head (``ner_features.chunk_head_features``: up to _HEAD_WIDTH of them),
# as its first word, as the word before or after it, and the head feature of a member
# at place B / I / E (columns of ``_row_ctx``, in this order).
_HEAD_WIDTH = 3
_CTX_PREFIXES = ("cf=", "cb=", "ca=", "cph=B|", "cph=I|", "cph=E|")
_CH = 0
_CF, _CB, _CA, _CPH = (_HEAD_WIDTH + k for k in range(4))
# Sentences decoded together may differ in length by this factor (padding costs work,
# more batches cost numpy calls).
_BATCH_SPREAD = 1.3
# Up to this many morphemes, a single sentence takes the string-feature path.
_ONE_SENTENCE = 400
# Emissions are built for this many morphemes at a time: memory stays flat on a huge file.
_DOC_SLICE = 20_000

Entry = tuple[int, int, str]


class CrfModel:
    """The tagger. ``entries`` maps a morpheme key to an :data:`Entry`: (row in the
    per-morpheme tables, (POS, shape) id, lemma)."""

    __slots__ = ("labels", "trans", "attr_index", "weights", "_n", "_bias", "_center",
                 "_entries", "_static", "_offset_index", "_ps", "_ps_names", "_pos_ids", "_pairs", "_pair_cur",
                 "_pair_prev", "_row_ps", "_row_nominal", "_row_ctx", "_row_surface",
                 "_ca2", "_cp_ids", "_cn_ids", "_unknown", "_offsets", "_offset_cols")

    def __init__(
        self,
        labels: list[str],
        trans: list[list[float]],
        attrs: list[str],
        weights: np.ndarray,
        label_bias: np.ndarray | None = None,
    ):
        self.labels = labels
        self.trans = np.array(trans, dtype=float)  # transitions[from label, to label]
        n = self._n = len(labels)
        self.attr_index = {a: i for i, a in enumerate(attrs)}
        # one extra zero row: the id of every attribute the model never saw
        w = np.zeros((len(attrs) + 1, n))
        w[: len(attrs)] = weights
        self.weights = w
        self._unknown = len(attrs)
        self._bias = self._dense(["bias"])
        if label_bias is not None:
            # a decode-time offset per label (O made a little dearer: the CRF trades
            # recall for precision more than F1 wants; tuned on the dev fold)
            self._bias = self._bias + label_bias
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
        # morpheme key -> entry; row r of the tables below describes entry r. Rows 0-2
        # stand for what lies beyond a sentence: nothing, its start (BOS, seen by the
        # -1/-2 neighbours), its end (EOS).
        self._entries: dict[str, Entry] = {}
        size = 4096
        self._static = np.zeros((size, len(nf.OFFSETS), n))  # summed scores per window offset
        for k, off in enumerate(nf.OFFSETS):
            if off < 0:
                self._static[_BOS_ROW, k] = self._dense(["BOS"])
            elif off > 0:
                self._static[_EOS_ROW, k] = self._dense(["EOS"])
        self._row_ps = np.zeros(size, dtype=np.intp)
        self._row_nominal = np.zeros(size, dtype=bool)
        self._row_ctx = np.full((size, _HEAD_WIDTH + len(_CTX_PREFIXES)), self._unknown, dtype=np.intp)
        self._row_surface: list[str] = ["", "BOS", "EOS"]
        self._row_ctx[_BOS_ROW, _CB] = self._attr("cb=BOS")
        self._row_ctx[_EOS_ROW, _CA] = self._attr("ca=EOS")
        self._ca2: dict[int, int] = {}  # after row * 2^32 + after-next row -> "ca2=" id
        self._cp_ids = np.array([self._attr("cp=" + c) for c in "BIES"], dtype=np.intp)
        self._cn_ids = np.array([self._attr(f"cn={k}") for k in range(6)], dtype=np.intp)
        # (POS, shape) -> id, and (id, id) of neighbours -> row of the pair score tables
        self._ps: dict[tuple[str, str], int] = {}
        self._ps_names: list[tuple[str, str]] = []  # id -> (POS, shape), kept with _ps
        self._pos_ids: dict[str, tuple[int, set[int]]] = {}  # POS prefix -> (ids seen, its ids)
        self._pairs: dict[int, int] = {}
        self._pair_cur = np.zeros((1024, n))
        self._pair_prev = np.zeros((1024, n))
        self._offsets = np.array(nf.OFFSETS, dtype=np.intp)[None, :]
        self._offset_cols = np.arange(len(nf.OFFSETS))[None, :]

    @classmethod
    def load(cls, path: Path, label_bias: np.ndarray | None = None) -> CrfModel:
        """The model in ``path``; ``label_bias`` replaces the file's decode-time bias
        (the training script's search over biases)."""
        with np.load(path, allow_pickle=False) as data:
            labels = bytes(data["labels"]).decode("utf-8").split("\n")
            attrs = bytes(data["attrs"]).decode("utf-8").split("\n")
            trans = data["transitions"].astype(float).tolist()
            weights = data["weights"].astype(float)
            if label_bias is None and "label_bias" in data.files:
                label_bias = data["label_bias"].astype(float)
        return cls(labels, trans, attrs, weights, label_bias)

    @property
    def entries(self) -> dict[str, Entry]:
        """Morpheme key -> entry, for callers that look entries up in their own loop."""
        return self._entries

    def _attr(self, feature: str) -> int:
        return self.attr_index.get(feature, self._unknown)

    def _dense(self, feats: Sequence[str]) -> np.ndarray:
        ids = [self.attr_index[f] for f in feats if f in self.attr_index]
        return self.weights[ids].sum(axis=0) if ids else np.zeros(self._n)

    # ------------------------------------------------------------------ vocabulary

    def entries_for(self, seq: Sequence[nf.Morph]) -> list[Entry]:
        """One entry per morpheme; those seen for the first time are scored in one
        numpy pass."""
        entries = self._entries
        got = [entries.get(m.key) for m in seq]
        if None in got:
            self.add_entries([m for m, g in zip(seq, got) if g is None])
            got = [entries.get(m.key) for m in seq]
        return got  # type: ignore[return-value]

    def add_entries(self, morphs: Sequence[nf.Morph]) -> None:
        entries = self._entries
        index = self.attr_index
        by_offset = self._offset_index
        center = self._center
        unknown = self._unknown
        ids: list[int] = []
        starts: list[int] = []
        fresh: list[int] = []
        ctx: list[list[int]] = []
        for m in morphs:
            if m.key in entries:
                continue  # the same new morpheme twice in one sentence
            # The base feature strings, looked up per offset without building the
            # "-1:"-prefixed copies training used (same attributes, fewer strings).
            own, near, pos, shape = nf.base_features(m)
            row = len(entries) + _RESERVED_ROWS
            if row >= len(self._static):
                self._grow()
            for k, table in enumerate(by_offset):
                starts.append(len(ids))
                if k == center:
                    ids.extend([index.get(f, unknown) for f in own])
                else:
                    ids.extend([table.get(f, unknown) for f in near])
            ps = self._ps.get((pos, shape))
            if ps is None:
                ps = self._ps[(pos, shape)] = len(self._ps_names)
                self._ps_names.append((pos, shape))
            nominal = nf.is_nominal(m)
            entries[m.key] = (row, ps, m.lemma)
            s = m.surface
            head = [index.get(f, unknown) for f in nf.chunk_head_features(s)]
            ctx.append(head + [unknown] * (_HEAD_WIDTH - len(head)) + [index.get(prefix + s, unknown) for prefix in _CTX_PREFIXES])
            self._row_ps[row] = ps
            self._row_nominal[row] = nominal
            self._row_surface.append(s)
            fresh.append(row)
        if fresh:
            sums = np.add.reduceat(self.weights[ids], starts, axis=0)
            sums = sums.reshape(len(fresh), len(nf.OFFSETS), self._n)
            sums[:, self._center] += self._bias
            self._static[fresh] = sums
            self._row_ctx[fresh] = ctx

    def _grow(self) -> None:
        self._static = np.concatenate([self._static, np.zeros_like(self._static)])
        self._row_ps = np.concatenate([self._row_ps, np.zeros_like(self._row_ps)])
        self._row_nominal = np.concatenate([self._row_nominal, np.zeros_like(self._row_nominal)])
        self._row_ctx = np.concatenate([self._row_ctx, np.full_like(self._row_ctx, self._unknown)])

    def forget_if_full(self, limit: int = 100_000) -> None:
        """Drop the morpheme vocabulary when it has grown past ``limit`` entries (a
        pathological input). Call it only between documents: entries and rows handed
        out before are invalid afterwards."""
        if len(self._entries) < limit:
            return
        self._entries.clear()
        del self._row_surface[_RESERVED_ROWS:]
        self._ca2.clear()

    def ps_ids_with_pos(self, prefix: str) -> set[int]:
        """The (POS, shape) ids seen so far whose POS starts with ``prefix``, to test
        many entries at once (``entry[1] in ids``) instead of one :meth:`pos_of` each.
        Kept per prefix and extended by the ids added since (one call per text)."""
        seen, ids = self._pos_ids.get(prefix, (0, set()))
        names = self._ps_names
        if seen < len(names):
            ids = ids | {i for i in range(seen, len(names)) if names[i][0].startswith(prefix)}
            self._pos_ids[prefix] = (len(names), ids)
        return ids

    def pos_of(self, ps: int) -> str:
        """The POS tag (``名詞-固有名詞-人名-一般``) of an entry's (POS, shape) id."""
        return self._ps_names[ps][0]

    # ------------------------------------------------------------------ tagging

    def tag(self, seq: Sequence[nf.Morph], gazetteer: nf.Gazetteer | None = None) -> list[str]:
        """Labels of one sentence of morphs."""
        if not seq:
            return []
        rows = np.array([e[0] for e in self.entries_for(seq)], dtype=np.intp)
        ys = self.tag_document(rows, [m.surface for m in seq], [(0, len(seq))], gazetteer)
        return [self.labels[k] for k in ys.tolist()]

    def tag_document(
        self,
        rows: np.ndarray,
        surfaces: Sequence[str],
        bounds: Sequence[tuple[int, int]],
        gazetteer: nf.Gazetteer | None = None,
    ) -> np.ndarray:
        """Label index per morpheme (``rows``: the morphemes' entry rows). ``bounds``
        are the sentences, ``(a, b)`` morpheme ranges that partition ``rows``; each is
        decoded on its own, as crfsuite tags one sequence."""
        out = np.empty(len(rows), dtype=np.intp)
        bounds = [(a, b) for a, b in bounds if b > a]
        if not bounds:
            return out
        if len(bounds) == 1 and len(rows) <= _ONE_SENTENCE:
            # One sentence (a caller tagging sentence by sentence): the array set-up of
            # the document path would cost more than the sentence itself.
            e = self._sentence_emissions(rows, surfaces, gazetteer)
            self._viterbi_batch(e, np.zeros(1, dtype=np.intp), np.array([len(rows)]), out)
            return out
        k = 0
        while k < len(bounds):
            # a slice of whole sentences, so memory does not grow with the document
            k1 = k + 1
            while k1 < len(bounds) and bounds[k1][1] - bounds[k][0] <= _DOC_SLICE:
                k1 += 1
            a0, b0 = bounds[k][0], bounds[k1 - 1][1]
            starts = np.array([a for a, _ in bounds[k:k1]], dtype=np.intp) - a0
            lens = np.array([b - a for a, b in bounds[k:k1]], dtype=np.intp)
            e = self._emissions(rows[a0:b0], surfaces[a0:b0], starts, lens, gazetteer)
            out[a0:b0] = self._viterbi(e, starts, lens)
            k = k1
        return out

    def _emissions(
        self,
        rows: np.ndarray,
        surfaces: Sequence[str],
        starts: np.ndarray,
        lens: np.ndarray,
        gazetteer: nf.Gazetteer | None,
    ) -> np.ndarray:
        """The (morphemes x labels) state scores crfsuite would compute."""
        n = len(rows)
        pos = np.arange(n)
        seq_index = np.repeat(np.arange(len(lens)), lens)
        seq_start = starts[seq_index]
        seq_end = seq_start + lens[seq_index]
        # Window features: every sentence is laid out with two rows of padding on each
        # side (nothing, BOS | EOS, nothing), so one gather reads each offset's neighbour.
        at = pos + 4 * seq_index + 2
        padded = np.zeros(n + 4 * len(lens), dtype=np.intp)
        padded[at] = rows
        first_at = starts + 4 * np.arange(len(lens)) + 2
        padded[first_at - 1] = _BOS_ROW
        padded[first_at + lens] = _EOS_ROW
        # One gather per offset, summed in place: half the time of one 3-D gather and a
        # sum over its short middle axis (same additions in the same order).
        static = self._static
        e = static[padded[at + nf.OFFSETS[0]], 0].copy()
        for k in range(1, len(nf.OFFSETS)):
            e += static[padded[at + nf.OFFSETS[k]], k]
        inner = pos[pos > seq_start]  # morphemes with a left neighbour in their sentence
        if len(inner):
            pr = self._pair_rows(self._row_ps[rows[inner - 1]], self._row_ps[rows[inner]])
            e[inner] += self._pair_cur[pr]
            e[inner - 1] += self._pair_prev[pr]
        self._add_chunk_features(e, rows, seq_start, seq_end)
        at_rows, at_ids = self._gazetteer_features(surfaces, starts.tolist(), lens.tolist(), gazetteer)
        if at_ids:
            np.add.at(e, at_rows, self.weights[at_ids])
        return e

    def _sentence_emissions(
        self, rows: np.ndarray, surfaces: Sequence[str], gazetteer: nf.Gazetteer | None
    ) -> np.ndarray:
        """:meth:`_emissions` for one sentence: the same features with a few numpy
        calls and a Python loop over the noun chunks (the array set-up of the document
        path costs more than a 30-morpheme sentence)."""
        n = len(rows)
        padded = np.empty(n + 4, dtype=np.intp)
        padded[0], padded[1], padded[n + 2], padded[n + 3] = _NOTHING_ROW, _BOS_ROW, _EOS_ROW, _NOTHING_ROW
        padded[2:n + 2] = rows
        at = np.arange(2, n + 2)[:, None] + self._offsets
        e = self._static[padded[at], self._offset_cols].sum(axis=1)
        if n > 1:
            ps = self._row_ps[rows].tolist()
            get = self._pairs.get
            pr = []
            for prev, cur in zip(ps, ps[1:]):
                key = prev * 1_000_003 + cur
                row = get(key)
                pr.append(self._add_pair(key, prev, cur) if row is None else row)
            e[1:] += self._pair_cur[pr]
            e[:-1] += self._pair_prev[pr]
        at_rows, at_ids = self._sentence_chunk_features(rows)
        g_rows, g_ids = self._gazetteer_features(surfaces, [0], [n], gazetteer)
        at_rows += g_rows
        at_ids += g_ids
        if at_ids:
            np.add.at(e, at_rows, self.weights[at_ids])
        return e

    def _sentence_chunk_features(self, rows: np.ndarray) -> tuple[list[int], list[int]]:
        """(positions, attribute ids) of the noun-chunk features of one sentence: the
        loop of :func:`ner_features.context_features` over the per-morpheme ids."""
        n = len(rows)
        row_list = rows.tolist()
        nominal = self._row_nominal[rows].tolist()
        ctx = self._row_ctx[rows].tolist()
        bos_cb = int(self._row_ctx[_BOS_ROW, _CB])
        eos_ca = int(self._row_ctx[_EOS_ROW, _CA])
        cp_b, cp_i, cp_e, cp_s = self._cp_ids.tolist()
        places = (cp_b, cp_i, cp_e)
        cn_ids = self._cn_ids.tolist()
        at_rows: list[int] = []
        at_ids: list[int] = []
        for i, j in nf.noun_chunks(nominal, 0, n):
            cb = ctx[i - 1][_CB] if i > 0 else bos_cb
            ca = ctx[j][_CA] if j < n else eos_ca
            ca2 = self._ca2_id(row_list[j] if j < n else _EOS_ROW, row_list[j + 1] if j + 1 < n else _EOS_ROW)
            if j - i == 1:
                at_rows += (i, i, i, i)
                at_ids += (cp_s, cb, ca, ca2)
            else:
                head = ctx[j - 1]
                common = (*head[_CH:_CH + _HEAD_WIDTH], ctx[i][_CF], cb, ca, ca2, cn_ids[min(j - i, 5)])
                for k in range(i, j):
                    place = 0 if k == i else (2 if k == j - 1 else 1)
                    at_rows += (k,) * (len(common) + 2)
                    at_ids += common
                    at_ids += (places[place], head[_CPH + place])
        return at_rows, at_ids

    def _ca2_id(self, after: int, after2: int) -> int:
        code = (after << 32) + after2
        got = self._ca2.get(code)
        if got is None:
            names = self._row_surface
            got = self._ca2[code] = self._attr("ca2=" + names[after] + "|" + names[after2])
        return got

    def _pair_rows(self, prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
        codes = prev.astype(np.int64) * 1_000_003 + cur
        uniq, inv = np.unique(codes, return_inverse=True)
        get = self._pairs.get
        found = []
        for c in uniq.tolist():
            row = get(c)
            if row is None:
                row = self._add_pair(c, c // 1_000_003, c % 1_000_003)
            found.append(row)
        return np.array(found, dtype=np.intp)[inv]

    def _add_pair(self, key: int, prev: int, cur: int) -> int:
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

    def _add_chunk_features(self, e: np.ndarray, rows: np.ndarray, seq_start: np.ndarray, seq_end: np.ndarray) -> None:
        """Noun-chunk context (:func:`ner_features.context_features`): the words
        around a run of nominal morphemes, and for a run of two or more its head,
        first word, size and each member's place (B, I, E)."""
        n = len(rows)
        pos = np.arange(n)
        nom = self._row_nominal[rows]
        prev_nom = np.concatenate(([False], nom[:-1])) & (pos > seq_start)
        next_nom = np.concatenate((nom[1:], [False])) & (pos < seq_end - 1)
        first = np.nonzero(nom & ~prev_nom)[0]
        last = np.nonzero(nom & ~next_nom)[0]
        if not len(first):
            return
        size = last - first + 1
        end = seq_end[first]
        before = np.where(first > seq_start[first], rows[np.maximum(first - 1, 0)], _BOS_ROW)
        after = np.where(last + 1 < end, rows[np.minimum(last + 1, n - 1)], _EOS_ROW)
        after2 = np.where(last + 2 < end, rows[np.minimum(last + 2, n - 1)], _EOS_ROW)
        ctx = self._row_ctx
        w = self.weights
        around = w[ctx[before, _CB]] + w[ctx[after, _CA]] + w[self._ca2_ids(after, after2)]
        single = size == 1
        e[first[single]] += around[single] + w[self._cp_ids[3]]  # cp=S
        multi = ~single
        if not multi.any():
            return
        m_first, m_last, m_size = first[multi], last[multi], size[multi]
        members = np.repeat(m_first, m_size) + _ranges(m_size)
        head = np.repeat(rows[m_last], m_size)
        place = np.where(members == np.repeat(m_first, m_size), 0,
                         np.where(members == np.repeat(m_last, m_size), 2, 1))
        chunk = (around[multi] + w[ctx[rows[m_last], _CH:_CH + _HEAD_WIDTH]].sum(axis=1)
                 + w[ctx[rows[m_first], _CF]] + w[self._cn_ids[np.minimum(m_size, 5)]])
        e[members] += np.repeat(chunk, m_size, axis=0) + w[self._cp_ids[place]] + w[ctx[head, _CPH + place]]

    def _ca2_ids(self, after: np.ndarray, after2: np.ndarray) -> np.ndarray:
        codes = after.astype(np.int64) * (1 << 32) + after2
        uniq, inv = np.unique(codes, return_inverse=True)
        cache = self._ca2
        names = self._row_surface
        found = []
        for c in uniq.tolist():
            got = cache.get(c)
            if got is None:
                got = cache[c] = self._attr("ca2=" + names[c >> 32] + "|" + names[c & 0xFFFFFFFF])
            found.append(got)
        return np.array(found, dtype=np.intp)[inv]

    def _gazetteer_features(
        self,
        surfaces: Sequence[str],
        starts: Sequence[int],
        lens: Sequence[int],
        gazetteer: nf.Gazetteer | None,
    ) -> tuple[list[int], list[int]]:
        """(positions, attribute ids) of the gazetteer hits in each sentence
        ``starts[k]:starts[k] + lens[k]`` (:func:`ner_features.gazetteer_hit_features`:
        the training-split names and IPAdic's proper nouns). Hits are rare, so the
        feature strings are built and looked up as they come."""
        at_rows: list[int] = []
        at_ids: list[int] = []
        attr = self._attr
        for gaz, names in nf.sentence_gazetteers(gazetteer):
            for a, length in zip(starts, lens):
                for i, f in nf.gazetteer_hit_features(surfaces, gaz, names, a, a + length):
                    at_rows.append(i)
                    at_ids.append(attr(f))
        return at_rows, at_ids

    def _viterbi(self, e: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """Best label path of every sentence, in batches of similar length."""
        out = np.empty(len(e), dtype=np.intp)
        order = np.argsort(lens, kind="stable")
        sorted_lens = lens[order].tolist()
        k = 0
        while k < len(order):
            k1 = k + 1
            limit = sorted_lens[k] * _BATCH_SPREAD + 2
            while k1 < len(order) and sorted_lens[k1] <= limit:
                k1 += 1
            batch = order[k:k1]
            self._viterbi_batch(e, starts[batch], lens[batch], out)
            k = k1
        return out

    def _viterbi_batch(self, e: np.ndarray, starts: np.ndarray, lens: np.ndarray, out: np.ndarray) -> None:
        trans = self.trans
        if len(lens) == 1:  # one sentence: plain 2-D steps, no padding
            a, n = int(starts[0]), int(lens[0])
            em = e[a:a + n]
            back = np.empty((n, self._n), dtype=np.intp)
            cols = np.arange(self._n)
            to_from = np.ascontiguousarray(trans.T)  # (to, from), as in the batch below
            delta = em[0]
            for t in range(1, n):
                s = to_from + delta
                b = s.argmax(axis=1)
                back[t] = b
                delta = s[cols, b] + em[t]  # fancy indexing: cheaper than s.max() here
            k = int(delta.argmax())
            path = [k]
            rows = back.tolist()
            for t in range(n - 1, 0, -1):
                k = rows[t][k]
                path.append(k)
            out[a:a + n] = path[::-1]
            return
        width = int(lens.max())
        steps = np.arange(width)
        valid = steps[None, :] < lens[:, None]
        where = np.where(valid, starts[:, None] + steps[None, :], 0)
        em = e[where]  # (batch, width, labels); padding rows are ignored below
        back = np.empty((len(lens), width, self._n), dtype=np.intp)
        delta = em[:, 0]
        final = delta.copy()
        last = lens - 1
        ending = {t: np.nonzero(last == t)[0] for t in set(last.tolist()) if t > 0}
        # Scores laid out (sentence, to, from) so that both reductions run over the last,
        # contiguous axis, and the maximum read back at the argmax rather than found
        # again: the same numbers, ~30 % faster than max and argmax over axis 1.
        to_from = np.ascontiguousarray(trans.T)
        for t in range(1, width):
            s = delta[:, None, :] + to_from
            b = s.argmax(axis=2)
            back[:, t] = b
            delta = np.take_along_axis(s, b[:, :, None], axis=2)[:, :, 0] + em[:, t]
            done = ending.get(t)
            if done is not None:
                final[done] = delta[done]
        cur = final.argmax(axis=1)
        path = np.empty((len(lens), width), dtype=np.intp)
        batch = np.arange(len(lens))
        for t in range(width - 1, -1, -1):
            if t < width - 1:
                cur = np.where(t < last, back[batch, t + 1, cur], cur)
            path[:, t] = cur
        out[where[valid]] = path[valid]


def _ranges(sizes: np.ndarray) -> np.ndarray:
    """0..size-1 for each size, concatenated: ``[2, 3]`` -> ``[0, 1, 0, 1, 2]``."""
    total = int(sizes.sum())
    offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.arange(total) - offsets


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
        return self.best_many([feats])[0]

    def best_many(self, spans: Sequence[Sequence[str]]) -> list[tuple[str, float]]:
        """:meth:`best` for many spans in one numpy pass."""
        if not spans:
            return []
        unknown = len(self.weights) - 1
        get = self.attr_index.get
        ids: list[int] = []
        starts: list[int] = []
        for feats in spans:
            starts.append(len(ids))
            ids.extend([get(f, unknown) for f in feats] or [unknown])
        scores = np.add.reduceat(self.weights[ids], starts, axis=0)
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        folded = np.zeros((len(spans), len(self.coarse)))
        np.add.at(folded, (slice(None), self._cols), p)
        best = folded.argmax(axis=1)
        share = folded[np.arange(len(spans)), best] / p.sum(axis=1)
        return [(self.coarse[k], float(x)) for k, x in zip(best.tolist(), share.tolist())]


def export_crfsuite(
    model_path: Path, out_path: Path, o_penalty: float = 0.0, type_bias: dict[str, float] | None = None
) -> None:
    """Write the weights of a crfsuite model file as ``ner_crf.npz``: labels and
    attribute names (newline-joined UTF-8), transitions and a dense float32
    attributes x labels weight matrix (mostly zeros; compressed), and ``label_bias``
    (:func:`decode_bias`)."""
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
        label_bias=decode_bias(labels, o_penalty, type_bias).astype(np.float32),
    )


def decode_bias(labels: Sequence[str], o_penalty: float, type_bias: dict[str, float] | None = None) -> np.ndarray:
    """The decode-time score added to each label at every morpheme: ``-o_penalty`` on O
    (the CRF leaves recall below precision) and ``type_bias[type]`` on the B- and I-
    labels of each type it names (``organization`` covers its fine subtypes)."""
    types = type_bias or {}
    return np.array([-o_penalty if lab == "O" else types.get(lab[2:].split("/")[0], 0.0) for lab in labels])
