"""The lint's fast paths give what the plain ones give.

The engine takes shortcuts for speed (docs/lint.md, "Speed"): token offsets from
MeCab's byte lengths instead of searching, one scan for many triggers, look-behind
triggers anchored on their rarest character, a class string per block, plain-text
parsing by runs of lines, rules that skip work when the block is tagged already. Each
test below compares a shortcut with the straightforward computation it replaces.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ja_article_tools.lint import Config, all_rules, lint
from ja_article_tools.lint import engine
from ja_article_tools.lint.markdown import parse

CASES = Path(__file__).parent / "cases" / "lint"


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (CASES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


TEXTS = _load("speed.jsonl")
# A long text: several tagging chunks (CHUNK_CHARS) in one block.
LONG = "設定 ファイル を 開く。Python 3.12 で動く。\t" * 700


def _texts() -> list[str]:
    return [c["input"] for c in TEXTS] + [LONG]


@pytest.mark.parametrize("text", _texts(), ids=lambda t: t[:20])
def test_fast_tokens_equal_searched_tokens(text: str) -> None:
    fast = engine.light_tokens(text)
    assert fast == engine._light_tokens_searching(text)
    for t in fast:
        assert text[t.start : t.end] == t.surface
    compacted = engine.compact_for_tagging(text)
    if compacted is not None:
        compact, mapping = compacted
        assert engine.light_tokens(compact, mapping, text) == engine._light_tokens_searching(compact, mapping, text)


@pytest.mark.parametrize("text", _texts(), ids=lambda t: t[:20])
def test_compact_map_points_at_the_same_characters(text: str) -> None:
    compacted = engine.compact_for_tagging(text)
    if compacted is None:
        assert not engine._COMPRESS.search(text)
        return
    compact, (src_start, src_end) = compacted
    assert len(src_start) == len(compact) and len(src_end) == len(compact) + 1
    for k, ch in enumerate(compact):
        s, e = src_start[k], src_end[k + 1]
        assert 0 <= s < e <= len(text)
        if e - s == 1:
            assert text[s] == ch  # copied as is
        else:
            assert ch in ("X", "0", engine.OPAQUE)  # one placeholder for a run


def test_token_classes_follow_the_part_of_speech() -> None:
    # What the rules take each class to mean (they used to test ``t.pos`` directly).
    seen = set()
    for case in TEXTS:
        for t in engine.light_tokens(case["input"]):
            head, cls = (t.pos[0] if t.pos else ""), t.pos_class
            seen.add(cls)
            assert (cls in "PJ") == (head == "助詞"), (t.surface, t.pos, cls)
            assert (cls == "J") == (t.pos[:2] == ("助詞", "接続助詞")), (t.surface, t.pos, cls)
            assert (cls == "A") == (head == "助動詞"), (t.surface, t.pos, cls)
            assert (cls == "C") == (head == "接続詞"), (t.surface, t.pos, cls)
            assert (cls in "S_") == (head in ("補助記号", "")), (t.surface, t.pos, cls)
    assert set("PJACS") <= seen  # the cases do hold every class the rules look for
    ctx = engine.BlockContext(parse("出発したが、間に合わなかったが、到着した。", False).blocks[0])
    assert ctx.token_classes.count("J") == 2  # the two conjunctive が
    assert len(ctx.token_classes) == len(ctx.tokens)


def _all_triggers() -> set[str]:
    return {r.trigger for r in all_rules() if r.trigger is not None}


@pytest.mark.parametrize("markdown", [False, True])
def test_shared_trigger_scan_finds_the_same_blocks(markdown: bool) -> None:
    # Many blocks with the same trigger characters, so members leave the shared scan.
    many = "\n\n".join(f"段落{i}（注）、が！ ﾃｽﾄ１ Ａ" for i in range(engine._TriggerScan.FREQUENT * 2))
    for text in _texts() + [many, "\n\n".join(c["input"] for c in TEXTS)]:
        ctxs = [engine.BlockContext(b) for b in parse(text, markdown).blocks]
        starts = [c.start for c in ctxs]
        scan = engine._TriggerScan(text, starts, ctxs, _all_triggers())
        for trig in _all_triggers():
            assert scan.blocks(trig) == engine._triggered(trig, text, starts, ctxs), trig


def test_class_union_refuses_classes_with_an_edge_hyphen() -> None:
    assert engine._class_body("[a-z]") == "a-z"
    assert engine._class_body("[-a]") is None
    assert engine._class_body("[a-]") is None
    assert engine._class_body("、") is None  # a single literal is scanned on its own
    assert engine._class_body("[^、]") is None
    assert engine._class_body("(?:x)") is None


# The triggers as first written; the registered ones anchor on the rarest character.
ORIGINAL_TRIGGERS = {
    "JA112": r"[ \u3000][「『（［【〔〈《｛」』）］】〕〉》｝]|[「『（［【〔〈《｛」』）］】〕〉》｝][ \u3000]",
    "JA206": r"[\u3041-\u30ff\u3400-\u9fff][,.]",
    "JA305": r"[\u3400-\u9fffえけげせぜてでねべめれいきぎしじちにひびみり]れ",
    "JA302": r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]{6}",
}


@pytest.mark.parametrize("code", sorted(ORIGINAL_TRIGGERS))
def test_rewritten_triggers_choose_the_same_blocks(code: str) -> None:
    rule = next(r for r in all_rules() if r.code == code)
    text = "\n\n".join(_texts() + [
        "「 括弧」の前後（ 丸 ）", "- （箇条書き）\n-  「x」", "日本,語.です", "見れる 来れる 入れる", "漢字漢字漢字漢字です",
        "# 見出し 「 」", "a 「b」 c\n\n（", "六文字以上漢字", "れれ", ",.", " 「",
    ])
    for markdown in (False, True):
        ctxs = [engine.BlockContext(b) for b in parse(text, markdown).blocks]
        starts = [c.start for c in ctxs]
        want = engine._triggered(ORIGINAL_TRIGGERS[code], text, starts, ctxs)
        assert want, code  # the text does exercise the trigger
        assert engine._triggered(rule.trigger, text, starts, ctxs) == want


@pytest.mark.parametrize("text", _texts() + ["a\nb\n", "a\n\n\nb", "\n", "x"], ids=lambda t: t[:20])
def test_plain_text_paragraphs_match_the_line_by_line_parse(text: str) -> None:
    fast = parse(text, False)
    # A fence line far below forces the line-by-line reader; it adds no paragraph.
    slow = parse(text + "\n\n```\n", False)
    assert [(b.kind, b.start, b.end, b.line, b.prose, b.spans) for b in fast.blocks] == [
        (b.kind, b.start, b.end, b.line, b.prose, b.spans) for b in slow.blocks
    ]


def _rule_cases() -> list[dict]:
    return _load("rules.jsonl")


@pytest.mark.parametrize("case", _rule_cases(), ids=lambda c: f"{c['code']}:{c['why'][:30]}")
def test_a_rule_finds_the_same_alone_and_among_all(case: dict) -> None:
    """Rules share tokens, class strings and trigger scans, and some skip work when
    another rule has tagged the block already: none of that may change what they find."""
    code, options = case["code"], case.get("options", {})
    alone = lint(case["input"], path="case.md", config=Config(select=[code], rules={code: options}))
    together = lint(case["input"], path="case.md", config=Config(select=[r.code for r in all_rules()], rules={code: options}))
    key = [(f.start, f.end, f.message) for f in alone if f.code == code]
    assert key == [(f.start, f.end, f.message) for f in together if f.code == code]
    assert len(key) == case["expected"]


def test_offset_check_catches_drift() -> None:
    # The last token must sit where the byte lengths put it, with only white space after.
    assert engine._ends_at("あい \n", 2, 4, "い")
    assert not engine._ends_at("あい x", 2, 4, "い")  # text after the last token
    assert not engine._ends_at("あいう", 2, 3, "う")  # counted one character short
    assert not engine._ends_at("あい", 3, 2, "い")  # counted past the chunk
