"""URLs and e-mail addresses in Japanese text.

Japanese prose glues URLs to the words around them (``詳細はhttps://…を参照``), wraps
them in 「」（）【】 and ends them with 。、 rather than spaces, so the usual extractors,
which stop only at white space, swallow the Japanese that follows. This module finds a
URL by parsing it (scheme or anchor, user info, host, port, path) with a hand scanner
and stops at the first character that cannot belong to it. The policy in short
(``docs/urls.md`` has the reasons and the figures):

* A URL may start right after a Japanese letter; it ends at white space, at kana or
  kanji glued to an ASCII part (``…/gymを``), and at full-width punctuation (、。「」（）).
* A path segment that *starts* with Japanese right after ``/ ? = & #`` (``/wiki/東京都``,
  ``?q=猫``) is kept. Its hiragana is kept only when the URL is set off by spaces or
  brackets on both sides;
  otherwise the URL ends at the first word that begins with hiragana
  (``/wiki/東京都を参照`` -> ``/wiki/東京都``; ``/wiki/見出しを`` keeps the okurigana し).
  A segment that opens with hiragana is kept only set off and when it reads as a title
  (``/wiki/となりのトトロ``, not ``/を``).
* Trailing ``. , ; : ! ? *`` are dropped, an unbalanced closing bracket ends the URL,
  a trailing quote is kept only when it closes a quote opened inside the URL.
* Without a scheme a name is a URL only with a known TLD (all ccTLDs, IDN TLDs and a
  list of generic ones), never when it looks like a file name (``setup.py``,
  ``README.md``), is glued to ``@`` (an e-mail), or is called (``logger.info(``).
* An e-mail address is never a URL of another kind: :func:`extract_emails` returns it, and
  :func:`extract_urls` lists it with kind ``email`` (``mailto:`` url) unless called with
  ``include_emails=False``, as the pipeline does (its records keep ``emails`` apart).

Every offset is a half-open code-point range into the text given. Candidates come
from one ``re`` pass (``://``, ``//``, a dot before a label character, ``@``); from
each, a scanner reads forward once, and a position counter that only moves forward
keeps any scan from re-reading consumed text, so time is linear in the length of the
text even for ``a.a.a.…``, ``((((…`` or ``http://http://…``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any


from ..models import Email, Url

__all__ = ["extract_urls", "extract_emails", "url_summary", "classify_url", "package_name"]

_DATA = Path(__file__).resolve().parent / "data"


def _read_lines(name: str) -> list[str]:
    with open(_DATA / name, encoding="utf-8") as f:
        return [s for s in (line.strip() for line in f) if s and not s.startswith("#")]


def _read_json(name: str) -> dict[str, Any]:
    with open(_DATA / name, encoding="utf-8") as f:
        return json.load(f)


_POLICY = _read_json("url_policy.json")
_KINDS = _read_json("url_kinds.json")

ALL_TLDS: frozenset[str] = frozenset(_read_lines("url_tlds.txt")) | frozenset(_POLICY["idn_test_tlds"])
# Without a scheme, generic TLDs such as .name, .info or .show collide with code
# (self.name, plt.show); country codes and IDN TLDs rarely do.
BARE_TLDS: frozenset[str] = frozenset(
    t for t in ALL_TLDS if len(t) == 2 or not t.isascii() or t.startswith("xn--")
) | frozenset(_POLICY["bare_generic_tlds"])
_IDN_TLDS: frozenset[str] = frozenset(t for t in ALL_TLDS if not t.isascii())
_IDN_TLD_MAX = max((len(t) for t in _IDN_TLDS), default=0)
_FILE_TLDS: dict[str, re.Pattern[str] | None] = {
    tld: (re.compile(pat) if pat else None)
    for tld, pat in _POLICY["file_extension_tlds"].items()
}
_FILE_TLD_HOSTS: frozenset[str] = frozenset(_POLICY["file_tld_hosts"])
_NOT_HOSTS: frozenset[str] = frozenset(_POLICY["not_hosts"])
_CODE_TLDS: frozenset[str] = frozenset(_POLICY["code_attribute_tlds"])
_REVERSE_DNS_HEADS: frozenset[str] = frozenset(_POLICY["reverse_dns_heads"])
_SCHEMES: tuple[str, ...] = tuple(_POLICY["schemes"])
_DEFAULT_PORTS = {"http": "80", "https": "443", "ftp": "21", "ws": "80", "wss": "443"}

# Full-width ASCII variants (Ｕ+FF01..FF5E) fold to ASCII one for one, so offsets hold.
_FW_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FW_FOLD[0x3000] = 0x20


def _fold(s: str) -> str:
    return s.translate(_FW_FOLD)


# --- character classes -------------------------------------------------------------

_CJK_RANGES = (
    "\u1100-\u11ff\u3005\u3006\u303b\u3040-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3130-\u318f"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003ffff"
)
_CJK = "[" + _CJK_RANGES + "]"

# Candidate positions, found by one pass of re (several times faster here than a
# full pattern with look-behinds): a scheme separator, a protocol-relative //, or a
# dot followed by a label character. The scanners below take it from there.
_CANDIDATE = re.compile(r"[:：][/／][/／]|//|\.(?=[^\W_]|[\-_\u2700-\u27bf])")
_SCHEME_WORDS = frozenset(_SCHEMES)
# Characters that may not precede a scheme (a word, an identifier, #tag, $cashtag)
# or a name without scheme (also inside a path, an e-mail or a mention).
_NOT_BEFORE_SCHEME = frozenset("_$＄#＃")
_NOT_BEFORE_BARE = frozenset(".@＠/\\$＄#＃%~+")
_PR_BEFORE_OK = frozenset(" \t\n\r\f\v([{<>\"'（「『【|｜")

# These use re, not regex: regex scans the rest of the text for a required literal
# (the @ of user info) on every match() call, which made http://http://… quadratic.
_USERINFO = re.compile(r"[A-Za-z0-9._~!$&'*+,;=%\-]++(?::[A-Za-z0-9._~!$&'*+,;=%\-]*+)?@")
_DIGITS = re.compile(r"[0-9]++")
_TCO_SLUG = re.compile(r"[A-Za-z0-9]++")
_IPV6 = re.compile(r"\[[0-9A-Fa-f:.]{2,45}\]")
_CJK_CHAR = re.compile(_CJK)
_MT_DOTS = frozenset("。｡．")
_WIDE = re.compile("[\uff01-\uff5e\u3000\u3002\uff61]")
_SCP_PATH = re.compile(r":([A-Za-z0-9_~][A-Za-z0-9._~/\-]*+)")
_ASCII_LABEL = re.compile(r"[A-Za-z0-9_\-]++")
_ASCII_DOTTED = re.compile(r"[A-Za-z0-9_\-]++(?:\.[A-Za-z0-9_\-]++)*+")
_SCHEME_LETTERS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
)

# ASCII characters a path, query or fragment may hold. Backtick, backslash, < > and
# white space end a URL (Markdown code spans, HTML).
_PATH_ASCII = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    "-._~!$&'()*+,;=:@%/?#[]{}|\""
)
_FW_PATH_OK = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/?#=&%+@*$"
)
_TRAIL = frozenset(".,;:!?*．，；：！？＊")
_OPENER = {")": "(", "]": "[", "}": "{"}
_JP_ENTRY = frozenset("/?=&#／？＝＆＃")

_STOP, _OTHER, _CJK_LETTER, _FULLWIDTH, _SYMBOL = range(5)
# Dashes (Unicode Pd) that are prose, not path: em dashes, and the Japanese wave dash
# of ranges (https://a.com/docs〜https://a.com/api is two URLs), 〰 and ゠.
_PROSE_DASHES = frozenset("\u2014\u2015\u301c\u3030\u30a0")


@lru_cache(maxsize=8192)
def _char_class(c: str) -> int:
    """Class of a non-ASCII character for the scanners."""
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:
        return _FULLWIDTH
    if _CJK_CHAR.match(c):
        return _CJK_LETTER
    cat = unicodedata.category(c)
    if cat[0] in "LMN":
        return _OTHER
    if cat == "Pd" and c not in _PROSE_DASHES:
        return _OTHER  # en dash in a path (Hatfield–McCoy); the em dash is prose
    if c in "\u200c\u200d":
        return _OTHER
    if cat == "So" and (0x2700 <= o <= 0x27BF or o >= 0x1F000):
        return _SYMBOL
    return _STOP


def _is_hiragana(c: str) -> bool:
    return "\u3041" <= c <= "\u309f"


@lru_cache(maxsize=8192)
def _is_bare_label_char(c: str) -> bool:
    """A character of a label written without a scheme: letters, marks and digits of
    any script but CJK (CJK glued before a name is prose: 中国語example.com), dingbats."""
    if c < "\x80":
        return c.isalnum() or c in "-_"
    if "\u2700" <= c <= "\u27bf":
        return True
    if "\uff00" <= c <= "\uffef" or _CJK_CHAR.match(c):
        return False
    return unicodedata.category(c)[0] in "LMN"


# --- host --------------------------------------------------------------------------

_MODE_SCHEME, _MODE_BARE, _MODE_EMAIL = range(3)


def _label_ok(label: str, is_domain: bool) -> bool:
    if not label or len(label) > 63:
        return False
    if label[0] in "-_" or label[-1] in "-_":
        return False
    if is_domain and "_" in label:
        return False
    if label[:4].lower() == "xn--" and not label.isascii():
        return False
    return True


def _is_ipv4(labels: list[str]) -> bool:
    if len(labels) != 4:
        return False
    for p in labels:
        if not p.isascii() or not p.isdigit() or len(p) > 3 or int(p) > 255:
            return False
    return True


def _scan_labels(text: str, i: int, n: int, mode: int, fw: bool) -> list[tuple[int, int]]:
    """Label spans of the dotted run at ``i``, read forward once."""
    m = _ASCII_DOTTED.match(text, i)
    if m:
        e = m.end()
        nxt = text[e] if e < n else ""
        if not nxt or (nxt < "\x80" and not (nxt == "." and e + 1 < n and text[e + 1] >= "\x80")):
            # Plain ASCII run (the common case): split without a per-character loop.
            out: list[tuple[int, int]] = []
            k = i
            for part in m.group().split("."):
                out.append((k, k + len(part)))
                k += len(part) + 1
            return out
    labels: list[tuple[int, int]] = []
    j = i
    while True:
        s = j
        cjk_label = False
        while j < n:
            c = text[j]
            if c < "\x80":
                if c.isalnum() or c in "-_":
                    if cjk_label:
                        break
                    j = _ASCII_LABEL.match(text, j).end()
                    continue
                break
            k = _char_class(c)
            if k == _OTHER or k == _SYMBOL:
                if cjk_label:
                    break
            elif k == _CJK_LETTER:
                if mode != _MODE_SCHEME:
                    # Without a scheme only a whole label may be CJK (an IDN TLD).
                    if j == s and labels:
                        cjk_label = True
                    elif not cjk_label:
                        break
            elif k == _FULLWIDTH and fw:
                f = chr(ord(c) - 0xFEE0)
                if not (f.isalnum() or f in "-_"):
                    break
            else:
                break
            j += 1
        if j == s:
            break
        labels.append((s, j))
        if j + 1 < n and (text[j] == "." or (fw and text[j] == "．")):
            j += 1
            continue
        if (
            mode == _MODE_SCHEME
            and j + 1 < n
            and text[j] in _MT_DOTS
            and text[j + 1] < "\x80"
            and text[j + 1].isalnum()
        ):
            j += 1  # purchase。aspose.com: a dot that machine translation made 。
            continue
        break
    return labels


def _parse_host(text: str, i: int, n: int, mode: int, fw: bool, local_ok: bool) -> int:
    """End of the host starting at ``i``, or -1.

    The host ends after the last label that is a known TLD; a TLD may also end where
    an ASCII label turns into CJK (``example.comだよね`` -> ``example.com``) or be an
    IDN TLD that CJK prose follows (``twitter.みんなです`` -> ``twitter.みんな``).
    ``local_ok`` accepts an unknown TLD or a single label (``http://localhost``).
    """
    if mode == _MODE_SCHEME and i < n and text[i] == "[":
        m = _IPV6.match(text, i)
        return m.end() if m else -1
    spans = _scan_labels(text, i, n, mode, fw)
    if not spans:
        return -1
    if mode == _MODE_SCHEME:
        for k in range(len(spans) - 1):
            if text[spans[k][1]] in _MT_DOTS:
                # Read 。 as a dot only if the host before it is incomplete and the
                # whole then ends in a real TLD (https://purchase。aspose.com); after a
                # complete host (https://example.com。App…) it ends a sentence.
                head = _choose_host(text, spans[: k + 1], mode, fw, False)
                if head >= 0:
                    return head
                end = _choose_host(text, spans, mode, fw, False)
                return end if end >= 0 else _choose_host(text, spans[: k + 1], mode, fw, local_ok)
    return _choose_host(text, spans, mode, fw, local_ok)


def _choose_host(text: str, spans: list[tuple[int, int]], mode: int, fw: bool, local_ok: bool) -> int:
    """The longest valid host made of the leading labels ``spans``, or -1."""
    labels = [_fold(text[s:e]) if fw else text[s:e] for s, e in spans]
    tlds = ALL_TLDS if mode != _MODE_BARE else BARE_TLDS
    last = len(labels) - 1
    # Candidates, longest first: the whole run, then CJK-transition points.
    if last >= 1:
        tld = labels[last].lower()
        if not tld.isascii() and tld not in tlds:
            tld = unicodedata.normalize("NFKC", tld)  # Arabic presentation forms
        if tld in tlds and _labels_ok(labels, last):
            return spans[last][1]
        for k in range(last, 0, -1):
            lab = labels[k]
            if lab.isascii():
                continue
            cut = _tld_prefix(lab, tlds)
            if cut and _labels_ok(labels, k):
                return spans[k][0] + cut
    if _is_ipv4(labels):
        return spans[last][1]
    if not local_ok:
        return -1
    # A scheme vouches for a local name or an unknown TLD (http://localhost,
    # http://example.invalid) if it is plain ASCII and well formed.
    if not all(lab.isascii() for lab in labels):
        return -1
    for lab in labels:
        if not _label_ok(lab, True):
            return -1
    if last >= 1 and not (len(labels[last]) >= 2 and (labels[last].isalnum() or _is_punycode(labels[last]))):
        return -1
    return spans[last][1]


def _is_punycode(label: str) -> bool:
    """An ``xn--`` label that decodes (``xn--zckzah`` is テスト), as an unknown TLD may be."""
    if not label.lower().startswith("xn--"):
        return False
    try:
        label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return False
    return True


def _labels_ok(labels: list[str], k: int) -> bool:
    for idx in range(k):
        if not _label_ok(labels[idx], idx == k - 1):
            return False
    return True


def _tld_prefix(label: str, tlds: frozenset[str]) -> int:
    """Length of a TLD at the start of a label that turns into CJK, else 0."""
    c0 = label[0]
    if c0 < "\x80":
        j = 0
        while j < len(label) and label[j] < "\x80" and label[j].isalpha():
            j += 1
        if 0 < j < len(label) and _char_class(label[j]) == _CJK_LETTER:
            if label[:j].lower() in tlds:
                return j
        return 0
    for j in range(min(len(label), _IDN_TLD_MAX), 0, -1):
        if label[:j] in _IDN_TLDS and label[:j] in tlds:
            return j
    return 0


# --- path --------------------------------------------------------------------------


# A comma or semicolon followed by one of these separates two URLs.
_LIST_NEXT = ("http://", "https://", "HTTP://", "HTTPS://", "www.")

# How far a ( that Japanese follows may be from its ) (/wiki/Python_(プログラミング言語));
# looking further made https://a.com/(ア repeated quadratic.
_PAREN_REACH = 256


def _scan_path(text: str, j: int, n: int, fw: bool, quote: str, spaced_before: bool) -> int:
    """End of the path/query/fragment starting at ``j`` (a ``/``, ``?`` or ``#``)."""
    depth = {"(": 0, "[": 0, "{": 0}
    jp_start = -1
    hiragana = -1
    paren_open = -1  # the ( that Japanese followed: /wiki/Python_(プログラミング言語)
    paren_depth = 0
    paren_closed = -1
    k = j
    while k < n:
        if paren_open >= 0 and paren_closed < 0 and k - paren_open > _PAREN_REACH:
            break  # not closed within reach: ends at the ( below, and scans no further
        if hiragana >= 0 and hiragana == jp_start and k - hiragana > _WORD_REACH:
            break  # too long for a hiragana title: ends at the hiragana below, read no further
        c = text[k]
        if c < "\x80":
            if c not in _PATH_ASCII or c == quote:
                break
            if c in ",;" and text.startswith(_LIST_NEXT, k + 1):
                break  # a list written without spaces: https://a.com/x,https://b.com/y
            if c in "([{":
                depth[c] += 1
            elif c in ")]}":
                o = _OPENER[c]
                if depth[o] == 0:
                    break
                if o == "(" and depth[o] == paren_depth and paren_closed < 0:
                    paren_closed = k
                depth[o] -= 1
            k += 1
            continue
        cls = _char_class(c)
        if cls == _CJK_LETTER:
            if jp_start < 0:
                # Japanese may open a segment (/wiki/東京都, ?q=猫) but not continue
                # an ASCII one: /openai/gymを参照 ends before を.
                prev = text[k - 1]
                if prev == "(" and k - 1 > j and _opens_title_paren(text, k - 1):
                    paren_open = k - 1
                    paren_depth = depth["("]
                elif prev not in _JP_ENTRY:
                    break
                jp_start = k
            if hiragana < 0 and _is_hiragana(c):
                hiragana = k
                if not spaced_before:
                    break  # the URL ends here whatever follows (below): scan no further
        elif cls == _FULLWIDTH:
            if not fw or chr(ord(c) - 0xFEE0) not in _FW_PATH_OK:
                break
        elif cls != _OTHER:
            break
        k += 1
    if hiragana >= 0:
        spaced_after = k < n and (text[k].isspace() or text[k] in _CLOSERS)
        if hiragana == jp_start:
            # a title that opens with hiragana (/wiki/となりのトトロ) only where the URL is
            # set off on both sides (the end of the text counts) and the segment reads as
            # a title, not prose (https://example.com/を 見て)
            if not (spaced_before and (spaced_after or k >= n) and _hiragana_title(text, jp_start, k)):
                k = hiragana
        elif not (spaced_before and spaced_after):
            k = _word_end(text, jp_start, hiragana, n)
    if paren_open >= 0 and (paren_closed < 0 or paren_closed >= k):
        k = paren_open  # an unclosed ( before Japanese is prose: /foo(英語
    return k


def _opens_title_paren(text: str, at: int) -> bool:
    """Whether the ``(`` at ``at``, which Japanese follows, may be part of the path: a
    Wikipedia-style qualifier comes after a word separator (``/wiki/Python_(プログラミング言語)``,
    ``%20(``); glued to a name it is prose about the link (``file.zip(約3MB)``)."""
    return text[at - 1] in "_/-+=" or text[at - 3:at] == "%20"


# How far past the first hiragana _word_end reads (a bound keeps the scan linear).
_WORD_REACH = 48


def _word_end(text: str, jp_start: int, hiragana: int, n: int) -> int:
    """Where a Japanese path segment glued to prose ends, given its first hiragana:
    at the first *word* that begins with hiragana (a particle, an auxiliary, a
    hiragana verb), not inside a word whose okurigana it is.

    ``/wiki/東京都を参照`` -> ``/wiki/東京都`` (を is a word); ``/wiki/見出しを参照`` ->
    ``/wiki/見出し`` (し belongs to 見出し); ``#インストールする`` -> ``#インストール``.
    The words come from the tagger, over the segment's run of kana/kanji only."""
    end = hiragana
    limit = min(n, hiragana + _WORD_REACH)
    # the run: kana/kanji and the ASCII letters and digits inside it (#見出し1を参照)
    while end < limit and (_char_class(text[end]) == _CJK_LETTER if text[end] >= "\x80" else text[end].isalnum()):
        end += 1
    if end >= limit and end < n and _char_class(text[end]) == _CJK_LETTER:
        return hiragana  # a long run of prose: the plain rule
    from ..tokens import tag_chunks  # only here: extract_urls stays free of MeCab otherwise

    for surface, s, _, _ in tag_chunks(text[jp_start:end]):
        if jp_start + s >= hiragana and _is_hiragana(surface[0]):
            return jp_start + s
    return end


def _hiragana_title(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, a path segment that opens with hiragana, reads as a
    title: a word of its own first, and no particle or auxiliary after it but the の
    of a title (``となりのトトロ``); ``を``, ``から`` and ``となりのトトロを参照`` do not.
    Two kana or fewer are never enough (alone, ``から`` is tagged 殻)."""
    from ..tokens import tag_chunks

    if end - start <= 2 or end - start > _WORD_REACH:
        return False
    for k, (surface, _, _, feature) in enumerate(tag_chunks(text[start:end])):
        if feature.startswith(("助詞", "助動詞")) and (k == 0 or surface != "の"):
            return False
    return True


def _trim(text: str, path_start: int, end: int) -> int:
    """Drop trailing punctuation, openers and unpaired quotes from a path."""
    if end <= path_start:
        return end
    seg = text[path_start:end]
    counts = {c: seg.count(c) for c in "()[]{}\"'"}
    while end > path_start:
        c = text[end - 1]
        if c in _TRAIL:
            end -= 1
        elif c in "([{":
            counts[c] -= 1
            end -= 1
        elif c in _OPENER and counts[_OPENER[c]] < counts[c]:
            counts[c] -= 1
            end -= 1
        elif c in "\"'" and counts[c] % 2 == 1:
            counts[c] -= 1
            end -= 1
        else:
            break
    return end


# --- URL assembly ------------------------------------------------------------------


_OPENERS = frozenset("(<[{\"'「『（【〔［《〈“‘｛＜")
_CLOSERS = frozenset(")>]}\"'」』）】〕］》〉”’｝＞")


def _spaced_before(text: str, s: int) -> bool:
    """Whether the URL is set off before (white space, an opening bracket or quote)."""
    return s == 0 or text[s - 1].isspace() or text[s - 1] in _OPENERS


def _after_host(
    text: str, s: int, host_start: int, host_end: int, n: int, fw: bool, strict_next: bool
) -> int:
    """Extend a URL past its host (port, t.co slug, path) and return its end, or -1."""
    j = host_end
    if j < n and (text[j] == ":" or (text[j] == "：" and j + 1 < n and "0" <= text[j + 1] <= "9")):
        m = _DIGITS.match(text, j + 1)
        if m:
            if int(m.group()) > 65535:
                return -1
            j = m.end()
        elif strict_next and j + 1 < n and text[j + 1] in "/\\":
            return -1  # http://http://… : a scheme, not a host
    elif strict_next and j < n:
        c = text[j]
        if c < "\x80" and (c.isalnum() or c in "@"):
            return -1
    host = text[host_start:host_end].lower()
    if host == "t.co":
        # t.co slugs are short alphanumerics; a query may follow, nothing else.
        if j < n and text[j] == "/":
            m = _TCO_SLUG.match(text, j + 1)
            if not m:
                return j
            if len(m.group()) > 40:
                return -1
            j = m.end()
            if j < n and text[j] == "?":
                path_start = j
                j = _scan_path(text, j, n, fw, _quote_before(text, s), _spaced_before(text, s))
                return _trim(text, path_start, j)
        return j
    if j < n and (text[j] in "/?#" or (fw and text[j] in "／？＃")):
        path_start = j
        j = _scan_path(text, j, n, fw, _quote_before(text, s), _spaced_before(text, s))
        j = _trim(text, path_start, j)
    return j


def _quote_before(text: str, s: int) -> str:
    if s > 0 and text[s - 1] in "\"'":
        return text[s - 1]
    return "\x00"


def _from_scheme(text: str, sep: int, n: int) -> tuple[int, int, int, int] | None:
    """A URL whose scheme separator ``://`` (or ``：／／``) starts at ``sep``."""
    s = sep
    while s > 0 and sep - s <= 6 and text[s - 1] in _SCHEME_LETTERS:
        s -= 1
    word = _fold(text[s:sep]).lower()
    if word not in _SCHEME_WORDS:
        return None
    if not (word.startswith("http") or text[s:sep].isascii()):
        return None  # only http(s) is written in full-width by machine translation
    if s > 0:
        b = text[s - 1]
        if b in _NOT_BEFORE_SCHEME or (b < "\x80" and b.isalnum()):
            return None
        if b in "@＠" and (s == 1 or text[s - 2].isspace()):
            return None  # @http://… is a mention
    i = sep + 3
    # Full-width mode: the scheme or the host's first character is full width.
    fw = not text[s:i].isascii() or (i < n and "\uff01" <= text[i] <= "\uff5e")
    host_start = i
    um = _USERINFO.match(text, i)
    host_end = -1
    if um:
        host_start = um.end()
        host_end = _parse_host(text, host_start, n, _MODE_SCHEME, fw, True)
        if host_end < 0:
            host_start = i
    if host_end < 0:
        host_end = _parse_host(text, i, n, _MODE_SCHEME, fw, True)
    if host_end < 0:
        return None
    end = _after_host(text, s, host_start, host_end, n, fw, True)
    if end < 0:
        return None
    return s, end, host_start, host_end


def _from_protocol_relative(text: str, s: int, n: int) -> tuple[int, int, int, int] | None:
    """``//host/path``, only at the start of a token."""
    if s > 0 and not (text[s - 1] in _PR_BEFORE_OK or text[s - 1].isspace()):
        return None
    i = s + 2
    if i >= n or not (text[i] < "\x80" and (text[i].isalnum() or text[i] == "[")):
        return None
    host_end = _parse_host(text, i, n, _MODE_SCHEME, False, True)
    if host_end < 0:
        return None
    host = text[i:host_end]
    if "." not in host and host.lower() != "localhost" and not host.startswith("["):
        return None  # //test is a comment or a path, //localhost is a host
    end = _after_host(text, s, i, host_end, n, False, True)
    if end < 0:
        return None
    return s, end, i, host_end


@dataclass(frozen=True, slots=True)
class _BareName:
    """A name written without scheme, as the rejection rules see it."""

    host: str  # as written
    labels: tuple[str, ...]  # lower case
    before: str  # the character before, "" at the start
    after: str  # the character after the host, "" at the end
    has_path: bool  # a port or path follows


_BARE_RULES: list[Callable[[_BareName], bool]] = []


def _bare_rule(fn: Callable[[_BareName], bool]) -> Callable[[_BareName], bool]:
    """Register a rule that says a name without scheme is *not* a URL."""
    _BARE_RULES.append(fn)
    return fn


def _is_www(b: _BareName) -> bool:
    return b.labels[0] == "www" and len(b.labels) >= 3


@_bare_rule
def glued_to_identifier(b: _BareName) -> bool:
    """Followed by ``@ + - _ (`` or a letter: ``name.al-lastname@example.com``,
    ``logger.info(``, ``user.name+tag``. 例: ``logger.info("開始")`` は URL ではない。"""
    a = b.after
    return bool(a) and (a in "@＠+-_(" or (a < "\x80" and a.isalnum()))


@_bare_rule
def section_number(b: _BareName) -> bool:
    """A dotted quad that is a section or version number, or an address without port
    or path. 例: ``8.1.6.1. 設定``, ``aptitude 0.2.14.1``, ``サーバー192.168.0.1に接続``
    (``192.168.0.1:8080`` and ``192.168.0.1/24`` are kept)."""
    if not _is_ipv4(list(b.labels)):
        return False
    return not b.has_path or b.labels[0] in ("0", "255") or b.after in (".", "-") or b.before in (":", "-")


@_bare_rule
def reverse_dns_id(b: _BareName) -> bool:
    """A Java/Android package or bundle id. 例: ``com.example.myapp`` のパッケージ名。"""
    return not _is_www(b) and len(b.labels) >= 3 and b.labels[0] in _REVERSE_DNS_HEADS


@_bare_rule
def code_attribute(b: _BareName) -> bool:
    """An attribute whose name is a ccTLD. 例: ``user.id`` と ``obj.pk`` を比較する。"""
    return not _is_www(b) and b.labels[-1] in _CODE_TLDS and ".".join(b.labels) not in _FILE_TLD_HOSTS


@_bare_rule
def file_name(b: _BareName) -> bool:
    """A file whose extension is a TLD. 例: ``setup.py`` を実行し ``README.md`` を読む、
    ``libssl.so`` がない、``Terminal.app`` を開く (``docs.rs``, ``notion.so`` are sites)."""
    if _is_www(b) or ".".join(b.labels) in _FILE_TLD_HOSTS:
        return False
    pat = _FILE_TLDS.get(b.labels[-1], False)
    return pat is not False and (pat is None or pat.search(b.host) is not None)


@_bare_rule
def product_name(b: _BareName) -> bool:
    """A product spelled like a domain: listed ones, or an upper-case TLD after a name
    in mixed case. 例: ``ASP.NET Core`` と ``Socket.IO`` を使う (``GOOGLE.COM`` is kept)."""
    if b.has_path or _is_www(b):
        return False
    if ".".join(b.labels) in _NOT_HOSTS:
        return True
    tld = b.host.rsplit(".", 1)[-1]
    name = b.host[: -len(tld) - 1]
    return len(tld) >= 2 and tld.isupper() and any(c.islower() for c in name)


def _from_bare(text: str, s: int, n: int) -> tuple[int, int, int, int] | None:
    """A name without scheme starting at ``s`` (www.example.jp, github.com/a/b)."""
    # A dingbat opening the first label is a bullet (➡example.com), unless the label
    # is nothing but dingbats (➡.ws).
    j = s
    while j < n and text[j] >= "\x80" and _char_class(text[j]) == _SYMBOL:
        j += 1
    if j < n and text[j] != ".":
        s = j
    host_end = _parse_host(text, s, n, _MODE_BARE, False, False)
    if host_end < 0:
        return None
    end = _after_host(text, s, s, host_end, n, False, False)
    if end < 0:
        return None
    host = text[s:host_end]
    name = _BareName(
        host=host,
        labels=tuple(host.lower().split(".")),
        before=text[s - 1] if s > 0 else "",
        after=text[host_end] if host_end < n else "",
        has_path=end > host_end,
    )
    for rule in _BARE_RULES:
        if rule(name):
            return None
    return s, end, s, host_end


def _spans(text: str) -> Iterable[tuple[int, int, int, int, str]]:
    """``(start, end, host_start, host_end, anchor)`` of each URL, left to right.

    ``pos`` only moves forward and every scan starts at or after it, so each character
    is looked at a bounded number of times.
    """
    n = len(text)
    pos = 0
    for m in _CANDIDATE.finditer(text):
        c = m.start()
        if c < pos:
            continue
        ch = text[c]
        if ch == "/":
            res = _from_protocol_relative(text, c, n)
            anchor = "pr"
        elif ch != ".":
            res = _from_scheme(text, c, n)
            anchor = "scheme"
            if res is None:
                pos = m.end()
                continue
        else:
            # Walk back to the start of the dotted name, never into consumed text.
            s = c
            while s > pos and _is_bare_label_char(text[s - 1]):
                s -= 1
            if s == c:
                continue
            if s >= 4 and text[s - 1] == "@":
                res = _from_scp(text, s, n)
                if res is not None:
                    s, e, hs, he = res
                    yield s, e, hs, he, "scp"
                    pos = e
                    continue
            if s > 0 and (text[s - 1] in _NOT_BEFORE_BARE or _is_bare_label_char(text[s - 1])):
                pos = c + 1
                continue
            res = _from_bare(text, s, n)
            if res is None and text[s : s + 4].lower() == "www.":
                res = _from_www(text, s, n)
            anchor = "bare"
            if res is None:
                # Skip the rest of this dotted run: its other dots start inside it.
                spans = _scan_labels(text, s, n, _MODE_BARE, False)
                pos = max(c + 1, spans[-1][1] if spans else c + 1)
                continue
        if res is None:
            continue
        s, e, hs, he = res
        yield s, e, hs, he, anchor
        pos = e


def _from_scp(text: str, s: int, n: int) -> tuple[int, int, int, int] | None:
    """An scp-style Git remote, ``git@github.com:owner/repo.git``; ``s`` is the host."""
    u = s - 4
    if text[u : s - 1] != "git":
        return None
    if u > 0 and (text[u - 1] in _LOCAL_CHARS):
        return None  # mygit@host:… is some mailbox or scp target, not a Git remote
    host_end = _parse_host(text, s, n, _MODE_EMAIL, False, False)
    if host_end < 0 or not _SCP_PATH.match(text, host_end):
        return None
    m = _SCP_PATH.match(text, host_end)
    end = host_end + 1 + len(m.group(1))
    while end > host_end + 1 and text[end - 1] in ".-/":
        end -= 1
    return u, end, s, host_end


def _from_www(text: str, s: int, n: int) -> tuple[int, int, int, int] | None:
    """www.example.show: www. vouches for any real TLD, not only the bare list."""
    host_end = _parse_host(text, s, n, _MODE_EMAIL, False, False)
    if host_end < 0:
        return None
    nxt = text[host_end] if host_end < n else ""
    if nxt and (nxt in "@＠+-_(" or (nxt < "\x80" and nxt.isalnum())):
        return None
    end = _after_host(text, s, s, host_end, n, False, False)
    if end < 0:
        return None
    return s, end, s, host_end


# --- public API --------------------------------------------------------------------


def extract_urls(text: str, include_emails: bool = True) -> list[Url]:
    """URLs in ``text``, sorted by start, each with its normalised form and kind.

    E-mail addresses are links too (as linkify-it counts them) and come with kind
    ``email`` and url ``mailto:…``; ``include_emails=False`` leaves them out (the
    pipeline reports them apart, see :func:`extract_emails`).

    >>> [u.text for u in extract_urls("詳細はhttps://github.com/openai/gymを参照。")]
    ['https://github.com/openai/gym']
    >>> [(u.text, u.kind) for u in extract_urls("連絡はinfo@example.jpまで")]
    [('info@example.jp', 'email')]
    """
    urls, emails = _resolve(text)
    if not include_emails or not emails:
        return list(urls)
    as_urls = [
        Url(start=m.start, end=m.end, text=m.text, url="mailto:" + m.address,
            host=m.address.rpartition("@")[2], kind="email", fullwidth=not m.text.isascii())
        for m in emails
    ]
    return sorted([*urls, *as_urls], key=lambda u: u.start)


@lru_cache(maxsize=2)
def _resolve(text: str) -> tuple[tuple[Url, ...], tuple[Email, ...]]:
    """URLs and e-mails of ``text``, made consistent with each other.

    A URL with a scheme (or ``//``, or a Git remote) owns what it contains, so an
    address in its query is not an e-mail; an e-mail owns its domain, so no name without
    scheme may overlap it. Cached because the pipeline asks for both, one after the other.
    """
    urls = list(_spans(text))
    emails = list(_email_spans(text)) if ("@" in text or "＠" in text) else []
    if urls and emails:
        emails = _drop_overlapping(emails, [u for u in urls if u[4] != "bare"])
        urls = [u for u in urls if u[4] != "bare" or not _overlaps_any(u, emails)]
    return (
        tuple(_make_url(text, s, e, hs, he, anchor) for s, e, hs, he, anchor in urls),
        tuple(_make_email(text, *m) for m in emails),
    )


def _drop_overlapping(items: list[tuple[Any, ...]], blockers: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``items`` (sorted, disjoint spans first) minus those overlapping ``blockers``."""
    kept = []
    k = 0
    for it in items:
        while k < len(blockers) and blockers[k][1] <= it[0]:
            k += 1
        if k < len(blockers) and blockers[k][0] < it[1]:
            continue
        kept.append(it)
    return kept


def _overlaps_any(span: tuple[Any, ...], others: list[tuple[Any, ...]]) -> bool:
    lo, hi = 0, len(others)
    while lo < hi:  # first other ending after span starts
        mid = (lo + hi) // 2
        if others[mid][1] <= span[0]:
            lo = mid + 1
        else:
            hi = mid
    return lo < len(others) and others[lo][0] < span[1]


def _split_port(rest: str) -> tuple[str, str]:
    """``(":8080", "/path")`` from ``":8080/path"``; no port gives ``("", rest)``."""
    if not rest.startswith(":"):
        return "", rest
    k = 1
    while k < len(rest) and "0" <= rest[k] <= "9":
        k += 1
    return rest[:k], rest[k:]


def _make_url(text: str, s: int, e: int, hs: int, he: int, anchor: str) -> Url:
    """The Url for ``text[s:e]`` whose host is ``text[hs:he]``, normalised."""
    raw = text[s:e]
    host = _fold(text[hs:he]).lower().replace("。", ".").replace("｡", ".")
    rest = _fold(text[he:e])
    if anchor == "scp":
        path = "/" + rest[1:]  # git@host:owner/repo -> ssh://git@host/owner/repo
        url = f"ssh://git@{host}{path}"
    else:
        if anchor == "scheme":
            head = _fold(text[s:hs])
            scheme = head[: head.index(":")].lower()
            prefix = f"{scheme}://{head[len(scheme) + 3:]}"  # user info kept
        else:
            scheme = "http"  # www., bare names and //host
            prefix = "http://"
        port, path = _split_port(rest)
        if port[1:] == _DEFAULT_PORTS.get(scheme):
            port = ""
        if not path or path[0] in "?#":
            path = "/" + path
        url = prefix + host + port + path
    kind, owner, repo = classify_url(host, path)
    return Url(
        start=s,
        end=e,
        text=raw,
        url=url,
        host=host,
        kind=kind,
        owner=owner,
        repo=repo,
        fullwidth=_WIDE.search(raw) is not None,
    )


_GH_HOSTS = frozenset(_KINDS["github_hosts"])
_GH_RAW = frozenset(_KINDS["github_raw_hosts"])
_GH_RESERVED = frozenset(_KINDS["github_reserved_accounts"])
_GH_FILE = frozenset(_KINDS["github_file_sections"])
_GH_ISSUE = frozenset(_KINDS["github_issue_sections"])
_PYPI = frozenset(_KINDS["pypi_hosts"])
_NPM = frozenset(_KINDS["npm_hosts"])
_DOC_HOSTS: dict[str, list[str]] = {}
for _d in _KINDS["documentation_hosts"]:
    _h, _, _p = _d.partition("/")
    _DOC_HOSTS.setdefault(_h, []).append("/" + _p if _p else "")
_DOC_HOST_PREFIXES = tuple(_KINDS["documentation_host_prefixes"])
_DOC_PATH_PREFIXES = tuple(_KINDS["documentation_path_prefixes"])


@lru_cache(maxsize=4096)
def classify_url(host: str, path: str) -> tuple[str, str | None, str | None]:
    """``(kind, owner, repo)`` for a lower-case host and the path after it.

    >>> classify_url("github.com", "/openai/gym/issues/12")
    ('github-issue', 'openai', 'gym')
    """
    h = host[4:] if host.startswith("www.") else host
    p = path
    for sep in "?#":
        cut = p.find(sep)
        if cut >= 0:
            p = p[:cut]
    segs = [x for x in p.split("/") if x]
    if h in _GH_HOSTS:
        if not segs or segs[0].lower() in _GH_RESERVED:
            return "other", None, None
        owner = segs[0]
        if len(segs) == 1:
            return "github-account", owner, None
        repo = segs[1][:-4] if segs[1].endswith(".git") else segs[1]
        if len(segs) >= 3 and segs[2] in _GH_FILE:
            return "github-file", owner, repo
        if len(segs) >= 4 and segs[2] in _GH_ISSUE and segs[3].isdigit():
            return "github-issue", owner, repo
        return "github-repo", owner, repo
    if h in _GH_RAW and len(segs) >= 3:
        return "github-file", segs[0], segs[1]
    if h in _PYPI and len(segs) >= 2 and segs[0] in ("project", "simple"):
        return "pypi-package", None, None
    if h in _NPM and len(segs) >= 2 and segs[0] == "package":
        return "npm-package", None, None
    if h == "npm.im" and segs:
        return "npm-package", None, None
    parts = h.split(".")
    for k in range(len(parts) - 1):
        for dp in _DOC_HOSTS.get(".".join(parts[k:]), ()):
            if not dp or p.startswith(dp):
                return "documentation", None, None
    if h.startswith(_DOC_HOST_PREFIXES) or (p + "/").startswith(_DOC_PATH_PREFIXES):
        return "documentation", None, None
    return "other", None, None


_AT = re.compile(r"[@＠]")
_LOCAL_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-\""
    # Full-width forms: MT and IME input leave addresses like ｓｕｐｐｏｒｔ＠ｅｘａｍｐｌｅ．ｃｏｍ
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ０１２３４５６７８９．＿％＋－"
)


def extract_emails(text: str) -> list[Email]:
    """E-mail addresses (with a ``mailto:`` prefix when written), sorted by start.

    The span includes ``mailto:``; ``address`` is the bare address with the domain in
    lower case and full-width characters folded. Never overlaps a URL.

    >>> [e.address for e in extract_emails("連絡先：Info@Example.JPまで")]
    ['Info@example.jp']
    """
    return list(_resolve(text)[1])


def _make_email(text: str, s: int, e: int, ls: int, le: int, host_start: int) -> Email:
    address = _fold(text[ls:le]) + "@" + _fold(text[host_start:e]).lower()
    return Email(start=s, end=e, text=text[s:e], address=address)


def _email_spans(text: str) -> Iterable[tuple[int, int, int, int, int]]:
    """``(start, end, local_start, local_end, domain_start)`` of each e-mail address."""
    n = len(text)
    pos = 0  # everything before pos has been read; local parts never reach back past it
    for m in _AT.finditer(text):
        at = m.start()
        if at < pos:
            continue
        ls = at
        while ls > pos and text[ls - 1] in _LOCAL_CHARS:
            ls -= 1
        if ls == at or (ls > 0 and text[ls - 1] in _LOCAL_CHARS):
            pos = at + 1
            continue
        mailto = (
            ls >= 7
            and text[ls - 1] in ":："
            and text[ls - 7 : ls - 1].lower() == "mailto"
            and (ls == 7 or not (text[ls - 8] < "\x80" and (text[ls - 8].isalnum() or text[ls - 8] in "/:")))
        )
        le = at
        # Quotes and dots cannot open or close a local part ("test@example.com").
        while ls < le and text[ls] in '."-+．－＋':
            ls += 1
        if ls == le or text[le - 1] in '."．':
            pos = at + 1
            continue
        if not mailto and ls > 0 and text[ls - 1] in "/:" and _in_userinfo(text, ls, pos):
            pos = at + 1
            continue
        host_start = at + 1
        fw = text[at] == "＠"
        host_end = _parse_host(text, host_start, n, _MODE_EMAIL, fw, mailto)
        if host_end < 0 or ("." not in _fold(text[host_start:host_end]) and not mailto):
            pos = at + 1
            continue
        if not mailto and _SCP_PATH.match(text, host_end):
            pos = at + 1
            continue  # git@github.com:owner/repo.git is a Git remote, not a mailbox
        yield (ls - 7 if mailto else ls), host_end, ls, le, host_start
        pos = host_end


def _in_userinfo(text: str, ls: int, floor: int) -> bool:
    """Whether ``ls`` sits after ``scheme://`` in the same token (user:pass@host).

    The walk back stops at ``floor`` (the previous @), so many @ cost linear time.
    """
    k = ls - 1
    lo = max(0, floor - 1, ls - 512)
    while k > lo and not text[k].isspace():
        if text.startswith("://", k - 2) or text.startswith("//", k - 1):
            return True
        k -= 1
    return False


def package_name(u: Url) -> str | None:
    """The package a ``pypi-package`` or ``npm-package`` URL names, else None.

    >>> package_name(extract_urls("https://www.npmjs.com/package/@types/node")[0])
    '@types/node'
    """
    if u.kind not in ("pypi-package", "npm-package"):
        return None
    path = u.url.split("://", 1)[-1].split("/", 1)[-1]
    for sep in "?#":
        path = path.split(sep, 1)[0]
    segs = [x for x in path.split("/") if x]
    if u.host == "npm.im":
        return segs[0] if segs else None
    if len(segs) < 2:
        return None
    if segs[1].startswith("@") and len(segs) >= 3:
        return segs[1] + "/" + segs[2]
    return segs[1]


def url_summary(urls: list[Url]) -> list[dict[str, Any]]:
    """Unique normalised URLs in order of first appearance, with a count of each.

    >>> url_summary(extract_urls("https://Example.com と https://example.com/"))[0]["count"]
    2
    """
    seen: dict[str, dict[str, Any]] = {}
    for u in sorted(urls, key=lambda x: x.start):
        row = seen.get(u.url)
        if row is None:
            seen[u.url] = {
                "url": u.url,
                "count": 1,
                "first_start": u.start,
                "kind": u.kind,
                "host": u.host,
                "owner": u.owner,
                "repo": u.repo,
            }
            package = package_name(u)
            if package:
                seen[u.url]["package"] = package
        else:
            row["count"] += 1
    return list(seen.values())
