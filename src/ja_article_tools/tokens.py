"""Tokens and sentences: fugashi + unidic-lite, positioned in the source.

Pitfalls this module guards against (each has a test in ``tests/test_tokens.py``):

* MeCab reads C strings, so a NUL byte silently drops the rest of the text. NULs are
  replaced by a space of the same length before tagging.
* A lone surrogate (``"\\ud800"``) cannot be encoded to UTF-8 and raises. Surrogates are
  replaced by U+FFFD, again one code point for one.
* MeCab does not treat ``\\r`` as white space and emits it as a token; it is replaced by
  ``\\n`` for tagging.
* One huge line (10 MB) costs MeCab a lattice the size of the line; text is tagged in
  chunks cut at line ends, or at white space or punctuation inside overlong lines.

Reading ``word.feature`` builds a 26-field named tuple per token and dominates fugashi's
cost; we split ``feature_raw`` once, up to the fields we use (about 1.5x faster).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

import regex

from .models import Sentence, Token

__all__ = ["tokenize", "tokens_from_raw", "LazyTokens", "feature_fields", "tag_chunks", "get_tagger", "split_sentences", "CHUNK_CHARS"]

CHUNK_CHARS = 8192

# Indices into UniDic 2.1.2 (unidic-lite) feature_raw, split on commas.
_POS_END = 4
_LEMMA = 7
_PRON = 9
_GOSHU = 12
_KANA = 17
_NEEDED = _KANA + 1

_local = threading.local()


def get_tagger():  # -> fugashi.Tagger
    """One tagger per thread (and so per worker process); creating one costs ~50 ms."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        import fugashi

        tagger = fugashi.Tagger()
        _local.tagger = tagger
    return tagger


_UNSAFE = regex.compile(r"[\x00\r\p{Cs}]")


def _safe_for_mecab(text: str) -> str:
    """Same length as ``text``, without the characters MeCab mishandles."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: {"\x00": " ", "\r": "\n"}.get(m.group(), "\ufffd"), text)


_SOFT_BREAK = regex.compile(r"[\s。、．，！？!?,;；)）」』\]]")


def _chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, int]]:
    """Cut ``text`` into ``[start, end)`` pieces of at most ``limit`` code points,
    preferring a line end, then white space or punctuation, so no word is split."""
    n = len(text)
    start = 0
    while start < n:
        if n - start <= limit:
            yield start, n
            return
        cut = text.rfind("\n", start, start + limit)
        if cut <= start:
            window = text[start + limit // 2 : start + limit]
            last = None
            for last in _SOFT_BREAK.finditer(window):
                pass
            cut = start + limit // 2 + last.start() if last else start + limit - 1
        yield start, cut + 1
        start = cut + 1


def tag_chunks(text: str) -> Iterator[tuple[str, int, int, str]]:
    """Yield ``(surface, start, end, feature_raw)`` for every morpheme of ``text``.

    The low-level loop the other functions share; offsets are into ``text``.
    """
    tagger = get_tagger()
    safe = _safe_for_mecab(text)
    # fugashi makes a new feature string per token; a 300 KB article has ~100k tokens but
    # ~2k distinct strings. Sharing one object per string saves ~60 bytes a token in
    # everything that keeps them (the article's lazy tokens, the entity tagger).
    shared = _SHARED_RAW
    if len(shared) > _FIELDS_CACHE_MAX:
        shared.clear()
    for c0, c1 in _chunks(safe):
        chunk = safe[c0:c1]
        pos = 0
        for w in tagger(chunk):
            surface = w.surface
            start = pos + len(w.white_space)
            if not chunk.startswith(surface, start):
                # MeCab skipped something other than what white_space reports.
                found = chunk.find(surface, pos)
                if found < 0:
                    continue
                start = found
            pos = start + len(surface)
            if surface.isspace():
                continue
            raw = w.feature_raw
            yield surface, c0 + start, c0 + pos, shared.setdefault(raw, raw)


def tokenize(
    text: str,
    to_source: Callable[[int, int], tuple[int, int]] | None = None,
) -> list[Token]:
    """Tokenize ``text``.

    With ``to_source`` (the cleaned-to-source map of
    :class:`ja_article_tools.clean.OffsetMap`), ``start``/``end`` refer to the source
    while ``surface`` stays the form that was tagged (the cleaned one).

    >>> [(t.surface, t.origin) for t in tokenize("ジムをインポート")]
    [('ジム', 'gym'), ('を', None), ('インポート', 'import')]
    """
    return tokens_from_raw(tag_chunks(text), to_source)


def tokens_from_raw(
    raw_tokens: Iterable[tuple[str, int, int, str]],
    to_source: Callable[[int, int], tuple[int, int]] | None = None,
) -> list[Token]:
    """Build :class:`Token` objects from :func:`tag_chunks` output (which a caller may
    also hand to other consumers, such as the entity tagger, without tagging twice)."""
    out: list[Token] = []
    append = out.append
    fields_of = _FIELDS_CACHE.get
    for surface, start, end, raw in raw_tokens:
        if to_source is not None:
            start, end = to_source(start, end)
        lemma, pos, reading, pron, goshu, origin = fields_of(raw) or feature_fields(raw)
        append(Token(surface, start, end, surface if lemma is None else lemma, pos, reading, pron, goshu, origin))
    return out


class LazyTokens(Sequence[Token]):
    """The tokens of a text, built from :func:`tag_chunks` output on first use.

    ``process()`` tags every article (the entity tagger needs the morphemes) but most
    callers never read the :class:`Token` objects: building them costs ~15 % of the
    pipeline. ``len()`` is free; indexing or iterating builds them all once.
    ``source_mapper`` makes a fresh ``to_source`` for the build (offset mappers walk
    forward and keep state)."""

    __slots__ = ("_raw", "_source_mapper", "_tokens")

    def __init__(
        self,
        raw_tokens: Sequence[tuple[str, int, int, str]],
        source_mapper: Callable[[], Callable[[int, int], tuple[int, int]]] | None = None,
    ) -> None:
        self._raw: Sequence[tuple[str, int, int, str]] | None = raw_tokens
        self._source_mapper = source_mapper
        self._tokens: tuple[Token, ...] | None = None

    def _built(self) -> tuple[Token, ...]:
        if self._tokens is None:
            mapper = self._source_mapper() if self._source_mapper is not None else None
            self._tokens = tuple(tokens_from_raw(self._raw or (), mapper))
            self._raw = self._source_mapper = None
        return self._tokens

    def __len__(self) -> int:
        return len(self._tokens) if self._tokens is not None else len(self._raw or ())

    def __getitem__(self, i):  # type: ignore[override]
        return self._built()[i]

    def __iter__(self) -> Iterator[Token]:
        return iter(self._built())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyTokens):
            return self._built() == other._built()
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self._built() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._built())

    def __repr__(self) -> str:
        return f"LazyTokens({len(self)} tokens)"


# Most morphemes recur (a 300 KB article has ~100k tokens but ~2k distinct feature
# strings), so each is parsed once per process. Bounded so a long batch cannot grow it.
Fields = tuple[str | None, tuple[str, ...], str, str, str, str | None]
_FIELDS_CACHE: dict[str, Fields] = {}
_SHARED_RAW: dict[str, str] = {}
_FIELDS_CACHE_MAX = 200_000


def feature_fields(raw: str) -> Fields:
    """``(lemma, pos, reading, pronunciation, goshu, origin)`` of a UniDic feature
    string, cached: the one parser the tokenizer, the linter and the entity tagger share.

    ``lemma`` is None for an unknown word (UniDic gives only its POS; its lemma is its
    surface). ``pos`` drops ``*`` levels. ``origin`` is the loanword's source word,
    split off the lemma (``ジム-gym`` -> lemma ``ジム``, origin ``gym``).

    >>> feature_fields("名詞,普通名詞,一般,*,*,*,ジム,ジム-gym,ジム,ジム,ジム,ジム,外,*,*,*,*,ジム,ジム,ジム,ジム,*,*,1,C1,*")
    ('ジム', ('名詞', '普通名詞', '一般'), 'ジム', 'ジム', '外', 'gym')
    """
    got = _FIELDS_CACHE.get(raw)
    if got is not None:
        return got
    if '"' in raw:
        # Rare: a field holds a comma and is quoted (e.g. the surface ",").
        import csv

        f = next(csv.reader([raw]))
    else:
        f = raw.split(",", _NEEDED)
    pos = tuple(p for p in f[:_POS_END] if p != "*")
    if len(f) > _KANA:
        lemma = f[_LEMMA]
        origin = None
        dash = lemma.find("-")
        if dash > 0:
            tail = lemma[dash + 1 :]
            if tail.isascii() and tail[:1].isalpha():
                origin = tail
                lemma = lemma[:dash]
        got = (lemma, pos, f[_KANA], f[_PRON], f[_GOSHU], origin)
    else:
        got = (None, pos, "", "", "", None)
    if len(_FIELDS_CACHE) >= _FIELDS_CACHE_MAX:
        _FIELDS_CACHE.clear()
    _FIELDS_CACHE[raw] = got
    return got


# --------------------------------------------------------------------------- sentences

_TERMINATORS = frozenset("。！？!?．")
_OPENERS = "「『（(［[【〔〈《｛{“‘"
_CLOSERS = "」』）)］]】〕〉》｝}”’"
_PAIR = dict(zip(_CLOSERS, _OPENERS))
_TRAILING = frozenset(_CLOSERS + "。！？!?．…‥ー〜～")
_SENTENCE_MARK = regex.compile("[" + regex.escape("".join(sorted(_TERMINATORS)) + _OPENERS + _CLOSERS) + "\n]")


def split_sentences(
    text: str,
    regions: Iterable[tuple[int, int]],
    protected: Sequence[tuple[int, int]] = (),
) -> list[Sentence]:
    """Split each prose region of ``text`` into sentences.

    A sentence ends after 。！？!? (with any closing brackets and repeated marks that
    follow) and at the end of its region (a paragraph, heading or list item). It never
    ends inside brackets or quotes, nor inside a ``protected`` span (URLs, inline code).
    Leading and trailing white space is left out of each sentence.

    >>> s = "詳細は「こちら。」を見て。次へ!"
    >>> [s[x.start:x.end] for x in split_sentences(s, [(0, len(s))])]
    ['詳細は「こちら。」を見て。', '次へ!']
    """
    prot = sorted(protected)
    out: list[Sentence] = []
    pi = 0
    search = _SENTENCE_MARK.search
    for r0, r1 in regions:
        while pi < len(prot) and prot[pi][1] <= r0:
            pi += 1
        depth: list[str] = []
        s0 = r0
        i = r0
        pj = pi
        # Only brackets, terminators and blank lines change state, so jump between them.
        while i < r1:
            m = search(text, i, r1)
            if m is None:
                break
            i = m.start()
            while pj < len(prot) and prot[pj][1] <= i:
                pj += 1
            if pj < len(prot) and prot[pj][0] <= i < prot[pj][1]:
                i = prot[pj][1]
                continue
            ch = text[i]
            if ch in _OPENERS:
                if len(depth) < 32:
                    depth.append(ch)
            elif ch in _CLOSERS:
                if depth and depth[-1] == _PAIR[ch]:
                    depth.pop()
                elif _PAIR[ch] in depth:
                    while depth and depth.pop() != _PAIR[ch]:
                        pass
            elif ch in _TERMINATORS:
                if depth:
                    i += 1
                    continue
                if ch in "!?" and i + 1 < r1 and not (text[i + 1].isspace() or text[i + 1] in _TRAILING or ord(text[i + 1]) > 0x2E7F):
                    i += 1  # "Yahoo!Japan", "a?b": not an end
                    continue
                j = i + 1
                while j < r1 and text[j] in _TRAILING:
                    j += 1
                _emit(text, s0, j, out)
                s0 = i = j
                continue
            elif ch == "\n" and i + 1 < r1 and text[i + 1] == "\n":
                _emit(text, s0, i, out)
                s0 = i + 1
            i += 1
        _emit(text, s0, r1, out)
    return out


def _emit(text: str, s0: int, s1: int, out: list[Sentence]) -> None:
    while s0 < s1 and text[s0].isspace():
        s0 += 1
    while s1 > s0 and text[s1 - 1].isspace():
        s1 -= 1
    if s1 > s0:
        out.append(Sentence(s0, s1))
