"""Rebuilding Python indentation that MT (or HTML extraction) flattened.

Structure comes from the ``:`` header lines; where a block ends is decided by data
flow: a line stays in the innermost open block while it reads names bound there (or
simply follows it), cleanup calls (``env.close()``, ``f.close()``, ``plt.show()``) and
new top-level definitions go back to column 0, ``else``/``elif``/``except``/``finally``
return to the level of their header. The result is only accepted if it parses.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^(?:async\s+)?(?:def|class|for|while|if|elif|else|try|except|finally|with)\b.*:\s*(?:#.*|\ue002\d+\ue003)?$")
_DEDENT_KW = re.compile(r"^(?:elif|else|except|finally)\b")
_TOP_LEVEL = re.compile(r"^(?:def|class|async\s+def|@|import|from\s+\S+\s+import)\b")
_CLEANUP = re.compile(r"^\w+(?:\.\w+)*\.(?:close|shutdown|show|disconnect|quit|join|terminate|stop|cleanup|release|savefig|flush)\s*\(")
_ASSIGN = re.compile(r"^([\w\s,()\[\]*]+?)\s*(?:[+\-*/%|&^]|//|\*\*)?=(?!=)")
_FOR_TARGET = re.compile(r"^(?:async\s+)?for\s+(.+?)\s+in\b")
_NAME = re.compile(r"[^\W\d]\w*")


def needs_reindent(lines: list[str]) -> bool:
    """True when a header line is followed by a body at the same or lower indentation."""
    code = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    for a, b in zip(code, code[1:]):
        if _HEADER.match(a.strip()) and _indent(b) <= _indent(a):
            return True
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _bound(stmt: str) -> set[str]:
    m = _FOR_TARGET.match(stmt)
    if m:
        return set(_NAME.findall(m.group(1)))
    m = _ASSIGN.match(stmt)
    if m:
        return set(_NAME.findall(m.group(1)))
    m = re.match(r"^with\b.*\bas\s+(\w+)", stmt)
    if m:
        return {m.group(1)}
    return set()


def rebuild_indentation(lines: list[str], unit: str = "    ") -> list[str]:
    """Re-indent a flattened block.

    ``for _ in range(3):`` / ``x = f()`` / ``if x:`` / ``g()`` / ``env.close()`` →
    the ``if`` stays in the loop (it reads ``x``), ``env.close()`` leaves it.
    """
    out: list[str] = []
    # Stack of open blocks: (depth, header keyword, names bound inside).
    stack: list[tuple[int, str, set[str], str]] = []
    depth = 0
    expect_body = False
    open_brackets = 0
    after_blank = False
    after_return = False
    for raw in lines:
        stmt = raw.strip()
        if not stmt:
            out.append("")
            after_blank = True
            continue
        if open_brackets > 0:
            # Continuation lines of a bracketed expression keep their relative layout.
            out.append(unit * depth + unit + stmt if not stmt.startswith((")", "]", "}")) else unit * depth + stmt)
            open_brackets += _bracket_delta(stmt)
            continue
        if stmt.startswith("#"):
            out.append(unit * depth + stmt)
            continue
        if expect_body:
            depth = len(stack)
            expect_body = False
        elif _DEDENT_KW.match(stmt):
            kw = stmt.split()[0].rstrip(":")
            wanted = ("if", "elif") if kw in ("elif", "else") else ("try", "except")
            if kw == "else":
                wanted = ("if", "elif", "for", "while", "try", "except")
            while stack and stack[-1][1] not in wanted:
                stack.pop()
            if stack:
                stack.pop()
            depth = len(stack)
        elif _TOP_LEVEL.match(stmt) or _CLEANUP.match(stmt):
            if _TOP_LEVEL.match(stmt) and stmt.startswith(("import", "from")) and stack:
                pass  # a local import stays where it is
            else:
                stack.clear()
                depth = 0
        else:
            used = set(_NAME.findall(re.sub("\ue000\\d+\ue001", "", stmt)))
            # A call of the function being defined comes after its body.
            for k, entry in enumerate(stack):
                if entry[1] in ("def", "class") and entry[3] in used:
                    del stack[k:]
                    break
            # Code after a return, or after a blank line that reads nothing the block
            # bound, has left the block.
            while stack and (after_return or (after_blank and not (used & stack[-1][2]))):
                stack.pop()
                after_return = False
            # An unconditional return as the last word of a loop body would end the loop on its
            # first pass: it belongs to the function.
            if stmt.startswith("return") and any(e[1] == "def" for e in stack):
                while stack and stack[-1][1] in ("for", "while"):
                    stack.pop()
            depth = len(stack)
        after_blank = False
        after_return = bool(re.match(r"^(?:return|raise|break|continue)\b", stmt))
        out.append(unit * depth + stmt)
        names = _bound(stmt)
        for entry in stack:
            entry[2].update(names)
        if _HEADER.match(stmt):
            kw = stmt.split()[0].rstrip(":")
            if kw == "async":
                kw = stmt.split()[1]
            m = re.match(r"^(?:async\s+)?(?:def|class)\s+(\w+)", stmt)
            header_names = set(_bound(stmt))
            if kw == "def":
                args = re.search(r"\((.*)\)", stmt)
                header_names |= set(_NAME.findall(re.sub(r"[:=][^,]*", "", args.group(1)))) if args else set()
            stack.append((depth, kw, header_names, m.group(1) if m else ""))
            expect_body = True
        open_brackets += _bracket_delta(stmt)
    return out


def _bracket_delta(stmt: str) -> int:
    code = re.sub("\ue002\\d+\ue003", "", stmt.split("#", 1)[0])
    return sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")


def indent_lone_bodies(lines: list[str], unit: str = "    ") -> list[str]:
    """The smallest fix: a header whose next statement is not indented gets that one
    statement indented (``if x:`` / ``return y`` inside an otherwise intact function)."""
    out = list(lines)
    code_idx = [i for i, ln in enumerate(out) if ln.strip() and not ln.lstrip().startswith(("#", "\ue002"))]
    for a, b in zip(code_idx, code_idx[1:]):
        if _HEADER.match(out[a].strip()) and _indent(out[b]) <= _indent(out[a]):
            out[b] = " " * _indent(out[a]) + unit + out[b].lstrip()
    return out
