"""JA1xx: spacing and character width."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ._chars import JA_PUNCT, compile_patterns, inside, is_full, is_katakana, pattern_spans
from .engine import BlockContext
from .markdown import MASKS
from .registry import Hit, rule

_SPACES = " \u3000"
_SPACE_RUN = re.compile(r"(?<=\S)[ \u3000]+(?=\S)")
# Wide characters (East Asian Width W/F, the ideographic space excepted), as ranges so
# that a regex finds the candidates. Patterns start with a character class, not a
# look-behind: ``re`` then scans 2-3x faster.
_F = (
    "[\u1100-\u115f\u2e80-\u2fff\u3001-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6]"
)
# A space run between an ASCII letter/digit and a wide character, either way round; the
# match is the run (group 1: letter before it, group 2: wide character before it).
# Anchored on the space, with the left side checked behind it: ``re`` then skips to
# spaces instead of trying both branches at every character (25% faster).
_HALF_FULL = re.compile(
    rf"[ \u3000](?:(?<=[A-Za-z0-9][ \u3000])([ \u3000]*)(?={_F})|(?<={_F}[ \u3000])([ \u3000]*)(?=[A-Za-z0-9]))"
)
_FULL_FULL = re.compile(rf"{_F}([ \u3000]+)(?={_F})")
# Positions i where p[i], p[i+1] may be a half/full boundary (one side ASCII alnum).
_ALNUM_EDGE = re.compile(r"[A-Za-z0-9](?=[^\x00-\x7f])|[^\x00-\x7f](?=[A-Za-z0-9])")


def _half_kind(ch: str) -> str | None:
    if "a" <= ch.lower() <= "z" and ch.isascii():
        return "alphabets"
    if "0" <= ch <= "9":
        return "numbers"
    return None


@rule(
    "JA101",
    "ja-space-between-half-and-full-width",
    textlint="ja-space-between-half-and-full-width",
    also_textlint=("3.1.1.全角文字と半角文字の間",),
    fix="safe",
    options={"space": "never", "exceptPunctuation": True, "allows": [], "lintStyledNode": False},
    kinds=("paragraph", "list_item", "blockquote", "table", "footnote"),
    japanese=True,
)
def space_between_half_and_full(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """半角英数字と全角文字の間のスペース（既定: 入れない）。

    NG: ``JTF 標準`` → OK: ``JTF標準``. With ``space="always"``: NG ``JTF標準`` → ``JTF 標準``.
    ``space`` may also be a list of ``alphabets``, ``numbers``, ``punctuation``: spaces are
    then required only next to those. Headings are not checked (as textlint), nor text
    inside links or emphasis unless ``lintStyledNode``.
    """
    p = ctx.prose
    space = opt.get("space", "never")
    if isinstance(space, list):
        cats = set(space)
        mode = "always" if cats else "never"
        except_punct = "punctuation" not in cats
    else:
        mode = str(space)
        cats = {"alphabets", "numbers"}
        except_punct = bool(opt.get("exceptPunctuation", True))
    allowed = pattern_spans(compile_patterns(opt.get("allows", [])), p)
    styled = [] if opt.get("lintStyledNode") else ctx.styled_spans
    n = len(p)
    if mode == "never":
        for m in _HALF_FULL.finditer(p):
            i, j = m.span()
            full = p[j] if m.group(1) is not None else p[i - 1]
            if not (except_punct and full in JA_PUNCT) and not (allowed and inside(i, allowed)) and not (styled and inside(i, styled)):
                yield Hit(i, j, "原則として、全角文字と半角文字の間にスペースを入れません。", ((i, j, ""),))
        return
    for m in _ALNUM_EDGE.finditer(p):
        i = m.start()
        if i + 1 >= n:
            continue
        a, b = p[i], p[i + 1]
        ka, kb = _half_kind(a), _half_kind(b)
        if ka and ka in cats and is_full(b):
            full = b
        elif kb and kb in cats and is_full(a):
            full = a
        else:
            continue
        if except_punct and full in JA_PUNCT:
            continue
        if inside(i, allowed) or inside(i + 1, allowed) or inside(i, styled):
            continue
        yield Hit(i, i + 1, "原則として、全角文字と半角文字の間にスペースを入れます。", ((i + 1, i + 1, " "),))


@rule(
    "JA102",
    "ja-no-space-between-full-width",
    textlint="ja-no-space-between-full-width",
    also_textlint=("3.1.2.全角文字どうし",),
    fix="safe",
    kinds=("paragraph", "list_item", "blockquote", "table", "footnote", "heading"),
    japanese=True,
)
def no_space_between_full_width(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """全角文字どうしの間のスペース。機械翻訳は日本語の語の間に空白を残す。

    NG: ``これは ダメ`` / ``設定 ファイル を 開く`` → OK: ``これはダメ``.
    Katakana words separated by a space (``ユーザー インターフェース``) and the
    full-width space after ！？ are allowed.
    """
    p = ctx.prose
    for m in _FULL_FULL.finditer(p):
        i, j = m.start(1), m.end(1)
        a, b = p[i - 1], p[j]
        if not (is_katakana(a) and is_katakana(b)) and a not in "！？" and not (a in JA_PUNCT and m.group(1) == "\u3000"):
            yield Hit(i, j, "原則として、全角文字どうしの間にスペースを入れません。", ((i, j, ""),))


@rule(
    "JA103",
    "ja-space-around-code",
    textlint="ja-space-around-code",
    fix="safe",
    options={"before": False, "after": False},
    trigger=r"`",
    japanese=True,
)
def space_around_code(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """インラインコードと日本語の間のスペース（既定: 入れない）。

    NG: ``これは `code` です`` → OK: ``これは`code`です``.
    """
    t = ctx.prose
    n = len(t)
    want_before = bool(opt.get("before", False))
    want_after = bool(opt.get("after", False))
    for kind, s, e in ctx.spans:
        if kind != "code":
            continue
        j = s
        while j > 0 and t[j - 1] in _SPACES:
            j -= 1
        if j > 0 and is_full(t[j - 1]) and t[j - 1] not in MASKS:
            if j < s and not want_before:
                yield Hit(j, s, "インラインコードの前にスペースを入れません。", ((j, s, ""),))
            elif j == s and want_before:
                yield Hit(s - 1, s, "インラインコードの前にスペースを入れてください。", ((s, s, " "),))
        k = e
        while k < n and t[k] in _SPACES:
            k += 1
        if k < n and is_full(t[k]) and t[k] not in MASKS:
            if k > e and not want_after:
                yield Hit(e, k, "インラインコードの後にスペースを入れません。", ((e, k, ""),))
            elif k == e and want_after:
                yield Hit(e, e + 1, "インラインコードの後にスペースを入れてください。", ((e, e, " "),))


def _space_after(ctx: BlockContext, mark: str, message: str) -> Iterator[Hit]:
    p = ctx.prose
    if mark not in p:
        return
    for m in re.finditer(re.escape(mark) + r"( +)(?=[^\s\ue000\ue001])", p):
        i, j = m.start(1), m.end(1)
        yield Hit(i, j, message, ((i, j, "\u3000"),))


@rule("JA104", "ja-space-after-exclamation", textlint="ja-space-after-exclamation", fix="safe", trigger=r"！ ", japanese=True)
def space_after_exclamation(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """文中の全角感嘆符の後に文が続くときは全角スペースを入れる。

    NG: ``驚きの速さ！ これが`` → OK: ``驚きの速さ！\u3000これが``.
    """
    yield from _space_after(ctx, "！", "文末に感嘆符を使用し、後に別の文が続く場合は、直後に全角スペースを挿入します。")


@rule("JA105", "ja-space-after-question", textlint="ja-space-after-question", fix="safe", trigger=r"？ ", japanese=True)
def space_after_question(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """文中の全角疑問符の後に文が続くときは全角スペースを入れる。

    NG: ``秘密とは？ この本では`` → OK: ``秘密とは？\u3000この本では``.
    """
    yield from _space_after(ctx, "？", "文末に疑問符を使用し、後に別の文が続く場合は、直後に全角スペースを挿入します。")


_HANKAKU = re.compile(r"[\uff66-\uff9f]+")


@rule("JA106", "no-hankaku-kana", textlint="no-hankaku-kana", fix="safe", trigger=r"[\uff66-\uff9f]")
def no_hankaku_kana(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """半角カタカナを使わない。

    NG: ``ｶﾀｶﾅ`` → OK: ``カタカナ`` (濁点も合成: ``ﾊﾟﾝﾀﾞ`` → ``パンダ``).
    """
    for m in _HANKAKU.finditer(ctx.prose):
        full = unicodedata.normalize("NFKC", m.group())
        yield Hit(m.start(), m.end(), f'Disallow to use 半角カタカナ: "{m.group()}"', ((m.start(), m.end(), full),))


_ZW = re.compile(r"[\u200b\u200c\u200d\u2060]")


@rule("JA107", "no-zero-width-spaces", textlint="no-zero-width-spaces", fix="safe", trigger=r"[\u200b\u200c\u200d\u2060]")
def no_zero_width_spaces(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """ゼロ幅スペースを使わない（コピー＆ペーストや翻訳で紛れ込む）。

    NG: ``設定\u200bファイル`` → OK: ``設定ファイル``.
    """
    for m in _ZW.finditer(ctx.text):
        yield Hit(m.start(), m.end(), "ゼロ幅スペースが含まれています。", ((m.start(), m.end(), ""),))


_NFD = re.compile(r".[\u3099\u309a]", re.S)


@rule("JA108", "no-nfd", textlint="no-nfd", fix="safe", trigger=r"[\u3099\u309a]")
def no_nfd(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """濁点・半濁点を結合文字 (NFD, macOS のファイル名由来) で書かない。

    NG: ``ハ\u309aソコン`` → OK: ``パソコン``.
    """
    for m in _NFD.finditer(ctx.text):
        nfc = unicodedata.normalize("NFC", m.group())
        if len(nfc) == 1:
            yield Hit(m.start(), m.end(), f'Disallow to use NFD(UTF8-MAC): "{m.group()}"', ((m.start(), m.end(), nfc),))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


@rule("JA109", "no-invalid-control-character", textlint="no-invalid-control-character", fix="safe", severity="error", trigger=r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
def no_invalid_control_character(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """改行・タブ以外の制御文字を使わない。

    NG: ``設定\x08ファイル`` → OK: ``設定ファイル``.
    """
    for m in _CONTROL.finditer(ctx.text):
        yield Hit(m.start(), m.end(), f"制御文字 U+{ord(m.group()):04X} が含まれています。", ((m.start(), m.end(), ""),))


_FW_DIGITS = re.compile(r"[０-９]+")
_FW_ALPHA = re.compile(r"[Ａ-Ｚａ-ｚ]+")


@rule("JA110", "fullwidth-digits", textlint="2.1.8.算用数字", fix="safe", trigger=r"[０-９]")
def fullwidth_digits(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """算用数字は半角で書く (JTF 2.1.8)。

    NG: ``１００円`` → OK: ``100円``.
    Deliberate difference: textlint's JTF rule skips emphasised text (``*２００*円``); we
    check it, because emphasised text is published text too.
    """
    for m in _FW_DIGITS.finditer(ctx.prose):
        yield Hit(m.start(), m.end(), "算用数字は「半角」で表記します。", ((m.start(), m.end(), unicodedata.normalize("NFKC", m.group())),))


@rule("JA111", "fullwidth-alphabet", textlint="2.1.9.アルファベット", fix="safe", trigger=r"[Ａ-Ｚａ-ｚ]")
def fullwidth_alphabet(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """アルファベットは半角で書く (JTF 2.1.9)。

    NG: ``ＡＰＩを呼ぶ`` → OK: ``APIを呼ぶ``.
    Deliberate difference: textlint's JTF rule skips emphasised text (``_ＡＢＣ_``); we
    check it, because emphasised text is published text too.
    """
    for m in _FW_ALPHA.finditer(ctx.prose):
        yield Hit(m.start(), m.end(), "アルファベットは「半角」で表記します。", ((m.start(), m.end(), unicodedata.normalize("NFKC", m.group())),))


_FULL_OPEN = "「『（［【〔〈《｛"
_FULL_CLOSE = "」』）］】〕〉》｝"
_SPACE_AROUND_FULL = re.compile(
    rf"(?<=\S)[ \u3000]+(?=[{_FULL_OPEN}])|(?<=[{_FULL_OPEN}])[ \u3000]+(?=\S)"
    rf"|(?<=\S)[ \u3000]+(?=[{_FULL_CLOSE}])|(?<=[{_FULL_CLOSE}])[ \u3000]+(?=\S)"
)
_JA_CHAR = re.compile(r"[\u3041-\u30ff\u3400-\u9fff]")


@rule(
    "JA112",
    "ja-no-space-around-parentheses",
    textlint="ja-no-space-around-parentheses",
    also_textlint=("3.3.かっこ類と隣接する文字の間のスペースの有無",),
    fix="safe",
    options={"allowOutsideHalfParentheses": True, "requireOutsideHalfParentheses": False},
    # With default options half-width parentheses are not looked at: the trigger (used
    # only with default options) needs a space beside a full-width bracket.
    # A bracket with a space before or after it, anchored on the (rare) bracket.
    trigger=r"[「『（［【〔〈《｛」』）］】〕〉》｝](?:(?<=[ \u3000][「『（［【〔〈《｛」』）］】〕〉》｝])|(?=[ \u3000]))",
    japanese=True,
)
def no_space_around_parentheses(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """全角のかっこ類の内側・外側に空白を入れない（機械翻訳が残しがち）。

    NG: ``これは 「ダメ」 です`` / ``「 ダメ」`` → OK: ``これは「ダメ」です``. Half-width
    parentheses may have spaces outside (``これは (test) です``) unless
    ``allowOutsideHalfParentheses`` is false; ``requireOutsideHalfParentheses`` asks for them.
    """
    p = ctx.prose
    styled = ctx.styled_spans
    msg = "かっこの外側、内側ともにスペースを入れません。"
    for m in _SPACE_AROUND_FULL.finditer(p):
        i, j = m.start(), m.end()
        if p[i - 1] == "\n" or (j < len(p) and p[j] == "\n") or inside(i, styled):
            continue
        yield Hit(i, j, msg, ((i, j, ""),))
    if "(" not in p:
        return
    allow_out = bool(opt.get("allowOutsideHalfParentheses", True))
    require_out = bool(opt.get("requireOutsideHalfParentheses", False))
    if allow_out and not require_out:
        return
    for m in re.finditer(r"( ?)\(([^()\n]*)\)( ?)", p):
        s, e = m.start(), m.end()
        before = p[s - 1] if s > 0 else ""
        after = p[e] if e < len(p) else ""
        if require_out:
            if not m.group(1) and before and _JA_CHAR.match(before):
                yield Hit(m.start(0) + len(m.group(1)), m.start(0) + len(m.group(1)) + 1, "半角かっこの外側に半角スペースが必要です。",
                          ((s, s, " "),))
            if not m.group(3) and after and _JA_CHAR.match(after):
                yield Hit(e - 1, e, "半角かっこの外側に半角スペースが必要です。", ((e, e, " "),))
        elif not allow_out:
            if m.group(1) and s > 0 and _JA_CHAR.match(p[s - 1]):
                yield Hit(s, s + 1, msg, ((s, s + 1, ""),))
            if m.group(3) and after and _JA_CHAR.match(after):
                yield Hit(e - 1, e, msg, ((e - 1, e, ""),))


_KATA_SPACE = re.compile(r"(?<=[\u30a1-\u30fa\u30fc])\u3000+(?=[\u30a1-\u30fa\u30fc])")


@rule(
    "JA113",
    "ja-nakaguro-or-halfwidth-space-between-katakana",
    textlint="ja-nakaguro-or-halfwidth-space-between-katakana",
    also_textlint=("3.2.カタカナ語間のスペースの有無",),
    trigger="\u3000",
    japanese=True,
)
def katakana_word_separator(ctx: BlockContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """カタカナ語の間は中黒（・）か半角スペースで区切る（全角スペースは使わない）。

    NG: ``ユーザー\u3000インターフェース`` → OK: ``ユーザー・インターフェース`` or
    ``ユーザー インターフェース`` (which one is the writer's choice: no fix).
    """
    for m in _KATA_SPACE.finditer(ctx.prose):
        yield Hit(m.start(), m.end(), "カタカナ語間は中黒（・）または半角スペースを用いてカタカナ語を区切ります")
