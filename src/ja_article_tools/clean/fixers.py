"""The fixers: small named functions that propose edits to prose.

Each fixer receives the whole source text and the prose *segments* it may touch (code
blocks, inline code and URLs are already cut out), and yields :class:`Edit` objects in
source offsets. All fixers read the same source text; the cleaner keeps the first of
any overlapping edits in registry order. Character classes are width-insensitive, so
a fixer never depends on another having run first.

Register a fixer with :func:`fixer`; the registry order is the order in this file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import regex

from ..models import Edit

__all__ = ["CleanOptions", "Fixer", "FIXERS", "fixer"]

Segments = Sequence[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """What the cleaner does. ``latin_spacing``: ``keep`` leaves the spaces between
    Japanese and Latin letters or digits as written, ``none`` removes them, ``space``
    puts exactly one. ``disabled`` names fixers to skip."""

    latin_spacing: Literal["keep", "none", "space"] = "keep"
    fullwidth_exclamation: bool = False
    disabled: frozenset[str] = frozenset()


Fixer = Callable[[str, Segments, CleanOptions], Iterator[Edit]]


@dataclass(frozen=True, slots=True)
class FixerInfo:
    name: str
    func: Fixer
    enabled: Callable[[CleanOptions], bool]


FIXERS: dict[str, FixerInfo] = {}


def fixer(name: str, enabled: Callable[[CleanOptions], bool] = lambda o: True) -> Callable[[Fixer], Fixer]:
    def register(func: Fixer) -> Fixer:
        FIXERS[name] = FixerInfo(name, func, enabled)
        return func

    return register


def _find(pattern: regex.Pattern[str], text: str, segments: Segments) -> Iterator[regex.Match[str]]:
    for s0, s1 in segments:
        yield from pattern.finditer(text, s0, s1)


# A "Japanese" character for spacing decisions: kana, kanji, the long-vowel mark,
# iteration marks and Japanese punctuation/brackets, in either width.
_JA = r"[\p{Hiragana}\p{Katakana}\p{Han}ー々〆ヵヶ・、。「」『』（）【】〔〕［］｛｝〈〉《》！？：；＃＄％＆＊＋＝＠～\uFF61-\uFF9F]"
_JA_WORD = r"[\p{Hiragana}\p{Katakana}\p{Han}ー々〆ヵヶ\uFF66-\uFF9F]"
# Latin letters and digits, in either width.
_LATIN = r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]"
# A run of spaces inside a line (half-width or ideographic).
_SP = r"[ \u3000]+"


_FULLWIDTH_ALNUM = regex.compile(r"[Ａ-Ｚａ-ｚ０-９]+")


@fixer("fullwidth-alnum")
def fullwidth_alnum_to_halfwidth(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """Full-width ASCII letters and digits become half-width.

    ``ＡＰＩは２０２４年に公開`` -> ``APIは2024年に公開``
    """
    for m in _find(_FULLWIDTH_ALNUM, text, segments):
        yield Edit(m.start(), m.end(), unicodedata.normalize("NFKC", m.group()), "fullwidth-alnum")


# A full-width ASCII symbol between two letters or digits (either width) belongs to the
# Latin word it sits in: a decimal point, an identifier's underscore, a version's hyphen.
# Brackets and quotes are left alone (full-width ones are normal Japanese punctuation),
# and so are ！？ (their own, optional fixer) and ～, which Japanese uses for ranges (1～3).
_FULLWIDTH_INNER_SYMBOL = regex.compile(
    r"(?<=[A-Za-z0-9Ａ-Ｚａ-ｚ０-９])[．，：；＿－＋／＠＆＝％＃＊＾｜＄](?=[A-Za-z0-9Ａ-Ｚａ-ｚ０-９])"
)


@fixer("fullwidth-inner-symbol")
def fullwidth_symbol_inside_latin(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """A full-width ASCII symbol between letters or digits becomes half-width, so the
    word reads as one: versions, decimals, identifiers, times.

    ``ｖ３．２以降``, ``ｂｉｌｌｅｄ＿ｃｈａｒｓ``, ``ＧＰＴ－４`` -> ``v3.2以降``, ``billed_chars``, ``GPT-4``
    (``１～３個`` keeps its wave dash: it is Japanese for a range)
    """
    for m in _find(_FULLWIDTH_INNER_SYMBOL, text, segments):
        yield Edit(m.start(), m.end(), unicodedata.normalize("NFKC", m.group()), "fullwidth-inner-symbol")


_HALFWIDTH_KANA = regex.compile(r"[\uFF61-\uFF9F]+")


@fixer("halfwidth-kana")
def halfwidth_kana_to_fullwidth(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """Half-width katakana (and ｡｢｣､･) become full-width, voiced marks merged.

    ``ｶﾞｲﾄﾞを読む`` -> ``ガイドを読む``
    """
    for m in _find(_HALFWIDTH_KANA, text, segments):
        yield Edit(m.start(), m.end(), unicodedata.normalize("NFKC", m.group()), "halfwidth-kana")


_DECOMPOSED_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}][\u3099\u309A]")


@fixer("nfc-kana")
def compose_kana(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """Kana followed by a combining (semi-)voiced mark are composed (NFC), as macOS
    file names and some PDFs leave them.

    ``か\\u3099いと\\u3099`` -> ``がいど``
    """
    for m in _find(_DECOMPOSED_KANA, text, segments):
        composed = unicodedata.normalize("NFC", m.group())
        if len(composed) == 1:
            yield Edit(m.start(), m.end(), composed, "nfc-kana")


# Zero-width characters and stray controls; a ZWJ between pictographs is part of an
# emoji sequence and stays. Tab, line ends and ESC-free text controls are kept.
_INVISIBLE = regex.compile(
    r"[\u200B\u200C\u2060\uFEFF\u00AD\u180E]"
    r"|(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})"
    r"|[\x00-\x08\x0B\x0E-\x1F\x7F\x80-\x9F]"
)


@fixer("invisible")
def remove_invisible(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """Zero-width characters, soft hyphens, NULs and other stray control characters go.

    ``ゼロ\\u200b幅`` -> ``ゼロ幅``
    """
    for m in _find(_INVISIBLE, text, segments):
        yield Edit(m.start(), m.end(), "", "invisible")


_JA_SPACE_JA = regex.compile(rf"(?<={_JA_WORD}){_SP}(?={_JA_WORD})")


@fixer("space-between-japanese")
def remove_space_between_japanese(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """Spaces that machine translation leaves between two Japanese words go.

    ``無料の AI チャットボット サービス`` -> ``無料の AI チャットボットサービス``;
    ``オープンソース プロジェクト`` -> ``オープンソースプロジェクト``
    """
    for m in _find(_JA_SPACE_JA, text, segments):
        yield Edit(m.start(), m.end(), "", "space-between-japanese")


# Japanese punctuation never wants a space next to it.
_SPACE_AROUND_JA_PUNCT = regex.compile(
    r"(?<=[、。「」『』（）【】！？])[ ]+(?=\S)|(?<=\S)[ ]+(?=[、。「」『』（）【】])"
)


@fixer("space-around-japanese-punctuation")
def remove_space_around_japanese_punctuation(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """Half-width spaces next to full-width punctuation and brackets go.

    ``調べたところ 、結果は 「ノー 」です`` -> ``調べたところ、結果は「ノー」です``
    """
    for m in _find(_SPACE_AROUND_JA_PUNCT, text, segments):
        yield Edit(m.start(), m.end(), "", "space-around-japanese-punctuation")


_JA_LATIN_SPACE = regex.compile(rf"(?<={_JA_WORD})[ ]+(?={_LATIN})|(?<={_LATIN})[ ]+(?={_JA_WORD})")
_JA_LATIN_NOSPACE = regex.compile(rf"(?<={_JA_WORD})(?={_LATIN})|(?<={_LATIN})(?={_JA_WORD})")


@fixer("latin-spacing", enabled=lambda o: o.latin_spacing != "keep")
def normalise_latin_spacing(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """Spacing between Japanese and Latin letters or digits follows ``latin_spacing``.

    ``none``: ``ChatGPT は OpenAI が`` -> ``ChatGPTはOpenAIが``;
    ``space``: ``ChatGPTはOpenAIが`` -> ``ChatGPT は OpenAI が``
    """
    if options.latin_spacing == "none":
        for m in _find(_JA_LATIN_SPACE, text, segments):
            yield Edit(m.start(), m.end(), "", "latin-spacing")
    elif options.latin_spacing == "space":
        for m in _find(_JA_LATIN_SPACE, text, segments):
            if m.end() - m.start() > 1:
                yield Edit(m.start(), m.end(), " ", "latin-spacing")
        for m in _find(_JA_LATIN_NOSPACE, text, segments):
            yield Edit(m.start(), m.start(), " ", "latin-spacing")


_EXCLAMATION = regex.compile(rf"(?<={_JA})[!?](?![!?]*[A-Za-z0-9])")


@fixer("fullwidth-exclamation", enabled=lambda o: o.fullwidth_exclamation)
def fullwidth_exclamation(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """Half-width ``!``/``?`` after Japanese text become ``！``/``？`` (off by default).

    ``オープンソースになりますか?`` -> ``オープンソースになりますか？``
    """
    for m in _find(_EXCLAMATION, text, segments):
        yield Edit(m.start(), m.end(), "！" if m.group() == "!" else "？", "fullwidth-exclamation")


_SPACE_RUN = regex.compile(r"(?<=\S)[ ]{2,}(?=\S)")


@fixer("collapse-spaces")
def collapse_spaces(text: str, segments: Segments, options: CleanOptions) -> Iterator[Edit]:
    """Runs of spaces inside a line become one; indentation and trailing spaces (a
    Markdown hard break) are left alone.

    ``GPT-3  は   大規模`` -> ``GPT-3 は 大規模``
    """
    for m in _find(_SPACE_RUN, text, segments):
        yield Edit(m.start(), m.end(), " ", "collapse-spaces")
