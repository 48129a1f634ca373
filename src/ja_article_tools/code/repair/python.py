"""Python repair: the ordered pass list and the ``ast.parse`` gate.

Passes run on masked lines (see :mod:`.common`), in the order of ``PYTHON_PASSES``:
punctuation → spacing → lost comment markers → keywords → tuple commas → identifiers →
capitalisation → indentation. Nothing here executes the code: only ``ast`` is used.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from .common import (
    COM_CLOSE,
    COM_OPEN,
    HIRAGANA_RE,
    IDENT_RE,
    JA_RE,
    PLACEHOLDER_RE,
    STR_OPEN,
    Masked,
    ascii_punctuation,
    code_only,
    has_japanese,
    load_json,
    mask,
    tighten_spacing,
)
from .identifiers import Translator, Usage, collect_vocabulary, segment, split_words, stem
from .indent import indent_lone_bodies, needs_reindent, rebuild_indentation
from .keywords import PYTHON_LINE_REWRITES
from .strings import restore_key_strings


@dataclass
class Work:
    """The block being repaired: masked lines plus what each pass did to them."""

    lines: list[str]
    masked: Masked
    reasons: dict[int, list[str]] = field(default_factory=dict)
    parses_already: bool = False
    bound_japanese: set[str] = field(default_factory=set)
    ambiguous: bool = False
    restored_names: set[str] = field(default_factory=set)  # English names given to Japanese ones

    def set(self, i: int, new: str, reason: str) -> None:
        if new != self.lines[i]:
            self.lines[i] = new
            self.reasons.setdefault(i, []).append(reason)

    def add_comment(self, text: str) -> str:
        self.masked.pieces.append(text)
        return f"{COM_OPEN}{len(self.masked.pieces) - 1}{COM_CLOSE}"


def parse(src: str) -> ast.AST | None:
    try:
        return compile(src, "<repair>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                       dont_inherit=True)
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        return None


def bound_names(tree: ast.AST) -> set[str]:
    """Names the snippet binds itself (targets, parameters, defs, import aliases)."""
    names: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            names.add(n.id)
        elif isinstance(n, ast.arg):
            names.add(n.arg)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(n.name)
        elif isinstance(n, ast.alias):
            names.add(n.asname or n.name.split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            names.add(n.name)
    return names


def _scope_bindings(scope: ast.AST) -> set[str]:
    """Names bound directly in a function or module body (not in the functions and
    classes nested in it, which are scopes of their own; their names are bound here)."""
    names: set[str] = set()
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        names.update(a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg))
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(n.name)
            continue
        if isinstance(n, ast.Lambda):
            continue
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            names.add(n.id)
        elif isinstance(n, ast.alias):
            names.add(n.asname or n.name.split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            names.add(n.name)
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            names.update(n.names)
        todo.extend(ast.iter_child_nodes(n))
    return names


def _scope_loads(scope: ast.AST) -> list[ast.Name]:
    """The names a function body reads, outside the functions nested in it."""
    out: list[ast.Name] = []
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            out.append(n)
        todo.extend(ast.iter_child_nodes(n))
    return out


def _inflections(name: str) -> tuple[str, ...]:
    forms = [name + "s", name + "es"]
    if name.endswith("es"):
        forms.append(name[:-2])
    if name.endswith("s"):
        forms.append(name[:-1])
    return tuple(forms)


def resolve_inflected_names(source: str, tree: ast.AST, restored: set[str]) -> tuple[str, set[int]]:
    """A restored name a function reads but never binds, where the function binds
    the same word inflected, is that variable: Japanese has no plural, so MT gives
    ``docs = 検索(…)`` then ``再ランク(ドキュメント…)`` and the word comes back as ``doc``.
    ``docs = retrieve(q)`` / ``rerank(doc, q)`` → ``rerank(docs, q)``. Names bound at
    module level, builtins, and names the translator did not produce are left alone.
    Returns the new source and the 0-based lines changed."""
    import builtins

    module_bound = _scope_bindings(tree)
    edits: list[tuple[int, int, int, str]] = []  # (line, byte col, byte end, new name)
    for scope in ast.walk(tree):
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        bound = _scope_bindings(scope)
        for n in _scope_loads(scope):
            if n.id not in restored or n.id in bound or n.id in module_bound or hasattr(builtins, n.id):
                continue
            forms = [f for f in _inflections(n.id) if f in bound]
            if len(forms) == 1:
                edits.append((n.lineno - 1, n.col_offset, n.end_col_offset or n.col_offset, forms[0]))
    if not edits:
        return source, set()
    lines = source.split("\n")
    for i, c0, c1, new in sorted(edits, reverse=True):
        raw = lines[i].encode("utf-8")
        lines[i] = (raw[:c0] + new.encode("utf-8") + raw[c1:]).decode("utf-8")
    return "\n".join(lines), {e[0] for e in edits}


# ---------------------------------------------------------------- passes
def pass_punctuation(w: Work) -> None:
    """``tn、fp、fn、tp = cm.ravel（）`` → ``tn, fp, fn, tp = cm.ravel()``; 「…」 became quotes in masking."""
    for i, line in enumerate(w.lines):
        new = ascii_punctuation(line)
        new = re.sub(r",\s+(?=[\]\)\}])", ",", new)  # 「、」 before a closing bracket: no space
        new = re.sub(r", +$", ",", new)
        new = re.sub(r",  +", ", ", new)
        w.set(i, new, "punctuation")


def pass_spacing(w: Work) -> None:
    """``gym .make ( "x" )`` → ``gym.make ( "x" )`` (space around attribute dots)."""
    for i, line in enumerate(w.lines):
        # ``fit _ transform`` is never valid Python: two names side by side.
        line = _SPACED_UNDERSCORES.sub(_join_underscored, line)
        # ``model.coef _)``: scikit-learn's fitted attributes end with ``_``.
        line = _TRAILING_UNDERSCORE.sub(lambda m: m.group(0) if m.group(1) in _KEYWORDS else m.group(1) + "_", line)
        w.set(i, tighten_spacing(line), "spacing")


_SPACED_UNDERSCORES = re.compile(r"(?<!\w)\w+(?: _ \w+)+(?!\w)")
_TRAILING_UNDERSCORE = re.compile(r"(?<!\w)([^\W\d]\w*) _(?=[)\],:]|$)")


# ``for _ in``, ``case _:``: a name beside these is no sprayed underscore, and no part
# of a name MT wrote as words.
_KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)


def _join_underscored(m: re.Match[str]) -> str:
    """``read _ CSV`` → ``read_csv``: MT wrote each part of the name as a word and
    capitalised the one it took for an acronym. A snake_case name is all lower or all upper
    case (``MAX _ SIZE`` stays ``MAX_SIZE``), so a mix of the two is MT's."""
    parts = m.group(0).split(" _ ")
    if _KEYWORDS.intersection(parts):
        return m.group(0)  # ``for _ in``, ``case _:``: the name ``_`` beside keywords
    letters = [p for p in parts if any(c.isalpha() for c in p)]
    if any(p.islower() for p in letters) and any(p.isupper() and len(p) > 1 for p in letters):
        parts = [p.lower() for p in parts]
    return "_".join(parts)


def pass_lost_comment(w: Work) -> None:
    """``concurrency=5、最大同時呼び出し数 (デフォルトは 3)`` → ``concurrency=5,  # 最大…``.

    MT translated ``,  # note`` as one clause and the ``#`` vanished; the tail is prose.
    """
    depth = 0
    for i, line in enumerate(w.lines):
        code = code_only(line)
        if depth > 0:
            m = re.match(r"^(\s*[\w.]+\s*=\s*[^,]+,)\s*(\S.*)$", line)
            if m and JA_RE.search(m.group(2)[:1]) and HIRAGANA_RE.search(m.group(2)) \
                    and "=" not in m.group(2) and "\ue000" not in m.group(2) \
                    and m.group(2).count("(") == m.group(2).count(")") \
                    and not m.group(2).rstrip().endswith(","):
                w.set(i, f"{m.group(1)}  {w.add_comment('# ' + m.group(2).strip())}", "comment-marker")
        depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
        depth = max(depth, 0)


_STMT_KW = re.compile(r"^\s*(?:def|class|if|elif|for|while|with|import|from|return|async|try|except|raise|yield|assert|lambda|del|global|pass|break|continue)\b")
# Rewrites that build a statement from a whole line: not for lines that already start with one.
_SKIP_ON_STATEMENT_LINES = frozenset({"for", "if", "while", "try", "class"})


def pass_keywords(w: Work) -> None:
    """Japanese keyword renderings → Python keywords (see :mod:`.keywords`).

    ``ジムをインポート`` → ``import ジム``; ``x を返す`` → ``return x``.
    """
    code = "\n".join(code_only(line) for line in w.lines)
    defined = set(re.findall(r"(?:def|class)\s+(\w+)|(?m:^\s*(\w+)\s*=(?!=))", code))
    defined = {name for pair in defined for name in pair if name}
    defined |= set(re.findall(r"import\s+(.+)", code) and
                   re.findall(r"\w+", " ".join(re.findall(r"import\s+(.+)", code))))
    for i, line in enumerate(w.lines):
        if not has_japanese(code_only(line)) and "def" not in line and "return" not in line and "class" not in line:
            continue
        for _ in range(3):
            changed = False
            for name, rewrite in PYTHON_LINE_REWRITES:
                cur = w.lines[i]
                if name in _SKIP_ON_STATEMENT_LINES and _STMT_KW.match(cur):
                    continue
                if name in ("return", "with", "if", "for", "while") and re.match(r"^\s*(?:def|class|import|from)\b", cur):
                    continue
                new = rewrite(cur)
                glued = re.match(r"^\s*((?:return|def|class)[A-Za-z_]\w*)\s*\(", cur)
                if new is not None and glued and glued.group(1) in defined:
                    continue  # ``returns(x)`` where the block defines ``returns``: a real name
                if new is not None and w.parses_already:
                    lost = set(IDENT_RE.findall(code_only(cur))) - set(IDENT_RE.findall(code_only(new)))
                    if lost & w.bound_japanese:
                        continue  # the "keyword" is part of a legitimate Japanese name
                if new is not None and new != cur:
                    w.set(i, new, f"keyword:{name}")
                    changed = True
            if not changed:
                break


def pass_tuple_commas(w: Work) -> None:
    """``観測報酬終了切り捨て情報= env.step(a)`` → ``観測, 報酬, 終了, 切り捨て, 情報 = env.step(a)``.

    A target made of three or more glossary nouns is a tuple whose commas MT dropped; a
    two-noun target is split only when both nouns are tuple elements elsewhere.
    """
    from .common import load_tsv

    glossary = load_tsv("repair_glossary.tsv")
    target = re.compile(r"^(\s*)([^\W\d_A-Za-z]+)\s*=(?!=)\s*(\S.*)$")
    seen: set[str] = set()
    pending: list[tuple[int, str, str, list[str]]] = []
    for i, line in enumerate(w.lines):
        m = target.match(line)
        if not m or not JA_RE.search(m.group(2)) or m.group(2) in w.bound_japanese:
            continue
        seg = segment(m.group(2))
        if not seg or len(seg) < 2:
            continue
        parts = [s for s, _ in seg]
        if "".join(parts) != m.group(2) or not all(p in glossary for p in parts):
            continue
        pending.append((i, m.group(1), m.group(3), parts))
        if len(parts) >= 3 and re.match(r"[\w.]+\s*\(", m.group(3)):
            seen.update(parts)
    for i, indent, rhs, parts in pending:
        if (len(parts) >= 3 and re.match(r"[\w.]+\s*\(", rhs)) or all(p in seen for p in parts):
            w.set(i, f"{indent}{', '.join(parts)} = {rhs}", "tuple-commas")


def pass_missing_with(w: Work) -> None:
    """A call statement ``using_attributes(`` … ``):`` followed by an indented body lost
    its ``with`` (MT dropped 「を使用」): ``with using_attributes(`` … ``):``."""
    depths = _depths(w.lines)
    for i, line in enumerate(w.lines):
        if depths[i] or not re.match(r"^\s*[A-Za-z_][\w.]*\($", code_only(line).rstrip()):
            continue
        indent = len(line) - len(line.lstrip())
        d = 0
        for j in range(i, len(w.lines)):
            d += _depth(code_only(w.lines[j]))
            if d <= 0:
                break
        else:
            continue
        close = code_only(w.lines[j]).strip()
        nxt = next((ln for ln in w.lines[j + 1 :] if ln.strip()), "")
        if re.match(r"^\)\s*:$", close) and len(nxt) - len(nxt.lstrip()) > indent:
            w.set(i, line[:indent] + "with " + line[indent:], "keyword:with")


def japanese_bound(w: Work) -> set[str]:
    """Japanese names the block binds: assignment/for/as targets and parameters."""
    out: set[str] = set()
    code = "\n".join(code_only(line) for line in w.lines)
    # Bounded like collect_vocabulary's pattern: a long line must not go quadratic.
    for m in re.finditer(r"(?m)^\s*([^=\n(\[{]+?)\s*=(?!=)|\bfor\s+(.{1,200}?)\s+in\b|\bas\s+(\w+)"
                         r"|\bdef\s+\w+\(([^)\n]{0,500})\)", code):
        for group in m.groups():
            if group:
                for tok in IDENT_RE.findall(re.sub(r"[:=][^,]*", "", group)):
                    if JA_RE.search(tok):
                        out.add(tok)
    return out


def pass_loop_over_itself(w: Work) -> None:
    """``for 行 in 行:`` (MT renders ``line`` and ``lines`` alike): the iterable and its uses
    before the loop become ``行一覧`` (→ ``line_list``), the loop variable keeps the word."""
    for i, line in enumerate(w.lines):
        m = re.match(r"^(\s*)for\s+(\w+)\s+in\s+(\w+)\s*:", line)
        if not m or m.group(2) != m.group(3) or not JA_RE.search(m.group(2)):
            continue
        word = m.group(2)
        plural = word + "一覧"
        pat = re.compile(rf"(?<![\w.]){re.escape(word)}(?!\w)")
        for k in range(i):
            w.set(k, pat.sub(plural, w.lines[k]), "loop-variable")
        w.set(i, line[: m.start(3)] + plural + line[m.end(3) :], "loop-variable")


def pass_import_module_names(w: Work) -> None:
    """``import トーチ`` while the block uses ``torch.relu(...)``: an imported name that cannot
    be back-translated is the one free module-like name the block uses."""
    code = "\n".join(code_only(line) for line in w.lines)
    for i, line in enumerate(w.lines):
        m = re.match(r"^(\s*)import\s+([^\s,.]+)\s*$", line)
        if not m or not JA_RE.search(m.group(2)):
            continue
        seg = segment(m.group(2))
        guess = "".join(a[0] for _, a in seg) if seg else None
        used = set(re.findall(r"(?<![\w.])([A-Za-z_]\w*)\.", code))
        defined = set(re.findall(r"(?<![\w.])([A-Za-z_]\w*)\s*=(?!=)", code))
        defined |= set(re.findall(r"import\s+[\w.]+\s+as\s+(\w+)", code))
        defined |= set(re.findall(r"^\s*import\s+([A-Za-z_]\w*)(?:\.[\w.]+)?\s*$", code, re.M))
        defined |= set(re.findall(r"from\s+\S+\s+import\s+(.+)", code) and
                       re.findall(r"\w+", " ".join(re.findall(r"from\s+\S+\s+import\s+(.+)", code))))
        defined |= set(re.findall(r"(?:def|class|for|as)\s+(\w+)", code)) | {"self", "cls"}
        free = sorted(n for n in used - defined if n not in dir(__builtins__) and n[0].islower())
        if guess and guess in used:
            continue
        if len(free) == 1:
            w.set(i, f"{m.group(1)}import {free[0]}", "identifiers")


def _occurrences(w: Work) -> list[tuple[int, int, int, str]]:
    occ = []
    for i, line in enumerate(w.lines):
        for m in IDENT_RE.finditer(line):
            if JA_RE.search(m.group()):
                occ.append((i, m.start(), m.end(), m.group()))
    return occ


def pass_identifiers(w: Work) -> None:
    """Japanese identifiers → English: ``アクション`` → ``action`` (UniDic origin),
    ``観測`` → ``observation`` (glossary), ``人間ラベル`` → ``human_labels`` (an ASCII name
    of the block); one Japanese word gets one name throughout the block."""
    comments = [p for p in w.masked.pieces if p.lstrip().startswith("#")]
    code = "\n".join(code_only(line) for line in w.lines)
    vocab = collect_vocabulary(code, comments)
    translator = Translator(vocab)
    occ = _occurrences(w)
    # Attributes and keyword names are API names, independent of the variable spelled with the
    # same Japanese word (``messages=[…]`` vs ``.message``): they are decided separately.
    usage: dict[tuple[str, str], Usage] = {}
    kinds: list[str] = []
    depth_at_line = _depths(w.lines)
    # Each occurrence looks at its line around it. Only a window before it is sliced and
    # the bracket depth is carried along the line: slicing the whole line per occurrence
    # made one long line with many Japanese names quadratic.
    line_no, depth, depth_pos = -1, 0, 0
    for i, s, e, word in occ:
        line = w.lines[i]
        if i != line_no:
            line_no, depth, depth_pos = i, depth_at_line[i], 0
        depth += _depth(line[depth_pos:s])
        depth_pos = s
        before = line[max(0, s - _BEFORE_WINDOW):s]
        line_start = s <= _BEFORE_WINDOW  # ``before`` starts at the start of the line
        if before.rstrip().endswith("."):
            kind = "attr"
        elif _ASSIGN_AFTER.match(line, e) and depth > 0:
            kind = "kwarg"
        else:
            kind = "name"
        kinds.append(kind)
        u = usage.setdefault((word, kind), Usage())
        if kind == "attr":
            u.roles["attr"] += 1
            if _CALL_AFTER.match(line, e):
                u.roles["call"] += 1
            elif _collection_before().search(before) and _COLLECTION_AFTER.match(line, e):
                u.plural = True  # ``list(df.列)``, ``for c in df.列:`` → ``columns``
        elif kind == "kwarg":
            u.roles["kwarg"] += 1
            if _LIST_AFTER.match(line, e):
                u.plural = True
        elif _CALL_AFTER.match(line, e):
            u.roles["call"] += 1
            m = re.search(r"([A-Za-z_]\w*)\s*=\s*$", before)
            if m and "_" not in m.group(1):
                u.assigned_to = m.group(1)
        else:
            u.roles["name"] += 1
        # Module positions only: ``import X`` / ``from X import …`` (not the imported names).
        if line_start and (re.match(r"^\s*import\s+[^\s]*$", before) or re.match(r"^\s*from\s+[\w.]*$", before)):
            u.imported = True
        if (line_start and re.match(r"^\s*class\s+$", before)) or (
                kind == "name" and re.match(r"^\s*(?:except|raise)\b", line) and not re.search(r"\bas\s+$", before)):
            u.capwords = True
    for line in w.lines:
        m = re.match(r"^.*?\bfor\s+(.{1,200}?)\s+in\s+(.+?)(?::|\]|\)|$)", code_only(line))
        if m:
            iterable_names = set(re.findall(r"[A-Za-z_]\w*", m.group(2)))
            for target in IDENT_RE.findall(m.group(1)):
                if (target, "name") in usage:
                    usage[(target, "name")].forbidden |= iterable_names
    mapping: dict[tuple[str, str], str] = {}
    bound_ja = japanese_bound(w)
    for (word, kind), u in usage.items():
        hint = u.assigned_to
        name = translator.translate(word, u, kind == "name" and word in bound_ja, kind)
        if name and hint and name == hint.lower() and name.islower():
            name = name[:1].upper() + name[1:]
        if name is None:
            continue
        if w.parses_already and word in w.bound_japanese:
            # Legitimate Japanese names stay unless MT left the English form elsewhere.
            if name not in vocab.names and name not in vocab.attrs:
                continue
        mapping[(word, kind)] = name
    # Two bound Japanese words must not collapse into one name: keep the one whose own
    # rendering is that name, give the other its default rendering.
    by_name: dict[str, list[str]] = {}
    for (word, kind), name in mapping.items():
        if kind == "name" and word in bound_ja:
            by_name.setdefault(name, []).append(word)
    for name, words in by_name.items():
        if len(words) > 1:
            for word in words:
                default = translator.default_name(word, usage[(word, "name")])
                if default and default != name:
                    mapping[(word, "name")] = default
    names_only = {word: name for (word, kind), name in mapping.items() if kind == "name"}
    _unify_by_stem(names_only, {word: u for (word, kind), u in usage.items() if kind == "name"}, vocab)
    mapping.update({(word, "name"): name for word, name in names_only.items()})
    w.restored_names.update(name for (_, kind), name in mapping.items() if kind == "name")
    for (i, s, e, word), kind in reversed(list(zip(occ, kinds))):
        new = mapping.get((word, kind))
        if new:
            line = w.lines[i]
            w.set(i, line[:s] + new + line[e:], "identifiers")


def _unify_by_stem(mapping: dict[str, str], usage: dict[str, Usage], vocab) -> None:
    """Two Japanese spellings of one variable (拒否_評価 / 拒否評価者 → refusal_evaluat*)
    get one name; attributes and keyword names are left as translated."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for word, name in mapping.items():
        u = usage[word]
        if u.roles.get("attr") or u.roles.get("kwarg") or name in vocab.names or name in vocab.attrs:
            continue
        key = tuple(stem(x) for x in split_words(name))
        groups.setdefault(key, []).append(word)
    for words in groups.values():
        if len(words) > 1:
            target = mapping[words[0]]
            for word in words[1:]:
                mapping[word] = target


def pass_respell(w: Work) -> None:
    """MT "corrected" an ASCII name: ``binding_evaluator(…)`` where the block imports
    ``bind_evaluator`` → the imported name (same word stems, never bound itself)."""
    code = "\n".join(code_only(line) for line in w.lines)
    imported: set[str] = set()
    for m in re.finditer(r"(?m)^\s*from\s+\S+\s+import\s+(.+)$", code):
        imported.update(re.findall(r"[A-Za-z_]\w*", m.group(1).replace(" as ", " ")))
    for m in re.finditer(r"(?m)^\s*import\s+(.+)$", code):
        for found in re.findall(r"(?:^|,)\s*([A-Za-z_]\w*)(?:\.[\w.]*)?(?:\s+as\s+(\w+))?", m.group(1)):
            imported.update(x for x in found if x)
    # A module used without any import: ``request.get(…)`` is the ``requests`` module.
    known = set(load_json("repair_keywords.json")["known_modules"])
    for name in set(re.findall(r"(?<![\w.])([a-z_]\w*)\.", code)):
        if name in imported or name in known or (name + "s") not in known:
            continue
        if re.search(rf"(?<![\w.]){name}\s*(?:=(?!=)|,[^=\n]*=)|(?:def|class|for|as|import)\s+[^\n]*\b{name}\b", code):
            continue
        for i, line in enumerate(w.lines):
            w.set(i, re.sub(rf"(?<![\w.]){name}(?=\.)", name + "s", line), "respell")
    if not imported:
        return
    used = set(re.findall(r"(?<![\w.])([A-Za-z_]\w*)\s*\(", code))
    by_stem = {tuple(stem(x) for x in split_words(n)): n for n in imported}
    for name in used - imported:
        if re.search(rf"(?<![\w.]){name}\s*=(?!=)|def\s+{name}\b|class\s+{name}\b", code) or name in dir(__builtins__):
            continue
        target = by_stem.get(tuple(stem(x) for x in split_words(name)))
        if target and target != name:
            for i, line in enumerate(w.lines):
                w.set(i, re.sub(rf"(?<![\w.]){name}(?=\s*\()", target, line), "respell")


_SPACED_WORDS = re.compile(r"[a-z][a-z0-9]*(?: [a-z][a-z0-9]*){1,3}")  # 2-4 lower-case words
_SPACED_CALL = re.compile(rf"(?<![\w.]){_SPACED_WORDS.pattern}(?=\s*\()")
_FROM_IMPORT = re.compile(r"^\s*from\s+[\w.]+\s+import\s+\(?([^()]+?)\)?\s*$")
# Words no name is made of: keywords, Python 2's statements, and English function words,
# which mark prose around a call (``returns the name(ID)``).
_NOT_NAME_WORDS = _KEYWORDS | frozenset(
    "print exec the a an this that these those it its we you our your they them their he she his her "
    "was were are be been has have had will would should could can may might must do does did then "
    "than there here which who whom whose when where why how also only just very".split())


def _literals_as_zeros(line: str) -> str:
    """A masked line where each string placeholder is a number of the same length and each
    comment blank: offsets stay those of the line, and the code parses as the original."""
    return PLACEHOLDER_RE.sub(lambda m: ("0" if m.group(0)[0] == STR_OPEN else " ") * len(m.group(0)), line)


def _called_in_code(code: str, start: int, end: int) -> bool:
    """The words at ``code[start:end]`` are called as code is: the value of an assignment
    or an argument (``x = linear regression(``, ``f(linear regression(``), with an
    argument list that is Python (``(degree = 3)``), not prose around a parenthesis
    (``assumes this(because it is …)``)."""
    before = re.search(r"(?:([=(\[,])|^\s*(?:return|yield)\s)\s*$", code[:start])
    if not before or (before.group(1) in ("(", "[", ",") and _depth(code[:start]) <= 0):
        return False  # ``Optionally, implement a getrandbits()``: a comma of prose
    depth = 0
    for k in range(end, len(code)):
        ch = code[k]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return parse("f" + code[end:k + 1].strip()) is not None
    return False


def pass_spaced_names(w: Work) -> None:
    """``from sklearn.linear_model import linear regression`` … ``linear regression()`` →
    ``LinearRegression``: MT wrote a name as the English words it is made of (or the
    identifiers pass made 多项式 features of 多项式 features: ``polynomial features``).

    Two names side by side are never valid Python, so a run of 2–4 lower-case words is
    one name where Python wants one: an imported name, or something called. The block's
    own ASCII spelling of the same letters wins (``train test split`` → ``train_test_split``
    when the block has it); else a class by its head noun (``class_nouns`` in
    ``repair_keywords.json``: ``regression``, ``features``), else snake_case. A name the
    identifiers pass made of the same words (``polynomial_features`` from ``多项式特征``)
    follows the decision."""
    code_lines = [code_only(line) for line in w.lines]
    phrases: dict[str, bool] = {}  # phrase -> called somewhere
    for line, code in zip(w.lines, code_lines):
        m = _FROM_IMPORT.match(code)
        if m:
            for item in m.group(1).split(","):
                phrase = " ".join(item.split())
                if _SPACED_WORDS.fullmatch(phrase) and _NOT_NAME_WORDS.isdisjoint(phrase.split()):
                    phrases.setdefault(phrase, False)
            continue
        as_code = None
        for m in _SPACED_CALL.finditer(code):
            if _NOT_NAME_WORDS.isdisjoint(m.group(0).split()):
                as_code = as_code or _literals_as_zeros(line)
                if _called_in_code(as_code, m.start(), m.end()):
                    phrases[m.group(0)] = True
    if not phrases:
        return
    kw = load_json("repair_keywords.json")
    class_nouns, function_verbs = set(kw["class_nouns"]), set(kw["function_verbs"])
    own = {ident for code in code_lines for ident in re.findall(r"[A-Za-z_]\w*", code)} - w.restored_names
    by_letters = {ident.lower().replace("_", ""): ident for ident in own if "_" in ident or not ident.islower()}
    mapping: dict[str, str] = {}
    for phrase, called in phrases.items():
        words = phrase.split()
        letters = "".join(words)
        name = by_letters.get(letters)
        if name is None:
            if words[-1] in class_nouns and words[0] not in function_verbs:
                name = "".join(x[:1].upper() + x[1:] for x in words)
            else:
                name = "_".join(words)
        mapping[phrase] = name
        for guessed in w.restored_names:
            if guessed.lower().replace("_", "") == letters and guessed != name:
                mapping[guessed] = name
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(p) for p in sorted(mapping, key=len, reverse=True)) + r")(?!\w)")
    for i, line in enumerate(w.lines):
        w.set(i, pattern.sub(lambda m: mapping[m.group(0)], line), "spaced-names")


_BEFORE_WINDOW = 200
_ASSIGN_AFTER = re.compile(r"\s*=(?!=)")
_CALL_AFTER = re.compile(r"\s*\(")
_LIST_AFTER = re.compile(r"\s*=\s*\[")
_COLLECTION_BUILTINS = frozenset({"list", "len", "sorted", "set", "tuple", "enumerate", "reversed", "sum", "any", "all"})
_COLLECTION_AFTER = re.compile(r"\s*(?:\)|:\s*$)")


@lru_cache(maxsize=1)
def _collection_before() -> re.Pattern[str]:
    """An attribute that is all of what a builtin over collections (or its Japanese or
    Chinese rendering: ``リスト(``, ``列表(``) or a for loop reads: ``list(df.列)``."""
    builtins = load_json("repair_keywords.json")["builtins"]
    names = _COLLECTION_BUILTINS | {ja for ja, en in builtins.items() if en in _COLLECTION_BUILTINS}
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:(?<![\w.])(?:{alternation})\(\s*|\bin\s+)[^\W\d][\w.]*\.\s*$")


def _depth(text: str) -> int:
    return sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")


def _depths(lines: list[str]) -> list[int]:
    out, d = [], 0
    for line in lines:
        out.append(max(d, 0))
        d += _depth(code_only(line))
    return out


_CAP_SNAKE = re.compile(r"(?<![\w.])([A-Z][a-z0-9]+(?:_[a-z0-9]+)+)\b")


def pass_capitalisation(w: Work) -> None:
    """``Output_keys=…`` / ``Tracer_provider = …`` → lower case: MT capitalised a
    sentence-initial word; snake_case names never start with a capital."""
    code = "\n".join(code_only(line) for line in w.lines)
    # Names the block imports or defines as classes are spelled as their owner wants.
    keep = set(re.findall(r"class\s+(\w+)", code))
    for m in re.finditer(r"(?m)^\s*(?:from\s+\S+\s+)?import\s+(.+)$", code):
        keep.update(re.findall(r"\w+", m.group(1)))
    for i, line in enumerate(w.lines):
        new = _CAP_SNAKE.sub(lambda m: m.group(1) if m.group(1) in keep else m.group(1)[0].lower() + m.group(1)[1:], line)
        w.set(i, new, "capitalisation")
    # ``import pandas as PD``: MT took the alias for an acronym.
    canonical = load_json("repair_keywords.json")["canonical_aliases"]
    for module, alias in re.findall(r"(?m)^\s*import\s+([\w.]+)\s+as\s+(\w+)\s*$", code):
        usual = canonical.get(module)
        if usual and alias != usual and alias.lower() == usual:
            for i, line in enumerate(w.lines):
                w.set(i, re.sub(rf"(?<![\w.]){alias}(?!\w)", usual, line), "capitalisation")


def pass_with_target(w: Work) -> None:
    """``with urlopen(u) as ?:`` (MT dropped the name): the body's one unbound name."""
    code = "\n".join(code_only(line) for line in w.lines)
    for i, line in enumerate(w.lines):
        if "\ue010" not in line:
            continue
        indent = len(line) - len(line.lstrip())
        used: list[str] = []
        for body in w.lines[i + 1 :]:
            if body.strip() and len(body) - len(body.lstrip()) <= indent:
                break
            used.extend(re.findall(r"(?<![\w.])([A-Za-z_]\w*)\.", code_only(body)))
        candidates = [n for n in used
                      if not re.search(rf"(?<![\w.]){re.escape(n)}\s*(?:=(?!=)|,.*=)", code)
                      and not re.search(rf"import\s+.*\b{re.escape(n)}\b", code)]
        if candidates:
            w.set(i, line.replace("\ue010", candidates[0]), "with-target")
        else:
            w.set(i, line.replace(" as \ue010", ""), "with-target")


def pass_key_strings(w: Work) -> None:
    """Key-like string literals back to English where MT reached the code (a keyword or
    a name was back-translated): ``results_df["関連性_スコア"]`` → ``results_df["relevance_score"]``,
    ``{"キー": "値"}`` → ``{"key": "value"}`` (:mod:`.strings`). Prose (``"こんにちは!"``)
    stays, and so does every literal of a block whose Japanese is its own."""
    restore_key_strings(w.lines, w.masked.pieces, w.reasons)


PYTHON_PASSES: list[tuple[str, Callable[[Work], None]]] = [
    ("punctuation", pass_punctuation),
    ("spacing", pass_spacing),
    ("comment-marker", pass_lost_comment),
    ("keywords", pass_keywords),
    ("missing-with", pass_missing_with),
    ("loop-variable", pass_loop_over_itself),
    ("tuple-commas", pass_tuple_commas),
    ("identifiers", pass_identifiers),
    ("import-module", pass_import_module_names),
    ("spaced-names", pass_spaced_names),
    ("capitalisation", pass_capitalisation),
    ("with-target", pass_with_target),
    ("respell", pass_respell),
    ("key-strings", pass_key_strings),
]


# ---------------------------------------------------------------- driver
def mt_signals(text: str) -> bool:
    """Anything machine translation leaves in code: Japanese or full-width punctuation
    outside strings and comments."""
    masked = mask(text, "python")
    code = code_only(masked.text)
    if masked.mt_quotes or re.search(r"[、。，（）【】「」：；＝\uff01-\uff5e]", code) or has_japanese(code):
        return True
    # ``returnvalidate(x)`` parses (a call of an unknown name) but MT glued the keyword on.
    for m in re.finditer(r"(?m)^\s+(return([a-z_]\w*))\s*\(", code):
        if not re.search(rf"(?:def\s+|\bimport\b.*\b|^\s*){m.group(1)}\b(?!\s*\()", code, re.M) \
                and not re.search(rf"def\s+{m.group(1)}\b", code):
            return True
    # MT capitalised a sentence-initial snake_case name that the block also spells in lower case.
    return any(re.search(rf"(?<![\w.]){m[0].lower()}{re.escape(m[1:])}\b", code)
               for m in set(_CAP_SNAKE.findall(code)))


@dataclass
class PythonResult:
    code: str
    confidence: float
    reasons: dict[int, list[str]]
    unresolved: tuple[int, ...]


_PROMPT = re.compile(r"^(\s*)(>>>|\.\.\.|＞＞＞)( |$)")


def _repair_doctest(text: str) -> PythonResult:
    """A REPL transcript: repair the ``>>>``/``...`` source lines, keep the output lines."""
    lines = text.split("\n")
    src_idx = [i for i, ln in enumerate(lines) if _PROMPT.match(ln)]
    bodies = [lines[i][_PROMPT.match(lines[i]).end():] for i in src_idx]
    inner = repair_python("\n".join(bodies))
    new_bodies = inner.code.split("\n")
    if len(new_bodies) != len(bodies):
        return PythonResult(text, 0.0, {}, ())
    out = list(lines)
    reasons: dict[int, list[str]] = {}
    for k, i in enumerate(src_idx):
        m = _PROMPT.match(lines[i])
        prompt = m.group(2).replace("＞＞＞", ">>>")
        out[i] = f"{m.group(1)}{prompt} {new_bodies[k]}".rstrip() if new_bodies[k] or m.group(3) else m.group(1) + prompt
        if k in inner.reasons:
            reasons[i] = inner.reasons[k]
    unresolved = tuple(src_idx[n - 1] + 1 for n in inner.unresolved)
    return PythonResult("\n".join(out), inner.confidence, reasons, unresolved)


def repair_python(text: str) -> PythonResult:
    if any(_PROMPT.match(ln) and ln.lstrip()[:3] in (">>>", "＞＞＞") for ln in text.split("\n")):
        return _repair_doctest(text)
    original_tree = parse(text)
    if original_tree is not None and not mt_signals(text):
        return PythonResult(text, 0.0 if original_tree is None else 1.0, {}, ())
    masked = mask(text, "python")
    w = Work(masked.text.split("\n"), masked)
    if original_tree is not None:
        w.parses_already = True
        w.bound_japanese = {n for n in bound_names(original_tree) if has_japanese(n)}
    for _name, fn in PYTHON_PASSES:
        fn(w)
    candidate_lines = w.lines
    result = masked.unmask("\n".join(candidate_lines))
    tree = parse(result)
    reindented = False
    if tree is None and needs_reindent(candidate_lines):
        flat = all(not ln[:1].isspace() for ln in candidate_lines
                   if ln.strip() and not ln.lstrip().startswith("\ue002"))
        lines2 = indent_lone_bodies(candidate_lines)
        result2 = masked.unmask("\n".join(lines2))
        if flat or parse(result2) is None:
            lines2 = rebuild_indentation(candidate_lines)
            result2 = masked.unmask("\n".join(lines2))
        if parse(result2) is not None:
            for i, (a, b) in enumerate(zip(candidate_lines, lines2)):
                if a != b:
                    w.reasons.setdefault(i, []).append("indentation")
            result, tree, reindented = result2, parse(result2), True
            candidate_lines = lines2
    if original_tree is not None and tree is None:
        return PythonResult(text, 1.0, {}, ())  # never turn parsing code into broken code
    if tree is not None and w.restored_names:
        result, changed = resolve_inflected_names(result, tree, w.restored_names)
        if changed:
            tree = parse(result)
            # reasons are kept per line of the repaired block; a string or comment with
            # a line break inside makes the lines of ``result`` differ from them
            if result.count("\n") == len(candidate_lines) - 1:
                for i in changed:
                    w.reasons.setdefault(i, []).append("inflected-name")
    unresolved = tuple(i + 1 for i, line in enumerate(candidate_lines) if has_japanese(code_only(line)))
    if tree is None:
        confidence = 0.25
    elif unresolved:
        confidence = 0.55
    else:
        confidence = 0.9
    if reindented:
        confidence = min(confidence, 0.7)
    return PythonResult(result, confidence, w.reasons, unresolved)
