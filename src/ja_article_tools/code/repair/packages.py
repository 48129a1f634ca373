"""Package names that MT transliterated or "spell-corrected", restored from a list of known names.

Used for arguments in install positions (``pip install X``, ``npm install X``, ``uv add X`` …).
A name that is already known is never touched; an unknown one is mapped only on strong
evidence: katakana whose consonant skeleton equals a known name's (ピシンプルGUI →
PySimpleGUI), or an ASCII name one substitution away from exactly one known name of the same
shape, compound names only (arise-phoenix-otel → arize-phoenix-otel). Otherwise it is left as is.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher
from functools import lru_cache

import regex as re

from ...datafiles import tsv_rows
from .common import DATA_DIR, load_json

_KATAKANA_RE = re.compile(r"\p{Katakana}")
# Compiled once: these run for each of the ~20,000 known names when the table is built
# (``regex.sub`` with a pattern string looked its cache up each time: ~0.4 s a cold start).
_REPEATS = re.compile(r"(.)\1+")
_EPENTHETIC_U = re.compile(r"(?<=[bcdfghjkmnpqrstvwz])u(?![aeiou])")
_EPENTHETIC_O = re.compile(r"(?<=[td])o(?![aeiou])")
_FINAL_NG = re.compile(r"ng(?![aeiouy])")
_POSTVOCALIC_R = re.compile(r"(?<=[aeiou])r(?![aeiouyr])")
_SEPARATORS = re.compile(r"[-_.]+")
_SPEC_RE = re.compile(r"^([A-Za-z0-9_.\-\p{Katakana}ー]+)(\[[^\]]*\])?((?:[=<>!~]=?|@).*)?$")


class KnownPackages:
    def __init__(self) -> None:
        self.rank: dict[str, int] = {}  # normalised name -> position in the file (lower = more popular)
        self.spelling: dict[str, str] = {}  # normalised name -> name as shipped
        self.registries: dict[str, set[str]] = defaultdict(set)  # "pypi"/"npm" -> normalised names
        self.local_rank: dict[str, int] = {}  # position within its own registry's section
        section = ""
        for row in tsv_rows(DATA_DIR / "repair_package_names.txt"):
            name = row[0].strip()
            if name.startswith("["):
                section = name.strip("[]")  # [pypi], [npm]: no package name starts with "["
                continue
            if name:
                key = normalise(name)
                self.local_rank.setdefault(key, len(self.registries[section]))
                self.registries[section].add(key)
                if key not in self.rank:
                    self.rank[key] = len(self.rank)
                    self.spelling[key] = name
        sounds = load_json("repair_package_sounds.json")
        for name in sounds["display_spellings"]:
            self.spelling[normalise(name)] = name
        self.kana_class = {ch: cls for cls, chars in sounds["kana_classes"].items() for ch in chars}
        self.digraphs: dict[str, str] = sounds["ascii_digraphs"]
        self.letters: dict[str, str] = sounds["ascii_letters"]
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for key in self.rank:
            self.by_length[len(key)].append(key)
        self._by_skeleton: dict[str, list[str]] | None = None

    @property
    def by_skeleton(self) -> dict[str, list[str]]:
        """Known names by consonant skeleton, built when a katakana name first needs it:
        ~0.15 s for 20,000 names, which an article with only ASCII installs never pays."""
        if self._by_skeleton is None:
            index: dict[str, list[str]] = defaultdict(list)
            for key in self.rank:
                index[self.skeleton(key)].append(key)
            self._by_skeleton = index
        return self._by_skeleton

    def skeleton(self, word: str, collapse: bool = True) -> str:
        """Consonant classes in order: ``pysimplegui`` and ``ピシンプルGUI`` both give ``psnprk``."""
        out: list[str] = []
        i = 0
        low = _english_as_heard(word.lower())
        while i < len(low):
            ch = low[i]
            if ch in self.kana_class:
                out.append(self.kana_class[ch])
                i += 1
                continue
            pair = low[i : i + 2]
            if pair in self.digraphs:
                out.append(self.digraphs[pair])
                i += 2
                continue
            if ch.isdigit():
                out.append(ch)
            else:
                out.append(self.letters.get(ch, ""))
            i += 1
        skel = "".join(out)
        return _REPEATS.sub(r"\1", skel) if collapse else skel


# Below this, two names with the same consonants still sound different (パンダ vs bandit).
_MIN_SOUND_SIMILARITY = 0.7
_TIE_MARGIN = 0.1
_MIN_SHORT_SIMILARITY = 0.8
_SHORT_SKELETON_TOP = 1000


def romanise(word: str) -> str:
    """Katakana → Kunrei-style romaji from the Unicode character names (ピ = PI, シ = SI, ン = N)."""
    out: list[str] = []
    for ch in word:
        if "\u30a0" <= ch <= "\u30ff":
            uname = unicodedata.name(ch, "")
            if uname.startswith("KATAKANA LETTER "):
                sound = uname.rsplit(" ", 1)[-1].lower()
                if "SMALL" in uname and out and sound in ("ya", "yu", "yo", "a", "i", "u", "e", "o"):
                    out[-1] = out[-1][:-1] + sound  # キャ = kya, フィ = fi
                elif "SMALL TU" in uname:
                    out.append("")
                else:
                    out.append(sound)
            # ー lengthens the vowel: nothing to add for comparison.
        else:
            out.append(ch.lower())
    return "".join(out)


def _spoken(word: str) -> str:
    """Spelling folded towards how katakana renders it: ``pysimplegui`` → ``pisinpuregui``-like."""
    w = _english_as_heard(word.lower().replace("-", "").replace("_", ""))
    for a, b in (("dj", "j"), ("sh", "s"), ("ch", "t"), ("ph", "h"), ("ck", "k"), ("qu", "ku"), ("x", "ks"), ("th", "s"),
                 ("y", "i"), ("l", "r"), ("c", "k"), ("v", "b"), ("f", "h"), ("z", "s"), ("j", "s"), ("m", "n")):
        w = w.replace(a, b)
    return _REPEATS.sub(r"\1", w)


def _without_epenthesis(romaji: str) -> str:
    """Drop the vowels katakana adds after a consonant (ストリームリット → sutorimuritto →
    strimritt): u after any consonant, o after t/d, when no vowel follows."""
    romaji = _EPENTHETIC_U.sub("", romaji)
    return _EPENTHETIC_O.sub("", romaji)


def _english_as_heard(word: str) -> str:
    """English spelling folded the way katakana hears it: a final or pre-consonant ``ng`` is ン
    (langchain ~ ランチェーン), a post-vocalic ``r`` is a long vowel (transformers ~ トランスフォーマー)."""
    word = _FINAL_NG.sub("n", word)
    return _POSTVOCALIC_R.sub("", word)


def normalise(name: str) -> str:
    return _SEPARATORS.sub("-", name.lower())


@lru_cache(maxsize=1)
def known_packages() -> KnownPackages:
    return KnownPackages()


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def restore_module_name(name: str) -> str | None:
    """A transliterated module in an import (ナンピー → numpy, パイプロット → pyplot), or None.

    Only katakana (with any ASCII MT kept) is considered; the result is a valid module
    name: known package names without ``-`` and the known submodule names.

    >>> restore_module_name("ナンピー")
    'numpy'
    >>> restore_module_name("パイプロット")
    'pyplot'
    """
    if not _KATAKANA_RE.search(name) or not re.fullmatch(r"[\p{Katakana}ーA-Za-z0-9_]+", name):
        return None
    known = known_packages()
    skeleton = known.skeleton(name)
    extra = [n for n in load_json("repair_package_sounds.json")["known_submodules"] if known.skeleton(n) == skeleton]
    fixed = restore_package_name(name, "pypi")
    candidates = extra + ([fixed] if fixed and re.fullmatch(r"[A-Za-z_]\w*", fixed) else [])
    if not candidates:
        return None
    heard = _spoken(_without_epenthesis(romanise(name)))
    similarity = {c: SequenceMatcher(None, heard, _spoken(c)).ratio() for c in candidates}
    best = max(candidates, key=similarity.__getitem__)
    return best if similarity[best] >= _MIN_SOUND_SIMILARITY else None


def restore_package_name(name: str, registry: str | None = None) -> str | None:
    """The known package an MT-damaged name stands for, or None when the evidence is weak.

    >>> restore_package_name("ピシンプルGUI")
    'PySimpleGUI'
    >>> restore_package_name("arise-phoenix-otel")
    'arize-phoenix-otel'
    >>> restore_package_name("requests") is None  # already known
    True
    """
    known = known_packages()
    key = normalise(name)
    if key in known.rank:
        return None
    allowed = known.registries.get(registry) if registry else None
    if _KATAKANA_RE.search(name):
        skel = known.skeleton(name.replace("-", ""))
        if len(skel) < 2:
            return None
        # English plural names lose their -s in katakana (パンダ for pandas).
        candidates = known.by_skeleton.get(skel, []) + known.by_skeleton.get(skel + "s", [])
        # The ASCII letters MT kept (GUI in ピシンプルGUI) must appear in the candidate.
        kept = [p.lower() for p in re.findall(r"[A-Za-z0-9]+", name)]
        candidates = [c for c in candidates if all(p in c for p in kept) and (allowed is None or c in allowed)]
        if len(skel) < 3:
            # Two consonant classes say little: the consonant count must agree too (ジム is not jsmin).
            count = len(known.skeleton(name.replace("-", ""), collapse=False))
            # and only the most downloaded names qualify (ジム is not shiny, パイトーチ not patchy).
            candidates = [c for c in candidates if len(known.skeleton(c, collapse=False)) == count
                          and known.local_rank[c] < _SHORT_SKELETON_TOP]
        if not candidates:
            return None
        heard = _spoken(_without_epenthesis(romanise(name)))
        scored = sorted(((SequenceMatcher(None, heard, _spoken(c)).ratio(), -known.rank[c], c) for c in candidates),
                        reverse=True)
        # Two consonants match many names: a short skeleton needs a closer sound (ナンピー ~ numpy).
        if scored[0][0] < (_MIN_SOUND_SIMILARITY if len(skel) >= 3 else _MIN_SHORT_SIMILARITY):
            return None
        # Near-ties go to the more downloaded name (リクエスト: requests rather than request).
        close = [c for r, _, c in scored if r >= scored[0][0] - _TIE_MARGIN]
        return known.spelling[min(close, key=known.rank.__getitem__)]
    # Only compound names: a one-word name one letter off a known one is as often another real
    # package (spicy/spacy, haven/raven: 38 of 3,000 unranked PyPI names), a compound rarely (1).
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key) or "-" not in key:
        return None
    segments = key.split("-")
    candidates = [c for c in known.by_length[len(key)] if c.count("-") == key.count("-") and _one_substitution(c, key)
                  and (allowed is None or c in allowed)]
    # The substituted character must sit inside a word of at least 4 letters (not a version digit).
    candidates = [c for c in candidates if _changed_segment_ok(c.split("-"), segments)]
    if len(candidates) != 1:
        return None
    return known.spelling[candidates[0]]


def _changed_segment_ok(known: list[str], seen: list[str]) -> bool:
    for k, s in zip(known, seen):
        if k != s:
            return len(s) >= 4 and s.isalpha() and k.isalpha()
    return False


def restore_package_spec(spec: str, registry: str | None = None) -> str | None:
    """``ピシンプルGUI==4.0`` → ``PySimpleGUI==4.0``: the name part only; extras and versions are kept."""
    m = _SPEC_RE.match(spec)
    if not m:
        return None
    fixed = restore_package_name(m.group(1), registry)
    if fixed is None:
        return None
    return fixed + (m.group(2) or "") + (m.group(3) or "")
