"""Word clusters for the entity CRF (``ner_features.word_clusters`` / ``clusters_of`` /
``cluster_features``) and the shipped table ``extract/data/ner_clusters.tsv``.

``tests/cases/ner_clusters.jsonl``: groups of words of one kind; ``expected`` says at
which level (0 = 64 clusters, 1 = 256, 2 = 1024) at least ``min_share`` of the group
falls in one cluster. A table with shuffled or misaligned columns fails them (chance
agreement at 64 clusters is ~2 %)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import case_id, load_cases
from ja_article_tools.extract import ner_features as nf
from ja_article_tools.tokens import tag_chunks

CASES = load_cases("ner_clusters.jsonl")
LEVEL_SIZES = (64, 256, 1024, 20000)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_group_shares_a_cluster(case: dict) -> None:
    level = case["expected"]["level"]
    ids = [nf.clusters_of(w) for w in case["input"]]
    assert all(c is not None for c in ids), [w for w, c in zip(case["input"], ids) if c is None]
    top = Counter(c[level] for c in ids).most_common(1)[0][1]  # type: ignore[index]
    assert top / len(ids) >= case["expected"]["min_share"], ids


def test_kinds_do_not_share_a_cluster() -> None:
    """Cities and electronics makers fall in different coarse clusters."""
    city = Counter(nf.clusters_of(w)[0] for w in ("大阪", "京都", "名古屋")).most_common(1)[0][0]  # type: ignore[index]
    maker = Counter(nf.clusters_of(w)[0] for w in ("ソニー", "日立", "東芝")).most_common(1)[0][0]  # type: ignore[index]
    assert city != maker


def test_shipped_table_is_well_formed() -> None:
    path = nf.CLUSTERS_PATH
    assert path.stat().st_size < 3_500_000
    table = nf.word_clusters()
    assert len(table) > 50_000
    for word, joined in list(table.items())[::997]:
        assert word and "\t" not in word and " " not in word
        ids = joined.split("\t")
        assert len(ids) == len(LEVEL_SIZES)
        assert all(0 <= int(k) < size for k, size in zip(ids, LEVEL_SIZES)), (word, ids)


def test_loader_reads_a_table(tmp_path: Path) -> None:
    p = tmp_path / "clusters.tsv"
    p.write_text("# header\tignored\nテスト\t1\t2\t3\t4\n空\n犬\t5\t6\t7\t8\n", encoding="utf-8")
    assert nf.word_clusters(p) == {"テスト": "1\t2\t3\t4", "犬": "5\t6\t7\t8"}
    assert nf.word_clusters(tmp_path / "absent.tsv") == {}
    assert nf.word_clusters() is nf.word_clusters()  # the shipped table, loaded once


def test_lookup_normalises_width_and_case() -> None:
    assert nf.clusters_of("ＰＹＴＨＯＮ") == nf.clusters_of("python") is not None
    assert nf.clusters_of("ｘｘｘ存在しない語ｘｘｘ") is None


def _morph(surface: str, lemma: str | None = None, goshu: str = "固") -> nf.Morph:
    return nf.Morph(surface, 0, len(surface), surface, ("名詞", "固有名詞", "一般", "*"), lemma or surface, goshu)


def test_cluster_features_of_a_known_word() -> None:
    own, near = nf.cluster_features(_morph("ソニー"))
    c = nf.clusters_of("ソニー")
    assert c is not None
    assert own[:4] == ["ka=" + c[0], "kb=" + c[1], "kc=" + c[2], "kr=" + c[3]]
    assert "lkc=" + c[2] in own  # lemma equal to the surface: same clusters
    assert near == ["kb=" + c[1], "kc=" + c[2]]


def test_cluster_features_of_unknown_and_symbol() -> None:
    own, near = nf.cluster_features(_morph("ｘｘｘ存在しない語ｘｘｘ", goshu="unk"))
    assert own == ["k=none"] and near == []
    assert nf.cluster_features(_morph("。")) == ([], [])


def test_lemma_with_origin_uses_the_lemma() -> None:
    """UniDic's lemma carries the loanword origin (コンピューター-computer)."""
    own, _ = nf.cluster_features(_morph("コンピュータ", "コンピューター-computer"))
    c = nf.clusters_of("コンピューター")
    assert c is not None and "lkc=" + c[2] in own


def test_chunk_head_cluster_reaches_every_chunk_member() -> None:
    surfaces = ["国立", "博物", "館", "を", "見"]
    nominal = [True, True, True, False, False]
    head = nf.clusters_of("館")
    assert head is not None
    feats = nf.context_features(surfaces, nominal, None)
    for i in range(3):
        assert (i, "chkc=" + head[2]) in feats
    assert not any(i >= 3 and f.startswith("chk") for i, f in feats)


# ---------------------------------------------------------------------- IPAdic proper nouns


def test_ipadic_loader_reads_a_table(tmp_path: Path) -> None:
    p = tmp_path / "ipadic.tsv"
    p.write_text("# header\nテスト 株式 会社\torg\n架空 村\tplace|name\n壊れた行\n", encoding="utf-8")
    g = nf.ipadic_gazetteer(p)
    assert g.entries == {"テスト株式会社": "org", "架空村": "place|name"}
    assert g.match(["これ", "は", "テスト", "株式", "会社", "と", "架空", "村"]) == [(2, 5, "org"), (6, 8, "place|name")]
    assert nf.ipadic_gazetteer(tmp_path / "absent.tsv").entries == {}


def test_shipped_ipadic_table_is_well_formed() -> None:
    assert nf.IPADIC_PATH.stat().st_size < 2_500_000
    g = nf.ipadic_gazetteer()
    assert len(g.entries) > 50_000
    labels = {"org", "place", "person", "name"}
    for key, label in list(g.entries.items())[::499]:
        assert key and set(label.split("|")) <= labels, (key, label)


def test_ipadic_features_mark_a_multi_morpheme_name() -> None:
    """トヨタ自動車 is one organisation in IPAdic and three morphemes in UniDic: every
    morpheme gets the hit, the particles around it nothing."""
    surfaces = [c[0] for c in tag_chunks("昨日、トヨタ自動車が発表した")]
    i = surfaces.index("トヨタ")
    hits = [(k, f) for k, f in nf.context_features(surfaces, [False] * len(surfaces), None) if f.startswith("ip")]
    assert (i, "ipB=org") in hits
    j = i + 1
    while (j, "ipI=org") in hits:
        j += 1
    assert "".join(surfaces[i:j]) == "トヨタ自動車"
    assert not any(k < i or k >= j for k, _ in hits), hits
