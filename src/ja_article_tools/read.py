"""Reading: bytes -> :class:`~ja_article_tools.models.Source`.

Decoding policy (the order matters):

1. An empty file is a valid, empty article.
2. A byte-order mark decides: UTF-8 (BOM dropped from the text, ``had_bom`` set),
   UTF-16 and UTF-32 in either byte order.
3. Binary data is refused with :class:`InputError`: known magic numbers (PNG, PDF, ZIP,
   ELF, ...) or more than 1% NUL bytes. A few stray NULs in text are kept in the source
   and removed by cleaning (the tokenizer guards against them too).
4. 7-bit data with ISO-2022-JP escape sequences is ISO-2022-JP.
5. Strict UTF-8.
6. Shift_JIS (as Windows-31J / cp932, its superset in practice) and EUC-JP, each strict;
   if both decode, the one whose text looks more like Japanese wins.
7. Otherwise :class:`InputError` naming the first undecodable byte.

Line ends are kept as they are: the decoded text is the one coordinate system for every
offset, and :class:`~ja_article_tools.models.LineIndex` counts ``\\r\\n``, ``\\r`` and
``\\n`` alike. ``Source.newline`` records the dominant style so fixes can write it back.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import sys
from pathlib import Path

import regex

from .models import Source

__all__ = ["InputError", "decode", "read_path", "read_stdin", "ARTICLE_SUFFIXES", "markdown_by_suffix"]

# The one place that says which file names are articles, and which are Markdown.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
TEXT_SUFFIXES = (".txt", ".text")
ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES + TEXT_SUFFIXES


def markdown_by_suffix(path: str | None) -> bool | None:
    """True for a Markdown suffix, False for a plain-text one, None when the name
    does not tell (stdin, other suffixes): the caller then looks at the content."""
    suffix = os.path.splitext(path or "")[1].lower()
    if suffix in MARKDOWN_SUFFIXES:
        return True
    if suffix in TEXT_SUFFIXES:
        return False
    return None

# Inputs over this size are refused rather than risking the machine's memory.
MAX_BYTES = 256 * 1024 * 1024


class InputError(ValueError):
    """An input we refuse, with a message that names the file and the problem."""

    def __init__(self, path: str | None, problem: str) -> None:
        self.path = path or "<stdin>"
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
)

# Bytes that never occur in text files (ESC is kept: ISO-2022-JP uses it).
_BINARY_CONTROLS = tuple(c for c in range(32) if c not in (9, 10, 12, 13, 27))

_ISO2022_ESC = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I", b"\x1b$(D", b"\x1b$(Q", b"\x1b$(O")

# Characters typical of Japanese text; used to choose between two strict decodings.
_JAPANESE = regex.compile(r"[\p{Hiragana}\p{Katakana}ー、。「」]")
_ODD = regex.compile(r"[\p{Co}\p{Cn}\uFF61-\uFF9F\u0080-\u00FF]")


def _looks_japanese(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    good = len(_JAPANESE.findall(sample))
    odd = len(_ODD.findall(sample))
    return (good - 3 * odd) / len(sample)


def _dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    best = max((lf, "\n"), (crlf, "\r\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


def _undecodable(path: str | None, data: bytes, tried: str) -> InputError:
    try:
        data.decode("utf-8")
        pos = -1
    except UnicodeDecodeError as e:
        pos = e.start
    where = f" at byte {pos} (0x{data[pos]:02x})" if pos >= 0 else ""
    return InputError(path, f"undecodable bytes{where}: not valid {tried}; pass --encoding to choose one")


def decode(data: bytes, path: str | None = None, encoding: str | None = None) -> Source:
    """Decode ``data`` into a :class:`Source` following the module's policy.

    >>> decode("見出し\\r\\n".encode("cp932")).encoding
    'cp932'
    """
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_BYTES:
        raise InputError(path, f"file too large ({len(data)} bytes; the limit is {MAX_BYTES})")
    had_bom = False
    if encoding:
        enc = _normalise_encoding_name(path, encoding)
        body = data
        if enc in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
            body, had_bom, enc = data[3:], True, "utf-8"
        try:
            text = body.decode(enc)
        except UnicodeDecodeError as e:
            raise InputError(
                path, f"undecodable bytes at byte {e.start} (0x{body[e.start]:02x}) as {enc}: {e.reason}"
            ) from None
        if enc.startswith(("utf-16", "utf-32")) and text.startswith("\ufeff"):
            text, had_bom = text[1:], True
        return _source(text, path, enc, sha, had_bom)

    if not data:
        return _source("", path, "utf-8", sha, False)

    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc)
            except UnicodeDecodeError as e:
                raise InputError(path, f"undecodable bytes after a {enc} byte-order mark at byte {e.start + len(bom)}") from None
            return _source(text, path, enc if enc != "utf-8" else "utf-8", sha, True)

    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"binary data ({what}), not a text article")
    nuls = data.count(0)
    if nuls > 2 and nuls * 100 > len(data):
        raise InputError(path, f"binary data ({nuls} NUL bytes in {len(data)}), not a text article")

    head = data[:8192]
    controls = sum(head.count(bytes([c])) for c in _BINARY_CONTROLS)
    if controls * 10 > len(head):
        raise InputError(path, "binary data (control bytes), not a text article")

    if data.isascii() and any(esc in data for esc in _ISO2022_ESC):
        for enc in ("iso2022_jp_ext", "iso2022_jp_2004", "iso2022_jp_2"):
            try:
                return _source(data.decode(enc), path, "iso-2022-jp", sha, False)
            except UnicodeDecodeError:
                continue
        raise _undecodable(path, data, "ISO-2022-JP")

    try:
        return _source(data.decode("utf-8"), path, "utf-8", sha, False)
    except UnicodeDecodeError:
        pass

    candidates = []
    for enc in ("cp932", "euc_jp", "shift_jis_2004", "euc_jis_2004"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_looks_japanese(text), -len(candidates), enc, text))
    if candidates:
        _, _, enc, text = max(candidates)
        name = {"euc_jp": "euc-jp", "euc_jis_2004": "euc-jis-2004", "shift_jis_2004": "shift_jis_2004"}.get(enc, enc)
        return _source(text, path, name, sha, False)
    raise _undecodable(path, data, "UTF-8, Shift_JIS/CP932 or EUC-JP")


def _normalise_encoding_name(path: str | None, name: str) -> str:
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InputError(path, f"unknown encoding {name!r}") from None
    return {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig"}.get(info.name, info.name)


def _source(text: str, path: str | None, encoding: str, sha: str, had_bom: bool) -> Source:
    return Source(
        text=text,
        path=path,
        encoding=encoding,
        sha256=sha,
        had_bom=had_bom,
        newline=_dominant_newline(text),
    )


def read_path(path: str | os.PathLike[str], encoding: str | None = None) -> Source:
    """Read and decode one file; every failure is an :class:`InputError` naming it."""
    p = str(path)
    try:
        if os.path.isdir(p):
            raise InputError(p, "is a directory")
        size = os.path.getsize(p)
        if size > MAX_BYTES:
            raise InputError(p, f"file too large ({size} bytes; the limit is {MAX_BYTES})")
        data = Path(p).read_bytes()
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except PermissionError:
        raise InputError(p, "permission denied") from None
    except OSError as e:
        raise InputError(p, f"cannot read: {e.strerror or e}") from None
    return decode(data, p, encoding)


def read_stdin(encoding: str | None = None) -> Source:
    data = sys.stdin.buffer.read()
    return decode(data, None, encoding)
