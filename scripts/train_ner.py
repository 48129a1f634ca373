#!/usr/bin/env python3
"""Train the CRF entity tagger shipped in ``src/ja_article_tools/extract/models/``.

Data: the Stockmark Wikipedia NER set in ``/work/shared/eval-data/ner/``. Only records
whose index % 5 != 0 are used; index % 5 == 0 is the test split of
``/work/shared/eval/score_ner.py`` and is never read here.

    python scripts/train_ner.py                 # train on the whole training split, write model + gazetteer
    python scripts/train_ner.py --dev           # hold out index % 5 == 1, train on the rest, report dev F1
    python scripts/train_ner.py --dev --c1 0.05 --c2 0.01 --no-write

The training-split gazetteer is built k-fold for training: a sentence's gazetteer
features come from names seen in the *other* folds, so the CRF learns how far to trust a
hit on a name it has not itself been trained on (as at test time), instead of learning
"gazetteer hit = entity" from names that are always in it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ja_article_tools.extract import ner_features as nf  # noqa: E402
from ja_article_tools.tokens import tag_chunks  # noqa: E402

DATA = ROOT.parent / "shared" / "eval-data" / "ner" / "stockmark_ner-wikipedia-dataset_ner.json"
PKG = ROOT / "src" / "ja_article_tools" / "extract"
MODEL_OUT = PKG / "models" / "ner_crf.npz"
TYPER_OUT = PKG / "models" / "ner_span_typer.npz"
GAZ_OUT = PKG / "data" / "ner_gazetteer_wiki.tsv"

STOCKMARK = {
    "人名": "person", "法人名": "organization", "政治的組織名": "organization",
    "その他の組織名": "organization", "地名": "location", "施設名": "facility",
    "製品名": "product", "イベント名": "event",
}
# Stockmark's three organisation types have different contexts (a company is founded
# and has a president; a party wins seats); the model can keep them apart and the
# tagger folds them into ``organization`` (the part before "/").
FINE = {
    "法人名": "organization/corporate", "政治的組織名": "organization/political",
    "その他の組織名": "organization/other",
}
FOLDS = 5
LABELS = dict(STOCKMARK)


def coarse(label: str) -> str:
    return label.split("/", 1)[0]


def bio(morphs: list[nf.Morph], entities: list[dict]) -> tuple[list[str], list[tuple[int, int, str]]]:
    """BIO labels over morphs; entities whose edges fall inside a morph are left out."""
    starts = {m.start: i for i, m in enumerate(morphs)}
    ends = {m.end: i for i, m in enumerate(morphs)}
    y = ["O"] * len(morphs)
    spans = []
    for e in entities:
        s, t = e["span"]
        label = LABELS[e["type"]]
        if s in starts and t in ends and starts[s] <= ends[t]:
            i, j = starts[s], ends[t]
            if any(y[k] != "O" for k in range(i, j + 1)):
                continue
            y[i] = "B-" + label
            for k in range(i + 1, j + 1):
                y[k] = "I-" + label
            spans.append((i, j + 1, label))
    return y, spans


def build_gazetteer(items: list[tuple[list[nf.Morph], list[tuple[int, int, str]]]]) -> dict[tuple[str, ...], str]:
    votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for morphs, spans in items:
        for i, j, label in spans:
            votes[tuple(m.surface for m in morphs[i:j])][coarse(label)] += 1
    return {k: c.most_common(1)[0][0] for k, c in votes.items()}


def gazetteer_votes(items: list[tuple[list[nf.Morph], list[tuple[int, int, str]]]]) -> dict[str, Counter]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for morphs, spans in items:
        for i, j, label in spans:
            votes["".join(m.surface for m in morphs[i:j])][coarse(label)] += 1
    return votes


def gaz_postprocess(pred: set[tuple[int, int, str]], morphs: list[nf.Morph], gaz: nf.Gazetteer,
                    votes: dict[str, Counter], modes: list[str]) -> set[tuple[int, int, str]]:
    """Dev experiment: retype CRF spans by the training-split label of the same name,
    add gazetteer names the CRF left untagged."""
    out = set()
    for i, j, lab in pred:
        key = "".join(m.surface for m in morphs[i:j])
        c = votes.get(key)
        if "type" in modes and c:
            best, k = c.most_common(1)[0]
            if best != coarse(lab) and k >= 2 and k >= 0.8 * sum(c.values()):
                lab = best
        out.add((i, j, lab))
    if "add" in modes:
        covered = set()
        for i, j, _ in out:
            covered.update(range(i, j))
        for i, j, lab in gaz.match([m.surface for m in morphs]):
            key = "".join(m.surface for m in morphs[i:j])
            if sum(votes[key].values()) >= 2 and not covered.intersection(range(i, j)):
                out.add((i, j, lab))
    return out


def purity(c: Counter) -> str:
    return "H" if c.most_common(1)[0][1] >= 0.8 * sum(c.values()) else "L"


def gazetteer_label(votes: dict[str, Counter], name: str) -> str | None:
    """The span typer's view of the gazetteer: ``person`` + ``H``/``L``, or None."""
    c = votes.get(name)
    return c.most_common(1)[0][0] + purity(c) if c else None


def span_typer_features(morphs: list[nf.Morph], i: int, j: int, votes: dict[str, Counter]) -> list[str]:
    return nf.span_features([m.surface for m in morphs], [m.lemma for m in morphs],
                            ["-".join(m.pos) for m in morphs], i, j,
                            gazetteer_label(votes, "".join(m.surface for m in morphs[i:j])))


def train_span_typer(items: list, votes: dict[str, Counter], out: Path, c1: float, c2: float) -> None:
    """The second-stage span typer, trained on gold spans; the gazetteer feature of a
    sentence comes from the other folds (as for the CRF)."""
    import pycrfsuite

    fold_votes = [gazetteer_votes([(m, s) for k, (m, _, s) in enumerate(items) if k % FOLDS != f])
                  for f in range(FOLDS)]
    trainer = pycrfsuite.Trainer(verbose=False)
    for k, (morphs, _, spans) in enumerate(items):
        for i, j, label in spans:
            trainer.append([span_typer_features(morphs, i, j, fold_votes[k % FOLDS])], [label])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": 200})
    trainer.train(str(out))


RETYPE_MIN_PROB = 0.8  # as entities._RETYPE_MIN_PROB


def retype(typer, morphs: list[nf.Morph], i: int, j: int, label: str, votes: dict[str, Counter]) -> str:
    """The CRF's coarse label, replaced by the span typer's coarse type when that
    has probability >= RETYPE_MIN_PROB (the tagger's policy)."""
    typer.set([span_typer_features(morphs, i, j, votes)])
    probs: Counter = Counter()
    for lab in typer.labels():
        probs[coarse(lab)] += typer.marginal(lab, 0)
    best, p = probs.most_common(1)[0]
    return best if p >= RETYPE_MIN_PROB else coarse(label)


def parse_biases(text: str) -> dict[str, float]:
    """``product=0.2,facility=-0.1`` -> {type: bias}."""
    out = {}
    for part in filter(None, text.split(",")):
        name, value = part.split("=")
        out[name.strip()] = float(value)
    return out


def numpy_dev_f1(crf, prepared: list, gaz, typer, votes) -> dict[str, float]:
    """Typed micro F1 on the dev fold decoded by the shipped numpy decoder ``crf``
    (``prepared``: morphs and gold spans per sentence): the CRF's types, and with the
    span typer's when there is one."""
    counts = {"crf": [0, 0, 0]} | ({"crf+typer": [0, 0, 0]} if typer is not None else {})
    for morphs, gold in prepared:
        pred_tok = spans_from_bio(crf.tag(morphs, gaz))
        variants = {"crf": {(morphs[i].start, morphs[j - 1].end, coarse(lab)) for i, j, lab in pred_tok}}
        if typer is not None:
            variants["crf+typer"] = {(morphs[i].start, morphs[j - 1].end, retype(typer, morphs, i, j, lab, votes))
                                     for i, j, lab in pred_tok}
        for name, ps in variants.items():
            c = counts[name]
            c[0] += len(gold & ps)
            c[1] += len(ps)
            c[2] += len(gold)
    out = {}
    for name, (tp, npred, ngold) in counts.items():
        p, r = tp / max(npred, 1), tp / max(ngold, 1)
        out[name] = 2 * p * r / max(p + r, 1e-9)
    return out


def search_label_biases(f1, settings: str) -> None:
    """Print the dev F1 (``f1``: type biases -> typed F1) of each ``;``-separated
    setting, then search from the first: a bias on every B-/I- score of one entity
    type at a time (coordinate ascent, two rounds): the CRF trades recall for
    precision differently per type."""
    for text in settings.split(";")[1:]:
        print(f"dev label biases {parse_biases(text)}: typed F1 {f1(parse_biases(text)):.4f}", flush=True)
    biases = parse_biases(settings.split(";")[0])
    best = f1(biases)
    print(f"dev label biases {biases or 'none'}: typed F1 {best:.4f}", flush=True)
    types = sorted(set(STOCKMARK.values()))
    for _ in range(2):
        for t in types:
            for step in (-0.4, -0.2, 0.2, 0.4):
                trial = dict(biases)
                trial[t] = round(biases.get(t, 0.0) + step, 2)
                score = f1(trial)
                if score > best + 1e-9:
                    best, biases = score, trial
            print(f"  after {t}: {biases} -> {best:.4f}", flush=True)


def to_gaz(entries: dict[tuple[str, ...], str]) -> nf.Gazetteer:
    g = nf.Gazetteer()
    for surfaces, label in entries.items():
        g.add(surfaces, label)
    return g


def spans_from_bio(y: list[str]) -> set[tuple[int, int, str]]:
    out = set()
    i = 0
    n = len(y)
    while i < n:
        if y[i] != "O":
            label = y[i][2:]
            j = i + 1
            while j < n and y[j] == "I-" + label:
                j += 1
            out.add((i, j, label))
            i = j
        else:
            i += 1
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", action="store_true", help="hold out index %% 5 == 1 and report its F1")
    ap.add_argument("--c1", type=float, default=0.02)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--minfreq", type=float, default=1)
    ap.add_argument("--no-gaz", action="store_true")
    ap.add_argument("--typer-c1", type=float, default=0.1)
    ap.add_argument("--typer-c2", type=float, default=0.01)
    ap.add_argument("--o-penalty", type=float, default=0.25,
                    help="decode-time score taken off the O label (dev fold: 0 -> 0.733, 0.25 -> 0.735 typed F1)")
    ap.add_argument("--gaz-override", default="", help="dev experiment: 'type' and/or 'add' (comma-separated)")
    ap.add_argument("--possible-states", action="store_true", help="crfsuite feature.possible_states")
    ap.add_argument("--coarse", action="store_true", help="merge the three organisation subtypes for training")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--drop", default="", help="comma-separated feature prefixes to leave out (ablation, --dev only)")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--dev-typer", action="store_true",
                    help="with --dev: also train the span typer and report CRF + typer dev F1")
    ap.add_argument("--dev-fold", type=int, choices=(1, 2, 3, 4), default=1,
                    help="with --dev: hold out index %% 5 == this (1 is the fold all figures in docs use)")
    ap.add_argument("--dev-o-penalties", default="",
                    help="with --dev: comma-separated O penalties to decode the dev fold with the shipped "
                         "numpy decoder (CrfModel) and report typed F1 (+ typer with --dev-typer)")
    ap.add_argument("--dev-label-biases", action="store_true",
                    help="with --dev: decode the dev fold with the --label-biases settings, then search a "
                         "decode-time bias per entity type (on B-/I-) from the first, with the numpy decoder "
                         "(+ typer with --dev-typer)")
    ap.add_argument("--label-biases", default="product=-0.4",
                    help="type=bias,... added to B-/I- of each type at decode time (exported; with --dev-label-biases "
                         "several settings separated by ';' are compared). Default: dev typed F1 "
                         "+0.002 on folds 1 and 2 (the searched per-fold optima did not carry to the other fold)")
    ap.add_argument("--no-ipadic", action="store_true", help="CRF without the IPAdic proper-noun gazetteer")
    ap.add_argument("--no-span-clusters", action="store_true", help="span typer without word-cluster features")
    a = ap.parse_args()
    if not DATA.exists():
        print(f"training data not found: {DATA}", file=sys.stderr)
        return 2
    import pycrfsuite

    if not a.coarse:
        LABELS.update(FINE)
    if a.no_span_clusters:
        nf.SPAN_CLUSTERS = False
    if a.no_ipadic:
        nf.USE_IPADIC = False

    records = json.loads(DATA.read_text(encoding="utf-8"))
    train, dev = [], []
    for idx, r in enumerate(records):
        if idx % 5 == 0:
            continue  # the scorer's test split: never used
        (dev if a.dev and idx % 5 == a.dev_fold else train).append(r)

    t0 = time.perf_counter()
    items = []
    for r in train:
        morphs = nf.morphs_from_raw(tag_chunks(r["text"]))
        y, spans = bio(morphs, r["entities"])
        items.append((morphs, y, spans))
    fold_gaz: list[nf.Gazetteer | None] = []
    for f in range(FOLDS):
        if a.no_gaz:
            fold_gaz.append(None)
            continue
        others = [(m, s) for k, (m, _, s) in enumerate(items) if k % FOLDS != f]
        fold_gaz.append(to_gaz(build_gazetteer(others)))
    full_entries = build_gazetteer([(m, s) for m, _, s in items])
    full_votes = gazetteer_votes([(m, s) for m, _, s in items])
    full_gaz = None if a.no_gaz else to_gaz(full_entries)

    drop = tuple(p for p in a.drop.split(",") if p)

    def features(morphs: list[nf.Morph], gaz: nf.Gazetteer | None) -> list[list[str]]:
        xs = nf.sequence_features(morphs, gaz)
        if drop:
            xs = [[f for f in x if not f.startswith(drop)] for x in xs]
        return xs

    trainer = pycrfsuite.Trainer(verbose=False)
    for k, (morphs, y, _) in enumerate(items):
        trainer.append(features(morphs, fold_gaz[k % FOLDS]), y)
    trainer.set_params({
        "c1": a.c1,
        "c2": a.c2,
        "max_iterations": a.iterations,
        "feature.minfreq": a.minfreq,
        "feature.possible_transitions": True,
        "feature.possible_states": a.possible_states,
    })
    import tempfile

    tmpdir = Path(tempfile.mkdtemp(prefix="train_ner_"))
    model_path = a.model or tmpdir / "ner.crfsuite"
    model_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"features built in {time.perf_counter() - t0:.1f}s; training on {len(items)} sentences", flush=True)
    t1 = time.perf_counter()
    trainer.train(str(model_path))
    print(f"trained in {time.perf_counter() - t1:.1f}s -> {model_path} ({model_path.stat().st_size / 1e6:.2f} MB)")

    if not (a.no_write or a.dev):
        from ja_article_tools.extract.ner_crf import export_crfsuite

        export_crfsuite(model_path, MODEL_OUT, a.o_penalty, parse_biases(a.label_biases.split(";")[0]))
        print(f"exported -> {MODEL_OUT} ({MODEL_OUT.stat().st_size / 1e6:.2f} MB)")
        typer_path = tmpdir / "typer.crfsuite"
        train_span_typer(items, full_votes, typer_path, a.typer_c1, a.typer_c2)
        export_crfsuite(typer_path, TYPER_OUT)
        print(f"span typer -> {TYPER_OUT} ({TYPER_OUT.stat().st_size / 1e6:.2f} MB)")
        GAZ_OUT.parent.mkdir(parents=True, exist_ok=True)
        with GAZ_OUT.open("w", encoding="utf-8") as f:
            f.write(f"# morpheme surfaces (space-separated)\tlabel\tH if >= 80 % of its mentions have that label, else L; from the Stockmark NER training split "
                    f"(index % 5 != 0), CC BY-SA 3.0; features v{nf.FEATURE_VERSION}\n")
            for surfaces, label in sorted(full_entries.items()):
                if any(" " in s or "\t" in s for s in surfaces):
                    continue
                f.write(" ".join(surfaces) + "\t" + label + "\t" + purity(full_votes["".join(surfaces)]) + "\n")
        print(f"gazetteer: {len(full_entries)} names -> {GAZ_OUT}")

    typer = None
    if dev and a.dev_typer:
        typer_path = tmpdir / "typer.crfsuite"
        train_span_typer(items, full_votes, typer_path, a.typer_c1, a.typer_c2)
        typer = pycrfsuite.Tagger()
        typer.open(str(typer_path))
    if dev:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path))
        counts = {"crf": [0, 0, 0, 0], "crf+typer": [0, 0, 0, 0]}  # tp, span tp, predicted, gold
        tp = npred = ngold = stp = 0
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for r in dev:
            morphs = nf.morphs_from_raw(tag_chunks(r["text"]))
            y, _ = bio(morphs, r["entities"])
            gold = {(s, t, STOCKMARK[e]) for s, t, e in
                    ((e["span"][0], e["span"][1], e["type"]) for e in r["entities"])}
            pred_tok = spans_from_bio(tagger.tag(features(morphs, full_gaz)))
            if a.gaz_override and full_gaz is not None:
                pred_tok = gaz_postprocess(pred_tok, morphs, full_gaz, full_votes, a.gaz_override.split(","))
            pred = {(morphs[i].start, morphs[j - 1].end, coarse(lab)) for i, j, lab in pred_tok}
            if typer is not None:
                retyped = {(morphs[i].start, morphs[j - 1].end, retype(typer, morphs, i, j, lab, full_votes))
                           for i, j, lab in pred_tok}
                for name, ps in (("crf", pred), ("crf+typer", retyped)):
                    c = counts[name]
                    c[0] += len(gold & ps)
                    c[1] += len({x[:2] for x in gold} & {x[:2] for x in ps})
                    c[2] += len(ps)
                    c[3] += len(gold)
            tp += len(gold & pred)
            stp += len({x[:2] for x in gold} & {x[:2] for x in pred})
            npred += len(pred)
            ngold += len(gold)
            for lab in set(STOCKMARK.values()):
                g = {x for x in gold if x[2] == lab}
                p = {x for x in pred if x[2] == lab}
                per[lab][0] += len(g & p)
                per[lab][1] += len(p)
                per[lab][2] += len(g)
        for lab, (t, p_, g_) in sorted(per.items()):
            pr, rc = t / max(p_, 1), t / max(g_, 1)
            print(f"  {lab:13s} P {pr:.3f} R {rc:.3f} F1 {2 * pr * rc / max(pr + rc, 1e-9):.3f}")
        p, r_ = tp / max(npred, 1), tp / max(ngold, 1)
        sp, sr = stp / max(npred, 1), stp / max(ngold, 1)
        print(f"dev span-only F1 {2 * sp * sr / max(sp + sr, 1e-9):.3f}")
        print(f"dev micro P {p:.3f} R {r_:.3f} F1 {2 * p * r_ / max(p + r_, 1e-9):.3f}")
        if typer is not None:
            for name, (t, st, np_, ng) in counts.items():
                p, r_ = t / max(np_, 1), t / max(ng, 1)
                print(f"dev {name}: typed F1 {2 * p * r_ / max(p + r_, 1e-9):.3f} (typer threshold {RETYPE_MIN_PROB})")
    if dev and (a.dev_o_penalties or a.dev_label_biases):
        from ja_article_tools.extract.ner_crf import CrfModel, decode_bias, export_crfsuite

        npz = tmpdir / "dev.npz"
        export_crfsuite(model_path, npz)
        labels = CrfModel.load(npz).labels
        prepared = [(nf.morphs_from_raw(tag_chunks(r["text"])),
                     {(e["span"][0], e["span"][1], STOCKMARK[e["type"]]) for e in r["entities"]}) for r in dev]

        def decode(o_penalty: float, biases: dict[str, float]) -> dict[str, float]:
            crf = CrfModel.load(npz, label_bias=decode_bias(labels, o_penalty, biases))
            return numpy_dev_f1(crf, prepared, full_gaz, typer, full_votes)

        for pen in (float(x) for x in a.dev_o_penalties.split(",") if x):
            print(f"dev O penalty {pen}: " + ", ".join(f"{k} {v:.3f}" for k, v in decode(pen, {}).items()))
        if a.dev_label_biases:
            search_label_biases(lambda b: decode(a.o_penalty, b)["crf+typer" if typer else "crf"], a.label_biases)
    import shutil

    shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
