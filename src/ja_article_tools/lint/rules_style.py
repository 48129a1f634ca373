"""JA3xx: style and grammar (sentence length, particles, 文体, wording)."""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain, compress, islice
from operator import eq, methodcaller
from typing import Any

import regex

from .engine import LToken as Token
from ._chars import compile_patterns, inside, load_data, pattern_spans
from .engine import BlockContext, DocContext
from .markdown import MARKUP, MASKS
from .registry import Hit, rule

def _union_pattern(name: str) -> str:
    """One alternation of a word list's patterns (named groups made plain): the list's
    trigger, so the data file stays the only place to edit."""
    return "|".join(f"(?:{re.sub(r'[(][?]P<[a-z]+>', '(', e['pattern'])})" for e in load_data(name))


def _anchor_pattern(name: str) -> str:
    """Alternation of the plain ``anchors`` (substrings every match of an entry holds):
    a literal alternation scans 10x faster than the entries' own patterns."""
    return "|".join(re.escape(a) for e in load_data(name) for a in e["anchors"])


_URLISH = re.compile(r"^\s*(?:https?|ftp)://\S+\s*$")


_SIMPLE_SPLIT: dict[str, re.Pattern[str]] = {}


def simple_split(text: str, seps: str | list[str]) -> list[tuple[int, int]]:
    """Split at any separator character, brackets ignored (textlint's sentence split
    for the particle rules); ASCII ``.`` only before white space."""
    key = "".join(seps)
    pat = _SIMPLE_SPLIT.get(key)
    if pat is None:
        chars = "".join(re.escape(c) for c in key if c != ".")
        alts = ([f"[{chars}]"] if chars else []) + ([r"\.(?=[ \n\t]|$)"] if "." in key else []) + [r"\n(?=\n)"]
        pat = re.compile("|".join(alts))
        _SIMPLE_SPLIT[key] = pat
    out: list[tuple[int, int]] = []
    s0 = 0
    for m in pat.finditer(text):
        if m.group() == "\n":
            out.append((s0, m.start()))
        else:
            out.append((s0, m.end()))
        s0 = m.end()
    if s0 < len(text):
        out.append((s0, len(text)))
    return out


def _tokens_in(toks: list[Token], s: int, e: int, start_index: int = 0) -> tuple[list[Token], int]:
    i = start_index
    while i < len(toks) and toks[i].start < s:
        i += 1
    j = i
    while j < len(toks) and toks[j].start < e:
        j += 1
    return toks[i:j], j


def _is_mask(t: Token) -> bool:
    return t.surface[0] in MASKS


# --------------------------------------------------------------------------- length


# Six kanji in a row, spelt out: ``re`` finds ``[K][K]…`` 2x faster than ``[K]{6}``.
_SIX_KANJI = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]" * 6

# Characters beyond the BMP count twice in UTF-16 code units (``max(p)`` over a string
# found them 10x slower).
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@rule(
    "JA301",
    "sentence-length",
    textlint="sentence-length",
    options={"max": 100, "skipPatterns": [], "skipUrlStringLink": True, "countBy": "codeunits"},
    # textlint checks paragraphs (list items hold paragraphs), not headings or tables.
    kinds=("paragraph", "list_item", "footnote"),
)
def sentence_length(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """一文は max 文字以内（既定 100）。インラインコードの中身は数え、記法は数えない。

    NG: 120 文字続く一文 → OK: 二文に分ける。Quotes, headings and tables are not checked,
    nor a block that is a single link (a link list entry), as textlint.
    """
    limit = int(opt.get("max", 100))
    t, p = ctx.text, ctx.prose
    if len(p) <= limit and (opt.get("countBy", "codeunits") == "codepoints" or _ASTRAL.search(p) is None):
        return  # the whole block fits
    links = [(s, e) for k, s, e in ctx.spans if k == "link"]
    if links:
        visible = [i for i, ch in enumerate(p) if ch != MARKUP and not ch.isspace()]
        if visible and all(inside(i, links) for i in visible):
            return
    skip_links = [(s, e) for s, e in links if _URLISH.match(t[s:e])] if opt.get("skipUrlStringLink", True) else []
    skips = compile_patterns(opt.get("skipPatterns", []))
    by_points = opt.get("countBy", "codeunits") == "codepoints"
    for s, e in ctx.sentences("。?!？！．"):
        if e - s <= limit and (by_points or _ASTRAL.search(t, s, e) is None):
            continue  # cannot be too long
        if MARKUP not in p[s:e] and not skip_links:
            chars = t[s:e]
        else:
            chars = "".join(t[i] for i in range(s, e) if p[i] != MARKUP and not (skip_links and inside(i, skip_links)))
        original = len(chars)
        for pat in skips:
            chars = pat.sub("", chars)
        n = len(chars) if by_points else len(chars.encode("utf-16-le")) // 2
        if n > limit:
            extra = f", original:{original}" if skips and original != len(chars) else ""
            yield Hit(s, e, f"sentence length({n}{extra}) exceeds the maximum sentence length of {limit}.\nOver {n - limit} characters.")


_KANJI_RUN = regex.compile(r"\p{Han}+")


@rule("JA302", "max-kanji-continuous-len", textlint="max-kanji-continuous-len", options={"max": 5, "allow": []}, trigger=_SIX_KANJI, japanese=True)
def max_kanji_continuous_len(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """漢字が max 文字（既定 5）を超えて続かない。

    NG: ``漢字連続調複雑性`` → OK: ``漢字が連続する複雑な調子``. Words in ``allow`` pass.
    """
    limit = int(opt.get("max", 5))
    allowed = pattern_spans(compile_patterns(opt.get("allow", [])), ctx.prose)
    for m in _KANJI_RUN.finditer(ctx.prose):
        if m.end() - m.start() <= limit:
            continue
        if any(s <= m.start() and m.end() <= e for s, e in allowed):
            continue
        yield Hit(m.start(), m.end(), f"漢字が{limit + 1}つ以上連続しています: {m.group()}")


# --------------------------------------------------------------------------- 文体

_FINAL_AFTER = set("。.．!?！？")
_AUX_VERB = re.compile("A")
_STYLE_CHARS = re.compile("[でまだ]")  # every です/ます/だ/である form holds one


def _style_marks(ctx: BlockContext, strict: bool) -> list[tuple[str, int, int]]:
    """``("desu"|"dearu", start, end)`` for each polite/plain sentence ending."""
    toks = ctx.tokens
    p = ctx.prose
    links = [(s, e) for k, s, e in ctx.spans if k in ("link", "image")]
    out: list[tuple[str, int, int]] = []
    n = len(toks)
    # Only auxiliary verbs (class "A") can mark a style: found in C.
    for m in _AUX_VERB.finditer(ctx.token_classes):
        i = m.start()
        t = toks[i]
        kind = None
        end_i = i
        if t.lemma in ("です", "ます"):
            kind = "desu"
        elif t.lemma == "だ":
            if t.surface == "で" and i + 1 < n and toks[i + 1].lemma == "有る" and toks[i + 1].start == t.end:
                kind, end_i = "dearu", i + 1
            elif t.surface in ("だ", "だっ", "だろ", "だろう"):
                kind = "dearu"
        if kind is None or (links and inside(t.start, links)):
            continue
        if not strict:
            k = end_i + 1
            while k < n and toks[k].start == toks[k - 1].end and toks[k].pos and (
                toks[k].pos[0] == "助動詞" or toks[k].pos[:2] == ("助詞", "終助詞")
            ):
                k += 1
            pos = toks[k - 1].end
            while pos < len(p) and p[pos] in " \t":
                pos += 1
            while pos < len(p) and p[pos] in ")）」』":
                pos += 1
            final = pos >= len(p) or p[pos] in _FINAL_AFTER or not p[pos:].strip()
            if not final:
                continue
        out.append((kind, t.start, t.end))
    return out


_GROUP = {"heading": "header", "title": "header", "list_item": "list", "paragraph": "body", "table": "body", "footnote": "body"}
_GROUP_LABEL = {"header": "見出し", "list": "箇条書き", "body": "本文"}
_PREFER_KEY = {"header": "preferInHeader", "list": "preferInList", "body": "preferInBody"}


@rule(
    "JA303",
    "no-mix-dearu-desumasu",
    textlint="no-mix-dearu-desumasu",
    scope="document",
    options={"preferInHeader": "", "preferInBody": "", "preferInList": "", "strict": False},
    needs_tokens=True,
)
def no_mix_dearu_desumasu(doc: DocContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """本文・見出し・箇条書きのそれぞれで「ですます調」と「である調」を混ぜない。

    NG: ``今日はいい天気ですね。\\n今日はいい天気である。`` → OK: どちらかに揃える。
    Without a preference the majority wins (a tie goes to ですます). Without ``strict``
    only sentence-final forms count (``ですが、`` does not). Quotes are not checked.
    """
    strict = bool(opt.get("strict", False))
    groups: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: {"desu": [], "dearu": []})
    for ctx in doc.blocks:
        g = _GROUP.get(ctx.kind)
        if g is None:
            continue
        if _STYLE_CHARS.search(ctx.prose) is None:
            continue
        for kind, s, e in _style_marks(ctx, strict):
            groups[g][kind].append((s + ctx.start, e + ctx.start))
    for g, found in groups.items():
        prefer = str(opt.get(_PREFER_KEY[g], "") or "")
        label = _GROUP_LABEL[g]
        if prefer == "ですます":
            bad, msg = found["dearu"], f'{label}: "ですます"調 でなければなりません => "ですます"調 であるべき箇所に、次の "である"調 の箇所があります'
        elif prefer == "である":
            bad, msg = found["desu"], f'{label}: "である"調 でなければなりません => "である"調 であるべき箇所に、次の "ですます"調 の箇所があります'
        else:
            if not found["desu"] or not found["dearu"]:
                continue
            if len(found["desu"]) >= len(found["dearu"]):
                bad, msg = found["dearu"], f'{label}: "である"調 と "ですます"調 が混在 => "ですます"調 の文体に、次の "である"調 の箇所があります'
            else:
                bad, msg = found["desu"], f'{label}: "である"調 と "ですます"調 が混在 => "である"調 の文体に、次の "ですます"調 の箇所があります'
        for s, e in bad:
            yield Hit(s, e, msg)


# --------------------------------------------------------------------------- particles

_BRACKETS = frozenset("「」『』（）()[]［］【】〔〕\"“”")
_JOSHI_RELEVANT = re.compile("[PJS_]")
_JOSHI_EXEMPT = {"の", "を", "て", "か", "たり", "や", "し", "とか", "なり"}


@rule(
    "JA304",
    "no-doubled-joshi",
    textlint="no-doubled-joshi",
    options={
        "min_interval": 1,
        "strict": False,
        "allow": [],
        "separatorCharacters": [".", "．", "。", "?", "!", "？", "！"],
        "commaCharacters": ["、", "，"],
    },
    needs_tokens=True,
    japanese=True,
)
def no_doubled_joshi(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """一文の中で同じ助詞を近くで繰り返さない。

    NG: ``材料不足で代替素材で製品を作った。`` → OK: ``材料不足のため代替素材で製品を作った。``
    Not strict: の, を, て, か, たり, や and the 並立 と (``AとBとC``) may repeat; a comma
    between the two particles separates them. Bracketed text is checked on its own.
    """
    p = ctx.prose
    # A doubled particle needs some particle character twice: most short blocks have
    # none, and then they need not be tagged at all.
    for c in "はがにでともへやかばまよのをてし":
        if p.count(c) >= 2:
            break
    else:
        return
    toks = ctx.tokens
    if not toks:
        return
    interval = int(opt.get("min_interval", 1))
    strict = bool(opt.get("strict", False))
    allow = set(opt.get("allow", []))
    # ``separatorChars`` is the option's name before textlint-rule-no-doubled-joshi 5.
    seps = set(opt.get("separatorCharacters", opt.get("separatorChars", [".", "．", "。", "?", "!", "？", "！"])))
    commas = set() if strict else set(opt.get("commaCharacters", ["、", "，"]))
    sep_or_comma = seps | commas
    # Countable items are particle runs (contiguous particles) and commas; a separator
    # or bracket starts over. ``last[key]`` is the item index of a run's last twin.
    # Only particles, symbols and separator/comma tokens matter: their indices are found
    # in C (the class string, the surfaces); other tokens only end a run.
    classes = ctx.token_classes
    n = len(toks)
    wanted = [m.start() for m in _JOSHI_RELEVANT.finditer(classes)]
    odd = [i for i in compress(range(n), map(sep_or_comma.__contains__, ctx.surfaces)) if classes[i] not in "PJS_"]
    if odd:
        wanted = sorted(wanted + odd)
    last: dict[str, int] = {}
    idx = 0
    run0 = -1  # index of the open run's first token, -1 when none is open
    run_last = -1
    run_surface = ""
    for i in chain(wanted, (n,)):
        if run0 >= 0:
            if i == run_last + 1 and i < n and classes[i] in "PJ" and toks[i].start == toks[run_last].end:
                run_surface += toks[i].surface
                run_last = i
                continue
            # The run is closed by the token after it, which its exemption looks at.
            first = toks[run0]
            p0 = first.pos
            key = run_surface + ":" + (p0[1] if len(p0) > 1 else "")
            seen_at = last.get(key)
            if seen_at is not None and idx - seen_at <= interval and not _joshi_exempt(
                run_surface, p0, toks[run0 - 1] if run0 > 0 else None, toks[run_last + 1] if run_last + 1 < n else None, strict, allow
            ):
                yield Hit(first.start, first.start + len(run_surface), f'一文に二回以上利用されている助詞 "{run_surface}" がみつかりました。')
            last[key] = idx
            idx += 1
            run0 = -1
        if i == n:
            break
        t = toks[i]
        if classes[i] in "PJ":
            run0 = run_last = i
            run_surface = t.surface
            continue
        s0 = t.surface
        if s0 in sep_or_comma or (classes[i] in "S_" and not _BRACKETS.isdisjoint(s0)):
            if s0 in seps or not _BRACKETS.isdisjoint(s0):
                last.clear()
                idx = 0
            elif s0 in commas:
                idx += 1


def _joshi_exempt(surface: str, pos: tuple[str, ...], before: Token | None, after: Token | None, strict: bool, allow: set[str]) -> bool:
    """Whether a doubled particle run is allowed: の, を, て… and 準体助詞 unless strict,
    並立の「と」 between nouns (``AとBとC``), and the ``allow`` list."""
    if not strict:
        if surface in _JOSHI_EXEMPT or pos[1:2] == ("準体助詞",):
            return True
        if (
            surface == "と" and after is not None and after.pos and after.pos[0] in ("名詞", "代名詞")
            and before is not None and before.pos and before.pos[0] in ("名詞", "代名詞")
        ):
            return True
    return surface in allow


@lru_cache(maxsize=4096)
def _conjugation_type(lemma: str) -> str:
    from ..tokens import get_tagger

    for w in get_tagger()(lemma):
        parts = w.feature_raw.split(",")
        return parts[4] if len(parts) > 4 else ""
    return ""


@rule("JA305", "no-dropping-the-ra", textlint="no-dropping-the-ra", needs_tokens=True, trigger=r"れ(?<=[\u3400-\u9fffえけげせぜてでねべめれいきぎしじちにひびみり]れ)", japanese=True)
def no_dropping_the_ra(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """ら抜き言葉を使わない（一段動詞・カ変動詞の可能形）。

    NG: ``この距離からでも見れる。`` → OK: ``この距離からでも見られる。``
    """
    if "れ" not in ctx.prose:
        return
    toks = ctx.tokens
    for i, t in enumerate(toks):
        if not t.pos or t.pos[0] != "動詞" or not t.lemma.endswith("る"):
            continue
        stem = t.lemma[:-1]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if "れ" in t.surface and t.surface.startswith(stem + "れ"):
            if t.surface == stem + "れ" and nxt is not None and nxt.surface == "ば":
                continue  # 見れば: the conditional, correct
            if t.lemma == "居る" and t.surface[0] == "い":
                continue  # hiragana いれる is mostly 入れる: too ambiguous
            end = t.end
        elif nxt is not None and nxt.lemma == "れる" and nxt.pos[:1] == ("助動詞",) and nxt.start == t.end and t.surface == stem:
            end = nxt.end  # 借り+れる: UniDic splits some ら抜き forms into verb + 助動詞
        else:
            continue
        ctype = _conjugation_type(t.lemma)
        if ctype.startswith(("上一段", "下一段", "カ行変格")):
            yield Hit(t.start, end, "ら抜き言葉を使用しています。")


@rule(
    "JA306",
    "no-doubled-conjunctive-particle-ga",
    textlint="no-doubled-conjunctive-particle-ga",
    options={"separatorChars": ["。", "?", "!", "？", "！", "．"]},
    needs_tokens=True,
    japanese=True,
    trigger="が",
)
def no_doubled_conjunctive_particle_ga(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """逆接の接続助詞「が」を一文で二度使わない。

    NG: ``出発したが、間に合わなかったが、到着した。`` → OK: 文を分ける。
    """
    if ctx.prose.count("が") < 2:
        return
    if ctx.token_classes.count("J") < 2:
        return  # fewer than two 接続助詞 of any kind
    toks = ctx.tokens
    k = 0
    for s, e in simple_split(ctx.prose, opt.get("separatorChars", ["。", "?", "!", "？", "！", "．"])):
        sent, k = _tokens_in(toks, s, e, k)
        gas = [t for t in sent if t.surface == "が" and t.pos[:2] == ("助詞", "接続助詞")]
        if len(gas) >= 2:
            yield Hit(gas[0].start, gas[0].end, '文中に逆接の接続助詞 "が" が二回以上使われています。')


_CONJ_SEPS = frozenset("。．?!？！")
_CONJUNCTION = re.compile("C")
_SENTENCE_END = re.compile("[。．.?!？！]")
_REPEAT = re.compile(r"([^\x00-\x7f\ue000\ue001]{1,8})[ \u3000]*\1")


@rule("JA307", "no-doubled-conjunction", textlint="no-doubled-conjunction", needs_tokens=True, japanese=True)
def no_doubled_conjunction(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """同じ接続詞で始まる文を続けない。

    NG: ``そして昼は仕事をした。そして夜に寝た。`` → OK: ``昼は仕事をした。夜には寝た。``
    """
    p = ctx.prose
    body = p.rstrip()
    if _SENTENCE_END.search(body, 0, len(body) - 1) is None:
        return  # one sentence: nothing to repeat (and no need to tag it)
    classes = ctx.token_classes
    if classes.count("C") < 2:
        return  # a repeat needs two conjunctions (class "C")
    toks = ctx.tokens
    conj = [toks[m.start()].surface for m in _CONJUNCTION.finditer(classes)]
    if len(set(conj)) == len(conj):
        return
    prev: str | None = None
    at_start = True
    for t in toks:
        sf = t.surface
        if sf[0] in _CONJ_SEPS or (sf == "." and (t.end >= len(p) or p[t.end] in " \n\t")):
            at_start = True
            continue
        if not at_start or sf[0] in MASKS:
            continue
        at_start = False
        if t.pos and t.pos[0] == "接続詞":
            if prev == sf:
                yield Hit(t.start, t.end, f"同じ接続詞（{sf}）が連続して使われています。")
            prev = sf


_NA = "(?:な|無)"
_NEG_END = "(?:な|無)(?:い|かっ|く|けれ|さ)"
_DOUBLE_NEG = [
    (re.compile(_NA + "く[もは]" + "(?P<neg>" + _NEG_END + ")"), "〜なく{}ない"),
    (re.compile(_NA + "い(?:(?:もの|物|わけ|訳)(?:では|でも)|(?:こと|事|コト)[はも]|で[はも])" + "(?P<neg>" + _NEG_END + ")"), "〜ない…ない"),
    (re.compile(_NA + "いと[はも]?(?:言い切れ|いい切れ|言いきれ|いいきれ|限ら|かぎら)" + "(?P<neg>" + _NEG_END + ")"), "〜ないと…ない"),
]


@rule("JA308", "no-double-negative-ja", textlint="no-double-negative-ja", trigger=r"[な無][いく]", japanese=True)
def no_double_negative(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """二重否定を使わない。

    NG: ``問題ないとは言い切れない`` → OK: ``問題がある可能性がある``; ``ないこともない`` →
    ``ある``.
    """
    p = ctx.prose
    if "な" not in p and "無" not in p:
        return
    for pat, label in _DOUBLE_NEG:
        for m in pat.finditer(p):
            yield Hit(m.start("neg"), m.end("neg"), f"二重否定: {m.group()}")


@rule("JA309", "ja-no-successive-word", textlint="ja-no-successive-word", options={"allowOnomatopee": True, "allow": []}, needs_tokens=True, japanese=True)
def no_successive_word(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """同じ語を誤って続けて書かない。

    NG: ``これはは問題ある文章です。`` → OK: ``これは問題ある文章です。``
    Numbers and symbols may repeat; onomatopoeia (``カクカク``) is allowed by default.
    """
    p = ctx.prose
    allow = set(opt.get("allow", []))
    onomatopee = bool(opt.get("allowOnomatopee", True))
    made = ctx.__dict__.get("tokens")  # tagged already for another rule?
    same: Iterable[int] | None = None
    if made is not None and onomatopee:
        # Then equal neighbours are found in C first: usually there are none, and the
        # character-repeat regex below (a back-reference, slow) need not run.
        surfaces = ctx.surfaces
        same = list(compress(range(1, len(surfaces)), map(eq, surfaces, islice(surfaces, 1, None))))
        if not same:
            return
    # Two equal adjacent words repeat their characters: no repeat, no tagging.
    if not _REPEAT.search(p):
        return
    toks = ctx.tokens
    if not onomatopee:
        for t in toks:
            if len(t.surface) >= 4 and len(t.surface) % 2 == 0 and t.pos and t.pos[0] not in ("補助記号", "空白"):
                h = len(t.surface) // 2
                if t.surface[:h] == t.surface[h:] and t.surface not in allow and t.surface[0] not in MASKS:
                    yield Hit(t.start + h, t.end, f'"{t.surface[:h]}" が連続して2回使われています。')
    if same is None:
        same = (i for i in range(1, len(toks)) if toks[i - 1].surface == toks[i].surface)
    for i in same:
        prev, t = toks[i - 1], toks[i]
        if not t.pos or t.pos[0] in ("補助記号", "空白") or t.pos[1:2] == ("数詞",) or _is_mask(t):
            continue
        if t.surface in allow or t.surface.isascii() or p[prev.end : t.start].strip(" \u3000") != "":
            continue
        yield Hit(t.start, t.end, f'"{t.surface}" が連続して2回使われています。')


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@lru_cache(maxsize=None)
def _phrase_patterns(name: str) -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    return [(re.compile(e["pattern"]), e) for e in load_data(name)]


@lru_cache(maxsize=None)
def _any_phrase(name: str) -> regex.Pattern[str]:
    """One alternation of a word list's patterns: a block that does not match it is
    skipped with a single regex search."""
    return regex.compile(_union_pattern(name))


@rule("JA310", "ja-no-weak-phrase", textlint="ja-no-weak-phrase", trigger=_union_pattern("weak_phrases.json"), japanese=True)
def no_weak_phrase(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """弱い表現（〜かもしれない、〜と思います）を使わない。

    NG: ``重大な意義を持つと思います。`` → OK: ``重大な意義を持ちます。`` (word list:
    ``data/weak_phrases.json``).
    """
    p = ctx.prose
    if not _any_phrase("weak_phrases.json").search(p):
        return
    for pat, e in _phrase_patterns("weak_phrases.json"):
        for m in pat.finditer(p):
            yield Hit(m.start(), m.end(), f'弱い表現: "{e["label"]}" が使われています。')


@rule(
    "JA311",
    "ja-no-redundant-expression",
    textlint="ja-no-redundant-expression",
    fix="unsafe",
    options={"allowNodeTypes": ["BlockQuote"], "dictOptions": {}},
    needs_tokens=True,
    trigger=r"(?:する|した)(?:こと|事)|で(?:ある|有る)|を[、,，]?(?:行|実行)",
    japanese=True,
)
def no_redundant_expression(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """冗長な表現を避ける。

    NG: ``解析することができます`` → OK: ``解析できます``; NG: ``確認を行う`` → OK: ``確認する``.
    Dictionaries in ``data/redundant_expressions.json`` (dict1–dict6 as textlint); the
    ``することが`` removal is an unsafe fix (it rewrites wording).
    """
    if ctx.kind == "blockquote" and "BlockQuote" in opt.get("allowNodeTypes", ["BlockQuote"]):
        return
    data = load_data("redundant_expressions.json")
    dict_opts = opt.get("dictOptions", {}) or {}
    p = ctx.prose
    if not any(k in p for k in ("する", "した", "で", "を")):
        return
    for entry in data["patterns"]:
        d = dict_opts.get(entry["dict"], {})
        if d.get("disabled"):
            continue
        allows = compile_patterns(d.get("allows", []))
        for m in _compiled(entry["pattern"]).finditer(p):
            if any(a.search(m.group()) for a in allows):
                continue
            edits = None
            g = entry.get("remove_group")
            if g and (not entry.get("fix_only_particle") or m.group("particle") == entry["fix_only_particle"]):
                # Only 「することが」 is removed: with も/は/を the meaning shifts (as textlint).
                edits = ((m.start(g), m.end(g), ""),)
            yield Hit(m.start(), m.end(), f'【{entry["dict"]}】 "{m.group()}"は冗長な表現です。{entry["hint"]}', edits)
    if "を" not in p:
        return
    toks = ctx.tokens
    for entry in data["sahen"]:
        d = dict_opts.get(entry["dict"], {})
        if d.get("disabled"):
            continue
        # User allows replace the defaults, as in textlint's dictOptions.
        allows = compile_patterns(d["allows"] if "allows" in d else entry.get("allows", []))
        for i, t in enumerate(toks):
            if t.lemma != entry["verb_lemma"] or i < 2:
                continue
            j = i - 1
            if toks[j].surface in ("、", "､", ",", "，"):
                j -= 1
            if j < 1 or toks[j].surface != "を":
                continue
            noun = toks[j - 1]
            if noun.pos[:1] != ("名詞",) or "サ変可能" not in noun.pos:
                continue
            matched = p[noun.start : t.end + 1]
            if any(a.search(matched) for a in allows):
                continue
            yield Hit(noun.start, t.end, f'【{entry["dict"]}】 "{noun.surface}を{entry["verb"]}"は冗長な表現です。"{noun.surface}する"など簡潔な表現にすると文章が明瞭になります。')


@rule("JA312", "ja-no-abusage", textlint="ja-no-abusage", fix="unsafe", trigger=_anchor_pattern("abusage.json"), japanese=True)
def no_abusage(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """よくある日本語の誤用。

    NG: ``パッチを適応する`` → OK: ``パッチを適用する``; NG: ``読みずらい`` → OK: ``読みづらい``
    (list: ``data/abusage.json``; fixes are unsafe because a few hits are intended).
    """
    p = ctx.prose
    if not _any_phrase("abusage.json").search(p):
        return
    for pat, e in _phrase_patterns("abusage.json"):
        for m in pat.finditer(p):
            edits = None
            if "replace" in e:
                g = "fix" if "fix" in pat.groupindex else 0
                edits = ((m.start(g), m.end(g), e["replace"]),)
            yield Hit(m.start(), m.end(), e["message"], edits)


# Japanese as an IME leaves it around a stray letter: kana, kanji, full-width forms, ー
# and − (the installed textlint version does not count 。、 here: ``リソースA、`` passes).
# The match consumes the right-hand character, as textlint's global regex does.
_UNNATURAL = regex.compile(
    r"(?:[々〇〻\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\uff00-\uffefぁ-んァ-ヶー−])"
    r"([a-zA-Zａ-ｚＡ-Ｚ])"
    r"(?:[々〇〻\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\uff00-\uffefぁ-んァ-ヶー−])"
)
_UNNATURAL_DEFAULT_ALLOW = ["a", "i", "u", "e", "o", "n"]  # vowels and n: romaji input in progress


@rule(
    "JA313",
    "ja-unnatural-alphabet",
    textlint="ja-unnatural-alphabet",
    options={"allow": _UNNATURAL_DEFAULT_ALLOW, "allowCommonCase": True},
    trigger=r"[A-Za-zＡ-Ｚａ-ｚ][\u3041-\u30ff\u3400-\u9fff\uff00-\uffef−]",
    japanese=True,
)
def unnatural_alphabet(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """日本語の間に1文字だけ紛れたアルファベット（IME の入力ミス）。

    NG: ``対応でｋない`` / ``リイr−ス`` → OK: ``対応できない``. ``C言語``, ``X軸``, ``Eメール`` and
    the vowels and ``n`` (romaji typed halfway) pass by default; ``allow`` replaces the
    letter list, ``allowCommonCase: false`` drops the built-in words.
    """
    p = ctx.prose
    if p.isascii():
        return
    hits = list(_UNNATURAL.finditer(p))
    if not hits:
        return
    allow = list(opt.get("allow", _UNNATURAL_DEFAULT_ALLOW))
    if opt.get("allowCommonCase", True):
        allow += list(load_data("unnatural_alphabet_allow.json"))
    covered = _Covered(pattern_spans(compile_patterns(allow), p))
    for m in hits:
        i = m.start(1)
        # textlint's range test is inclusive of the allowed match's end.
        if covered.holds(i):
            continue
        yield Hit(i, i + 1, f"不自然なアルファベットがあります: {m.group(1)}")


class _Covered:
    """Whether a position lies in any of some (possibly overlapping) closed ranges, by
    bisection: testing every range per hit was quadratic on a long line of hits."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach: list[int] = []  # the furthest end among the ranges so far
        reach = -1
        for _, e in ordered:
            reach = max(reach, e)
            self._reach.append(reach)

    def holds(self, i: int) -> bool:
        k = bisect.bisect_right(self._starts, i) - 1
        return k >= 0 and self._reach[k] >= i


# --------------------------------------------------------------------------- drift

# ``[K][K]+`` rather than ``[K]{2,}``: the same runs, found 2x faster by ``re``.
_KATA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff][\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff]+")
_MATCHED = methodcaller("group")


@rule("JA314", "notation-drift", scope="document", fix="unsafe", options={"min_length": 3})
def notation_drift(doc: DocContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """一つの記事の中で表記がゆれている（長音の有無など）。

    NG: ``サーバーを起動し、次にサーバを止める`` → OK: どちらかに統一（多い方へ）。
    Pairs beyond the long-vowel mark come from ``data/notation_variants.json``.
    """
    min_len = int(opt.get("min_length", 3))
    canon: dict[str, str] = {}
    for group in load_data("notation_variants.json"):
        for w in group:
            canon[w] = group[0]
    # Pass 1: counts (C-level scan + Counter).
    joined = doc.joined_prose
    runs = list(_KATA_RUN.finditer(joined))  # one scan serves both passes
    words = list(map(_MATCHED, runs))
    counts: Counter[str] = Counter(words)
    forms_by_key: dict[str, list[str]] = defaultdict(list)
    for w in counts:
        if len(w.rstrip("ー")) < min_len:
            continue
        key = canon.get(w) or w.rstrip("ー")
        forms_by_key[key].append(w)
    minority: dict[str, tuple[str, str]] = {}
    for forms in forms_by_key.values():
        if len(forms) < 2:
            continue
        ranked = sorted(forms, key=lambda f: (-counts[f], f))
        best = ranked[0]
        summary = " / ".join(f"{w} ({counts[w]})" for w in ranked)
        for w in ranked[1:]:
            minority[w] = (best, summary)
    if not minority:
        return
    # Pass 2: positions of the minority forms, as whole katakana runs, in one scan of the
    # joined prose (the newline between blocks is no katakana: runs stay in their block).
    get = minority.get
    for m, w in zip(runs, words):
        got = get(w)
        if got is None:
            continue
        shift = doc.block_at(m.start())[1]
        s, e = m.start() + shift, m.end() + shift
        yield Hit(s, e, f"表記ゆれ: {got[1]}。「{got[0]}」に統一しましょう。", ((s, e, got[0]),))
