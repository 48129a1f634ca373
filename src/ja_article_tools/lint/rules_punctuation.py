"""JA2xx: punctuation, sentence ends and brackets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import regex

from .engine import BlockContext
from .markdown import MASKS
from ._chars import inside, load_data
from .registry import Hit, rule




def _is_noun(tok: Any) -> bool:
    return bool(tok.pos) and (tok.pos[0] in ("名詞", "代名詞") or tok.surface[0] in MASKS or tok.pos[:2] in (("補助記号", "括弧閉"), ("補助記号", "括弧開")))


def _split_any(text: str, seps: str) -> list[tuple[int, int]]:
    out = []
    s0 = 0
    for m in re.finditer("[" + re.escape(seps) + "]", text):
        out.append((s0, m.end()))
        s0 = m.end()
    out.append((s0, len(text)))
    return out


@rule("JA201", "max-ten", textlint="max-ten", options={"max": 3, "touten": "、", "kuten": "。"}, needs_tokens=True, japanese=True, trigger="、")
def max_ten(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """一文の読点「、」は max 個まで（既定 3）。名詞に挟まれた読点（列挙）は数えない。

    NG: ``これは、これは、これは、これは、これはだめ。`` (4 個) → 文を分ける。
    """
    touten = str(opt.get("touten", "、"))
    kuten = str(opt.get("kuten", "。"))
    limit = int(opt.get("max", 3))
    if ctx.prose.count(touten) <= limit:
        return
    toks = ctx.tokens
    ti = 0
    # Brackets do not hold a sentence together here: textlint splits 「…？ …？」 too.
    for s, e in _split_any(ctx.prose, kuten + "?!？！"):
        if ctx.prose.count(touten, s, e) <= limit:
            continue
        while ti < len(toks) and toks[ti].start < s:
            ti += 1
        count = 0
        k = ti
        while k < len(toks) and toks[k].start < e:
            t = toks[k]
            if t.surface == touten:
                before = toks[k - 1] if k > 0 else None
                after = toks[k + 1] if k + 1 < len(toks) else None
                if not (before and after and _is_noun(before) and _is_noun(after) and after.start < e):
                    count += 1
                    if count > limit:
                        yield Hit(t.start, t.end, f'一つの文で"{touten}"を{limit + 1}つ以上使用しています')
                        break
            k += 1


@rule("JA202", "max-comma", textlint="max-comma", options={"max": 3}, trigger=",")
def max_comma(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """一文のカンマ「,」は max 個まで（既定 3）。

    NG: ``A, B, C, D, Eを使う。`` → 文を分けるか箇条書きにする。
    """
    limit = int(opt.get("max", 3))
    p = ctx.prose
    if p.count(",") <= limit:
        return
    for s, e in ctx.sentences():
        if p.count(",", s, e) > limit:
            pos = s
            for _ in range(limit + 1):
                pos = p.index(",", pos) + 1
            yield Hit(pos - 1, pos, f"This sentence exceeds the maximum count of comma. Maximum is {limit}.")


_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Presentation}]")
_JA_TEXT = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}]")
_ENDINGS_OK = set("」』）)］]】〕〉》”’\"!?！？…‥")


@rule(
    "JA203",
    "ja-no-mixed-period",
    textlint="ja-no-mixed-period",
    fix="safe",
    options={"periodMark": "。", "allowPeriodMarks": [], "allowEmojiAtEnd": False, "forceAppendPeriod": False},
    kinds=("paragraph",),
    japanese=True,
)
def no_mixed_period(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """段落の文末は句点「。」で終える。「．」「.」や絵文字で終えない。

    NG: ``これは問題です．`` → OK: ``これは問題です。``. With ``forceAppendPeriod`` a
    paragraph without any period also gets one. Lists, headings, quotes and
    paragraphs that end in a link, image or emphasis are not checked (as textlint).
    """
    mark = str(opt.get("periodMark", "。"))
    allowed = [str(x) for x in opt.get("allowPeriodMarks", [])]
    p = ctx.prose
    e = len(p)
    while e > 0 and p[e - 1].isspace():
        e -= 1
    if e == 0:
        return
    last = p[e - 1]
    if last in MASKS:
        return  # ends in markup: a link, image, emphasis, code or footnote
    force = opt.get("forceAppendPeriod", False)
    emoji = _EMOJI.match(last) is not None
    if last not in ".．｡" and not force and not emoji:
        return  # only these endings are ever reported: skip the checks below
    if any(s <= e - 1 < sp_e for k, s, sp_e in ctx.spans if k in ("link", "image", "emphasis", "footnote", "url")):
        return
    tail = p[:e]
    if tail.endswith(mark) or any(tail.endswith(a) for a in allowed) or last in _ENDINGS_OK:
        return
    line_start = p.rfind("\n", 0, e) + 1
    if not _JA_TEXT.search(p, line_start, e) and not _JA_TEXT.search(p):
        return
    if emoji:
        if not opt.get("allowEmojiAtEnd", False):
            yield Hit(e - 1, e, f'文末が"{mark}"で終わっていません。')
        return
    if last in ".．｡":
        yield Hit(e - 1, e, f'文末が"{mark}"で終わっていません。', ((e - 1, e, mark),))
        return
    if force:
        yield Hit(e - 1, e, f'文末が"{mark}"で終わっていません。', ((e, e, mark),))


@rule(
    "JA204",
    "no-exclamation-question-mark",
    textlint="no-exclamation-question-mark",
    options={
        "allowHalfWidthExclamation": False,
        "allowFullWidthExclamation": False,
        "allowHalfWidthQuestion": False,
        "allowFullWidthQuestion": False,
    },
    trigger=r"[!！?？]",
)
def no_exclamation_question_mark(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """技術文書では感嘆符・疑問符（! ！ ? ？）を使わない。

    NG: ``とても便利です！`` → OK: ``とても便利です。``. Names such as ``Yahoo!`` are allowed.
    """
    allow = {
        "!": opt.get("allowHalfWidthExclamation", False),
        "！": opt.get("allowFullWidthExclamation", False),
        "?": opt.get("allowHalfWidthQuestion", False),
        "？": opt.get("allowFullWidthQuestion", False),
    }
    p = ctx.prose
    if not any(c in p for c in "!！?？"):
        return
    names = [(m.start(), m.end()) for w in load_data("exclamation_names.json") for m in re.finditer(re.escape(w), p)]
    for i, ch in enumerate(p):
        if ch in allow and not allow[ch] and not any(s <= i < e for s, e in names):
            yield Hit(i, i + 1, f'Disallow to use "{ch}".')


_OPEN = {"(": ")", "（": "）", "[": "]", "［": "］", "{": "}", "｛": "｝", "「": "」", "『": "』", "【": "】",
         "〔": "〕", "〈": "〉", "《": "》", "“": "”", "‘": "’", "«": "»", "‹": "›", "＜": "＞"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_SYMMETRIC = '"'
_OPENERS = re.compile("[" + re.escape("".join(_OPEN) + _SYMMETRIC) + "]")
_PAIR_CHARS = re.compile("[" + re.escape("".join(_OPEN) + "".join(_CLOSE) + _SYMMETRIC) + "]")


# Every report is an opener (or a quote): blocks without one are never visited.
@rule("JA205", "no-unmatched-pair", textlint="no-unmatched-pair", severity="error", trigger=_OPENERS.pattern)
def no_unmatched_pair(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """括弧や引用符の対応が取れていない。

    NG: ``これは（秘密)です。`` → OK: ``これは（秘密）です。``. Inline code and URLs are not
    looked at; a lone ``’`` is an apostrophe, not a closing quote.
    """
    p = ctx.prose
    if _OPENERS.search(p) is None:
        return
    marks = [m.start() for m in _PAIR_CHARS.finditer(p)]
    if not marks or not _unpaired(p, marks):
        return  # balanced as a whole: the common case, no sentence split needed
    k = 0
    for s, e in ctx.sentences():
        while k < len(marks) and marks[k] < s:
            k += 1
        j = k
        while j < len(marks) and marks[j] < e:
            j += 1
        for o, pos in _unpaired(p, marks[k:j]):
            yield Hit(pos, pos + 1, f"Cannot find a pairing character for {o}.")
        k = j


def _unpaired(p: str, marks: list[int]) -> list[tuple[str, int]]:
    """Openers left without their closer; a closer of another kind closes the
    openers above its own (they are reported), a closer with no opener is ignored."""
    stack: list[tuple[str, int]] = []
    bad: list[tuple[str, int]] = []
    open_count: dict[str, int] = {}  # openers of each kind on the stack: no rescans
    for i in marks:
        ch = p[i]
        if ch in _SYMMETRIC:
            if stack and stack[-1][0] == ch:
                stack.pop()
                open_count[ch] -= 1
            else:
                stack.append((ch, i))
                open_count[ch] = open_count.get(ch, 0) + 1
        elif ch in _OPEN:
            stack.append((ch, i))
            open_count[ch] = open_count.get(ch, 0) + 1
        elif ch in _CLOSE:
            want = _CLOSE[ch]
            if open_count.get(want, 0) > 0:
                while stack[-1][0] != want:
                    o, pos = stack.pop()
                    open_count[o] -= 1
                    bad.append((o, pos))
                stack.pop()
                open_count[want] -= 1
    bad.extend(stack)
    bad.sort(key=lambda x: x[1])
    return bad



_ASCII_PUNCT = re.compile(r"(?<=[\u3041-\u30ff\u3400-\u9fff])(?:,(?![0-9])|\.(?=\s|$|[\u3041-\u30ff\u3400-\u9fff]))")


@rule(
    "JA206",
    "ja-ascii-punctuation",
    textlint="1.2.1.句点(。)と読点(、)",
    also_textlint=("4.1.3.ピリオド(.)、カンマ(,)",),
    fix="safe",
    trigger=r"[,.](?<=[\u3041-\u30ff\u3400-\u9fff][,.])",  # anchored on the rarer , and .
    japanese=True,
)
def ascii_punctuation(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """和文の句読点に半角の「,」「.」を使わない（翻訳や入力でよく混ざる）。

    NG: ``これは,見本となる例です.`` → OK: ``これは、見本となる例です。``. Numbers (``1,101``,
    ``1. テスト``) and text inside links are left alone.
    """
    p = ctx.prose
    styled = ctx.styled_spans
    for m in _ASCII_PUNCT.finditer(p):
        i = m.start()
        if inside(i, styled):
            continue
        rep = "、" if m.group() == "," else "。"
        yield Hit(i, i + 1, "句読点には全角の「、」と「。」を使います。和文の句読点としてピリオド(.)とカンマ(,)を使用しません。",
                  ((i, i + 1, rep),))
