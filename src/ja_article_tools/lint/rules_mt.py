"""JA4xx: damage done by machine translation (fences and code)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .engine import DocContext
from .registry import Hit, rule
from .rules_code import code_blocks_in_prose, fence_edit, repaired


@rule("JA401", "mt-broken-fence", severity="error", scope="document", fix="unsafe", options={"repair": True})
def mt_broken_fence(doc: DocContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """機械翻訳で壊れたコードフェンス（```` ``` ```` が「」や ｀｀｀ に、言語名が訳語に）。

    NG: ``「」パイソン`` … ``「」`` → OK: ```` ```python ```` … ```` ``` ````. The unsafe fix
    writes a real fence and, with ``repair``, repairs the code inside it.
    """
    for cb in code_blocks_in_prose(doc):
        if cb.detected_by != "mt-fence":
            continue
        cs = cb.content_start if cb.content_start >= 0 else cb.start
        ce = cb.content_end if cb.content_end >= 0 else cb.end
        code = doc.text[cs:ce]
        if opt.get("repair", True):
            new, changed, conf, _ = repaired(code, cb.language)
            if changed and conf >= 0.5:
                code = new
        yield Hit(cb.start, cb.end, f"機械翻訳で壊れたコードフェンスです（言語: {cb.language}）。```{cb.language} で囲み直しましょう。",
                  (fence_edit(doc.text, cb.start, cb.end, code, cb.language),))


@rule("JA402", "mt-damaged-code", severity="error", scope="document", fix="unsafe", options={"min_confidence": 0.6},
      kinds=("code",))
def mt_damaged_code(doc: DocContext, opt: dict[str, Any]) -> Iterator[Hit]:
    """コードブロックの中身が機械翻訳で壊れている（キーワードや識別子の訳語、全角記号）。

    NG: ```` ```python ```` の中に ``ジムをインポート`` → OK: ``import gym``. The unsafe fix
    applies the code repair; it is the only fix that ever touches a code block.
    """
    threshold = float(opt.get("min_confidence", 0.6))
    text = doc.text
    for f in doc.parsed.fences:
        if f.indented or f.content_end <= f.content_start:
            continue
        code = text[f.content_start:f.content_end]
        if code.isascii() and "\t" not in code:
            continue  # MT damage always leaves non-ASCII (Japanese words, full-width marks)
        lang = f.info.split()[0] if f.info else None
        new, changed, conf, reasons = repaired(code, lang)
        if not changed or conf < threshold:
            continue
        if code.endswith("\n") and not new.endswith("\n"):
            new += "\n"
        yield Hit(f.content_start, f.content_end, f"コードが機械翻訳で壊れています（{reasons or 'repair'}）。修復案を --unsafe-fixes で適用できます。",
                  ((f.content_start, f.content_end, new),))
