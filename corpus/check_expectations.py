"""Self-check of corpus/ against tests/cases/corpus_expectations.json: every expected
title, heading, URL (in order), e-mail, code first line and entity occurs in the decoded
article; encodings, BOM and newlines are as declared; every original file is referenced.
Run after editing an article: `python corpus/check_expectations.py`. Uses no project code."""
import json, os, unicodedata
from pathlib import Path
root = Path(__file__).resolve().parent
doc = json.load(open(root.parent / "tests" / "cases" / "corpus_expectations.json", encoding="utf-8"))
bad = 0
def err(*a):
    global bad; bad += 1; print("ERR", *a)
seen = set()
for a in doc["articles"]:
    p = root / a["file"]; seen.add(a["file"])
    raw = p.read_bytes()
    if not (1000 <= len(raw) <= 5200): err(a["file"], "size", len(raw))
    if raw.startswith(b"\xef\xbb\xbf") != a["bom"]: err(a["file"], "bom")
    if (b"\r\n" in raw) != (a["newline"] == "CRLF"): err(a["file"], "newline")
    codec = {"utf-8": "utf-8-sig" if a["bom"] else "utf-8"}.get(a["encoding"], a["encoding"])
    text = raw.decode(codec)
    if a["encoding"] != "utf-8":
        try: raw.decode("utf-8"); err(a["file"], "decodes as utf-8 too")
        except UnicodeDecodeError: pass
    lines = [l.strip() for l in text.replace("\r\n", "\n").split("\n")]
    stripped = [l.lstrip("#").strip() for l in lines]
    if a["title"] not in stripped: err(a["file"], "title")
    for h in a["headings"]:
        if h not in stripped: err(a["file"], "heading", h)
    pos = 0
    for u in a["urls"]:
        i = text.find(u, pos)
        if i < 0: err(a["file"], "url order", u)
        else: pos = i + 1
    for e in a.get("emails", []):
        if e not in text: err(a["file"], "email", e)
    for c in a["code_blocks"]:
        if c["first_line"] not in lines: err(a["file"], "code first line", c["first_line"])
        if c["original"] and not (root / c["original"]).is_file(): err(a["file"], "original", c["original"])
    for e in a["entities"]:
        if e["text"] not in text: err(a["file"], "entity", e["text"])
    if "zero_width_spaces" in a and text.count("\u200b") != a["zero_width_spaces"]: err(a["file"], "zwsp")
    for k in ("title",):
        if k + "_normalized" in a and unicodedata.normalize("NFKC", a[k]).replace("\u200b", "") != a[k + "_normalized"]: err(a["file"], "norm title")
    for k in ("urls", "emails"):
        if k + "_normalized" in a and [unicodedata.normalize("NFKC", x) for x in a[k]] != a[k + "_normalized"]: err(a["file"], "norm", k)
    print(f"{a['file']:45} {len(raw):5d} B {a['encoding']}")
others = {f for f in os.listdir(root) if f.endswith((".txt", ".md"))} - seen
if others: err("unlisted", others)
origs = {f"originals/{f}" for f in os.listdir(root / "originals")}
used = {c["original"] for a in doc["articles"] for c in a["code_blocks"] if c["original"]}
if origs != used: err("originals mismatch", origs ^ used)
print("problems:", bad)
raise SystemExit(1 if bad else 0)
