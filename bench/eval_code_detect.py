#!/usr/bin/env python3
"""Evaluate code-block detection.

1. Line-level P/R/F1 on the real MT pages (``eval-data/coderepair/detect_real.jsonl``) with the
   shared scorer's own mapping of blocks to lines (``project_code_lines``).
2. On our own labels of Debian documentation lines (``bench/data/debian_code_labels.jsonl``,
   labelled by the code-detection engineer, not gold from elsewhere): the false-positive rate
   (prose lines classed as code) and the recall of code lines.
3. Speed: characters per second over the Debian corpus, and a 10 MB single line.

Usage: .venv/bin/python bench/eval_code_detect.py [--per-doc] [--errors] [--no-speed]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

import ja_article_tools  # noqa: E402
from ja_article_tools.code.detect import find_code_blocks  # noqa: E402

LABELS = ROOT / "bench" / "data" / "debian_code_labels.json"


def load_scorer():
    path = SHARED / "eval" / "score_coderepair.py"
    spec = importlib.util.spec_from_file_location("score_coderepair", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def code_lines_of(text_lines: list[str]) -> set[int]:
    """Same projection as the shared scorer: a line is code if any block overlaps it."""
    text = "\n".join(text_lines)
    starts, pos = [], 0
    for line in text_lines:
        starts.append(pos)
        pos += len(line) + 1
    out: set[int] = set()
    for b in find_code_blocks(text):
        for i, s0 in enumerate(starts):
            e0 = s0 + len(text_lines[i])
            if s0 < b.end and b.start < max(e0, s0 + 1):
                out.add(i)
    return out


def eval_real(args) -> None:
    gold_path = SHARED / "eval-data" / "coderepair" / "detect_real.jsonl"
    scorer = load_scorer()
    if not hasattr(ja_article_tools, "find_code_blocks"):
        ja_article_tools.find_code_blocks = find_code_blocks  # until __init__ exports it
    docs = scorer.load_jsonl(str(gold_path))
    preds = {d["id"]: scorer.project_code_lines(d["lines"]) for d in docs}
    summary, per_doc = scorer.score_detection(docs, preds)
    print("real MT pages (shared scorer):", json.dumps(summary))
    if args.per_doc:
        for row in per_doc:
            print("  %-20s tp=%d fp=%d fn=%d" % row)
    if args.errors:
        for d in docs:
            pred = set(preds[d["id"]])
            for i, (line, lab) in enumerate(zip(d["lines"], d["labels"])):
                if line.strip() and bool(lab) != (i in pred):
                    print("  %s %-16s %s" % ("FN" if lab else "FP", d["id"], line[:110]))


def load_debian_windows() -> list[dict]:
    """Rebuild the labelled windows from the corpus (the repo stores line numbers, not text)."""
    spec = json.loads(LABELS.read_text(encoding="utf-8"))
    corpus = SHARED / "eval-data" / "corpus-ja"
    cache: dict[str, list[str]] = {}
    out = []
    for w in spec["windows"]:
        if w["file"] not in cache:
            cache[w["file"]] = (corpus / w["file"]).read_text(encoding="utf-8").split("\n")
        lines = cache[w["file"]][w["first"] - 1:w["last"]]
        code = {n for a, b in w["code"] for n in range(a, b + 1)}
        skip = set(w.get("skip", []))
        labels = [None if n in skip else (n in code) for n in range(w["first"], w["last"] + 1)]
        out.append({"id": w["id"], "lines": lines, "labels": labels})
    return out


def eval_debian(args) -> None:
    if not LABELS.exists():
        print("no Debian labels at", LABELS)
        return
    tp = fp = fn = tn = 0
    for r in load_debian_windows():
        pred = code_lines_of(r["lines"])
        for i, (line, lab) in enumerate(zip(r["lines"], r["labels"])):
            if not line.strip() or lab is None:
                continue
            p = i in pred
            tp += p and lab
            fp += p and not lab
            fn += (not p) and lab
            tn += (not p) and not lab
            if args.errors and p != bool(lab):
                print("  %s %-22s %s" % ("FN" if lab else "FP", r["id"], line[:110]))
    prose, code = fp + tn, tp + fn
    print("Debian sample (own labels): %d prose lines, %d code lines; false-positive rate %.3f "
          "(%d), code recall %.3f (%d/%d), precision %.3f" % (
              prose, code, fp / max(1, prose), fp, tp / max(1, code), tp, code, tp / max(1, tp + fp)))


def eval_corpus(args) -> None:
    """Blocks found in the project's sample articles (corpus/) against the hand-written
    expectations in tests/cases/corpus_expectations.json (first line, language, count)."""
    exp_path = ROOT / "tests" / "cases" / "corpus_expectations.json"
    if not exp_path.exists():
        print("no corpus expectations at", exp_path)
        return
    articles = json.loads(exp_path.read_text(encoding="utf-8"))["articles"]
    n_exp = n_found = first_ok = lang_ok = 0
    for art in articles:
        raw = (ROOT / "corpus" / art["file"]).read_bytes()
        text = raw.decode(art["encoding"]).lstrip("\ufeff")
        blocks = find_code_blocks(text)
        expected = art.get("code_blocks", [])
        n_exp += len(expected)
        n_found += len(blocks)
        got = []
        for b in blocks:
            content = text[b.content_start:b.content_end] if b.content_start >= 0 else b.text
            first = next((ln.strip() for ln in content.splitlines() if ln.strip()), "")
            got.append((first, b.language, b.detected_by))
        for e in expected:
            match = [g for g in got if g[0] == e["first_line"].strip()]
            first_ok += bool(match)
            lang_ok += bool(match) and match[0][1] == e["language"]
            if args.errors and (not match or match[0][1] != e["language"]):
                print("  MISS %-40s %s (%s)" % (art["file"], e["first_line"][:60], e["language"]),
                      "got lang", match[0][1] if match else "-")
        if args.errors:
            exp_firsts = {e["first_line"].strip() for e in expected}
            for g in got:
                if g[0] not in exp_firsts:
                    print("  EXTRA %-39s %s (%s, %s)" % (art["file"], g[0][:60], g[1], g[2]))
    print("sample corpus: %d expected blocks, %d found; first line matches %d, language matches %d" % (
        n_exp, n_found, first_ok, lang_ok))


def eval_real_blocks(args) -> None:
    """The 76 real MT-damaged blocks (real_cases.jsonl): (a) language guessed from the mangled
    text alone; (b) embedded in synthetic pages in three layouts (heading glued to code,
    paragraphs with blank lines, sentence glued to code) between real Japanese sentences from
    the NER corpus: line precision/recall."""
    import random

    cases_path = SHARED / "eval-data" / "coderepair" / "real_cases.jsonl"
    ner_path = SHARED / "eval-data" / "ner" / "stockmark_ner-wikipedia-dataset_ner.json"
    from ja_article_tools.code.language import guess_language

    rows = [json.loads(x) for x in cases_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    ok = sum(guess_language(r["mangled"]) == r["lang"] for r in rows)
    print("real mangled blocks: language %d/%d" % (ok, len(rows)))
    sents = [r["text"] for r in json.loads(ner_path.read_text(encoding="utf-8"))]
    rng = random.Random(0)
    tp = fp = fn = 0
    for style in ("heading", "paragraph", "dense"):
        for k in range(0, len(rows), 5):
            lines: list[str] = []
            labels: list[bool] = []
            for r in rows[k:k + 5]:
                code = r["mangled"].strip("\n").split("\n")
                if style == "heading":
                    lines.append("## " + rng.choice(sents)[:15])
                    labels.append(False)
                    if rng.random() < 0.5:
                        lines.append(rng.choice(sents))
                        labels.append(False)
                    lines += code
                    labels += [True] * len(code)
                elif style == "paragraph":
                    lines += [rng.choice(sents), ""] + code + [""]
                    labels += [False, False] + [True] * len(code) + [False]
                else:
                    lines += [rng.choice(sents)] + code
                    labels += [False] + [True] * len(code)
            lines.append(rng.choice(sents))
            labels.append(False)
            pred = code_lines_of(lines)
            for i, (line, lab) in enumerate(zip(lines, labels)):
                if line.strip():
                    p = i in pred
                    tp += p and lab
                    fp += p and not lab
                    fn += (not p) and lab
    prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print("real mangled blocks in synthetic pages: P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d)" % (
        prec, rec, 2 * prec * rec / max(1e-9, prec + rec), tp, fp, fn))


def _cpu(run) -> float:  # noqa: ANN001
    t = time.process_time()
    run()
    return time.process_time() - t


def eval_speed() -> None:
    corpus = SHARED / "eval-data" / "corpus-ja"
    # The pipeline profile's case (bench/profile_pipeline.py debian): 300 KB of plain text, CPU
    # time, best of 3 after one warm-up call (rule index and character tables are built lazily).
    sample = (corpus / "debian_reference_ja.txt").read_text(encoding="utf-8")[:300_000]
    find_code_blocks("x = 1\n", markdown=False)
    best = min(_cpu(lambda: find_code_blocks(sample, markdown=False)) for _ in range(3))
    print("speed: Debian 300 KB, markdown=False: %.3f s CPU (best of 3)" % best)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    t = time.perf_counter()
    blocks = find_code_blocks(text)
    dt = time.perf_counter() - t
    print("speed: Debian corpus %d chars, %d blocks, %.2f s, %.0f chars/s" % (len(text), len(blocks), dt, len(text) / dt))
    big = "あ" * 5_000_000 + "x = (1)" * 700_000
    t = time.perf_counter()
    find_code_blocks(big)
    print("speed: one 10 MB line: %.2f s" % (time.perf_counter() - t))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-doc", action="store_true")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    if not SHARED.exists():
        print("skipped: %s not found (the shared evaluation data is not part of the repo)" % SHARED)
        return
    eval_real(args)
    eval_debian(args)
    eval_corpus(args)
    eval_real_blocks(args)
    if not args.no_speed:
        eval_speed()


if __name__ == "__main__":
    main()
