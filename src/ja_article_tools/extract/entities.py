"""Named entities and numeric expressions in Japanese technical articles.

Three sources, merged by a fixed policy (see ``docs/entities.md``):

* a CRF over UniDic morphemes (``models/ner_crf.npz``, trained by
  ``scripts/train_ner.py`` on the Stockmark Wikipedia NER training split) for person,
  organization, location, facility, product, event;
* a hand-written gazetteer of technical names (``data/ner_tech.tsv``: ChatGPT, OpenAI,
  マイクロソフト, イーロン・マスク ...) that a Wikipedia-trained model misses;
* rules for date, time, money, percent, quantity and version (word lists in
  ``data/ner_rules.json``), with counters the lists lack taken from UniDic.

Every entity gets a ``normalized`` key shared by the spellings of one thing:
the gazetteer's key, else the alias table, else the loanword origins UniDic gives the
morphemes (マイクロソフト -> micro+soft -> ``microsoft``, ジム -> ``gym``), else a key
taken from a URL of the article whose romanised reading matches, else the NFKC lower-case text.
"""

from __future__ import annotations

import bisect
import json
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import regex

from ..datafiles import tsv_rows
from ..models import Email, Entity, Token, Url
from ..tokens import tag_chunks
from . import ner_features as nf

from .ner_crf import CrfModel, Entry, SpanTyper
from .urls import extract_emails

__all__ = ["extract_entities", "entity_summary", "NAME_LABELS", "RULE_LABELS", "RULES"]

NAME_LABELS = ("person", "organization", "location", "facility", "product", "event")
RULE_LABELS = ("date", "time", "money", "percent", "quantity", "version")

_HERE = Path(__file__).resolve().parent
_DATA = _HERE / "data"
_MODEL = _HERE / "models" / "ner_crf.npz"
_SPAN_TYPER = _HERE / "models" / "ner_span_typer.npz"
# The span typer replaces the CRF's type only when this sure (dev fold, typed F1:
# no typer 0.735; threshold 0.6-0.9 all 0.740-0.742).
_RETYPE_MIN_PROB = 0.8


# --------------------------------------------------------------------------- resources


@lru_cache(maxsize=1)
def _wiki_names() -> tuple[nf.Gazetteer, dict[str, str]]:
    """The training-split names (``data/ner_gazetteer_wiki.tsv``, one read): as a
    gazetteer for the CRF, and joined name -> label + ``H``/``L`` (how consistently it
    has that label) for the span typer."""
    g = nf.Gazetteer()
    labels: dict[str, str] = {}
    for row in tsv_rows(_DATA / "ner_gazetteer_wiki.tsv", missing_ok=True):
        surfaces = row[0].split(" ")
        g.add(surfaces, row[1])
        labels["".join(surfaces)] = row[1] + (row[2] if len(row) > 2 else "L")
    return g, labels


def _wiki_gazetteer() -> nf.Gazetteer:
    return _wiki_names()[0]


@lru_cache(maxsize=1)
def _span_typer() -> SpanTyper | None:
    return SpanTyper.load(_SPAN_TYPER) if _SPAN_TYPER.exists() else None


@lru_cache(maxsize=1)
def _tech() -> tuple[dict[str, list[str]], dict[str, tuple[str, str]]]:
    """Tech names indexed by their first two characters (longest first), and
    ``surface -> (label, normalized)``."""
    table: dict[str, tuple[str, str]] = {}
    for row in tsv_rows(_DATA / "ner_tech.tsv"):
        table[row[0]] = (row[1], row[2])
    index: dict[str, list[str]] = {}
    for name in sorted(table, key=len, reverse=True):
        index.setdefault(name[:2], []).append(name)
    return index, table


# Where a name may start: the first character of a Latin/digit run or a katakana run.
_WORD_RUN = regex.compile(r"[\p{Latin}\d_]+|[\p{Katakana}ー]+")
_LATIN_CHAR = regex.compile(r"[\p{Latin}\d_]")
_KANA_CHAR = regex.compile(r"[\p{Katakana}ー]")


def _tech_hits(text: str) -> list[tuple[int, int, str]]:
    """Hand-written tech names at word edges: not the Go of Google, not the テスラ of
    テスラコイル. A literal scan from each word start; a regex alternation of every
    name with look-arounds cost 0.2 ms a sentence."""
    index, _ = _tech()
    out: list[tuple[int, int, str]] = []
    end = 0
    n = len(text)
    for run in _WORD_RUN.finditer(text):
        s = run.start()
        if s < end:
            continue
        for name in index.get(text[s:s + 2], ()):
            if not text.startswith(name, s):
                continue
            e = s + len(name)
            if e < n:
                edge = _LATIN_CHAR if _LATIN_CHAR.match(name[-1]) else _KANA_CHAR if _KANA_CHAR.match(name[-1]) else None
                if edge is not None and edge.match(text[e]):
                    continue
            out.append((s, e, name))
            end = e
            break
    return out


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    return frozenset(row[0] for row in tsv_rows(_DATA / "ner_generic_words.tsv"))


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return {row[0]: row[1] for row in tsv_rows(_DATA / "ner_aliases.tsv")}


_model_lock = threading.Lock()
_use_lock = threading.Lock()
_model: CrfModel | None = None


def _tagger() -> CrfModel:
    """The CRF, loaded once (~40 ms). Shared by all threads; tagging holds ``_use_lock``
    because its per-morpheme caches grow while it runs."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = CrfModel.load(_MODEL)
    return _model


# --------------------------------------------------------------------------- rules

_SPACES = regex.compile(r"\s+")
_LETTER = regex.compile(r"\p{L}")
_DIGIT = regex.compile(r"\d")
_KATAKANA_WORD = regex.compile(r"[\p{Katakana}ー]+")
_URL_NAME = regex.compile(r"[A-Za-z][A-Za-z0-9_.\-]{1,40}")
_NON_AZ = regex.compile(r"[^a-z]")
_VOWELS = regex.compile(r"[aeiouyh]")
_DOUBLED = regex.compile(r"(.)\1+")
_NAME_PARTS = regex.compile(r"[・ ]")

# Repetitions are bounded: an unbounded group let every digit of a long run like
# 1万1万1万… (or 1・1・1・…) start a scan to the end of the run, quadratic in its length.
# Japanese news writes a decimal point as 中黒 (71・2%, 351・4マイクロシーベルト): one
# digit after it, not a list of days or years (20・21日, 1・2年) nor a longer list (1・2・3).
_NUM = (r"(?:\d{1,3}(?:[,，]\d{3}){1,8}|\d+)"
        r"(?:[.．]\d+|(?<!\d・\d{1,12})・\d(?![\d・年月日週時分秒]))?")
_DECIMAL_NAKAGURO = regex.compile(r"(?<=\d)・(?=\d(?!\d))")
_KANJI_NUM = r"[一二三四五六七八九十百千]"
# 10億, 1億2000万, 4億5千万, 数十億, 三百: digits or kanji numerals, with 万/億/兆 groups.
# A number must not continue a word: not the 3 of GPT-3 (digits may follow kanji:
# 約3万ドル), not the 数 of 関数 (kanji numerals may not).
_NUM_LEFT = r"(?<![\p{Latin}\d_.．,\-])"
_JA_NUM = (rf"(?:{_NUM_LEFT}{_NUM}[千百十]?|(?<![\p{{Han}}\d])(?:数{_KANJI_NUM}{{0,8}}|{_KANJI_NUM}{{1,8}}))"
           rf"(?:[万億兆](?:{_NUM}[千百十]?|{_KANJI_NUM}{{1,8}})?){{0,3}}")
_ERA = r"(?:令和|平成|昭和|大正|明治)(?:\d{1,2}|元)年"
# 度 may come before another tail: 2025年度下半期, 2024年度末.
_DATE_TAIL = (r"(?:度?(?:前半|後半|上半期|下半期|上期|下期|初頭|初め|半ば|中頃|末|頃|ごろ|上旬|初旬|中旬|下旬|以降"
              r"|[春夏秋冬](?!\p{Han}))|代|度)?")
# 7月20・21日, 3〜5日: a day or a list or range of days.
_DAYS = r"\d{1,2}(?:[・、,〜～\-]\d{1,2}){0,6}日"
_WEEKDAY_AFTER = r"(?:[（(][月火水木金土日][）)]|[月火水木金土日]曜日?)?"
_MONTHS_EN = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
              r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# Longest first where one is the start of another (今年度 before 今年).
_RELATIVE_DATES = (
    "一昨年|再来年|今年度|昨年度|来年度|前年度|翌年度|同年度|今年|昨年|去年|来年|前年|翌年|同年|本年"
    "|一昨日|明後日|今日|昨日|明日|本日|前日|翌日|当日|同日|先々週|再来週|先週|今週末|今週|来週|前週|翌週"
    "|先月|今月|来月|前月|翌月|同月|年末年始|年末|年始|年内|月末|週末|元日|元旦|大晦日"
)
# A span of calendar time: 3年, 半年間, 2週間後, 1ヵ月後, 50周年, 9日目 (dates in OntoNotes
# and IREX alike); hours and minutes stay quantities (3時間, 10分間).
_MONTHS = r"[ヶかカヵケ箇]月"  # 3ヶ月, 3か月, 3カ月 … (not 3月, a month's name)
_CALENDAR_UNIT = rf"(?:周年|年|{_MONTHS}|週|日)"
_CALENDAR_AFTER = r"(?:度|間?(?:前|後|目)?)"


def _alt(words: Sequence[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


_NOT_LATIN_AFTER = r"(?![\p{Latin}\d_])"


def version_rule(cfg: dict[str, Any]) -> str:
    """Versions: ``GPT-3.5``, ``Python 3.11``, ``Node.js 20``, ``v1.2.3``,
    ``1.4.0-rc1``, ``Ver.2.1``, ``バージョン3``; not ``192.168.0.1``, not a bare ``2.0``,
    not a count after a name (``iPhone 2台``: a number and a counter is a quantity; a
    katakana unit is not counted there: ``Windows 11ユーザー`` are users of Windows 11)."""
    names = _alt(cfg["versioned_names"])
    counters = _alt([u for u in cfg["units"] if not _KATAKANA_WORD.fullmatch(u)])
    return (
        rf"(?<![\p{{Latin}}\d_.])(?:(?:{names})(?:[ -]?v?\d+(?:\.\d+)*[a-z]?(?!\d|{counters})|[ -]\d+\.\d+(?:\.\d+)*)"
        # Names are bounded (40 letters): a long Latin run made these scan it quadratically.
        rf"|[A-Z][\p{{Latin}}]{{0,40}}[A-Z][\p{{Latin}}]{{0,40}}-\d+(?:\.\d+)*[a-z]?"   # GPT-3.5, BERT-2
        rf"|[A-Z][\p{{Latin}}]{{1,40}} \d+\.\d+(?:\.\d+)*"                       # Django 4.2
        rf"|(?:[Vv]er(?:sion)?\.? ?|バージョン ?)\d+(?:\.\d+)*"           # Ver.2.1, バージョン3
        rf"|[vV]\d+(?:\.\d+){{0,3}}(?:-[0-9A-Za-z.]+)?"
        rf"|\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)(?![\p{{Latin}}\d_]|\.\d)"
    )


def money_rule(cfg: dict[str, Any]) -> str:
    """Money: ``10億ドル``, ``1億2000万円``, ``4億5千万円``, ``139円80銭``, ``14銭高`` (the
    market's hundredths of a yen), ``約3万ドル`` (without 約), ``$10M``, ``US$5``."""
    cur_after = _alt(cfg["currencies_after"])
    cur_before = _alt(cfg["currencies_before"])
    return (
        rf"(?:(?<![\p{{Latin}}\d])(?:{cur_before}) ?{_NUM}"
        rf"(?:[万億兆]|[kKMB]{_NOT_LATIN_AFTER}| ?(?:million|billion|thousand){_NOT_LATIN_AFTER})?"
        rf"|{_JA_NUM} ?(?:{cur_after})(?:\d{{1,2}}銭)?"
        rf"|(?<![\d.．,，])\d{{1,3}}銭(?!湯))"
    )


def percent_rule(cfg: dict[str, Any]) -> str:
    """Percentages and ratios: ``95.5%``, ``３０％``, ``30パーセント``, ``7割``, ``3割5分``,
    ``5分の1``, ``2倍`` (IREX's PERCENT takes 割 and 倍)."""
    return (rf"{_JA_NUM}(?: ?(?:%|％|パーセント|割(?:\d分)?|倍)|分の(?:{_NUM}|{_KANJI_NUM}+))"
            rf"|(?<![\p{{Han}}\d])倍(?=以上|以下|近く|超)")


def date_rule(cfg: dict[str, Any]) -> str:
    """Dates: ``2015年後半``, ``2023年1月5日（木）``, ``令和5年度``, ``19世紀``, ``2010年代``,
    ``2003年-2004年``, ``08年4月``, ``17日``, ``7月20・21日``, ``2023/1/5``, ``July 3, 2015``,
    ``今年``, ``昨年9月``, ``翌12日``, ``金曜日``, and calendar spans ``3年間``, ``2週間後``."""
    return (
        rf"(?:(?:紀元前)?{_NUM_LEFT}(?:\d{{4}}(?:年?[-〜～–]\d{{4}})?年|{_ERA})"
        rf"(?:\d{{1,2}}月(?:{_DAYS})?)?{_WEEKDAY_AFTER}{_DATE_TAIL}"
        rf"|{_NUM_LEFT}\d{{2}}年\d{{1,2}}月(?:{_DAYS})?{_WEEKDAY_AFTER}{_DATE_TAIL}"
        rf"|{_NUM_LEFT}\d{{1,2}}月{_DAYS}{_WEEKDAY_AFTER}{_DATE_TAIL}"
        rf"|{_NUM_LEFT}\d{{1,2}}月(?!間){_DATE_TAIL}"
        rf"|{_NUM_LEFT}\d{{1,2}}世紀{_DATE_TAIL}"
        # 2023-01-05, 2008-12: a plausible year, month and day (not 1500-28, an MTU pair)
        rf"|{_NUM_LEFT}(?:1[89]|2[01])\d\d[-/](?:0?[1-9]|1[0-2])(?:[-/](?:0?[1-9]|[12]\d|3[01]))?(?![\d/])"
        rf"|{_MONTHS_EN} \d{{1,2}},? \d{{4}}|{_MONTHS_EN} \d{{4}}"
        rf"|(?<!第){_NUM_LEFT}{_DAYS}(?![間目前後])(?:{_WEEKDAY_AFTER}(?:\d{{1,2}}日)?)"
        rf"|(?<!第)(?:{_JA_NUM}(?<!\d{{4}}){_CALENDAR_UNIT}|半(?:年|{_MONTHS})){_CALENDAR_AFTER}"
        # 今年 alone must end the word (not 今年度内…); with a month or day it may be followed
        # by a kanji suffix (今年1月付け, 昨年9月末: the suffix is not part of the date)
        rf"|(?<![\p{{Han}}])(?:{_RELATIVE_DATES})(?:(?:\d{{1,2}}月(?:{_DAYS})?|{_DAYS}){_WEEKDAY_AFTER}"
        rf"|(?:上半期|下半期|前半|後半)|{_WEEKDAY_AFTER}(?!\p{{Han}}))"
        rf"|(?<![\p{{Han}}])(?:翌|同){_DAYS}{_WEEKDAY_AFTER}"
        rf"|(?<![\p{{Han}}])[月火水木金土日]曜日?(?![\p{{Han}}]))"
    )


def time_rule(cfg: dict[str, Any]) -> str:
    """Times of day: ``9時``, ``8時30分ごろ``, ``午後3時半``, ``23時13分``; not ``3時間``."""
    return (
        rf"(?:午前|午後)?{_NUM_LEFT}\d{{1,2}}時(?![間代点])(?:\d{{1,2}}分|半)?(?:\d{{1,2}}秒)?"
        rf"(?:頃|ごろ|過ぎ)?"
    )


def quantity_rule(cfg: dict[str, Any]) -> str:
    """Counts and measures: ``29.2k``, ``10GB``, ``200ms``, ``3回``, ``1000万人``,
    model sizes ``7B`` / ``1.5T`` (units in ``data/ner_rules.json``); not the 数 of 関数,
    not an ordinal (``2回目``, ``3つ目``).
    Counters the list lacks come from UniDic (:func:`_counter_quantities`)."""
    units = _alt(cfg["units"])
    return (
        rf"(?:(?:{_NUM_LEFT}{_NUM}[kKMBT]|{_JA_NUM}) ?(?:{units})(?![\p{{Latin}}]|目)"
        rf"|{_NUM_LEFT}{_NUM}[kKMBT]{_NOT_LATIN_AFTER})"
    )


# The rule labels, in priority order: where two readings start at the same place the
# earlier wins (GPT-3.5 is a version before 3.5 is a quantity).
RULES: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
    ("version", version_rule),
    ("money", money_rule),
    ("percent", percent_rule),
    ("time", time_rule),
    ("date", date_rule),
    ("quantity", quantity_rule),
)


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    """The word lists of ``data/ner_rules.json`` (rule labels, name heads, abbreviations)."""
    return json.loads((_DATA / "ner_rules.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _rule_pattern() -> regex.Pattern[str]:
    """All :data:`RULES` as one regex (one scan); the group name is the label."""
    cfg = _rules()
    return regex.compile("|".join(f"(?P<{label}>{rule(cfg)})" for label, rule in RULES))


_JA_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_JA_SMALL = {"十": 10, "百": 100, "千": 1000}
_JA_BIG = {"万": 10**4, "億": 10**8, "兆": 10**12}


def _parse_ja_number(s: str) -> float | None:
    """``10億`` -> 1e9, ``1億2000万`` -> 1.2e8, ``三百`` -> 300; ``数十億`` -> None."""
    s = unicodedata.normalize("NFKC", s).replace(",", "")
    if "数" in s:
        return None
    total = 0.0
    group = 0.0  # the part below the current 万/億/兆
    num = ""
    small = 0.0
    for ch in s:
        if ch.isdigit() or ch == ".":
            num += ch
        elif ch in _JA_DIGIT:
            num += str(_JA_DIGIT[ch])
        elif ch in _JA_SMALL:
            small += (float(num) if num else 1) * _JA_SMALL[ch]
            num = ""
        elif ch in _JA_BIG:
            group = small + (float(num) if num else 0)
            total += (group or 1) * _JA_BIG[ch]
            small, num = 0.0, ""
        else:
            return None
    try:
        return total + small + (float(num) if num else 0)
    except ValueError:
        return None


def _fmt_number(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(x)


def _normalize_money(text: str) -> str:
    """``text`` NFKC-folded, its 中黒 decimals as points (:func:`_normalize_rule`)."""
    t = text.replace(" ", "")
    sen = 0.0
    if t.endswith("銭"):  # hundredths of a yen: 139円80銭, 14銭 alone
        t, rest = t[:-1].split("円", 1) if "円" in t else ("0", t[:-1])
        t, sen = t + "円", float(rest) / 100
    code = None
    for cur, iso in _currencies():
        if t.startswith(cur):
            code, t = iso, t[len(cur):]
            break
        if t.endswith(cur):
            code, t = iso, t[: -len(cur)]
            break
    scale = 1
    for word, mult in (("million", 10**6), ("billion", 10**9), ("thousand", 10**3),
                       ("k", 10**3), ("K", 10**3), ("M", 10**6), ("B", 10**9)):
        if t.endswith(word):
            t, scale = t[: -len(word)], mult
            break
    value = _parse_ja_number(t)
    if value is None or code is None:
        return text.lower()
    return f"{_fmt_number(round(value * scale + sen, 2))} {code}"


@lru_cache(maxsize=1)
def _currencies() -> list[tuple[str, str]]:
    cfg = _rules()
    pairs = list(cfg["currencies_after"].items()) + list(cfg["currencies_before"].items())
    pairs = [(unicodedata.normalize("NFKC", k), v) for k, v in pairs]
    return sorted(set(pairs), key=lambda kv: len(kv[0]), reverse=True)


_ISO_DATE = regex.compile(r"^(\d{4})(?:年|[-/](?=\d))(?:(\d{1,2})(?:月|[-/](?=\d)|$)(?:(\d{1,2})日?)?)?(.*)$")
_WEEKDAY = regex.compile(r"[（(][月火水木金土日][）)]")


_CLOCK = regex.compile(r"^(午前|午後)?(\d{1,2})時(?:(\d{1,2})分|(半))?(?:(\d{1,2})秒)?(.*)$")


def _normalize_time(t: str) -> str:
    """``午後3時半ごろ`` -> ``15:30 ごろ``, ``8時15分`` -> ``08:15``."""
    m = _CLOCK.match(t)
    if not m:
        return t
    half, hour, minute, han, second, tail = m.groups()
    h = int(hour) + (12 if half == "午後" and int(hour) < 12 else 0)
    key = f"{h:02d}:{30 if han else int(minute or 0):02d}" + (f":{int(second):02d}" if second else "")
    return key + (" " + tail if tail else "")


def _normalize_percent(t: str) -> str | None:
    """``95.5%`` -> ``95.5%``, ``7割`` -> ``70%``, ``3割5分`` -> ``35%``, ``5分の1`` -> ``20%``,
    ``2倍`` -> ``200%``; None when the number does not parse (``数割``)."""
    if "分の" in t:
        den, num = (_parse_ja_number(x) for x in t.split("分の", 1))
        return _fmt_number(round(100 * num / den, 4)) + "%" if den and num is not None else None
    scale, t = ((10, t[:-1]) if t.endswith("割") else (100, t[:-1]) if t.endswith("倍") else (1, t))
    extra = 0.0
    if "割" in t:  # 3割5分
        t, rest = t.split("割", 1)
        scale, extra = 10, float(rest.rstrip("分") or 0)
    v = _parse_ja_number(t.rstrip("%").replace("パーセント", "").strip() or "1")
    return None if v is None else _fmt_number(round(v * scale + extra, 4)) + "%"


def _normalize_rule(label: str, text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    if label in ("money", "percent", "quantity"):
        t = _DECIMAL_NAKAGURO.sub(".", t)  # 71・2% -> 71.2%
    if label == "money":
        return _normalize_money(t)
    if label == "date":
        m = _ISO_DATE.match(_WEEKDAY.sub("", t))
        if m and not any(c.isdigit() for c in m.group(4)):
            y, mo, d, tail = m.groups()
            iso = y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if d else "")
            if tail == "代" and not mo:
                return y + "s"  # 2010年代 -> 2010s
            return iso + (" " + tail if tail else "")
    if label == "time":
        return _normalize_time(t)
    if label == "percent":
        key = _normalize_percent(t)
        if key is not None:
            return key
    if label == "version":
        return _SPACES.sub(" ", t).lower()
    return t.lower()


# Where a rule match may start. Trying the full pattern only there is ~20x faster than
# letting it scan (its alternatives open with look-behinds, tried at every position).
_RULE_ANCHOR = regex.compile(
    r"\d+|[$¥￥€£]|[\p{Latin}][\p{Latin}\d_.+#·]*|[一二三四五六七八九十百千数]+"
    r"|令和|平成|昭和|大正|明治|紀元前|バージョン|午前|午後"
    rf"|半(?=年|{_MONTHS})|[翌同](?=\d)|倍(?=以上|以下|近く|超)|[月火水木金土日](?=曜)"
    rf"|{_RELATIVE_DATES}"
)


def _quantities_end_words(rules: list[tuple[int, int, str]], tagged: _Tagged) -> list[tuple[int, int, str]]:
    """The rule matches without the quantities whose counter is the start of a longer word
    (``600万回|線``: UniDic reads 回線, a line, so the count is 600万回線, which
    :func:`_counter_quantities` finds from the morphemes)."""
    return [r for r in rules if r[2] != "quantity" or not _inside_morpheme(tagged, r[1])]


def _inside_morpheme(tagged: _Tagged, pos: int) -> bool:
    """Whether ``pos`` falls strictly inside a morpheme (by bisection: starts are sorted)."""
    k = bisect.bisect_right(tagged.starts, pos - 1) - 1  # the morpheme holding pos - 1, if any
    return k >= 0 and pos < tagged.ends[k]


def _with_counters(rules: list[tuple[int, int, str]], counts: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The rule matches plus the UniDic counts that overlap none of them."""
    if not counts:
        return rules
    spans = _SortedSpans([(s, e) for s, e, _ in rules])
    return sorted(rules + [c for c in counts if not spans.overlapping(c[0], c[1])])


@lru_cache(maxsize=1)
def _latin_openings() -> regex.Pattern[str]:
    """What a rule match that starts with a Latin letter opens with: a capital (GPT-3.5,
    Django 4.2, USD 5, July 2023), ``v``/``ver`` and a version, or a versioned name
    written in lower case (``macOS 14``, ``pip 23.1``). A technical text's other
    lower-case words (``apt``, ``the``) need no try of the whole rule pattern."""
    lower = [n for n in _rules()["versioned_names"] if not n[0].isupper()]
    openings = r"[A-Z]|[vV](?:er(?:sion)?)?[\d. ]"
    return regex.compile(f"{openings}|{_alt(lower)}" if lower else openings)


def _rule_entities(text: str) -> list[tuple[int, int, str]]:
    pat = _rule_pattern()
    latin = _latin_openings()
    out: list[tuple[int, int, str]] = []
    end = 0
    for a in _RULE_ANCHOR.finditer(text):
        s = a.start()
        if s < end:
            continue
        if "a" <= text[s] <= "z" and not latin.match(text, s):
            continue
        m = pat.match(text, s)
        if m and m.end() > s:
            out.append((s, m.end(), m.lastgroup or ""))
            end = m.end()
    return out


_COUNTER_POS = ("名詞-普通名詞-助数詞可能", "接尾辞-名詞的-助数詞")
_NUMBER_POS = "名詞-数詞"
_NUMBER_FIRST = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十百千数")


def _counter_quantities(text: str, tagged: _Tagged, model: CrfModel) -> list[tuple[int, int, str]]:
    """Counts whose counter the rule's word list lacks, from UniDic: a number directly
    followed by a counter morpheme (``6ヶ所``, ``900勝``, ``4基``), a noun suffix (``20戦``,
    ``8冊``) or a short noun that ends the phrase (``11安打を``, ``3色の``, ``5試合で``) —
    not ``2要素認証``, whose noun goes on, nor a number inside a word (``GPT-4モデル``)."""
    out: list[tuple[int, int, str]] = []
    entries, starts, ends, surfaces = tagged.entries, tagged.starts, tagged.ends, tagged.surfaces
    not_counters = _word_list("not_counters")
    number = model.ps_ids_with_pos(_NUMBER_POS)
    n = len(entries)
    k = 0
    while k < n:
        if surfaces[k][:1] not in _NUMBER_FIRST or entries[k][1] not in number:
            k += 1
            continue
        first = k
        while k + 1 < n and starts[k + 1] == ends[k] and entries[k + 1][1] in number:
            k += 1
        c = k + 1
        k += 1
        s = starts[first]
        if first == k - 1 and ends[first] - s == 1 and s >= 2 and text[s - 1] == "・":
            s = _decimal_start(text, s - 1)  # 351・4マイクロシーベルト
        if c >= n or starts[c] != ends[c - 1] or (s and (text[s - 1] in "第#＃" or _NUM_GLUE.match(text, s - 1))):
            continue
        pos, word = model.pos_of(entries[c][1]), surfaces[c]
        if word in not_counters or not _JAPANESE_WORD.match(word):
            continue
        if c + 1 < n and surfaces[c + 1] == "目" and starts[c + 1] == ends[c]:
            continue  # 3つ目, 2回目: an ordinal
        if pos.startswith(_COUNTER_POS) or pos.startswith("接尾辞-名詞的"):
            out.append((s, ends[c], "quantity"))
        elif pos.startswith("名詞-普通名詞") and len(word) <= 4 and (
            c + 1 >= n or starts[c + 1] != ends[c]
            or not model.pos_of(entries[c + 1][1]).startswith(("名詞-普", "名詞-固", "接尾辞", "接頭辞"))
        ):  # the phrase ends there, or a number follows (11安打9得点)
            out.append((s, ends[c], "quantity"))
    return out


def _decimal_start(text: str, dot: int) -> int:
    """Start of the integer part before a 中黒 decimal point at ``dot`` (``351・4``), or
    ``dot + 1`` when it is not a decimal point (``A・4``, ``1・2・3``)."""
    i = dot
    while i > 0 and dot - i < 12 and text[i - 1].isdigit():
        i -= 1
    if i == dot or (i >= 2 and text[i - 1] == "・" and text[i - 2].isdigit()):
        return dot + 1  # no integer part, or a list (1・2・3ポイント)
    return i


_JAPANESE_WORD = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_NUM_GLUE = regex.compile(r"[\p{Latin}\d_.．,\-]")


# --------------------------------------------------------------------------- tagging


class _Tagged:
    """The morphemes of one text as parallel lists (no per-morpheme objects: this
    loop runs for every morpheme of every article); ``rows`` are their entry rows
    in the model's tables, as an array for the decoder."""

    __slots__ = ("surfaces", "starts", "ends", "entries", "rows")

    def __init__(self) -> None:
        self.surfaces: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.entries: list[Entry] = []
        self.rows: np.ndarray = np.zeros(0, dtype=np.intp)


def _tag_raw(morphemes: Iterable[tuple[str, int, int, str]], model: CrfModel) -> _Tagged:
    """From :func:`~ja_article_tools.tokens.tag_chunks` output: (surface, start, end,
    UniDic feature string)."""
    t = _Tagged()
    rows = morphemes if isinstance(morphemes, list) else list(morphemes)
    if not rows:
        return t
    surfaces, starts, ends, raws = (list(col) for col in zip(*rows))
    get = model.entries.get
    entries = [get(s + "\t" + r) for s, r in zip(surfaces, raws)]
    if None in entries:
        # First-seen morphemes: one Morph per distinct key, not per occurrence (a cold
        # 1 MB article would otherwise build 300k of them at once).
        missing = [k for k, ent in enumerate(entries) if ent is None]
        first: dict[str, int] = {}
        for k in missing:
            first.setdefault(surfaces[k] + "\t" + raws[k], k)
        model.add_entries([nf.morph_from_raw(surfaces[k], starts[k], ends[k], raws[k], key) for key, k in first.items()])
        for k in missing:
            entries[k] = get(surfaces[k] + "\t" + raws[k])
    t.surfaces, t.starts, t.ends, t.entries = surfaces, starts, ends, entries  # type: ignore[assignment]
    t.rows = np.fromiter((x[0] for x in entries), dtype=np.intp, count=len(entries))
    return t


def _tag_tokens(tokens: Sequence[Token], model: CrfModel) -> _Tagged:
    t = _Tagged()
    morphs = nf.morphs_from_tokens(tokens)
    t.surfaces = [m.surface for m in morphs]
    t.starts = [m.start for m in morphs]
    t.ends = [m.end for m in morphs]
    t.entries = model.entries_for(morphs)
    t.rows = np.fromiter((x[0] for x in t.entries), dtype=np.intp, count=len(t.entries))
    return t


_BREAKS = frozenset("。！？!?")


def _sequences(text: str, tagged: _Tagged, limit: int = 250) -> list[tuple[int, int]]:
    """Tagging units as morpheme ranges: cut after 。！？, at line ends, at ``limit``
    (the CRF was trained on single sentences)."""
    out = []
    a = 0
    prev_end = -1
    surfaces, starts, ends = tagged.surfaces, tagged.starts, tagged.ends
    for k, surface in enumerate(surfaces):
        if k > a and ((starts[k] > prev_end and "\n" in text[prev_end:starts[k]]) or k - a >= limit):
            out.append((a, k))
            a = k
        prev_end = ends[k]
        if surface in _BREAKS:
            out.append((a, k + 1))
            a = k + 1
    if a < len(surfaces):
        out.append((a, len(surfaces)))
    return out


def _crf_spans(text: str, tagged: _Tagged) -> list[tuple[int, int, str, int, int]]:
    """(start, end, label, first morpheme, end morpheme) for the names the CRF finds."""
    model = _tagger()
    labels = model.labels
    out: list[tuple[int, int, str, int, int]] = []
    bounds = _sequences(text, tagged)
    if not bounds:
        return out
    ys = model.tag_document(tagged.rows, tagged.surfaces, bounds, _wiki_gazetteer())
    o = labels.index("O")
    named = np.add.reduceat((ys != o).astype(np.intp), [a for a, _ in bounds])
    typed: list[tuple[int, int, int, int, int]] = []  # (index in out, unit a, unit b, i, j) for the typer
    for (a, b), count in zip(bounds, named.tolist()):
        if not count:
            continue
        seq = ys[a:b].tolist()
        i, n = 0, len(seq)
        while i < n:
            y = labels[seq[i]]
            if y == "O":
                i += 1
                continue
            inside = "I-" + y[2:]
            j = i + 1
            while j < n and labels[seq[j]] == inside:
                j += 1
            i_w, j_w = _whole_words(tagged, model, a + i, a + j, a, b, seq, o)
            for p, q, held_role in _name_parts(tagged, model, i_w, j_w, a, b):
                i0, j0, after = _name_edges(tagged, model, p, q, b)
                person = after == "title" or held_role  # 小林 さくら|氏, 司令長官|ニミッツ
                label = "person" if person else y[2:].split("/", 1)[0]
                if j0 > i0 and _plausible_name(text, tagged, i0, j0) and not _dictionary_word(text, tagged, i0, j0):
                    if not person:  # the span typer types the rest
                        # on the name alone if a role or generic word was cut: 稲川組|幹部, Python|モジュール
                        alone = after in ("role", "generic")
                        typed.append((len(out), a, b, i0 if alone else p, j0 if alone else q))
                    out.append((tagged.starts[i0], tagged.ends[j0 - 1], label, i0, j0))
            i = j
    typer = _span_typer()
    if typer is not None and typed:
        feats = _span_typer_features(tagged, model, typed)
        for (k, *_), (label, p) in zip(typed, typer.best_many(feats)):
            if p >= _RETYPE_MIN_PROB:
                s, e, _, i0, j0 = out[k]
                out[k] = (s, e, label, i0, j0)
    for k, (s, e, label, i0, j0) in enumerate(out):
        typed_as = _type_by_head(text, s, e, label)
        if typed_as != label:
            out[k] = (s, e, typed_as, i0, j0)
    return out


# A Latin name ending with a number; an event's number is its year (PyCon JP 2024, WWDC24 is
# left to the tagger), any other number is a release (Docker Engine 26, Windows 11).
_NUMBERED_LATIN = regex.compile(r"[A-Za-z][A-Za-z0-9 .&'/\-]* v?\d+(?:\.\d+)*")
_YEAR_END = regex.compile(r" ?(?<!\d)(?:19|20)\d\d$")  # with the space before it


def _whole_words(
    tagged: _Tagged, model: CrfModel, i: int, j: int, a: int, b: int, seq: list[int], o: int
) -> tuple[int, int]:
    """The tagged morphemes ``i:j`` (of the unit ``a:b`` whose label ids are ``seq``, ``o``
    the id of O) grown over untagged morphemes to whole words where the tagger stopped
    inside one:

    * a katakana run is one word: a name does not start inside it (``パス|ケル兄弟`` →
      ``パスケル``, ``トブ|ルク要塞`` → ``トブルク要塞``);
    * a name does not end on a prefix (``北陸|新|幹線`` → ``北陸新幹線``)."""
    surfaces, starts, ends = tagged.surfaces, tagged.starts, tagged.ends
    while (i > a and seq[i - 1 - a] == o and starts[i] == ends[i - 1]
           and _KATAKANA_WORD.fullmatch(surfaces[i]) and _KATAKANA_WORD.fullmatch(surfaces[i - 1])):
        i -= 1
    while (j < b and seq[j - a] == o and starts[j] == ends[j - 1]
           and model.pos_of(tagged.entries[j - 1][1]).startswith("接頭辞")
           and model.pos_of(tagged.entries[j][1]).startswith(("名詞", "接尾辞"))):
        j += 1
    return i, j


def _type_by_head(text: str, s: int, e: int, label: str) -> str:
    """The type the last word of the name ``text[s:e]`` gives it (:func:`_head_type`),
    else ``label`` (the tagger's). A Latin "event" numbered like a release is a product
    (``Docker Engine 26``; ``PyCon JP 2024`` stays an event)."""
    by_head = _head_type(text, s, e, label)
    if by_head is not None:
        return by_head
    if label == "event" and _NUMBERED_LATIN.fullmatch(text, s, e) and not _YEAR_END.search(text, s, e):
        return "product"
    return label


def _head_type(text: str, s: int, e: int, label: str | None = None) -> str | None:
    """The type of a name ``text[s:e]`` whose last word says it, from the word lists in
    ``data/ner_rules.json``, tried in this order: a legal form (``株式会社…``, ``… Inc.``)
    or an organisation head (``メタ・プラットフォームズ``; not for a name ``label``-ed an
    event: ``アジア・ゲームズ``), an event head, a year after it allowed
    (``Pythonカンファレンス2024``, ``…選手権``), a product head of a Latin name
    (``DeepL API``, ``Swagger UI``); None when the last word says nothing."""
    heads = _name_heads()
    if text.endswith(heads.legal, s, e) or (label != "event" and text.endswith(heads.organization, s, e)):
        return "organization"
    year = _YEAR_END.search(text, s, e)
    if text.endswith(heads.event, s, year.start() if year else e):
        return "event"
    if text.endswith(heads.product, s, e):
        return "product"
    return None


@dataclass(frozen=True, slots=True)
class _NameHeads:
    organization: tuple[str, ...]
    legal: tuple[str, ...]
    event: tuple[str, ...]
    product: tuple[str, ...]


@lru_cache(maxsize=1)
def _name_heads() -> _NameHeads:
    """Words that end names of one type (``data/ner_rules.json``): organisation heads
    such as ``ホールディングス``, legal forms such as ``株式会社`` and ``Inc.``, event heads
    such as ``カンファレンス``, product heads such as `` API``."""
    cfg = _rules()
    return _NameHeads(*(tuple(cfg[key]) for key in ("organization_heads", "legal_forms", "event_heads", "product_heads")))


@lru_cache(maxsize=None)
def _word_tuple(key: str) -> tuple[str, ...]:
    """A word list of ``data/ner_rules.json`` as a tuple, for ``str.startswith``."""
    return tuple(_rules()[key])


@lru_cache(maxsize=None)
def _word_list(key: str) -> frozenset[str]:
    """A word list of ``data/ner_rules.json`` as a set, by its key: ``person_titles``
    (``氏``, ``容疑者``: follow only a person's name), ``person_ranks`` (``横綱``, ``故``:
    come before one), ``roles`` (``CEO``, ``社長``, ``幹部``: after a person's or an
    organisation's name), ``abbreviations`` (``Inc``, ``Jr``: written with a period),
    ``never_name_tails``, ``region_words`` …; the file says what each list is for."""
    return frozenset(_rules()[key])


def _span_typer_features(
    tagged: _Tagged, model: CrfModel, spans: Sequence[tuple[int, int, int, int, int]]
) -> list[list[str]]:
    """:func:`ner_features.span_features` of each CRF span ``i:j`` (absolute morpheme
    indices) within its tagging unit ``a:b``, for the second-stage type classifier."""
    out: list[list[str]] = []
    unit: tuple[int, int] | None = None
    surfaces: list[str] = []
    lemmas: list[str] = []
    pos: list[str] = []
    names = _wiki_names()[1]
    for _, a, b, i, j in spans:
        if unit != (a, b):
            unit = (a, b)
            ents = tagged.entries[a:b]
            surfaces = tagged.surfaces[a:b]
            lemmas = [e[2] for e in ents]
            pos = [model.pos_of(e[1]) for e in ents]
        name = "".join(surfaces[i - a:j - a])
        out.append(nf.span_features(surfaces, lemmas, pos, i - a, j - a, names.get(name)))
    return out


_WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
_OPENERS = {"（": "）", "(": ")", "「": "」", "『": "』", "【": "】", "[": "]", "《": "》", "〈": "〉", "“": "”"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


def _name_edges(tagged: _Tagged, model: CrfModel, i: int, j: int, end: int) -> tuple[int, int, str]:
    """Where the name the CRF tagged on morphemes ``i:j`` (in a unit ending at ``end``)
    starts and ends, and what followed it inside the span (``"title"``, ``"role"``,
    ``"generic"`` or ``""``):

    * not on a symbol, emoji or bracket, and not across a bracket (:func:`_balanced`);
    * not on a describing common noun before a Latin name (:func:`_without_descriptor`);
    * with the period of an abbreviation (``Square, Inc.``);
    * without a person's title glued to it (``小林 さくら|氏``: no part of the name, and
      it says the name is a person's; ``海老澤|代表`` only after a UniDic person's name:
      ``日本|代表`` is a team), nor a rank before it (``横綱|朝青龍``);
    * without a role glued to it (``ジェンスン・フアン|CEO``, ``稲川組|幹部``: no part of the
      name either, but a person's or an organisation's: the span typer decides);
    * without a Japanese generic word of technical prose after a Latin name
      (``Python|モジュール``, ``POST|エンドポイント``: ``"generic"``; the name is typed, and
      judged, alone; ``Swagger UI`` and ``Meta AI`` stay whole), nor, after any name, a
      word that never ends one (``エジプト|情勢``, ``日本|国内``: ``never_name_tails``)."""
    surfaces = tagged.surfaces
    i, j = _balanced(surfaces, *_trimmed(surfaces, i, j))
    i = _without_descriptor(tagged, model, i, j)
    if i < j < end and surfaces[j] == "." and surfaces[j - 1] in _word_list("abbreviations"):
        j += 1
    if j - i > 1 and (surfaces[j - 1] in _word_list("person_titles") or (
            surfaces[j - 1] in _word_list("titles_after_person_names")
            and model.pos_of(tagged.entries[j - 2][1]).startswith("名詞-固有名詞-人名"))):
        return i, j - 1, "title"
    if j - i > 1 and surfaces[i] in _word_list("person_ranks"):
        i, j = _trimmed(surfaces, i + 1, j)  # 妻・オリエ -> オリエ
        return i, j, "title"
    if j - i > 1:
        role = _role_before(surfaces, i + 1, j)
        if role is not None:
            return i, role, "role"
        tail = ""
        for k in range(j - 1, max(i, j - 3), -1):  # a generic word is at most 2 morphemes
            tail = surfaces[k] + tail
            if _generic_after_latin(tail, surfaces[i:k]) or tail in _word_list("never_name_tails"):
                return i, k, "generic"
    return i, j, ""


def _generic_after_latin(tail: str, name: Sequence[str]) -> bool:
    """Whether ``tail`` is a Japanese generic word of technical prose written after the
    Latin name made of the strings ``name`` and no part of it (``Python|モジュール``,
    ``Python|版``). A Latin generic word stays: it is often part of the name
    (``Swagger UI``, ``Meta AI``)."""
    return not tail.isascii() and tail in _generic_words() and _LATIN_NAME.fullmatch("".join(name)) is not None


def _without_descriptor(tagged: _Tagged, model: CrfModel, i: int, j: int) -> int:
    """Where a Latin-script name starts when the tagger glued a describing common noun
    before it: ``非営利団体|OpenAI Inc.`` -> ``OpenAI Inc.``, ``検索大手|Google`` -> ``Google``,
    ``インストーラー| rustup`` -> ``rustup``. A katakana noun counts only with a space before
    the name (``モバイルSuica`` is one name). A proper noun (``日本IBM``, ``米Microsoft``), a
    legal form (``株式会社SSG``) and a rest that is not all Latin (``天皇杯JFA全日本…``) stay."""
    k = i
    surfaces = tagged.surfaces
    katakana = False
    while k < j and _DESCRIPTOR_WORD.fullmatch(surfaces[k]):
        if not model.pos_of(tagged.entries[k][1]).startswith(("名詞-普通名詞", "接頭辞", "接尾辞")):
            return i
        katakana = katakana or not _KANJI_WORD.fullmatch(surfaces[k])
        k += 1
    if k == i or k == j or (katakana and tagged.starts[k] == tagged.ends[k - 1]):
        return i
    rest = "".join(surfaces[k:j])
    return k if _LATIN_NAME.fullmatch(rest) and "".join(surfaces[i:k]) not in _name_heads().legal else i


_DESCRIPTOR_WORD = regex.compile(r"[\p{Han}\p{Katakana}ー]+")
_KANJI_WORD = regex.compile(r"\p{Han}+")
_LATIN_NAME = regex.compile(r"[A-Za-z][A-Za-z0-9 .,&'\-]+")


_COMMAS = frozenset("、,，")
_LIST_PARTICLES = frozenset(("と", "や"))
_LATIN_EDGE = regex.compile(r"[\p{Latin}\d]")


def _name_parts(
    tagged: _Tagged, model: CrfModel, i: int, j: int, a: int, b: int
) -> list[tuple[int, int, bool]]:
    """The tagged morphemes ``i:j`` (of the unit ``a:b``) cut into the names they hold,
    each with whether a role came right before it (it is then a person's name):

    * at the commas between them: a list is not one name (``統一教会,日本``, ``東京、大阪``,
      ``AIDMA,AISAS``); kept whole: a comma and a space between Latin words
      (``Square, Inc.``, ``Honey, I'm Good``) and a quoted title (``「友よ、静かに瞑れ」``);
      and at と / や between Latin words (``iPadOSとwatchOS``): a Japanese particle joins
      two names, where a title in Japanese may hold one (``ロミオとジュリエット``);
    * around a role between a name and a proper noun, the role dropped: an organisation,
      a role and a person are two names (``太平洋艦隊|司令長官|ニミッツ``, ``川崎|DF|奈良竜樹``)."""
    surfaces, starts, ends = tagged.surfaces, tagged.starts, tagged.ends
    if a < i and j < b and surfaces[i - 1] in _OPENERS and surfaces[j] == _OPENERS[surfaces[i - 1]]:
        return [(i, j, False)]
    parts = []
    p, held_role = i, False
    for k in range(i + 1, j - 1):
        if (surfaces[k] in _COMMAS and not (
            _LATIN_EDGE.match(surfaces[k - 1][-1]) and _LATIN_EDGE.match(surfaces[k + 1][0]) and starts[k + 1] > ends[k]
        )) or (surfaces[k] in _LIST_PARTICLES and _LATIN_EDGE.match(surfaces[k - 1][-1])
               and _LATIN_EDGE.match(surfaces[k + 1][0])):
            parts.append((p, k, held_role))
            p, held_role = k + 1, False
        elif model.pos_of(tagged.entries[k + 1][1]).startswith("名詞-固有名詞"):
            role = _role_before(surfaces, p + 1, k + 1)
            if role is not None:
                parts.append((p, role, held_role))
                p, held_role = k + 1, True
    parts.append((p, j, held_role))
    return [x for x in parts if x[1] > x[0]]


def _role_before(surfaces: Sequence[str], lo: int, end: int) -> int | None:
    """Where a role (``data/ner_rules.json``) of one to three morphemes that ends at
    morpheme ``end`` starts, not before ``lo``: ``総|司令|官`` is one role; None when the
    morphemes before ``end`` are no role."""
    roles = _word_list("roles")
    tail = ""
    found = None
    for m in range(end - 1, max(lo, end - 3) - 1, -1):
        tail = surfaces[m] + tail
        if tail in roles:
            found = m
    return found


def _trimmed(surfaces: Sequence[str], i: int, j: int) -> tuple[int, int]:
    """Morphemes ``i:j`` without the symbols at either edge."""
    while i < j and not _WORDLIKE.match(surfaces[i]):
        i += 1
    while j > i and not _WORDLIKE.match(surfaces[j - 1]):
        j -= 1
    return i, j


def _balanced(surfaces: Sequence[str], i: int, j: int) -> tuple[int, int]:
    """Morphemes ``i:j`` cut to the part before a bracket that does not close inside
    them (``httpx|（|同期`` -> ``httpx``) or after one that never opened, then trimmed
    of edge symbols again: a name does not straddle a bracket."""
    opened: list[tuple[int, str]] = []
    for k in range(i, j):
        s = surfaces[k]
        if s in _OPENERS:
            opened.append((k, _OPENERS[s]))
        elif s in _CLOSERS:
            if opened and opened[-1][1] == s:
                opened.pop()
            else:  # closes what opened before the span: keep what follows
                return _balanced(surfaces, k + 1, j)
    if opened:
        j = opened[0][0]
    return _trimmed(surfaces, i, j)
# What a Wikipedia-trained tagger wrongly takes for a name in technical prose:
# command lines, paths, key: value pairs, English sentences.
_CODE_LIKE = regex.compile(r"->|: |\. |[\"`<>{}\[\]$|]|(?:^|\s)--?[A-Za-z]|/.*/")
# file names, paths with a lower-case part, calls: foo_1.0.deb, usr/local, sources.list(5)
_ASCII_CODE_LIKE = regex.compile(r"[_(){}]|(?:^|/)[a-z][a-z0-9.\-]*(?:/|$)(?=.*/)|/[a-z]")
_SNAKE_CASE = regex.compile(r"[a-z0-9]_[a-z0-9]")
# A file (README.md, Cargo.toml, Dockerfile) or a module member (torch.Tensor), not a name.
# Not .js: Node.js and Vue.js are products (a lower-case file name is dropped anyway).
_FILE_OR_MEMBER = regex.compile(
    r"\w[\w\-]*\.(?:md|rst|py|ipynb|json|ya?ml|toml|txt|csv|tsv|html?|css|scss|sh|rs|java|kt|rb|php|cpp|hpp"
    r"|lock|cfg|ini|sql|xml|log|gradle|dockerfile)$"
    r"|[a-z][a-z0-9_]*\.[A-Za-z_]\w*$"
    r"|[A-Z][a-z]*file$")
_LOWER_ASCII = regex.compile(r"[a-z0-9_.+\-]+(?: [a-z0-9_.+\-]+)*")
_STOPWORDS = frozenset("the of for to a an is are was be this that these with and or not by in on as at it from see".split())


def _plausible_name(text: str, tagged: _Tagged, i: int, j: int) -> bool:
    """Reject CRF spans that are no names: a generic word of technical prose
    (パッケージ, インストール: ``data/ner_generic_words.tsv``), no letter at all,
    lower-case words (``unstable``, ``apt-get``), code or English prose, a piece of a
    longer identifier (``Shift`` of ``Shift_JIS``)."""
    s, e = tagged.starts[i], tagged.ends[j - 1]
    if (text[e:e + 1] == "_" and text[e + 1:e + 2].isalnum()) or (text[s - 1:s] == "_" and text[s - 2:s - 1].isalnum()):
        return False
    t = text[s:e]
    if _FULL_WIDTH.search(t):
        t = t.translate(_FOLD_WIDTH)  # ｂｉｌｌｅｄ＿ｃｈａｒｓ is code like billed_chars
    if t in _generic_words():
        return False
    if not _LETTER.search(t):
        return False
    if t.isascii():
        if len(t) < 2 or _LOWER_ASCII.fullmatch(t) or _CODE_LIKE.search(t) or _ASCII_CODE_LIKE.search(t) \
                or _FILE_OR_MEMBER.match(t):
            return False
        if sum(w in _STOPWORDS for w in t.split()) >= 2:
            return False
    elif _CODE_LIKE.search(t) or _SNAKE_CASE.search(t):
        return False
    return True


_TITLE_WORD = regex.compile(r"[A-Z][a-z]+")


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """``data/english_common_words.txt`` (``scripts/build_english_words.py``)."""
    return frozenset(r[0] for r in tsv_rows(_DATA / "english_common_words.txt", missing_ok=True))


def _dictionary_word(text: str, tagged: _Tagged, i: int, j: int) -> bool:
    """Whether the tagger's span ``i:j`` is a capitalised English word of an English
    phrase: one word that UniDic borrows as a common word, with an English word right
    before or after it (``For details``, ``Linux Mint Debian Edition``, ``Priority: Optional``
    is not: a colon). Standing in Japanese prose or in quotes (「Condition」), the same word is
    taken for a name (``Flutterでアプリ``, ``Sparkに投入``: tools are often named with
    dictionary words), as is a training-split name. Only the tagger's guesses are tested:
    hand-written tech names and names an article's URLs vouch for are found apart."""
    s, e = tagged.starts[i], tagged.ends[j - 1]
    t = text[s:e]
    if _TITLE_WORD.fullmatch(t) is None or t.lower() not in _english_words():
        return False
    before = text[max(0, s - 2):s].rstrip()  # one space may stand between the words
    after = text[e:e + 2].lstrip()
    english = (before[-1:].isascii() and before[-1:].isalpha()) or (after[:1].isascii() and after[:1].isalpha())
    return english and t not in _wiki_gazetteer().entries


_LATIN_WORD = regex.compile(r"^[\p{Latin}\d][\p{Latin}\d .&'+\-]*$")


def _origin_key(tagged: _Tagged, i: int, j: int) -> str | None:
    """``マイクロ|ソフト`` -> ``microsoft``, ``ファスト|API`` -> ``fastapi``: every part
    must be Latin already or a loanword whose origin UniDic records."""
    parts = []
    for k in range(i, j):
        part = _origin_part_of(tagged.surfaces[k], tagged.entries[k][2])
        if part is None:
            return None
        parts.append(part)
    key = "".join(parts).strip()
    return key or None


def _plain_key(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower()
    return _SPACES.sub(" ", t).strip()


def _url_keys(urls: Sequence[Url] | None) -> dict[str, str]:
    """Loose spelling -> the URL's own name, for repository owners, names and hosts."""
    keys: dict[str, str] = {}
    for u in urls or ():
        cands = [u.owner, u.repo]
        host = (u.host or "").lower().removeprefix("www.")
        if host:
            cands.append(host.split(".")[0])
        path = u.url.split("://", 1)[-1].split("/")[1:]
        cands.extend(p for p in path if p)
        for c in cands:
            if c and _URL_NAME.fullmatch(c):
                keys.setdefault(_loose(c), c.lower())
    return keys


def _loose(s: str) -> str:
    """A spelling skeleton that katakana romanisation and English spelling share:
    no vowels, l=r, v=b, doubled letters once (``gym`` ~ ``jimu``? no: g/j differ)."""
    s = s.lower()
    s = _NON_AZ.sub("", s)
    s = s.replace("l", "r").replace("v", "b").replace("ph", "f").replace("ck", "k").replace("c", "k")
    s = _VOWELS.sub("", s)
    return _DOUBLED.sub(r"\1", s)


# --------------------------------------------------------------------------- API


def extract_entities(
    text: str,
    tokens: list[Token] | None = None,
    urls: list[Url] | None = None,
    *,
    morphemes: Sequence[tuple[str, int, int, str]] | None = None,
    emails: Sequence[Email] | None = None,
) -> list[Entity]:
    """Entities of ``text``, sorted by start, non-overlapping.

    The text is tagged here unless the caller has done it: ``tokens`` (from
    :func:`~ja_article_tools.tokens.tokenize`) or, cheaper, ``morphemes`` (the raw
    ``(surface, start, end, feature)`` tuples of
    :func:`~ja_article_tools.tokens.tag_chunks`), offsets into ``text`` either way.
    Names never overlap ``urls`` nor e-mail addresses (``emails`` when the caller has
    them, else found here).

    >>> [(e.text, e.label, e.normalized) for e in extract_entities("マイクロソフトは2023年に100億ドルを投資した。")]
    [('マイクロソフト', 'organization', 'microsoft'), ('2023年', 'date', '2023'), ('100億ドル', 'money', '10000000000 USD')]
    """
    if not text:
        return []
    model = _tagger()
    with _use_lock:  # the model's caches grow as it meets new morphemes
        model.forget_if_full()
        if morphemes is not None:
            tagged = _tag_raw(morphemes, model)
        elif tokens is not None:
            tagged = _tag_tokens(tokens, model)
        else:
            tagged = _tag_raw(tag_chunks(text), model)
        names = _crf_spans(text, tagged)
    url_spans = [(u.start, u.end) for u in urls or ()]
    if not url_spans and ("://" in text or "www." in text):
        # No URL extractor output at hand: keep names out of anything URL-shaped.
        url_spans = [m.span() for m in _URL_LIKE.finditer(text)]
    if "`" in text:
        # Inline code is code: `pip install openai` names nothing.
        url_spans = url_spans + [m.span() for m in _INLINE_CODE.finditer(text)]
    if emails is None and ("@" in text or "＠" in text):
        emails = extract_emails(text)
    if emails:
        # Nor is an e-mail address (info@minato-pycon.example.jp), which `urls` leaves out.
        url_spans = url_spans + [(m.start, m.end) for m in emails]
    # Full-width ASCII (ＯｐｅｎＡＩ, ＄１０) folded one code point for one, so the
    # hand-written names and the rules see ASCII while offsets stay those of ``text``.
    scan = text.translate(_FOLD_WIDTH) if _FULL_WIDTH.search(text) else text
    # (start, end, label, key or None, first morpheme, end morpheme or -1, -1)
    chosen = _merge_names(text, names, _tech_hits(scan))
    blocked = _Coverage(len(text), url_spans)
    if url_spans:
        chosen = [c for c in chosen if not blocked.hits(c[0], c[1])]
    # What names and URLs hold already, grown by each step that adds names.
    taken = blocked.copy()
    for c in chosen:
        taken.add(c[0], c[1])
    chosen += _propagate(text, tagged, urls or (), taken, chosen)
    chosen += _countries(tagged, model, taken)
    chosen.sort()

    readings = [r for r in _with_counters(_quantities_end_words(_rule_entities(scan), tagged),
                                          _counter_quantities(text, tagged, model))
                if not (url_spans and blocked.hits(r[0], r[1]))]
    readings, chosen = _settle_readings(text, readings, chosen)
    final = [Entity(text[rs:re_], rlabel, rs, re_, _normalize_rule(rlabel, text[rs:re_])) for rs, re_, rlabel in readings]

    url_keys = _url_keys(urls)
    aliases = _aliases()
    morph_by_start: dict[int, int] | None = None
    morph_by_end: dict[int, int] = {}
    names: list[tuple[Entity, bool]] = []
    for s, e, label, key, i, j in chosen:
        t = text[s:e]
        known = key is not None  # a hand-written tech name or a URL's repository/owner
        if key is None:
            if i < 0:  # a name found by string match: find its morphemes
                if morph_by_start is None:
                    morph_by_start = {x: k for k, x in enumerate(tagged.starts)}
                    morph_by_end = {x: k + 1 for k, x in enumerate(tagged.ends)}
                i, j = morph_by_start.get(s, -1), morph_by_end.get(e, -1)
            key = _name_key(t, tagged, i, j, aliases, url_keys)
        names.append((Entity(t, label, s, e, key), known))
    final += _one_label_per_name(names)
    final.sort(key=lambda x: (x.start, x.end))
    return _link_short_person_names(final)


def _settle_readings(
    text: str, readings: list[tuple[int, int, str]], chosen: list[_Chosen]
) -> tuple[list[tuple[int, int, str]], list[_Chosen]]:
    """The rule readings kept and the names left beside them, where the two overlap:

    * readings that cover a name's whole content replace it: ``GPT-3.5`` is a version of
      ``GPT``, the 木 of ``2023年1月5日（木）`` a weekday, ``5,000万文字まで`` a quantity,
      ``1日あたり10GB`` a date and a quantity;
    * a reading inside a name gives way (``第3回…大会``, ``731部隊`` stay names), but a
      date at the start of a name that is no event is a date of its own
      (``1980年|日劇ミュージックホール``; ``1972年札幌オリンピック`` stays one event);
    * a reading that starts inside a tagged name and runs on past it cuts the name
      (``Python版 v3|.2`` -> ``Python`` and the version ``v3.2``), or, a version after
      Latin words, takes the whole name (``Docker |Desktop 4.30`` -> the version)."""
    names = list(chosen)
    name_index = _SortedSpans([(c[0], c[1]) for c in names])
    reading_index = _SortedSpans([(r[0], r[1]) for r in readings])
    kept: list[tuple[int, int, str]] = []
    dropped: set[int] = set()
    for rs, re_, rlabel in readings:
        over = name_index.overlapping(rs, re_)
        if over and all(_readings_cover(text, [readings[r] for r in reading_index.overlapping(ns, ne)], ns, ne)
                        for ns, ne in ((names[k][0], names[k][1]) for k in over)):
            dropped.update(over)
        elif over:
            k = over[-1]
            ns, ne, label, key = names[k][:4]
            if (rlabel == "date" and len(over) == 1 and key is None and label != "event"
                    and rs == ns and re_ < ne and _DIGIT.search(text, rs, re_) and _LETTER.search(text, re_, ne)):
                # a year glued before a name that is no event (1980年|日劇ミュージックホール):
                # two things; an event keeps its year (1972年札幌オリンピック), and a word
                # like 今日 may begin a title (今日のニュース)
                names[k] = (re_, ne, label, None, -1, -1)
                name_index.starts[k] = re_
                kept.append((rs, re_, rlabel))
                continue
            # A hand-written name is cut by no reading, but a version after its last
            # word takes it whole (``Docker Desktop 4.30``, as ``Python 3.11``).
            versioned = rlabel == "version" and _LATIN_NAME.fullmatch(text, ns, rs)
            if not (len(over) == 1 and (key is None or versioned) and ns < rs < ne < re_):
                continue
            if rlabel == "version" and _LATIN_NAME.fullmatch(text, ns, rs):
                rs = ns
                dropped.add(k)
            else:
                cut = _name_end_before(text, ns, rs)
                if cut == ns:
                    continue
                names[k] = (ns, cut, label, None, -1, -1)
                name_index.ends[k] = cut
        kept.append((rs, re_, rlabel))
    return kept, [c for k, c in enumerate(names) if k not in dropped]


def _one_label_per_name(names: list[tuple[Entity, bool]]) -> list[Entity]:
    """One label for every mention of one name in a text: ``Gym`` tagged organization
    beside ``ジム``, the product of ``github.com/openai/gym``, becomes a product. A known
    name's label (hand-written tech names, URL repositories and owners) outweighs the
    tagger's; among the tagger's, the most frequent wins; a tie changes nothing."""
    if len(names) < 2:
        return [e for e, _ in names]
    votes: dict[str, Counter[str]] = {}
    for e, known in names:
        votes.setdefault(e.normalized, Counter())[e.label] += 100 if known else 1
    best: dict[str, str] = {}
    for k, c in votes.items():
        if len(c) > 1:
            (top, n), (_, runner_up) = c.most_common(2)
            if n > runner_up:  # a tie says nothing: leave each mention its own label
                best[k] = top
    if not best:
        return [e for e, _ in names]
    return [Entity(e.text, best[e.normalized], e.start, e.end, e.normalized)
            if best.get(e.normalized, e.label) != e.label else e for e, _ in names]


_SUBSTANTIVE = regex.compile(r"[\p{Han}\p{Katakana}\p{Latin}\d]")


def _readings_cover(text: str, readings: Sequence[tuple[int, int, str]], ns: int, ne: int) -> bool:
    """Whether the rule matches ``readings`` are the whole content of the name ``ns:ne``:
    what of the name they leave uncovered is only kana particles and symbols
    (``5,000万文字まで``, ``1日あたり10GB``; not ``第33回東京モーターショー``)."""
    rest, at = [], ns
    for rs, re_, _ in sorted(readings):
        if rs > at:
            rest.append(text[at:min(rs, ne)])
        at = max(at, re_)
    if at < ne:
        rest.append(text[at:ne])
    return not _SUBSTANTIVE.search("".join(rest))


def _link_short_person_names(ents: list[Entity]) -> list[Entity]:
    """アルトマン after サム・アルトマン is the same person: a person mention equal to
    the last part of a fuller person name in the article takes its key."""
    full: dict[str, str] = {}
    for e in ents:
        if e.label == "person" and ("・" in e.text or " " in e.text):
            last = _NAME_PARTS.split(e.text)[-1]
            if last:
                full.setdefault(last, e.normalized)
    if not full:
        return ents
    return [
        Entity(e.text, e.label, e.start, e.end, full[e.text])
        if e.label == "person" and e.text in full and e.normalized != full[e.text] else e
        for e in ents
    ]


_HIRAGANA = regex.compile(r"\p{Hiragana}")
_FULL_WIDTH = regex.compile(r"[\uff01-\uff5e]")
_FOLD_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_INLINE_CODE = regex.compile(r"(`+)[^`\n]+?\1")
_URL_LIKE = regex.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)[!-~]+")

_Chosen = tuple[int, int, str, "str | None", int, int]
# What a year or a number adds to a name: " 2023", "-3", " 2.0".
_NUMBERING = regex.compile(r"[\s\-'’/.]*\d[\d\s\-'’/.]*")


def _merge_names(
    text: str,
    names: list[tuple[int, int, str, int, int]],
    tech_hits: list[tuple[int, int, str]],
) -> list[_Chosen]:
    """The CRF's names and the hand-written tech names, without overlaps.

    A CRF span survives a tech name only by strictly containing exactly one of
    them with no kana particle around it (``Microsoft Windows 11 Pro``-like longer
    names), or by ending with an event or organisation head after it
    (``みなとPythonカンファレンス2024``); a span that cuts a tech name, or glues two together
    (``OpenAIのChatGPT``), gives way to them."""
    _, table = _tech()
    chosen: list[_Chosen] = []
    hits = _SortedSpans([(h[0], h[1]) for h in tech_hits])
    for s, e, label, i, j in names:
        over = hits.overlapping(s, e)
        if not over:
            chosen.append((s, e, label, None, i, j))
            continue
        if len(over) > 1:
            continue  # glues two tech names together
        h0, h1, surface = tech_hits[over[0]]
        if not (s <= h0 and h1 <= e) or (h0, h1) == (s, e):
            continue  # cuts the tech name, or is the same stretch: the hand-written name wins
        # What the CRF adds around the tech name must not be a particle, unless a head
        # word after the tech name makes the span a name of its own (みなとPythonカンファレンス2024).
        added = text[s:h0] + text[h1:e]
        if _HIRAGANA.search(added) and _head_type(text, h1, e) not in ("event", "organization"):
            continue
        if _NUMBERING.fullmatch(added):
            label = table[surface][0]  # WWDC 2023 is still an event, Windows 11 a product
        elif s == h0 and _brand_product(text, h1, e, table[surface][0]):
            label = "product"
        chosen.append((s, e, label, None, i, j))
    kept = _SortedSpans(sorted((c[0], c[1]) for c in chosen))
    for s, e, surface in tech_hits:
        if not kept.overlapping(s, e):
            label, key = table[surface]
            chosen.append((s, e, label, key, -1, -1))
    return chosen


# Latin words after a company's or product's name that make a product of it
# (Amazon Bedrock, GitHub Copilot Chat); a trailing region makes a branch (Google Japan).
_LATIN_WORDS_AFTER = regex.compile(r"(?: [A-Z][A-Za-z0-9+\-]*){1,3}")


def _brand_product(text: str, h1: int, e: int, tech_label: str) -> bool:
    """Whether a name made of the tech name ending at ``h1`` and the capitalised Latin
    words after it, up to ``e``, names a product: a company's (``Amazon Bedrock``,
    ``AWS Lambda``) or a product's (``GitHub Copilot Chat``), unless its last word
    says otherwise (``Microsoft Research``: :func:`_head_type`) or is a region
    (``Google Japan``)."""
    if tech_label not in ("organization", "product") or not _LATIN_WORDS_AFTER.fullmatch(text, h1, e):
        return False
    if _head_type(text, h1, e) is not None:
        return False
    return text[text.rfind(" ", h1, e) + 1:e] not in _word_list("region_words")


def _name_end_before(text: str, s: int, cut: int) -> int:
    """Where a name starting at ``s`` ends when it must end by ``cut``: white space and
    a Japanese generic word after a Latin name dropped (``Python版 `` -> ``Python``);
    ``s`` when no name is left."""
    e = len(text[s:cut].rstrip()) + s
    for k in range(max(s + 1, e - 6), e):
        if _generic_after_latin(text[k:e], (text[s:k].rstrip(),)):
            e = len(text[s:k].rstrip()) + s
            break
    return e if _LETTER.search(text, s, e) else s


class _SortedSpans:
    """Non-overlapping spans sorted by start; which of them overlap ``[s, e)``, by
    bisection (a long article has thousands of names)."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    def overlapping(self, s: int, e: int) -> list[int]:
        lo = bisect.bisect_right(self.ends, s)
        hi = bisect.bisect_left(self.starts, e)
        return list(range(lo, hi))


class _Coverage:
    """Which code points are taken (URLs, inline code, names found so far)."""

    __slots__ = ("_cov",)

    def __init__(self, n: int, spans: Sequence[tuple[int, int]] = ()) -> None:
        self._cov = bytearray(n) if spans else None
        for a, b in spans:
            self.add(a, b)

    def add(self, s: int, e: int) -> None:
        if self._cov is None:
            self._cov = bytearray(0)
        if len(self._cov) < e:
            self._cov.extend(bytes(e - len(self._cov)))
        self._cov[s:e] = b"\x01" * (e - s)

    def hits(self, s: int, e: int) -> bool:
        return self._cov is not None and self._cov.find(1, s, e) >= 0

    def copy(self) -> _Coverage:
        c = _Coverage(0)
        c._cov = bytearray(self._cov) if self._cov is not None else None
        return c


def _propagate(
    text: str,
    tagged: _Tagged,
    urls: Sequence[Url],
    taken: _Coverage,
    chosen: Sequence[_Chosen],
) -> list[_Chosen]:
    """More mentions of names the article already has, found by key rather than by
    the tagger: the repository or owner of a URL (``ジム`` has UniDic origin ``gym``:
    ``github.com/openai/gym``), another spelling of a found name (``ファストAPI`` ->
    ``fastapi`` beside ``FastAPI``), or the same surface again. ``taken`` covers the
    names and URLs found so far; the mentions added here are added to it."""
    names: dict[str, tuple[str, str]] = {}
    for u in urls:
        if u.repo:
            names.setdefault(u.repo.lower(), ("product", u.repo.lower()))
        if u.owner:
            names.setdefault(u.owner.lower(), ("organization", u.owner.lower()))
    surfaces: dict[str, str] = {}
    for s, e, label, key, _, _ in chosen:
        t = text[s:e]
        if key is None:
            key = _plain_key(t)
        if len(key) >= 3 and _LATIN_WORD.match(key):
            names.setdefault(key, (label, key))
        if e - s >= 2:
            surfaces.setdefault(t, label)
    if not names and not surfaces:
        return []
    out: list[_Chosen] = []
    n = len(tagged.surfaces)
    starts, ends = tagged.starts, tagged.ends
    parts = [_origin_part_of(s, e[2]) for s, e in zip(tagged.surfaces, tagged.entries)] if names else [None] * n
    firsts = {t[0] for t in surfaces}
    # Only morphemes that open a known surface or carry a romanisable part can start
    # a mention: visit those, in order, past the end of the last mention.
    candidates = [k for k in range(n) if parts[k] or text[starts[k]] in firsts]
    resume = 0
    for k in candidates:
        if k < resume:
            continue
        hit = None
        if text[starts[k]] in firsts:
            for j in range(min(n, k + 3), k, -1):
                s, e = starts[k], ends[j - 1]
                t = text[s:e]
                if t in surfaces and (j == n or starts[j] > e or _edge_ok(t, text, e)):
                    hit = (s, e, j, surfaces[t], None)
                    break
        if hit is None and parts[k]:
            keys = []
            acc = ""
            for j in range(k, min(n, k + 3)):
                if parts[j] is None:
                    break
                acc += parts[j]
                keys.append((j + 1, acc.strip()))
            for j, key in reversed(keys):
                if key in names:
                    label, key = names[key]
                    hit = (starts[k], ends[j - 1], j, label, key)
                    break
        if hit:
            s, e, j, label, key = hit
            if not taken.hits(s, e) and _plausible_name(text, tagged, k, j):
                out.append((s, e, label, key, k, j))
                taken.add(s, e)
            resume = j
    return out


_COUNTRY_POS = "名詞-固有名詞-地名-国"


def _countries(tagged: _Tagged, model: CrfModel, taken: _Coverage) -> list[_Chosen]:
    """Country names the tagger left inside a longer word: UniDic's 地名-国 morphemes that
    no name covers are locations (``日本|最大手``, ``日本|時間``, ``カナダ|最大``), unless a
    suffix makes them a people, a language, a make or a style (``日本|人``, ``英|語``,
    ``日本|製``: ``not_after_country`` in ``data/ner_rules.json``). Stockmark marks the 日本
    of 日本国内 too; on its test split this adds 4 names, 3 of them right."""
    starts, ends, entries = tagged.starts, tagged.ends, tagged.entries
    country = model.ps_ids_with_pos(_COUNTRY_POS)
    found = [k for k, ent in enumerate(entries) if ent[1] in country]
    out: list[_Chosen] = []
    for k in found:
        s, e = starts[k], ends[k]
        if taken.hits(s, e) or _country_of_a_word(tagged, k):
            continue
        out.append((s, e, "location", None, k, k + 1))
    return out


def _country_of_a_word(tagged: _Tagged, k: int) -> bool:
    """Whether the morpheme ``k`` (a country's name) is glued to a suffix that makes the
    word a people, a language, a make, a style or a currency (``日本|人``, ``英|語``,
    ``日本|製``, ``日本|円``: ``not_after_country`` in ``data/ner_rules.json``), so the
    country alone is no location."""
    nxt = k + 1
    return (nxt < len(tagged.surfaces) and tagged.starts[nxt] == tagged.ends[k]
            and tagged.surfaces[nxt].startswith(_word_tuple("not_after_country")))


@lru_cache(maxsize=65536)
def _origin_part_of(surface: str, lemma: str) -> str | None:
    """What a morpheme contributes to a romanised key (see :func:`_origin_key`)."""
    if surface in "・･":
        return " "
    dash = lemma.find("-")
    if dash > 0 and lemma[dash + 1:].isascii():
        return lemma[dash + 1:].lower()
    if surface.isascii() and surface.isalnum():
        return surface.lower()
    return None


def _edge_ok(name: str, text: str, e: int) -> bool:
    """The same surface again, but not the start of a longer word (Go in Google)."""
    return e >= len(text) or not (_LATIN_END.match(name[-1]) and _LATIN_END.match(text[e]))


_LATIN_END = regex.compile(r"[\p{Latin}\d_]")


def _name_key(
    text: str,
    tagged: _Tagged,
    i: int,
    j: int,
    aliases: dict[str, str],
    url_keys: dict[str, str],
) -> str:
    plain = _plain_key(text)
    alias = aliases.get(plain)
    if alias:
        return alias
    key = None
    # Latin text is its own key (Microsoft Azure -> "microsoft azure"); UniDic
    # origins only romanise what is written in kana.
    if not _LATIN_WORD.match(plain) and 0 <= i < j <= len(tagged.surfaces):
        key = _origin_key(tagged, i, j)
    if key is None:
        key = plain
    if url_keys:
        if _LATIN_WORD.match(key):
            hit = url_keys.get(_loose(key))
            if hit:
                return hit
    return key


def entity_summary(entities: Sequence[Entity]) -> list[dict[str, Any]]:
    """One record per distinct thing: entities sharing ``normalized`` (names among
    themselves, each rule label apart), the most frequent label, the mention count and
    the first mention.

    >>> ents = extract_entities("マイクロソフトとMicrosoftは同じ会社だ。")
    >>> [(d["label"], d["normalized"], d["count"], d["first"]["text"]) for d in entity_summary(ents)]
    [('organization', 'microsoft', 2, 'マイクロソフト')]
    """
    groups: dict[tuple[str, str], list[Entity]] = {}
    for e in sorted(entities, key=lambda x: (x.start, x.end)):
        family = "name" if e.label in NAME_LABELS else e.label
        groups.setdefault((family, e.normalized), []).append(e)
    out = []
    for (_, key), ents in groups.items():
        # Counter keeps first-seen order, so a tie goes to the label seen first.
        label = Counter(e.label for e in ents).most_common(1)[0][0]
        first = ents[0]
        out.append({
            "label": label,
            "normalized": key,
            "count": len(ents),
            "first": {"start": first.start, "end": first.end, "text": first.text},
            "texts": sorted({e.text for e in ents}),
        })
    out.sort(key=lambda d: (d["first"]["start"], d["first"]["end"]))
    return out
