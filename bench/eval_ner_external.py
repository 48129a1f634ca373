#!/usr/bin/env python3
"""Score the entity extractor on NER sets it was never trained or tuned on.

    python bench/eval_ner_external.py                 # both sets, per-label table
    python bench/eval_ner_external.py --failures 20   # also show sentences that differ
    python bench/eval_ner_external.py --set gsd

Sets (``../shared/eval-data/ner/``; skipped with a message when absent):

* ``gsd``: UD Japanese-GSD test sentences with Megagon's OntoNotes-style NE layer
  (``NE=B-ORG`` … in the MISC column, BILU), 543 sentences of news and blog text.
* ``hironsan``: the hironsan corpus (IOB2 over IPAdic tokens, IREX-style types),
  500 sentences of news.

Both use other annotation guides than Stockmark (on which the model is trained): the
figures measure how the extractor carries over to other text and other conventions, not a
target. Types are mapped to ours where the meaning agrees (``GPE`` and ``LOC`` → location,
``ART`` → product, ``DAT`` → date …); types we do not produce (``NORP``, ``WORK_OF_ART``,
``TIME``, ``ORDINAL``, ``LAW`` …) are left out of gold, and predictions whose span equals such
a gold span are left out too, so labelling ``日本人`` (NORP) as nothing or as a location is
neither rewarded nor punished. IREX has no facility type (its LOCATION holds stations,
parks and halls), so on hironsan our ``facility`` is scored as ``location``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

NER_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval-data" / "ner"

GSD_LABELS = {
    "PERSON": "person", "ORG": "organization", "GPE": "location", "LOC": "location",
    "FAC": "facility", "PRODUCT": "product", "EVENT": "event", "DATE": "date",
    "MONEY": "money", "PERCENT": "percent", "QUANTITY": "quantity",
}
HIRONSAN_LABELS = {
    "PSN": "person", "ORG": "organization", "LOC": "location", "ART": "product",
    "DAT": "date", "MON": "money", "PER": "percent",
}
# IREX has no facility type: stations, airports, parks and halls are LOCATION there, so a
# facility we find is scored as a location on the hironsan set.
PREDICTED_AS = {"hironsan": {"facility": "location"}}

Span = tuple[int, int, str]


def read_gsd(path: Path) -> list[tuple[str, set[Span], set[tuple[int, int]]]]:
    """Sentences as (text, gold spans with our labels, spans of unmapped gold types)."""
    out = []
    text, pos, gold, other, open_ = "", 0, set(), set(), None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line:
            if text:
                out.append((text, gold, other))
            text, pos, gold, other, open_ = "", 0, set(), set(), None
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        form, misc = cols[1], cols[9]
        start, pos = pos, pos + len(form)
        text += form
        if "SpaceAfter=No" not in misc:
            text += " "
            pos += 1
        ne = next((f[3:] for f in misc.split("|") if f.startswith("NE=")), "O")
        if ne == "O":
            continue
        tag, kind = ne.split("-", 1)
        if tag in ("B", "U"):
            open_ = (start, kind)
        if tag in ("L", "U") and open_:
            s, k = open_
            (gold.add((s, start + len(form), GSD_LABELS[k])) if k in GSD_LABELS
             else other.add((s, start + len(form))))
            open_ = None
    return [(t.rstrip(" "), g, o) for t, g, o in out]


def read_hironsan(path: Path) -> list[tuple[str, set[Span], set[tuple[int, int]]]]:
    out = []
    text, gold, other, open_ = "", set(), set(), None

    def close(end: int) -> None:
        nonlocal open_
        if open_:
            s, k = open_
            (gold.add((s, end, HIRONSAN_LABELS[k])) if k in HIRONSAN_LABELS else other.add((s, end)))
            open_ = None

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            close(len(text))
            if text:
                out.append((text, gold, other))
            text, gold, other = "", set(), set()
            continue
        cols = line.split("\t")
        form, tag = cols[0], cols[-1]
        if tag == "O" or tag.startswith("B-") or (open_ and tag[2:] != open_[1]):
            close(len(text))
        if tag.startswith("B-") or (tag.startswith("I-") and not open_):
            open_ = (len(text), tag[2:])
        text += form
    return out


SETS = {
    "gsd": ("megagon_ja_gsd-ud-test.ne.conllu", read_gsd),
    "hironsan": ("hironsancorpus-0.1.2_iob_sents.txt", read_hironsan),
}


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(name: str, failures: int) -> None:
    from ja_article_tools import extract_entities

    file, reader = SETS[name]
    path = NER_DIR / file
    if not path.is_file():
        print(f"{name}: skipped, {path} not found")
        return
    sentences = reader(path)
    labels = sorted({lab for _, g, _ in sentences for *_, lab in g})
    t0 = time.perf_counter()
    preds = []
    as_label = PREDICTED_AS.get(name, {})
    for text, _, other in sentences:
        ents = extract_entities(text)
        found = {(e.start, e.end, as_label.get(e.label, e.label)) for e in ents}
        preds.append({x for x in found if x[2] in labels and x[:2] not in other})
    dt = time.perf_counter() - t0
    chars = sum(len(t) for t, _, _ in sentences)
    print(f"== {name}: {len(sentences)} sentences, {chars / dt:,.0f} chars/s")
    for label in labels + ["MICRO"]:
        tp = npred = ngold = 0
        for (_, gold, _), pred in zip(sentences, preds):
            g = {x for x in gold if label == "MICRO" or x[2] == label}
            p = {x for x in pred if label == "MICRO" or x[2] == label}
            tp, npred, ngold = tp + len(g & p), npred + len(p), ngold + len(g)
        print("%-13s P %.3f R %.3f F1 %.3f  (tp %d, pred %d, gold %d)"
              % ((label, *prf(tp, npred, ngold), tp, npred, ngold)))
    tp = npred = ngold = 0
    confusions: Counter[tuple[str, str]] = Counter()
    for (_, gold, _), pred in zip(sentences, preds):
        gs, ps = {x[:2]: x[2] for x in gold}, {x[:2]: x[2] for x in pred}
        tp, npred, ngold = tp + len(gs.keys() & ps.keys()), npred + len(ps), ngold + len(gs)
        confusions.update((gs[k], ps[k]) for k in gs.keys() & ps.keys() if gs[k] != ps[k])
    print("%-13s P %.3f R %.3f F1 %.3f" % ("span-only", *prf(tp, npred, ngold)))
    if confusions:
        print("type confusions (gold → ours):",
              ", ".join(f"{g}→{p} {n}" for (g, p), n in confusions.most_common(8)))
    shown = 0
    for (text, gold, _), pred in zip(sentences, preds):
        if shown >= failures:
            break
        if gold != pred:
            shown += 1
            print("---", text)
            print("   missed:", sorted((text[s:e], lab) for s, e, lab in gold - pred))
            print("   wrong: ", sorted((text[s:e], lab) for s, e, lab in pred - gold))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=sorted(SETS), action="append")
    ap.add_argument("--failures", type=int, default=0)
    a = ap.parse_args()
    for name in a.set or sorted(SETS):
        score(name, a.failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
