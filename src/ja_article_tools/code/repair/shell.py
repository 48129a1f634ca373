"""Shell repair: translated subcommands, flags, program names and SOV word order.

Prompts (``$ ``) and comments are kept; quoted words are never translated. Passes are
registered in ``SHELL_PASSES`` and work line by line on masked lines.
"""

from __future__ import annotations

import regex as re
from collections.abc import Callable

from .common import JA_RE, Masked, ascii_punctuation, code_only, has_japanese, load_json, mask
from .packages import restore_package_spec

_PREFIX = re.compile(r"^(\s*(?:\$\s+|#\s+(?=sudo|pip|git)|\w+\s*\(\s*)?(?:sudo\s+)?)")
LinePass = Callable[[str, "ShellContext"], str]


class ShellContext:
    def __init__(self, masked: Masked) -> None:
        self.masked = masked
        table = load_json("repair_shell.json")
        self.programs: dict[str, str] = table["programs"]
        self.words: dict[str, str] = table["words"]
        self.http_methods: dict[str, str] = table["http_methods"]
        self.particle_flags: dict[str, str] = table["particle_flags"]
        self.text = masked.text


def _english(word: str, ctx: ShellContext, joiner: str) -> str | None:
    """A Japanese shell word → English; compounds split by UniDic join with ``joiner``."""
    if word in ctx.programs:
        return ctx.programs[word]
    if word in ctx.words:
        return ctx.words[word]
    from .identifiers import segment

    gloss_parts: list[str] = []
    from ja_article_tools.tokens import tokenize

    toks = tokenize(word)
    i = 0
    while i < len(toks):
        for j in range(len(toks), i, -1):
            surf = word[toks[i].start : toks[j - 1].end]
            if surf in ctx.words or surf in ctx.programs:
                gloss_parts.append(ctx.words.get(surf) or ctx.programs[surf])
                i = j
                break
        else:
            seg = segment(word[toks[i].start : toks[i].end])
            if seg is None:
                return _greedy_chars(word, ctx, joiner)
            gloss_parts.extend(alts[0] for _, alts in seg)
            i += 1
    return joiner.join(gloss_parts) if gloss_parts else None


def _greedy_chars(word: str, ctx: ShellContext, joiner: str) -> str | None:
    """UniDic did not know the compound (クロードプラグインインストール is one unknown
    token): cut it into the longest known words, left to right."""
    parts: list[str] = []
    i = 0
    while i < len(word):
        for j in range(len(word), i, -1):
            piece = word[i:j]
            en = ctx.programs.get(piece) or ctx.words.get(piece)
            if en:
                parts.append(en)
                i = j
                break
        else:
            return None
    return joiner.join(parts) if parts else None


def pass_punctuation(line: str, ctx: ShellContext) -> str:
    """``pip install foo。`` → ``pip install foo``; full-width ``－－ｆｏｏ`` → ``--foo``."""
    line = re.sub(r"\s*。\s*$", "", line)
    return ascii_punctuation(line).replace(", ", ",") if "、" in line or "，" in line else ascii_punctuation(line)


def pass_inline_code_quotes(line: str, ctx: ShellContext) -> str:
    """An inline code span whose backticks became quotes: ``' python -m pip …'`` → `` `python -m pip …` ``."""
    m = re.match(r"^(\s*)[\ue000](\d+)[\ue001]\s*$", line)
    if not m:
        return line
    inner = ctx.masked.pieces[int(m.group(2))]
    body = inner[1:-1].strip()
    first = body.split()[0] if body.split() else ""
    if " " in body and (first.lower() in _KNOWN_PROGRAMS or first in ctx.programs):
        # The span is a command line of its own: it gets the remaining passes too.
        for name, fn in SHELL_PASSES:
            if fn is not pass_inline_code_quotes and "\ue000" not in body and "\ue002" not in body:
                body = fn(body, ctx)
        idx = int(m.group(2))
        ctx.masked.pieces[idx] = "`" + body + "`"
    return line


_KNOWN_PROGRAMS = frozenset({
    "pip", "pip3", "python", "python3", "git", "npm", "npx", "yarn", "pnpm", "docker", "curl", "wget", "brew",
    "conda", "poetry", "uv", "cargo", "make", "claude", "node", "go", "kubectl", "helm", "sudo", "apt", "apt-get",
})


def pass_export(line: str, ctx: ShellContext) -> str:
    """``import API_KEY="x"`` → ``export API_KEY="x"`` (MT mapped export to its antonym)."""
    return re.sub(r"^(\s*(?:\$\s+)?)(?:import|インポート|輸出|エクスポート)\s+(?=[A-Za-z_]\w*=)", r"\1export ", line)


def pass_glued_flags(line: str, ctx: ShellContext) -> str:
    """``git クローン--ブランチ x`` → ``git クローン --ブランチ x``."""
    return re.sub(rf"(?<=[{JA_RE.pattern[1:-1]}])(--)(?=\S)", r" \1", line)


def pass_sov_order(line: str, ctx: ShellContext) -> str:
    """Verb moved to the end: ``sha256sum --SHA256SUMS をチェックします`` →
    ``sha256sum --チェック SHA256SUMS``; ``claude プラグイン マーケットプレイスに x を追加`` →
    ``claude プラグイン マーケットプレイス 追加 x``."""
    m = re.match(r"^(.*?\S)\s+--(\S+)\s*を\s*(\S+?)(?:します|する|してください)?\s*$", line)
    if m and JA_RE.search(m.group(3)):
        return f"{m.group(1)} --{m.group(3)} {m.group(2)}"
    m = re.match(r"^(.*?\S)\s+(\S+?)に\s+(.+?)\s*を\s*(\S+?)(?:します|する|してください)?\s*$", line)
    if m and JA_RE.search(m.group(4)):
        return f"{m.group(1)} {m.group(2)} {m.group(4)} {m.group(3)}"
    m = re.match(r"^(\s*(?:\$\s+)?\S+(?:\s+[^\s-][^\s]*?)?)\s+(\S+)\s*を\s*([^\s]+?)(?:します|する|してください)?\s*$", line)
    if m and JA_RE.search(m.group(3)) and not JA_RE.search(m.group(2)):
        return f"{m.group(1)} {m.group(3)} {m.group(2)}"
    # Object and verb in one word: ``kubectl ポッドを取得`` → ``kubectl 取得 ポッド``.
    m = re.match(rf"^(\s*(?:\$\s+)?(?:sudo\s+)?[A-Za-z][\w.-]*)\s+([{JA_RE.pattern[1:-1]}]+)を([{JA_RE.pattern[1:-1]}]+?)"
                 r"(?:します|する|してください)?(\s+-.*)?\s*$", line)
    if m and m.group(3) in ctx.words:
        return f"{m.group(1)} {m.group(3)} {m.group(2)}{m.group(4) or ''}"
    return line


def pass_split_flags(line: str, ctx: ShellContext) -> str:
    """The dashes of a translated flag came loose: ``-- ファームウェア x`` → ``--ファームウェア x``
    (joined only when the word is a known CLI word, since a bare ``--`` is legitimate);
    ``-- "市場が開く前" の場合`` → ``--when "市場が開く前"``."""

    def join(m: re.Match[str]) -> str:
        return m.group(1) + m.group(2) if m.group(2) in ctx.words else m.group(0)

    line = re.sub(rf"(?<!\S)(--?)\s+([{JA_RE.pattern[1:-1]}]+)(?=[\s)]|$)", join, line)
    # ``-- "before open" の場合`` → ``--when "before open"``: the flag word became a postposition.
    particles: dict[str, str] = ctx.particle_flags
    alternation = "|".join(sorted(map(re.escape, particles), key=len, reverse=True))
    return re.sub(rf"(?<!\S)--\s+([\ue000]\d+[\ue001]|[^\s\-{JA_RE.pattern[1:-1]}]\S*)\s*({alternation})(?=[\s)]|$)",
                  lambda m: f"--{particles[m.group(2)]} {m.group(1)}", line)


def pass_http_method(line: str, ctx: ShellContext) -> str:
    """``curl -X 投稿 URL`` → ``curl -X POST URL``: the request method translated by meaning."""
    methods: dict[str, str] = ctx.http_methods
    return re.sub(r"(?<!\S)(-X|--request)(\s*=?\s*)(\S+)",
                  lambda m: m.group(1) + m.group(2) + methods.get(m.group(3), m.group(3)), line)


def pass_program_case(line: str, ctx: ShellContext) -> str:
    """``Python3 -m pip`` → ``python3 -m pip``: MT capitalised the sentence-initial word."""
    m = _PREFIX.match(line)
    start = m.end() if m else 0
    rest = line[start:]
    m2 = re.match(r"([A-Z][a-z]+\d*)(?=\s|$)", rest)
    if m2 and m2.group(1).lower() in _KNOWN_PROGRAMS:
        return line[:start] + m2.group(1).lower() + rest[m2.end():]
    return line


def pass_words(line: str, ctx: ShellContext) -> str:
    """Japanese words outside quotes: programs (クロード → claude), subcommands
    (インストール → install, 認証ログイン → auth login), flags (--ブランチ → --branch),
    path segments (ランタイム/ホスト → runtime/host), placeholders (<ポート> → < PORT >)."""

    def placeholder(m: re.Match[str]) -> str:
        en = _english(m.group(1), ctx, "_")
        if not en:
            return m.group(0)
        same = re.search(rf"<\s*{re.escape(en)}\s*>", ctx.text, re.I)
        return same.group(0) if same else f"<{en.upper()}>"

    line = re.sub(rf"<\s*([{JA_RE.pattern[1:-1]}]+)\s*>", placeholder, line)

    def flag(m: re.Match[str]) -> str:
        parts = []
        for part in m.group(2).split("-"):
            en = _english(part, ctx, "-") if JA_RE.search(part) else part
            if not en:
                return m.group(0)
            parts.append(en)
        return m.group(1) + "-".join(parts)

    line = re.sub(rf"(?<!\S)(--?)([{JA_RE.pattern[1:-1]}][\w{JA_RE.pattern[1:-1]}-]*)(?=\s|=|\)|$)", flag, line)

    katakana = re.compile(r"^[\p{Katakana}ー]+$")

    def path(word: str) -> str:
        # Only loanword segments: a kanji directory name is as likely to be real.
        parts = word.split("/")
        out = []
        for part in parts:
            if JA_RE.search(part):
                en = _english(part, ctx, "-") if katakana.match(part) else None
                if not en:
                    return word
                out.append(en)
            else:
                out.append(part)
        return "/".join(out)

    m = _PREFIX.match(line)
    head, rest = line[: m.end()] if m else "", line[m.end():] if m else line
    words = re.split(r"(\s+)", rest)
    out: list[str] = []
    position = 0  # index among the words (separators excluded)
    program = ""
    subcommands_open = True
    previous = ""
    command_start = 0  # index in out where the current command of a && / | chain starts
    installing = False  # whether out[command_start:] holds an install command
    for token in words:
        if not token or token.isspace():
            out.append(token)
            continue
        new = token
        if JA_RE.search(token) and "\ue000" not in token and "\ue002" not in token:
            if position == 0 or previous == "-m":
                # After `python -m` comes a program again (ピップインストール → pip install).
                new = _english(token, ctx, " ") or token
            elif program in _VERBATIM_PROGRAMS:
                pass
            elif installing and not token.startswith("-"):
                pass  # a package name: pass_package_names matches it against known names
            elif "/" in token:
                new = path(token)
            elif subcommands_open and position <= 3 and re.match(rf"^[{JA_RE.pattern[1:-1]}]+\)?$", token):
                core = token.rstrip(")")
                new = (_english(core, ctx, " ") or core) + token[len(core):]
            elif katakana.match(token):
                new = _english(token, ctx, "-") or token
        if token in ("&&", "||", "|", ";"):
            out.append(token)
            position, program, subcommands_open = 0, "", True
            command_start = len(out)
            installing = False
            continue
        if position == 0:
            program = new.split()[0].lower() if new.split() else ""
        elif previous == "-m":
            subcommands_open = True
        elif new.startswith("-") or "/" in new or "." in new or "@" in new or new.isupper():
            subcommands_open = False
        previous = token
        out.append(new)
        position += 1
        if not installing:
            # An install command spans a few words: searching only the last ones (not
            # the whole command, per word) keeps a long line linear.
            installing = bool(_INSTALL_RE.search("".join(out[max(command_start, len(out) - 12):])))
    return head + "".join(out)


# Install commands: (program, subcommand words); the words after them are package names.
_INSTALL_RE = re.compile(
    r"(?<![\w-])(?:(?:python3?\s+-m\s+)?pip3?|uv\s+pip|pipx|conda|mamba|micromamba)\s+install\b"
    r"|(?<![\w-])(?:npm|pnpm)\s+(?:install|i|add)\b|(?<![\w-])(?:yarn|bun|uv|poetry|pnpm)\s+add\b"
    r"|(?<![\w-])(?:npm|yarn|pnpm|bun)\s+(?:global\s+)?add\b|(?<![\w-])npx(?=\s)"
)


def pass_package_names(line: str, ctx: ShellContext) -> str:
    """Package names MT transliterated or "corrected": ``pip install ピシンプルGUI`` →
    ``pip install PySimpleGUI``; ``pip install arise-phoenix-otel`` → ``pip install arize-phoenix-otel``.
    Only arguments after an install command, never flags, paths, URLs or quoted words."""
    m = _INSTALL_RE.search(line)
    if not m:
        return line
    head, rest = line[: m.end()], line[m.end():]
    registry = "npm" if re.match(r"\s*(?:npm|npx|pnpm|yarn|bun)\b", m.group(0)) else "pypi"
    tokens = re.split(r"(\s+)", rest)
    skip_value = False
    for k, token in enumerate(tokens):
        if not token or token.isspace():
            continue
        if token in ("&&", "||", "|", ";") or token.startswith(("#", "\ue002")):
            break
        if skip_value:
            skip_value = False
            continue
        if token.startswith("-"):
            # Options that take a separate value (-r requirements.txt, -c conda-forge).
            skip_value = token in ("-r", "-c", "-e", "-i", "--index-url", "--extra-index-url", "--channel",
                                   "--requirement", "--constraint", "-t", "--target", "--registry")
            continue
        if "/" in token or ":" in token or "\ue000" in token or token.startswith("."):
            continue
        fixed = restore_package_spec(token, registry)
        if fixed:
            tokens[k] = fixed
    return head + "".join(tokens)


# Programs whose arguments are data (text, file names), never translated words.
_VERBATIM_PROGRAMS = frozenset({"echo", "printf", "cat", "touch", "mkdir", "cd", "ls", "rm", "cp", "mv", "grep", "less",
                                "head", "tail", "open", "code", "vim", "nano", "say"})


SHELL_PASSES: list[tuple[str, LinePass]] = [
    ("punctuation", pass_punctuation),
    ("inline-code", pass_inline_code_quotes),
    ("export", pass_export),
    ("glued-flags", pass_glued_flags),
    ("split-flags", pass_split_flags),
    ("http-method", pass_http_method),
    ("sov-order", pass_sov_order),
    ("program-case", pass_program_case),
    ("words", pass_words),
    ("package-names", pass_package_names),
]


def _join_split_comment(lines: list[str], pieces: list[str]) -> list[str]:
    """``# https://fn2 を開く`` / (blank) / ``.ai/start とコード…`` — MT split a URL of a
    comment across lines; the continuation goes back into the comment."""
    out: list[str] = []
    for line in lines:
        prev = next((k for k in range(len(out) - 1, -1, -1) if out[k].strip()), None)
        if prev is not None and re.match(r"^\s*\.[A-Za-z]\w*/", line) and has_japanese(line) \
                and re.search(r"[\ue002](\d+)[\ue003]\s*$", out[prev]):
            idx = int(re.search(r"[\ue002](\d+)[\ue003]\s*$", out[prev]).group(1))
            pieces[idx] = pieces[idx] + " " + line.strip()
            del out[prev + 1 :]
            continue
        out.append(line)
    return out


def repair_shell(text: str) -> tuple[str, float, dict[int, list[str]], tuple[int, ...]]:
    masked = mask(text, "shell")
    ctx = ShellContext(masked)
    lines = _join_split_comment(masked.text.split("\n"), masked.pieces)
    reasons: dict[int, list[str]] = {}
    heredoc_end: str | None = None
    for i, line in enumerate(lines):
        # Here-document bodies are data (file contents), never commands.
        if heredoc_end is not None:
            if line.strip() == heredoc_end:
                heredoc_end = None
            continue
        opener = re.search(r"<<-?\s*['\"]?([A-Za-z_]\w*)", line)
        if opener:
            heredoc_end = opener.group(1)
        for name, fn in SHELL_PASSES:
            new = fn(line, ctx)
            if new != line:
                reasons.setdefault(i, []).append(name)
                line = new
        lines[i] = line
    joined = lines
    code = masked.unmask("\n".join(joined))
    unresolved = tuple(i + 1 for i, line in enumerate(joined) if has_japanese(code_only(line)))
    if code == text:
        return text, 0.0 if unresolved else 1.0, {}, unresolved
    return code, 0.5 if unresolved else 0.85, reasons, unresolved
