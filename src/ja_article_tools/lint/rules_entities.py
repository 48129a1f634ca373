"""JA7xx: one name spelled several ways in one article.

Why not ``extract.entities``: its CRF costs ~7 s per MB (the lint target is well under
1 s), and the variants that matter here are mechanical — letter case, a space or hyphen
inside a name, a loanword written in katakana beside its English name — which token
data and one regex find in linear time.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache
from typing import Any


from ._chars import load_data
from .engine import DocContext
from .registry import Hit, rule

# Only words that start with a capital can take part: the preferred form is CamelCase
# and a reported variant starts with a capital too (``Github``), never ``github``.
_WORD = re.compile(r"[A-Z][A-Za-z0-9]*(?:[.+#][A-Za-z0-9]+)*(?![A-Za-z0-9])")
# Two capitalised words with a space or hyphen between (``Chat GPT``, ``Open-AI``),
# found overlapping through a lookahead.
# Words are bounded (40 characters): unbounded, a long run of capitals made every capital
# start a scan to the end of the run (quadratic).
_PAIR = re.compile(r"[A-Z][A-Za-z0-9]{0,40}[ \-][A-Z][A-Za-z0-9]*(?![A-Za-z0-9])")


def _has_inner_capital(w: str) -> bool:
    return any(c.isupper() for c in w[1:])


def _camel(w: str) -> bool:
    """CamelCase: a capital after the first letter and at least one small letter."""
    return _has_inner_capital(w) and any(c.islower() for c in w)


def _squash(f: str) -> str:
    return f.replace(" ", "").replace("-", "").lower()


def _whole_words(forms: list[str]) -> str:
    """An alternation of ``forms`` (each starting with a letter) not inside a longer
    word. The look-behind sits after each form's first letter, so every branch starts
    with a literal and ``re`` skips ahead to those letters (a leading look-behind makes
    it try every position: 4x slower)."""
    return "(?:" + "|".join(
        re.escape(f[0]) + "(?<![A-Za-z0-9]" + re.escape(f[0]) + ")" + re.escape(f[1:]) for f in forms
    ) + ")(?![A-Za-z0-9])"


@lru_cache(maxsize=1)
def _names_pattern() -> re.Pattern[str]:
    names = load_data("mt_name_translations.json")
    return re.compile("|".join(re.escape(ja) for ja in sorted(names, key=len, reverse=True)))


@rule("JA701", "entity-spelling-variants", severity="warning", scope="document", fix="unsafe", needs_tokens=True,
      options={})
def entity_variants(doc: DocContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """同じ名前の表記ゆれ（大文字小文字、語中の空白、カタカナと英語）。

    NG: ``ChatGPT`` と ``Chat GPT``、``GitHub`` と ``Github``、``Gym`` と ``ジム`` が同じ記事に →
    OK: 多い方（英語名があれば英語名）に揃える。Case variants count only against a CamelCase
    form (``Github`` beside ``GitHub``; not ``github``, a command, nor ``GITHUB``). Names that
    translation turned into words come from ``data/mt_name_translations.json``.
    """
    # Pass 1: counts only (C-level findall + Counter), no positions.
    # Counted over the whole text in one C-level pass (code and URLs included: they only
    # add to the counts of the spellings; positions below come from prose alone).
    words: Counter[str] = Counter(_WORD.findall(doc.text))
    pairs: Counter[str] = Counter(_PAIR.findall(doc.text))
    spellings: dict[str, list[str]] = defaultdict(list)
    for w in words:
        if len(w) >= 3:
            spellings[w.lower()].append(w)
    for w in pairs:
        key = _squash(w)
        if key in spellings:
            spellings[key].append(w)
    by_key = {k: Counter({f: (words[f] if f in words else pairs[f]) for f in fs}) for k, fs in spellings.items() if len(fs) > 1}
    minority: dict[str, tuple[str, str]] = {}  # form -> (best form, summary)
    for key, forms in by_key.items():
        if len(forms) < 2:
            continue
        solid = [f for f in forms if " " not in f and "-" not in f]
        if not solid:
            continue
        best = max(solid, key=lambda f: (forms[f], _camel(f)))
        summary = " / ".join(f"{f} ({c})" for f, c in forms.most_common())
        for f in forms:
            if f == best:
                continue
            if " " in f or "-" in f:
                minority[f] = (best, summary)  # Chat GPT beside ChatGPT
            elif _camel(best) and f[0].isupper() and not f.isupper() and not _camel(f):
                # Github beside GitHub; not github (a package or command name) nor GITHUB.
                minority[f] = (best, summary)
    # Pass 2: positions of the minority forms only.
    if minority:
        alt = re.compile(_whole_words(sorted(minority, key=len, reverse=True)))
        for m in alt.finditer(doc.joined_prose):
            best, summary = minority[m.group()]
            shift = doc.block_at(m.start())[1]
            s, e = m.start() + shift, m.end() + shift
            yield Hit(s, e, f"表記ゆれ: {summary}。「{best}」に揃えましょう。", ((s, e, best),))
    # Names that translation turned into Japanese words (Gym -> ジム, Flask -> フラスコ):
    # reported when the English name is also written somewhere in the article (code,
    # URLs, prose), which shows what the word stands for.
    # One scan for all the names first: most articles hold none of them.
    if _names_pattern().search(doc.text) is None:
        return
    names = load_data("mt_name_translations.json")
    present = {ja: en for ja, en in names.items()
               if ja in doc.text and re.search(rf"(?<![A-Za-z]){re.escape(en)}(?![A-Za-z])", doc.text, re.I)}
    if not present:
        return
    for ctx in doc.blocks:
        if not any(ja in ctx.prose for ja in present):
            continue
        for t in ctx.tokens:
            en = present.get(t.surface)
            if en is not None and t.pos[:1] in (("名詞",), ("動詞",)):
                s, e = t.start + ctx.start, t.end + ctx.start
                yield Hit(s, e, f"表記ゆれ: 「{t.surface}」は「{en}」の訳語ではありませんか（記事中に {en} があります）。",
                          ((s, e, en),))
