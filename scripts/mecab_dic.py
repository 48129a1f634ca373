"""The sections of a compiled MeCab system dictionary (``sys.dic``), shared by the
scripts that read one (``build_ner_ipadic.py``, ``build_english_words.py``).

Layout: a 72-byte header (ten little-endian uint32 — magic, version, type, lexicon
size, left and right context sizes, then the byte sizes of the double array, the token
array and the feature strings, and one unused — followed by a 32-byte charset name),
then those three sections in that order.
"""

from __future__ import annotations

import struct


def sections(buf: bytes) -> tuple[bytes, bytes, bytes]:
    """(double array, token array, NUL-terminated feature strings) of a UTF-8 dictionary."""
    *_, dsize, tsize, fsize, _ = struct.unpack("<10I", buf[:40])
    charset = buf[40:72].split(b"\0", 1)[0].decode("ascii").lower().replace("-", "")
    if charset != "utf8":
        raise SystemExit(f"sys.dic charset {charset!r}: only UTF-8 dictionaries are read")
    da = 72
    tokens = da + dsize
    features = tokens + tsize
    return buf[da:tokens], buf[tokens:features], buf[features:features + fsize]
