"""Every input a user can hand us: a correct result or an error naming the file."""

from __future__ import annotations

import codecs

import pytest

from ja_article_tools.read import InputError, decode, read_path

# No 〜 (WAVE DASH): cp932 decodes its bytes as ～ (FULLWIDTH TILDE), as Windows does.
TEXT = "機械学習の入門\r\nｶﾀｶﾅと①の記号、ーも含む。\r\n"

ENCODINGS = [
    ("utf-8", "utf-8", False),
    ("cp932", "cp932", False),
    ("euc_jp", "euc-jp", False),
    ("iso2022_jp_ext", "iso-2022-jp", False),
    ("utf-16", "utf-16-le", True),
    ("utf-8-sig", "utf-8", True),
]


@pytest.mark.parametrize("codec,reported,bom", ENCODINGS)
def test_encodings_are_detected(codec, reported, bom):
    # EUC-JP and ISO-2022-JP have no circled digits (a cp932 extension).
    text = TEXT if codec not in ("euc_jp", "iso2022_jp_ext") else TEXT.replace("①", "")
    src = decode(text.encode(codec), "a.txt")
    assert src.text == text
    assert src.encoding == reported
    assert src.had_bom == bom
    assert src.newline == "\r\n"


def test_utf16_be_with_bom():
    src = decode(codecs.BOM_UTF16_BE + "見出し".encode("utf-16-be"))
    assert src.text == "見出し" and src.had_bom


def test_short_sjis_vs_eucjp_is_not_confused():
    for codec in ("cp932", "euc_jp"):
        assert decode("テスト。".encode(codec)).text == "テスト。"


def test_empty_file_is_an_empty_article():
    src = decode(b"", "empty.txt")
    assert src.text == "" and src.encoding == "utf-8"


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary data (PNG image)"),
        (b"%PDF-1.7\n" + bytes(200), "binary data"),
        (b"\x00\x01\x02\x03" * 100, "binary data"),
        (b"abc" + b"\x00" * 50, "NUL bytes"),
        (b"\x81\x39\xfe\xfe\x80\xa0\xff", "undecodable bytes at byte"),
    ],
)
def test_bad_input_names_file_and_problem(data, needle):
    with pytest.raises(InputError) as err:
        decode(data, "bad.bin")
    assert "bad.bin" in str(err.value) and needle in str(err.value)


def test_a_stray_nul_in_text_is_kept_for_cleaning():
    src = decode("本文\x00です".encode("utf-8"))
    assert src.text == "本文\x00です"


def test_encoding_override(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("日本語".encode("euc_jp"))
    assert read_path(p, "euc-jp").text == "日本語"
    with pytest.raises(InputError) as err:
        read_path(p, "utf-8")
    assert "a.txt" in str(err.value) and "utf-8" in str(err.value)
    with pytest.raises(InputError, match="unknown encoding"):
        read_path(p, "klingon")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_path(tmp_path)
