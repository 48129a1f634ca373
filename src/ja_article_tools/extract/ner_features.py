"""Token features for the CRF entity tagger.

The tagger works on UniDic morphemes (entity boundaries fall inside a morpheme for only
0.5 % of the Stockmark entities, e.g. 米 in 渡米, so token-level BIO loses little).

Speed is the design constraint: feature extraction in Python costs more than MeCab and
crfsuite together. The vocabulary repeats, so every distinct morpheme (keyed by its
surface plus the raw UniDic feature string) gets its feature lists built once, already
prefixed for each window offset; a token's features are then the concatenation of its
neighbours' cached lists plus a few pair features and gazetteer hits.

Training (``scripts/train_ner.py``) and tagging (``entities.py``) share
:func:`sequence_features`, so the two cannot drift apart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from ..datafiles import tsv_rows
from ..tokens import feature_fields

__all__ = [
    "Morph",
    "Gazetteer",
    "morphs_from_raw",
    "morphs_from_tokens",
    "sequence_features",
    "dynamic_features",
    "FeatureCache",
    "OFFSETS",
    "char_class",
    "FEATURE_VERSION",
    "word_clusters",
    "clusters_of",
]

# Bump when features change; the model file records the version it was trained with.
FEATURE_VERSION = 5

WINDOW = 2


class Morph(NamedTuple):
    """One morpheme as the tagger sees it. ``key`` identifies its cached features.

    A named tuple rather than a frozen dataclass: one is built per morpheme and a tuple
    costs a third as much to create."""

    surface: str
    start: int
    end: int
    key: str
    pos: tuple[str, str, str, str]
    lemma: str
    goshu: str


def _class_of(ch: str) -> str:
    o = ord(ch)
    if 0x3041 <= o <= 0x309F:
        return "H"
    if 0x30A1 <= o <= 0x30FA or o == 0x30FC or 0xFF66 <= o <= 0xFF9D:
        return "K"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or o in (0x3005, 0x3006, 0x30F6):
        return "C"
    if ch.isdigit():
        return "D"
    if ch.isalpha():
        if ch.isupper():
            return "A"
        if ch.islower():
            return "a"
        return "L"
    if ch in "・･":
        return "N"  # the name joiner of イーロン・マスク
    if ch in "-‐－_":
        return "-"
    if ch in ".．":
        return "."
    if ch in "&＆":
        return "&"
    if ch in "「『（(【[《〈\"“":
        return "("
    if ch in "」』）)】]》〉\"”":
        return ")"
    return "S"


def char_class(text: str) -> str:
    """Word shape: one class letter per run of characters, e.g. ``ChatGPT`` -> ``AaA``,
    ``GPT-3`` -> ``A-D``, ``東京都`` -> ``C``."""
    out: list[str] = []
    last = ""
    for ch in text:
        c = _class_of(ch)
        if c != last:
            out.append(c)
            last = c
    return "".join(out[:6])


def raw_key(surface: str, raw: str) -> str:
    """The cache key of a morpheme tagged with UniDic feature string ``raw``."""
    return surface + "\t" + raw


def morph_from_raw(surface: str, start: int, end: int, raw: str, key: str | None = None) -> Morph:
    lemma, pos, _, _, goshu, origin = feature_fields(raw)
    if lemma is None:  # unknown word: UniDic gives only the POS
        lemma, goshu = surface, "unk"
    elif origin:
        lemma = f"{lemma}-{origin}"  # the model was trained on UniDic's lemma as written
    pos4 = pos + ("*",) * (4 - len(pos))
    return Morph(surface, start, end, key or raw_key(surface, raw), pos4[:4], lemma, goshu)


def morphs_from_raw(chunks: Iterable[tuple[str, int, int, str]]) -> list[Morph]:
    """Morphs from :func:`ja_article_tools.tokens.tag_chunks` output."""
    out: list[Morph] = []
    cache: dict[str, Morph] = {}
    for surface, start, end, raw in chunks:
        key = surface + "\t" + raw
        proto = cache.get(key)
        if proto is None:
            proto = morph_from_raw(surface, 0, 0, raw, key)
            cache[key] = proto
        out.append(Morph(surface, start, end, key, proto.pos, proto.lemma, proto.goshu))
    return out


def morph_from_token(t) -> Morph:  # t: ja_article_tools.models.Token
    """A morph from a caller's :class:`~ja_article_tools.models.Token`: the same
    features as from the raw UniDic string (lemma with its ``-origin``, POS padded)."""
    pos = tuple(t.pos) + ("*",) * (4 - len(t.pos))
    lemma = t.lemma + ("-" + t.origin if t.origin else "")
    goshu = t.goshu or "unk"
    key = "\t".join((t.surface, lemma, goshu, *pos))
    return Morph(t.surface, t.start, t.end, key, pos[:4], lemma, goshu)  # type: ignore[arg-type]


def morphs_from_tokens(tokens: Sequence) -> list[Morph]:
    """Morphs from :class:`~ja_article_tools.models.Token` objects (a caller's tokens)."""
    return [morph_from_token(t) for t in tokens]


# ---------------------------------------------------------------------- gazetteer


class Gazetteer:
    """Multi-morpheme names with their labels, matched greedily (longest first).

    Entries are keyed by the joined surfaces of their morphemes and indexed by the first
    morpheme, so a sentence costs one dict lookup per morpheme that starts no entry."""

    __slots__ = ("entries", "first")

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}
        self.first: dict[str, int] = {}  # first morpheme surface -> longest entry in morphemes

    def add(self, surfaces: Sequence[str], label: str) -> None:
        if not surfaces:
            return
        key = "".join(surfaces)
        self.entries[key] = label
        n = len(surfaces)
        if self.first.get(surfaces[0], 0) < n:
            self.first[surfaces[0]] = n

    def match(self, surfaces: Sequence[str], start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """Non-overlapping ``(i, j, label)`` morpheme ranges within ``surfaces[start:end]``
        (one sentence of a longer list: positions stay those of ``surfaces``), longest
        match first."""
        out: list[tuple[int, int, str]] = []
        first = self.first
        entries = self.entries
        n = len(surfaces) if end is None else end
        free = start  # where the next match may start (matches do not overlap)
        for i in [k for k in range(start, n) if surfaces[k] in first]:
            if i < free:
                continue
            j_max = min(n, i + first[surfaces[i]])
            s = ""
            cands = []
            for j in range(i, j_max):
                s += surfaces[j]
                cands.append(s)
            for k in range(len(cands) - 1, -1, -1):
                label = entries.get(cands[k])
                if label is not None:
                    out.append((i, i + k + 1, label))
                    free = i + k + 1
                    break
        return out


# ---------------------------------------------------------------------- word clusters

CLUSTERS_PATH = Path(__file__).with_name("data") / "ner_clusters.tsv"
_clusters: dict[str, str] | None = None


def word_clusters(path: Path | None = None) -> dict[str, str]:
    """word -> its tab-separated cluster ids, coarse to fine (k-means of chiVe vectors
    into 64, 256 and 1024 clusters, then the 20k-way vector row), from
    ``data/ner_clusters.tsv`` (``scripts/build_ner_clusters.py``). Loaded on first use
    (~50 ms: the ids are split only when a word is looked up); ``path`` loads another
    table without caching it. A missing file gives an empty table (no cluster features)."""
    global _clusters
    if path is None and _clusters is not None:
        return _clusters
    table = {row[0]: row[1] for row in tsv_rows(path or CLUSTERS_PATH, 1, missing_ok=True) if len(row) == 2}
    if path is None:
        _clusters = table
    return table


def clusters_of(word: str) -> tuple[str, ...] | None:
    """Cluster ids of ``word`` as written, else of its NFKC / lower-case form
    (chiVe's words went through Sudachi's normalisation: ＧＰＵ -> GPU), else None.

    e.g. ``ビートルズ`` and ``メタリカ`` share their 1024-way cluster (music groups)."""
    table = _clusters if _clusters is not None else word_clusters()
    hit = table.get(word)
    if hit is None:
        norm = unicodedata.normalize("NFKC", word)
        hit = table.get(norm) or table.get(norm.lower())
        if hit is None:
            return None
    return tuple(hit.split("\t"))


_CLUSTER_NAMES = ("ka=", "kb=", "kc=", "kr=")


def lemma_clusters(lemma: str) -> tuple[str, ...] | None:
    """Clusters of a morph's lemma, which carries UniDic's loanword origin
    (``コンピューター-computer``): the lemma as given, else the part before ``-``."""
    lc = clusters_of(lemma)
    if lc is None and "-" in lemma:
        lc = clusters_of(lemma.split("-", 1)[0])
    return lc


def cluster_features(m: Morph) -> tuple[list[str], list[str]]:
    """(the morpheme's own cluster features, those its ±1/±2 neighbours see).

    Surface clusters at every granularity, the lemma's (``lk*``; UniDic's lemma without
    the loanword origin), ``k=none`` for a word-like morpheme chiVe does not know.
    Neighbours see the two finer levels of the surface."""
    own: list[str] = []
    near: list[str] = []
    c = clusters_of(m.surface)
    if c is not None:
        own += [name + k for name, k in zip(_CLUSTER_NAMES, c)]
        near += ["kb=" + c[1], "kc=" + c[2]]
    elif any(ch.isalpha() for ch in m.surface):
        own.append("k=none")
    lc = lemma_clusters(m.lemma)
    if lc is not None:
        own += ["l" + name + k for name, k in zip(_CLUSTER_NAMES, lc)]
    return own, near


# ---------------------------------------------------------------------- IPAdic names

IPADIC_PATH = Path(__file__).with_name("data") / "ner_gazetteer_ipadic.tsv"
# False only for the ablation in train_ner.py (--no-ipadic)
USE_IPADIC = True
_ipadic: Gazetteer | None = None


def ipadic_gazetteer(path: Path | None = None) -> Gazetteer:
    """IPAdic's proper nouns (``data/ner_gazetteer_ipadic.tsv``, built by
    ``scripts/build_ner_ipadic.py``) as unidic-lite morpheme sequences with their
    types (``org``, ``place``, ``person``, ``name`` or several joined by ``|``), e.g.
    ``トヨタ 自動車`` -> ``org``. Loaded on first use; empty when the file is missing."""
    global _ipadic
    if path is None and _ipadic is not None:
        return _ipadic
    g = Gazetteer()
    for row in tsv_rows(path or IPADIC_PATH, 1, missing_ok=True):
        if len(row) == 2:
            g.add(row[0].split(" "), row[1])
    if path is None:
        _ipadic = g
    return g


# ---------------------------------------------------------------------- features

OFFSETS = _OFFSETS = tuple(range(-WINDOW, WINDOW + 1))
_NOMINAL_POS = frozenset(("名詞", "接頭辞", "接尾辞", "記号"))
# Characters that glue the parts of one name: イーロン・マスク, GPT-3.5, AT&T.
_JOINERS = frozenset("・･-.&＆'+")


def base_features(m: Morph) -> tuple[list[str], list[str], str, str]:
    """(full features of the morpheme itself, the short list its neighbours see,
    its POS tag, its shape) — before any offset prefix."""
    s = m.surface
    p1, p2, p3, p4 = m.pos
    shape = char_class(s)
    pos = p1 + "-" + p2 + "-" + p3 + "-" + p4
    n = len(s)
    own = [
        "w=" + s,
        "l=" + m.lemma,
        "p=" + pos,
        "p2=" + p1 + "-" + p2,
        "g=" + m.goshu,
        "t=" + shape,
        "f1=" + s[0],
        "s1=" + s[-1],
        "n=" + (str(n) if n < 6 else "6+"),
    ]
    if n > 1:
        own.append("f2=" + s[:2])
        own.append("s2=" + s[-2:])
    if s.isascii() and s[:1].isalpha():
        own.append("lw=" + s.lower())
    near = ["w=" + s, "p=" + pos, "t=" + shape, "g=" + m.goshu]
    if n > 1:
        near.append("s1=" + s[-1])
    k_own, k_near = cluster_features(m)
    own += k_own
    near += k_near
    return own, near, pos, shape


def is_nominal(m: Morph) -> bool:
    """Part of a noun chunk: nouns, affixes, symbols and the joiners of names."""
    return m.pos[0] in _NOMINAL_POS or m.surface in _JOINERS


class FeatureCache:
    """Per-morpheme feature lists, prefixed per window offset, built once per key."""

    __slots__ = ("_cache",)

    def __init__(self) -> None:
        self._cache: dict[str, tuple[list[list[str]], str, str, bool]] = {}

    def get(self, m: Morph) -> tuple[list[list[str]], str, str, bool]:
        hit = self._cache.get(m.key)
        if hit is None:
            own, near, pos, shape = base_features(m)
            by_offset: list[list[str]] = []
            for off in _OFFSETS:
                if off == 0:
                    by_offset.append(own)
                else:
                    pre = str(off) + ":"
                    by_offset.append([pre + f for f in near])
            hit = (by_offset, pos, shape, is_nominal(m))
            if len(self._cache) < 500_000:
                self._cache[m.key] = hit
        return hit


_DEFAULT_CACHE = FeatureCache()


def sequence_features(
    seq: Sequence[Morph],
    gazetteer: Gazetteer | None = None,
    cache: FeatureCache | None = None,
) -> list[list[str]]:
    """One feature list per morpheme of ``seq``: the bias, the cached window features
    of the neighbours (prefixed by offset) and :func:`dynamic_features`."""
    fc = cache or _DEFAULT_CACHE
    n = len(seq)
    infos = [fc.get(m) for m in seq]
    dyn = dynamic_features(seq, infos, gazetteer)
    out: list[list[str]] = []
    for i in range(n):
        feats = ["bias"]
        for k, off in enumerate(_OFFSETS):
            j = i + off
            if 0 <= j < n:
                feats += infos[j][0][k]
        feats += dyn[i]
        out.append(feats)
    return out


def pair_features(prev_pos: str, prev_shape: str, pos: str, shape: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Features of two adjacent morphemes: (for the second, for the first)."""
    pp = prev_pos + "|" + pos
    tt = prev_shape + "|" + shape
    return ("pp=" + pp, "tt=" + tt), ("pn=" + pp, "tn=" + tt)


def edge_features(n: int) -> list[tuple[int, str]]:
    """BOS/EOS where a ±1/±2 neighbour would fall outside the sequence."""
    out = [(0, "BOS"), (n - 1, "EOS")]
    if n > 1:
        out += [(1, "BOS"), (n - 2, "EOS")]
    return out


# The features a gazetteer hit on morphemes i:j gives: (at i, at i+1..j-1, at i-1, at j);
# None: no such feature.
WIKI_HIT_FEATURES = ("gB=", "gI=", "+1:gB=", "-1:gE=")
IPADIC_HIT_FEATURES = ("ipB=", "ipI=", None, None)


def gazetteer_hit_features(
    surfaces: Sequence[str],
    gazetteer: Gazetteer,
    names: tuple[str | None, str | None, str | None, str | None],
    start: int = 0,
    end: int | None = None,
) -> list[tuple[int, str]]:
    """(position, feature) for the names of ``gazetteer`` found in the sentence
    ``surfaces[start:end]``."""
    n = len(surfaces) if end is None else end
    begin, inside, before, after = names
    out: list[tuple[int, str]] = []
    for i, j, label in gazetteer.match(surfaces, start, n):
        if begin:
            out.append((i, begin + label))
        if inside:
            out += [(k, inside + label) for k in range(i + 1, j)]
        if before and i > start:
            out.append((i - 1, before + label))
        if after and j < n:
            out.append((j, after + label))
    return out


def sentence_gazetteers(gazetteer: Gazetteer | None) -> list[tuple[Gazetteer, tuple]]:
    """The gazetteers a sentence is matched against, with the features their hits give:
    the training-split names (``gazetteer``) and IPAdic's proper nouns."""
    out: list[tuple[Gazetteer, tuple]] = []
    if gazetteer is not None and gazetteer.first:
        out.append((gazetteer, WIKI_HIT_FEATURES))
    if USE_IPADIC:
        ipadic = _ipadic if _ipadic is not None else ipadic_gazetteer()
        if ipadic.first:
            out.append((ipadic, IPADIC_HIT_FEATURES))
    return out


def chunk_head_features(head: str) -> tuple[str, ...]:
    """What every member of a multi-morpheme noun chunk learns from its head (last
    morpheme): the head and its word clusters (東京|国立|博物館: the head's cluster,
    buildings, types the chunk)."""
    hc = clusters_of(head)
    if hc is None:
        return ("ch=" + head,)
    return ("ch=" + head, "chkb=" + hc[1], "chkc=" + hc[2])


def context_features(
    surfaces: Sequence[str],
    nominal: Sequence[bool],
    gazetteer: Gazetteer | None,
) -> list[tuple[int, str]]:
    """(position, feature) for noun-chunk context and gazetteer hits.

    Noun chunks: the head (last morpheme) of a compound like 東京都千代田区 or
    レッドフォックス株式会社 says more about the type than a ±2 window can see."""
    n = len(surfaces)
    out: list[tuple[int, str]] = []
    for gaz, names in sentence_gazetteers(gazetteer):
        out += gazetteer_hit_features(surfaces, gaz, names)
    for i, j in noun_chunks(nominal, 0, n):
        before = surfaces[i - 1] if i > 0 else "BOS"
        after = surfaces[j] if j < n else "EOS"
        after2 = surfaces[j + 1] if j + 1 < n else "EOS"
        if j - i == 1:
            out += ((i, "cp=S"), (i, "cb=" + before), (i, "ca=" + after), (i, "ca2=" + after + "|" + after2))
        else:
            head = surfaces[j - 1]
            common = chunk_head_features(head) + ("cf=" + surfaces[i], "cb=" + before, "ca=" + after,
                                                  "ca2=" + after + "|" + after2, "cn=" + str(min(j - i, 5)))
            for k in range(i, j):
                cp = "B" if k == i else ("E" if k == j - 1 else "I")
                out += [(k, f) for f in common]
                out += ((k, "cp=" + cp), (k, "cph=" + cp + "|" + head))
    return out


def noun_chunks(nominal: Sequence[bool], start: int, end: int) -> Iterator[tuple[int, int]]:
    """The maximal runs ``(i, j)`` of nominal morphemes within ``start:end``."""
    i = start
    while i < end:
        if not nominal[i]:
            i += 1
            continue
        j = i + 1
        while j < end and nominal[j]:
            j += 1
        yield i, j
        i = j


def dynamic_features(
    seq: Sequence[Morph],
    infos: Sequence[tuple[list[list[str]], str, str, bool]],
    gazetteer: Gazetteer | None,
) -> list[list[str]]:
    """The features that depend on more than one morpheme: sentence edges, tag and
    shape pairs, noun-chunk context, gazetteer hits. Not cacheable per morpheme."""
    n = len(seq)
    out: list[list[str]] = [[] for _ in range(n)]
    if n == 0:
        return out
    for i, f in edge_features(n):
        out[i].append(f)
    for i in range(1, n):
        cur, prev = pair_features(infos[i - 1][1], infos[i - 1][2], infos[i][1], infos[i][2])
        out[i] += cur
        out[i - 1] += prev
    for i, f in context_features([m.surface for m in seq], [x[3] for x in infos], gazetteer):
        out[i].append(f)
    return out


# ---------------------------------------------------------------------- span retyping

_CONTENT_POS = ("名詞", "動詞", "形容詞", "接尾辞")
# Word-cluster features in the span typer (False only for the ablation in train_ner.py).
SPAN_CLUSTERS = True


def span_features(
    surfaces: Sequence[str],
    lemmas: Sequence[str],
    pos: Sequence[str],
    i: int,
    j: int,
    gazetteer_label: str | None,
) -> list[str]:
    """Features of the name spanning morphemes ``i:j`` for the second-stage type
    classifier (``pos`` holds ``名詞-固有名詞-人名-一般``-style tags).

    The CRF decides types left to right from a ±2 window; this sees the whole span at
    once and the words around it: ``…は、イギリス海軍`` / ``…の株式が`` / ``…と改名された``.
    ``gazetteer_label`` is the training-split label of the same name with ``H`` (≥ 80 %
    of its mentions) or ``L`` appended, or None."""
    n = len(surfaces)
    text = "".join(surfaces[i:j])
    f = [
        "bias",
        "h=" + surfaces[j - 1],
        "f=" + surfaces[i],
        "hp=" + pos[j - 1],
        "fp=" + pos[i],
        "shape=" + char_class(text),
        "n=" + str(min(j - i, 5)),
        "len=" + str(min(len(text), 8)),
    ]
    f += ["w=" + s for s in surfaces[i:j]]
    f += ["l=" + s for s in lemmas[i:j]]
    for k in (1, 2, 3):
        if len(text) >= k:
            f.append(f"sx{k}=" + text[-k:])
            f.append(f"px{k}=" + text[:k])
    b1 = surfaces[i - 1] if i > 0 else "BOS"
    b2 = surfaces[i - 2] if i > 1 else "BOS"
    a1 = surfaces[j] if j < n else "EOS"
    a2 = surfaces[j + 1] if j + 1 < n else "EOS"
    a3 = surfaces[j + 2] if j + 2 < n else "EOS"
    f += ["b1=" + b1, "b2=" + b2 + "|" + b1, "b2o=" + b2,
          "a1=" + a1, "a2=" + a1 + "|" + a2, "a2o=" + a2, "a3=" + a1 + "|" + a2 + "|" + a3]
    nxt = next((lemmas[k] for k in range(j, min(n, j + 6))
                if pos[k].startswith(_CONTENT_POS) and not pos[k].startswith("名詞-数詞")), "NONE")
    prv = next((lemmas[k] for k in range(i - 1, max(-1, i - 7), -1) if pos[k].startswith(_CONTENT_POS)), "NONE")
    f += ["nc=" + nxt, "pc=" + prv, "a1nc=" + a1 + "|" + nxt]
    if gazetteer_label:
        f += ["g=" + gazetteer_label[:-1], "gp=" + gazetteer_label]
    else:
        f.append("g=none")
    if USE_IPADIC:
        ip = (_ipadic if _ipadic is not None else ipadic_gazetteer()).entries.get(text)
        if ip:
            f.append("ip=" + ip)
    if SPAN_CLUSTERS:
        # clusters of the head, the first morpheme, the words just outside and the next
        # content word: an unseen head (…ズ) or verb (…を結成) typed by its neighbours in chiVe
        for name, word in (("hk", surfaces[j - 1]), ("fk", surfaces[i]), ("a1k", a1), ("b1k", b1)):
            c = clusters_of(word)
            if c is not None:
                f += [name + "b=" + c[1], name + "c=" + c[2]]
                if name == "hk":
                    f.append("hkr=" + c[3])
        c = lemma_clusters(nxt)
        if c is not None:
            f.append("nckc=" + c[2])
    return f
