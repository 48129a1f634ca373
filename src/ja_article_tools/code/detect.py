"""Find code blocks in Japanese articles: fenced, fences broken by machine translation, or bare.

Four detectors run in order; each later one only sees lines the earlier ones left:

1. ``fence``: CommonMark ```` ``` ```` / ``~~~`` fences (closing fence of the same character and
   at least the same length; unclosed runs to the end). A fence whose tag was translated
   (```` ```タイプスクリプト ````) may be closed by ``「」``, which MT often leaves as the closer.
2. ``mt-fence``: fences MT turned into ``「」`` (``「」パイソン`` … ``「」``), glued to a heading
   (``## セッション「」パイソン``, ``# #安装```bash``) or written with full-width backticks.
   An opener needs a closer; an unclosed one is left to the heuristic.
3. ``indent``: Markdown indented code (4+ columns after a blank line, not in a list) — only when
   the text is Markdown.
4. ``heuristic``: every remaining line gets a code score from :func:`code_line_logit`; a two-state
   Viterbi pass smooths the scores along the text, so a comment or a bare ``）`` between code
   lines becomes code and one odd line inside prose does not. Runs of code lines (blank lines
   allowed inside) become blocks.

Everything is linear in the text; the line scorer looks at most at the first
:data:`SCORE_PREFIX` code points of a line, so a 10 MB single line costs one slice.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from ..models import CodeBlock, LineIndex
from .language import guess_language, language_from_tag

__all__ = [
    "find_code_blocks",
    "is_code_line",
    "code_line_logit",
    "line_features",
    "looks_like_markdown",
    "SCORE_PREFIX",
]

_DATA = Path(__file__).with_name("data")
SCORE_PREFIX = 2000

# Viterbi parameters (log-probabilities). Staying in a state is likely; switching right at a
# line is less likely than switching across a blank line, where blocks usually begin and end.
_LOG_STAY = math.log(0.85)
_LOG_SWITCH = math.log(0.15)
_LOG_STAY_BLANK = math.log(0.65)
_LOG_SWITCH_BLANK = math.log(0.35)
_LOG_START_CODE = math.log(0.2)
_LOG_START_PROSE = math.log(0.8)
_BIAS = -1.0


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: regex.Pattern[str]
    weight: float


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[_Rule, ...], tuple[_Rule, ...]]:
    raw = json.loads((_DATA / "detect_line_patterns.json").read_text(encoding="utf-8"))

    def build(items: list[dict]) -> tuple[_Rule, ...]:
        return tuple(_Rule(r["name"], regex.compile(r["pattern"]), float(r["weight"])) for r in items)

    return build(raw["code"]), build(raw["prose"])


@lru_cache(maxsize=1)
def _commands() -> frozenset[str]:
    lines = (_DATA / "detect_commands.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


_HIRAGANA = regex.compile(r"\p{Hiragana}")
_CJK = regex.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}ー]")
_CODE_PUNCT = regex.compile(r"[=(){}\[\];<>$|&\\_（）【】]")
_ASCII_WORD = regex.compile(r"(?<![\w./-])[A-Za-z]{2,}+(?![\w./(-])")
_LEAD_PROMPT = regex.compile(r"^(?:[$%#]\s+|sudo\s+)*+")
_FIRST_WORD = regex.compile(r"^[\w.+-]++")
_QUOTED = regex.compile(r"\"[^\"\n]{0,200}+\"|'[^'\n]{0,200}+'")
_PROGRAM_NAME = regex.compile(r"^[a-z][\w.+-]{0,40}+$")
_ARG_TOKEN = regex.compile(r"^(?:--?[A-Za-z0-9][\w-]*+(?:=\S*+)?+|\S*+/\S*+|\w++=\S++|\S*+[*$]\S*+)$")
_ENGLISH_CLAUSE = regex.compile(r"(?:^|\s)[a-z]++(?:\s++[a-z]++)++[.,]$")
_QUOTE_MARKERS = regex.compile(r"^(?:>\s?+)++")
_COMMENT_LINE = regex.compile(r"^(?:#(?![#!])|//(?!/))")
_TRAILING_COMMENT = regex.compile(r"(?<=\S)\s++(?:#|//)\s")


def _shell_command_weight(s: str) -> tuple[str, float] | None:
    """A line that starts with a known command (after ``$ ``/``# ``/``sudo``) and goes on with
    arguments, not a Japanese sentence: ``git クローン https://…`` yes, ``pip コマンドを使います`` no."""
    m = _LEAD_PROMPT.match(s)
    rest = s[m.end():] if m else s
    w = _FIRST_WORD.match(rest)
    if not w or w.group() not in _commands():
        return None
    after = rest[w.end():]
    if after and not after[0].isspace():
        return None  # "ls(1)", "git/", "pip、" are words in a sentence
    args = after.strip()
    if not args:
        return ("shell_command_bare", 1.0)
    hira = len(_HIRAGANA.findall(args))
    share = hira / max(1, len(args.replace(" ", "")))
    if args.endswith("。") or share > 0.25:
        return None
    if share > 0.12:
        return ("shell_command_japanese_args", 1.0)
    if _CJK.search(args):
        # "git クローン https://…" keeps some ASCII; "aptitude ユーザマニュアル" is a title
        if regex.search(r"[A-Za-z0-9\-/.]", args):
            return ("shell_command_translated_args", 3.0)
        return ("shell_command_japanese_args", 1.0)
    if _ENGLISH_CLAUSE.search(args) or (regex.search(r"[A-Za-z][.,]$", args) and not regex.search(r"[-/=$*]", args)):
        return None  # "which it is not overridden." is English prose
    return ("shell_command", 3.5)


def line_features(line: str, *, markdown: bool = False) -> list[tuple[str, float]]:
    """The named features that fire on one line, with their log-odds weights (positive = code).

    ``line_features("ジムをインポート")`` -> ``[("mt_import_suffix", 3.5), ...]``.
    """
    s = line[:SCORE_PREFIX].strip()
    if s.startswith(">"):
        # Code pasted into a Markdown blockquote gets translated like prose ("> パンダを pd として
        # インポート"): score what is quoted.
        s = _QUOTE_MARKERS.sub("", s)
    if not s:
        return []
    code_rules, prose_rules = _rules()
    if _COMMENT_LINE.match(s):
        # A comment is translated prose inside code: only its neighbours can tell, unless it
        # is a root prompt ("# apt-get install foo").
        shell = _shell_command_weight(s)
        return [shell, ("root_prompt", 0.5)] if shell else [("comment_line", 0.3 - _BIAS)]
    out: list[tuple[str, float]] = []
    trailing = _TRAILING_COMMENT.search(s)
    if trailing and trailing.start() > 0:
        # "$ fn2 whoami # プラン + クォータを確認します": judge the code, not its comment
        s = s[:trailing.start()]
        out.append(("trailing_comment", 0.3))
    keyword_spans: list[tuple[int, int]] = []
    for rule in code_rules:
        m = rule.pattern.search(s)
        if m:
            out.append((rule.name, rule.weight))
            if rule.name.startswith("mt_"):
                keyword_spans.append(m.span())
    for rule in prose_rules:
        if rule.name == "markdown_heading" and not markdown and not s.startswith(("##", "＃")):
            continue
        if rule.pattern.search(s):
            out.append((rule.name, rule.weight))
    shell = _shell_command_weight(s)
    if shell:
        out.append(shell)
    chars = s.replace(" ", "").replace("\u3000", "")
    n = max(1, len(chars))
    # The kana of an MT'd keyword ("合計を返す", "…としてインポート") are not evidence of a
    # sentence: count only the hiragana outside the keyword matches.
    in_keyword = set()
    for a, b in keyword_spans:
        in_keyword.update(range(a, b))
    hira_count = sum(1 for m in _HIRAGANA.finditer(s) if m.start() not in in_keyword)
    hira = hira_count / n
    if hira > 0.15:
        out.append(("hiragana_share", -min(2.5, 8.0 * (hira - 0.15) + 0.5)))
    punct_count = len(_CODE_PUNCT.findall(chars))
    punct = punct_count / n
    if punct >= 0.08 and punct_count >= 2:  # one ";" does not make "TL;DR" code
        out.append(("code_punctuation", 1.0 if punct < 0.2 else 1.5))
    cjk = len(_CJK.findall(chars)) / n
    if keyword_spans:
        pass  # an MT'd keyword makes an all-Japanese line plausible code: no phrase penalty
    elif cjk > 0.6 and punct < 0.05 and len(chars) > 30:
        out.append(("japanese_sentence", -1.5))
    elif cjk > 0.85 and punct == 0:
        out.append(("japanese_phrase", -1.0))
    if cjk < 0.1:
        unquoted = _QUOTED.sub(" ", s)
        words = len(_ASCII_WORD.findall(unquoted))
        if words >= 6 and punct < 0.06:
            out.append(("english_sentence", -2.0))
        elif not shell and _ascii_command_like(unquoted):
            out.append(("ascii_command_like", 2.0))
    return out


def _ascii_command_like(s: str) -> bool:
    """An ASCII line shaped like ``cmd -x arg/path``: a lower-case program name, few tokens, at
    least one option, path, URL or ``k=v`` argument, and no run of plain English words.
    ``lsb_release -a`` and ``deb http://ftp.jp.debian.org/debian/ unstable main`` qualify;
    ``foo depends on bar (>= 3.0) and`` does not."""
    if not s.isascii() or s.endswith((".", ",", ":")):
        return False
    tokens = s.split()
    if not 2 <= len(tokens) <= 12 or not _PROGRAM_NAME.match(tokens[0]):
        return False
    if not any(_ARG_TOKEN.match(t) for t in tokens[1:]):
        return False
    plain = 0
    for t in tokens:
        plain = plain + 1 if t.isalpha() and t.islower() else 0
        if plain >= 4:
            return False
    return True


def code_line_logit(line: str, *, markdown: bool = False) -> float:
    """Log-odds that ``line`` is code, from the line alone (no context).

    Positive for ``env = gym .make ( "CartPole-v1" )`` or ``pip インストール arise-phoenix-otel``,
    negative for ``これは強化学習研究用のPythonツールキットです。``.
    """
    if not line.strip():
        return 0.0
    feats = line_features(line, markdown=markdown)
    return _BIAS + sum(w for _, w in feats)


def is_code_line(line: str, *, markdown: bool = False) -> float:
    """Probability (0–1) that one line, seen alone, is code. Used by lint to flag code in prose.

    ``is_code_line("範囲( 1000 )内の_の場合:")`` is high; ``is_code_line("`pip` コマンドを使います。")`` low.
    """
    if not line.strip():
        return 0.0
    return _sigmoid(code_line_logit(line, markdown=markdown))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# ---------------------------------------------------------------- lines


@dataclass(slots=True)
class _Line:
    start: int
    end: int  # end of content, line terminator excluded
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


_LINE_END = regex.compile(r"\r\n|\r|\n")


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for m in _LINE_END.finditer(text):
        lines.append(_Line(pos, m.start(), text[pos:m.start()]))
        pos = m.end()
    lines.append(_Line(pos, len(text), text[pos:]))
    return lines


# ---------------------------------------------------------------- markdown auto-detection

_MD_FENCE = regex.compile(r"^ {0,3}(?:`{3,}|~{3,})")
_MD_HEADING = regex.compile(r"^ {0,3}#{1,6} \S")
_MD_LIST = regex.compile(r"^ {0,3}(?:[-*+]|\d{1,3}[.)]) \S")
# Inline code without "'" inside: groff/TeX-style `quotes' in plain text are not Markdown.
_MD_INLINE = regex.compile(r"\[[^\]\n]{1,200}+\]\([^)\s]{1,500}+\)|\*\*[^*\n]{1,200}+\*\*|(?<!`)`[^`'\n]{1,200}+`(?!`)")


_FRONT_MATTER = regex.compile(r"---[ \t]*\r?\n(?:[^\n]*\n){0,200}?---[ \t]*(?:\r?\n|$)")


def looks_like_markdown(text: str) -> bool:
    """Markdown if it has a code fence, or Markdown-only markers worth 3 points: ``## x``
    headings (1 each; a lone ``# x`` counts half), links ``[x](y)``, ``**bold**`` and inline
    code (1 each). List bullets count at most 1 in all: plain-text documents use them too.
    A leading YAML front-matter block (``---`` … ``---``) is Markdown too."""
    if _FRONT_MATTER.match(text):
        return True
    marks = 0.0
    bullets = 0.0
    for line in _split_lines(text[:200_000]):
        s = line.text[:SCORE_PREFIX]
        if _MD_FENCE.match(s):
            return True
        if _MD_HEADING.match(s):
            marks += 1.0 if s.lstrip().startswith("##") else 0.5
        elif _MD_LIST.match(s):
            bullets = min(1.0, bullets + 0.25)
        if _MD_INLINE.search(s):
            marks += 1.0
        if marks + bullets >= 3:
            return True
    return False


# ---------------------------------------------------------------- fences


@dataclass(slots=True)
class _Fence:
    first: int  # line indices, inclusive
    last: int
    start: int
    end: int
    content_start: int
    content_end: int
    tag: str
    detected_by: str
    closed: bool


# Any indentation, not CommonMark's 0-3: fences inside list items are indented further, and
# an indented-code block holding a fence line is rarer than a fenced block in a list.
_CM_OPEN = regex.compile(r"^([ \t]*+)(`{3,}+|~{3,}+)(.*)$")
# An MT fence marker: 「」 or full-width backticks, or ASCII backticks glued after text.
_MT_MARK = regex.compile(r"「\s?」|｀{3,}+|`{3,}+")
_TAG_OK = regex.compile(r"^[^\s「」`｀。、,，]{1,24}+(?:\s[^\s「」`｀。、]{1,24}+){0,2}+$")
_HEADINGISH = regex.compile(r"^\s*(?:[#＃][#＃\s]*+)?[^。]{0,80}+$")


def _mt_open(s: str) -> tuple[int, str] | None:
    """If line ``s`` opens an MT-damaged fence, return (marker offset in s, tag)."""
    m = None
    for m in _MT_MARK.finditer(s):
        pass
    if m is None:
        return None
    tag = s[m.end():].strip()
    pre = s[:m.start()]
    if tag and not _TAG_OK.match(tag):
        return None
    if m.group().startswith("`") and not pre.strip():
        return None  # a plain ``` fence: CommonMark handles it
    if pre.strip() and not _HEADINGISH.match(pre):
        return None
    if "「" in m.group() and pre.strip() and not pre.lstrip().startswith(("#", "＃")) and tag == "":
        return None  # "…という「」" in a sentence: not a fence
    return m.start(), tag


def _is_mt_close(s: str) -> int | None:
    """Length of the closing marker if line ``s`` starts with one (rest may be a glued heading)."""
    t = s.lstrip()
    m = _MT_MARK.match(t)
    if not m:
        return None
    return len(s) - len(t) + m.end()


def _scan_fences(lines: list[_Line], text_len: int) -> list[_Fence]:
    fences: list[_Fence] = []
    i, n = 0, len(lines)
    # next_closer[i]: first line >= i that starts with an MT closing marker; precomputed so that
    # many openers without a closer do not each scan to the end (quadratic).
    next_closer = [n] * (n + 1)
    for k in range(n - 1, -1, -1):
        next_closer[k] = k if _is_mt_close(lines[k].text[:SCORE_PREFIX]) is not None else next_closer[k + 1]
    while i < n:
        line = lines[i]
        s = line.text[:SCORE_PREFIX]
        cm = _CM_OPEN.match(s)
        if cm and not (cm.group(2)[0] == "`" and "`" in cm.group(3)):
            fence = _scan_cm_fence(lines, i, cm)
            fences.append(fence)
            i = fence.last + 1
            continue
        mt = _mt_open(s)
        if mt is not None:
            fence = _scan_mt_fence(lines, i, line.start + mt[0], mt[1], next_closer[i + 1])
            if fence is not None:
                fences.append(fence)
                i = fence.last + 1
                if fence.end < lines[fence.last].end:
                    # the closer was glued to a heading that may open the next fence
                    rest = lines[fence.last]
                    lines[fence.last] = _Line(fence.end, rest.end, rest.text[fence.end - rest.start:])
                    i = fence.last
                continue
        i += 1
    return fences


def _scan_cm_fence(lines: list[_Line], i: int, m: regex.Match[str]) -> _Fence:
    char, length = m.group(2)[0], len(m.group(2))
    tag = m.group(3).strip()
    translated_tag = bool(tag) and not tag.isascii()
    closer = regex.compile(r"^[ \t]*+" + regex.escape(char) + "{" + str(length) + r",}+\s*$")
    opener = lines[i]
    for j in range(i + 1, len(lines)):
        s = lines[j].text[:SCORE_PREFIX]
        if closer.match(s) or (translated_tag and s.strip() in ("「」", "「 」")):
            return _Fence(i, j, opener.start, lines[j].end, _next_start(lines, i), lines[j - 1].end if j > i + 1 else _next_start(lines, i),
                          tag, "fence", True)
    last = len(lines) - 1
    while last > i and lines[last].blank:
        last -= 1  # an unclosed fence runs to the end, but trailing blank lines are not code
    if last == i:
        return _Fence(i, i, opener.start, opener.end, opener.end, opener.end, tag, "fence", False)
    return _Fence(i, last, opener.start, lines[last].end, lines[i + 1].start, lines[last].end, tag, "fence", False)


def _next_start(lines: list[_Line], i: int) -> int:
    return lines[i + 1].start if i + 1 < len(lines) else lines[i].end


def _scan_mt_fence(lines: list[_Line], i: int, mark_start: int, tag: str, j: int) -> _Fence | None:
    """The MT fence opened at line ``i``, closed at line ``j`` (the next closer), if any."""
    if j < len(lines):
        s = lines[j].text[:SCORE_PREFIX]
        k = _is_mt_close(s)
        assert k is not None
        rest = s[k:].strip()
        if rest and _TAG_OK.match(rest) and language_from_tag(rest):
            return None  # "「」パイソン" again: an opener, so ours was never closed
        end = lines[j].start + k
        content_start = _next_start(lines, i)
        content_end = lines[j - 1].end if j > i + 1 else content_start
        return _Fence(i, j, mark_start, end, content_start, content_end, tag, "mt-fence", True)
    return None


# ---------------------------------------------------------------- indented code (Markdown)

_BOUNDARY_LINE = regex.compile(r"^ {0,3}(?:#{2,6}\s|#\s#|＃|\*\*[^*]++\*\*\s*+$|\*\*[^*:：]++[:：]\*\*)")
# A full Japanese sentence (not a comment) is also a natural edge of a block.
_SENTENCE_LINE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}][^\n]*?[。．]\s*+$")
_CONTINUATION = regex.compile(r"^\s*+(?:を|は|が|に|で|と|の|へ|も|や|から|まで|より)(?!\s*+[(（:：=])")
_LIST_ITEM = regex.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")


def _indent_width(s: str) -> int:
    width = 0
    for ch in s:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _indented_code_lines(lines: Sequence[_Line], lo: int, hi: int) -> set[int]:
    """Indices in [lo, hi) of Markdown indented-code lines: 4+ columns, after a blank line (an
    indented line cannot interrupt a paragraph), and not the continuation of a list item."""
    out: set[int] = set()
    in_list = False
    prev_blank = True
    in_code = False
    for i in range(lo, hi):
        line = lines[i]
        s = line.text[:SCORE_PREFIX]
        if line.blank:
            prev_blank = True
            continue
        width = _indent_width(s)
        if width < 4:
            in_code = False
            in_list = bool(_LIST_ITEM.match(s)) or (in_list and not prev_blank)
        elif in_code or (prev_blank and not in_list):
            in_code = True
            out.add(i)
        prev_blank = False
    return out


# ---------------------------------------------------------------- heuristic (Viterbi)


def _viterbi(logits: list[float | None], blank_before: list[bool]) -> list[bool]:
    """Two-state (prose, code) best path over the non-blank lines; ``None`` marks a blank line."""
    idx = [i for i, v in enumerate(logits) if v is not None]
    if not idx:
        return [False] * len(logits)
    back: list[tuple[int, int]] = []
    p0 = _sigmoid(logits[idx[0]])  # type: ignore[arg-type]
    prose = _LOG_START_PROSE + math.log(max(1e-9, 1 - p0))
    code = _LOG_START_CODE + math.log(max(1e-9, p0))
    for k in range(1, len(idx)):
        i = idx[k]
        p = _sigmoid(logits[i])  # type: ignore[arg-type]
        stay, switch = (_LOG_STAY_BLANK, _LOG_SWITCH_BLANK) if blank_before[i] else (_LOG_STAY, _LOG_SWITCH)
        from_prose_to_prose, from_code_to_prose = prose + stay, code + switch
        from_prose_to_code, from_code_to_code = prose + switch, code + stay
        bp_prose = 0 if from_prose_to_prose >= from_code_to_prose else 1
        bp_code = 0 if from_prose_to_code >= from_code_to_code else 1
        prose = max(from_prose_to_prose, from_code_to_prose) + math.log(max(1e-9, 1 - p))
        code = max(from_prose_to_code, from_code_to_code) + math.log(max(1e-9, p))
        back.append((bp_prose, bp_code))
    state = 1 if code > prose else 0
    states = [0] * len(idx)
    states[-1] = state
    for k in range(len(idx) - 1, 0, -1):
        state = back[k - 1][state]
        states[k - 1] = state
    out = [False] * len(logits)
    for k, i in enumerate(idx):
        out[i] = states[k] == 1
    return out


_INDENT_BOOST = 3.0
_UNCLOSED_OPENER = 3.0


def _context_logits(lines: Sequence[_Line], lo: int, hi: int, markdown: bool, forced: set[int]) -> list[float | None]:
    """Per-line logits with cues that need the neighbouring line (relative indentation)."""
    logits: list[float | None] = []
    prev_indent: int | None = None
    prev_logit = 0.0
    for i in range(lo, hi):
        line = lines[i]
        if line.blank:
            logits.append(None)
            continue
        head = line.text[:SCORE_PREFIX]
        v = code_line_logit(line.text, markdown=markdown)
        mt = _mt_open(head) if _MT_MARK.search(head) else None
        if mt is not None and language_from_tag(mt[1]):
            v = max(v, _UNCLOSED_OPENER)  # "「」パイソン" whose closer MT dropped: code starts here
        if i in forced:
            # Markdown indented code; still scored, because pages misread as Markdown (and
            # MT output) indent prose too: an indented Japanese sentence stays prose.
            v += _INDENT_BOOST
        else:
            indent = _indent_width(head)
            if prev_indent is not None and indent > prev_indent and prev_logit > 0:
                v += 1.0  # deeper than a code-like line above: a block body or continuation
            if i + 1 < hi and _CONTINUATION.match(lines[i + 1].text[:SCORE_PREFIX]):
                v -= 2.0  # the next line goes on with a particle ("を実行します。"): mid-sentence
        prev_indent = _indent_width(head)
        prev_logit = v
        logits.append(v)
    return logits


def _heuristic_runs(lines: Sequence[_Line], lo: int, hi: int, markdown: bool) -> Iterator[tuple[int, int, str, float]]:
    """(first, last, detected_by, confidence) for code runs in lines [lo, hi)."""
    forced = _indented_code_lines(lines, lo, hi) if markdown else set()
    logits = _context_logits(lines, lo, hi, markdown, forced)
    # Blank lines and Markdown headings are where blocks usually start and end, so switching
    # between prose and code there is cheaper (fences removed by MT leave code glued to headings).
    blank_before = []
    prev_boundary = False
    for k, v in enumerate(logits):
        head = lines[lo + k].text[:SCORE_PREFIX]
        heading = v is not None and (
            bool(_BOUNDARY_LINE.match(head))
            or (markdown and bool(_MD_HEADING.match(head)))
            or (bool(_SENTENCE_LINE.search(head)) and not _COMMENT_LINE.match(head.lstrip()))
        )
        blank_before.append(prev_boundary or heading)
        prev_boundary = v is None or heading
    states = _viterbi(logits, blank_before)
    k, n = 0, len(states)
    while k < n:
        if not states[k]:
            k += 1
            continue
        j = k
        last = k
        while j < n and (states[j] or logits[j] is None):
            if states[j]:
                last = j
            j += 1
        members = [m for m in range(k, last + 1) if logits[m] is not None]
        probs = [_sigmoid(logits[m]) for m in members]  # type: ignore[arg-type]
        by = "indent" if all(lo + m in forced for m in members) else "heuristic"
        yield lo + k, lo + last, by, sum(probs) / len(probs)
        k = last + 1


def _front_matter_end(lines: Sequence[_Line]) -> int:
    """Index of the first line after a leading YAML/TOML front matter (``---`` … ``---``), or 0."""
    if not lines:
        return 0
    first = lines[0].text.lstrip("\ufeff").rstrip()
    if first not in ("---", "+++"):
        return 0
    for j in range(1, min(len(lines), 200)):
        if lines[j].text.rstrip() in (first, "..."):
            return j + 1
    return 0


# ---------------------------------------------------------------- public entry point


def find_code_blocks(text: str, *, markdown: bool | None = None) -> list[CodeBlock]:
    """All code blocks in ``text``, sorted by start and non-overlapping.

    ``markdown=None`` decides with :func:`looks_like_markdown`. For example the bare lines
    ``ジムをインポート`` / ``env = gym .make ( "CartPole-v1" )`` inside Japanese prose come back
    as one ``heuristic`` block with language ``python``; ``「」パイソン`` … ``「」`` as an
    ``mt-fence`` block.
    """
    if not text:
        return []
    if markdown is None:
        markdown = looks_like_markdown(text)
    lines = _split_lines(text)
    fences = _scan_fences(lines, len(text))
    index = LineIndex(text)
    blocks: list[CodeBlock] = []
    for f in fences:
        content = text[f.content_start:f.content_end]
        conf = 1.0 if f.detected_by == "fence" and f.closed else (0.9 if f.closed else 0.7)
        blocks.append(CodeBlock(
            start=f.start, end=f.end, line=index.line(f.start),
            language=guess_language(content, f.tag or None),
            detected_by=f.detected_by, confidence=conf, text=text[f.start:f.end],
            content_start=f.content_start, content_end=f.content_end,
        ))
    # Heuristic passes over the gaps between fences (front matter is metadata, not code).
    lo = _front_matter_end(lines)
    gaps: list[tuple[int, int]] = []
    for f in fences:
        if f.first > lo:
            gaps.append((lo, f.first))
        lo = max(lo, f.last + 1)
    if lo < len(lines):
        gaps.append((lo, len(lines)))
    for g_lo, g_hi in gaps:
        for first, last, by, conf in _heuristic_runs(lines, g_lo, g_hi, markdown):
            start, end = lines[first].start, lines[last].end
            if blocks and any(b.start < end and start < b.end for b in blocks):
                # the line after a glued closer belongs partly to a fence; keep the fence
                start = max(start, max(b.end for b in blocks if b.start < end and start < b.end))
                if start >= end:
                    continue
            code = text[start:end]
            content_start, hint = start, None
            opener = _mt_open(lines[first].text[:SCORE_PREFIX]) if start == lines[first].start else None
            if opener is not None and language_from_tag(opener[1]) and first < last:
                # an MT fence whose closer was lost: the tag still names the language
                by, hint = "mt-fence", opener[1]
                start = lines[first].start + opener[0]
                content_start = lines[first + 1].start
                code = text[start:end]
            blocks.append(CodeBlock(
                start=start, end=end, line=index.line(start),
                language=guess_language(text[content_start:end], hint),
                detected_by=by, confidence=round(conf, 3), text=code,
                content_start=content_start, content_end=end,
            ))
    blocks.sort(key=lambda b: b.start)
    return blocks
