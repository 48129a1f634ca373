"""The document-level CRF decoder agrees with the model crfsuite trained.

Reference: each sentence's feature strings from ``ner_features.sequence_features``
(exactly what training fed crfsuite), scored by summing the exported weights, and a
plain-Python Viterbi per sentence. The decoder under test computes the same scores with
array operations over a whole document and decodes all sentences in length batches.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ja_article_tools.extract import entities as ent
from ja_article_tools.extract import ner_features as nf
from ja_article_tools.extract.ner_crf import CrfModel
from ja_article_tools.read import read_path
from ja_article_tools.tokens import tag_chunks

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MODEL = Path(ent.__file__).resolve().parent / "models" / "ner_crf.npz"


def _reference_labels(model: CrfModel, label_bias: np.ndarray, morphs: list[nf.Morph], gaz: nf.Gazetteer) -> list[int]:
    feats = nf.sequence_features(morphs, gaz)
    index = model.attr_index
    scores = []
    for fs in feats:
        row = label_bias.copy()
        for f in fs:
            k = index.get(f)
            if k is not None:
                row = row + model.weights[k]
        scores.append(row)
    trans = model.trans
    n_labels = len(model.labels)
    delta = list(scores[0])
    back: list[list[int]] = []
    for row in scores[1:]:
        best_prev = [max(range(n_labels), key=lambda i, j=j: (delta[i] + trans[i][j], -i)) for j in range(n_labels)]
        delta = [delta[best_prev[j]] + trans[best_prev[j]][j] + row[j] for j in range(n_labels)]
        back.append(best_prev)
    k = max(range(n_labels), key=lambda j: (delta[j], -j))
    path = [k]
    for bp in reversed(back):
        k = bp[k]
        path.append(k)
    return path[::-1]


@pytest.fixture(scope="module")
def model_and_bias() -> tuple[CrfModel, np.ndarray]:
    with np.load(MODEL) as data:
        bias = data["label_bias"].astype(float) if "label_bias" in data.files else np.zeros(1)
    return CrfModel.load(MODEL), bias


def _documents() -> list[str]:
    texts = [read_path(p).text for p in sorted(CORPUS.iterdir()) if p.suffix in (".txt", ".md")]
    # Sentences of very different lengths in one document exercise the length batches.
    texts.append("。".join(["東京", "OpenAIのサム・アルトマンは2015年にイーロン・マスクらとサンフランシスコで会社を設立した"
                            * 3, "トヨタ自動車株式会社", "京都大学の山田太郎教授"]) + "。")
    return texts


@pytest.mark.parametrize("text", _documents(), ids=lambda t: t[:12])
def test_document_decoder_matches_feature_string_reference(model_and_bias, text: str) -> None:
    model, bias = model_and_bias
    gaz = ent._wiki_gazetteer()
    tagged = ent._tag_raw(list(tag_chunks(text)), model)
    bounds = ent._sequences(text, tagged)
    got = model.tag_document(tagged.rows, tagged.surfaces, bounds, gaz).tolist()
    morphs = nf.morphs_from_raw(tag_chunks(text))
    assert [m.surface for m in morphs] == tagged.surfaces
    expected: list[int] = []
    for a, b in bounds:
        expected += _reference_labels(model, bias, morphs[a:b], gaz)
    assert got == expected
    assert any(model.labels[k] != "O" for k in got) or "東京" not in text
    # The same sentences one call each (the short path a sentence-by-sentence caller takes).
    one_by_one: list[int] = []
    for a, b in bounds:
        one_by_one += model.tag_document(tagged.rows[a:b], tagged.surfaces[a:b], [(0, b - a)], gaz).tolist()
    assert one_by_one == expected


def test_gazetteer_match_is_longest_first_non_overlapping_and_bounded() -> None:
    g = nf.Gazetteer()
    g.add(["東京"], "location")
    g.add(["東京", "国立", "博物館"], "facility")
    g.add(["博物館", "通り"], "location")
    s = ["は", "東京", "国立", "博物館", "通り", "と", "東京", "駅"]
    assert g.match(s) == [(1, 4, "facility"), (6, 7, "location")]
    # within a sentence s[2:8]: positions stay those of s, nothing crosses the bounds
    assert g.match(s, 2, 8) == [(3, 5, "location"), (6, 7, "location")]
    assert g.match(s, 0, 3) == [(1, 2, "location")]
    # a different segmentation that joins to the same name still matches
    assert g.match(["東京", "国立博物館"]) == [(0, 2, "facility")]


def test_forgetting_the_vocabulary_between_documents_changes_nothing(model_and_bias) -> None:
    """A long batch resets the per-morpheme tables when they grow past a limit; the
    rows are reused, so a document tagged after the reset must get the same labels."""
    model, _ = model_and_bias
    gaz = ent._wiki_gazetteer()
    first, second = _documents()[0], _documents()[-1]

    def labels(text: str) -> list[int]:
        tagged = ent._tag_raw(list(tag_chunks(text)), model)
        return model.tag_document(tagged.rows, tagged.surfaces, ent._sequences(text, tagged), gaz).tolist()

    before = labels(second)
    labels(first)
    model.forget_if_full(limit=1)
    assert not model.entries
    assert labels(second) == before


def test_empty_sentences_and_one_morpheme_sentences(model_and_bias) -> None:
    model, _ = model_and_bias
    tagged = ent._tag_raw(list(tag_chunks("東京。大阪。")), model)
    n = len(tagged.rows)
    assert model.tag_document(tagged.rows[:0], [], [], None).tolist() == []
    whole = model.tag_document(tagged.rows, tagged.surfaces, [(0, 0), (0, 2), (2, 2), (2, n)], None).tolist()
    apart = model.tag_document(tagged.rows[:2], tagged.surfaces[:2], [(0, 2)], None).tolist() + \
        model.tag_document(tagged.rows[2:], tagged.surfaces[2:], [(0, n - 2)], None).tolist()
    assert whole == apart
    assert len(model.tag_document(tagged.rows[:1], tagged.surfaces[:1], [(0, 1)], None)) == 1
