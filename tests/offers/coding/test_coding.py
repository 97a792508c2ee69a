import json
import pickle

import numpy as np
import pytest

from core.text import fast_fold, fold
from offers import coding
from offers.coding.examples import example_from_francetravail, read_francetravail_examples
from offers.coding.model import title_chars
from offers.coding.referential import load_referential


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Boulanger (H/F)", "D1102"),
        ("Aide-soignante de nuit", "J1501"),
        ("Chauffeur poids lourd H/F", "N4101"),
        ("Développeur Java confirmé", "M1805"),
        ("Data engineer", "M1805"),  # the ROME 4.0 child fiche M1811 rolls up to M1805
        ("Agent d'entretien des locaux", "K2204"),
        ("Serveuse en restauration", "G1803"),
        ("Maçon coffreur", "F1703"),
    ],
)
def test_known_titles_map_to_their_family(small_coder, title, family):
    [candidates] = coding.classify([{"title": title, "description": ""}], coder=small_coder)
    assert small_coder.family(candidates[0][0]) == family


def test_description_decides_when_the_title_is_vague(small_coder):
    [candidates] = coding.classify(
        [
            {
                "title": "Employé polyvalent",
                "description": "Dresser les tables, servir les plats en salle au restaurant.",
            }
        ],
        coder=small_coder,
    )
    assert small_coder.family(candidates[0][0]) == "G1803"


def test_candidates_are_distinct_families_best_first_with_calibrated_scores(small_coder):
    [candidates] = coding.classify(
        [{"title": "Boulanger", "description": "Pétrir et cuire le pain"}], top_k=5, coder=small_coder
    )
    assert len(candidates) == 5
    scores = [score for _, score in candidates]
    assert scores == sorted(scores, reverse=True)
    assert 0 < sum(scores) <= 1.0001
    assert len({small_coder.family(code) for code, _ in candidates}) == 5
    assert candidates[0][0] == "D1102"


def test_a_precise_title_gets_more_confidence_than_a_vague_one(small_coder):
    precise, vague = coding.classify(
        [
            {"title": "Ouvrier boulanger", "description": "Pétrir la pâte et cuire les pains au four"},
            {"title": "Employé", "description": ""},
        ],
        coder=small_coder,
    )
    assert precise[0][1] > vague[0][1]
    assert coding.is_confident(precise, coder=small_coder) or precise[0][1] > 0.5
    assert not coding.is_confident(vague, coder=small_coder)


def test_skills_and_appellation_label_help_the_model(small_coder):
    [plain] = coding.classify([{"title": "Équipier", "description": ""}], coder=small_coder)
    [helped] = coding.classify(
        [
            {
                "title": "Équipier",
                "description": "",
                "appellation": "Maçon coffreur",
                "skills": ["Couler une dalle"],
            }
        ],
        coder=small_coder,
    )
    assert small_coder.family(helped[0][0]) == "F1703"
    assert helped[0][1] > dict(plain).get(helped[0][0], 0)


def test_training_is_deterministic(small_data_dir, tmp_path):
    items = [
        {"title": title, "description": ""} for title in ("Boulanger", "Cariste", "Développeur", "Serveur")
    ]
    first = coding.train_and_save(tmp_path / "a.pkl", small_data_dir, seed=3)
    second = coding.train_and_save(tmp_path / "b.pkl", small_data_dir, seed=3)
    assert first.classify(items) == second.classify(items)
    assert coding.load(tmp_path / "a.pkl").classify(items) == first.classify(items)
    assert first.threshold == second.threshold and first.temperature == second.temperature


def test_load_or_build_builds_once_then_loads(small_data_dir, tmp_path):
    path = tmp_path / "models" / "rome.pkl"
    built = coding.load_or_build(path, small_data_dir)
    assert path.exists()
    modified = path.stat().st_mtime_ns
    loaded = coding.load_or_build(path, small_data_dir)
    assert path.stat().st_mtime_ns == modified
    item = [{"title": "Maçon", "description": "murs en parpaing"}]
    assert loaded.classify(item) == built.classify(item)


def test_a_foreign_file_is_refused(tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(b"\x80\x04K\x01.")  # pickle of the integer 1
    with pytest.raises(ValueError, match="not a ROME coder model"):
        coding.load(path)


def test_extra_examples_teach_the_model(small_data_dir):
    item = [{"title": "Pizzaiolo", "description": "Préparer et cuire les pizzas au feu de bois"}]
    extra = [
        {"title": "Pizzaiolo H/F", "description": "Cuire les pizzas au feu de bois", "rome_code": "D1102"},
        {"title": "Pizzaiolo confirmé", "description": "Préparer la pâte à pizza", "rome_code": "D1102"},
    ]
    taught = coding.train(small_data_dir, extra_examples=extra)
    assert taught.family(taught.classify(item)[0][0][0]) == "D1102"


def test_classify_records_gives_the_command_output_shape(small_coder):
    records = [
        {
            "id": "FT1",
            "intitule": "Chauffeur poids lourd (H/F)",
            "description": "Livraisons régionales",
            "competences": [{"libelle": "Conduire un poids lourd"}],
            "romeCode": "N4101",
        },
        {"id": "X2", "title": "Serveur", "description": "Service en salle"},
        {"id": "X3", "title": "", "description": ""},
    ]
    results = coding.classify_records(records, coder=small_coder)
    assert [r["id"] for r in results] == ["FT1", "X2", "X3"]
    assert results[0]["rome_code"] == "N4101"
    assert results[1]["rome_code"] == "G1803"
    for result in results[:2]:
        assert set(result) == {"id", "rome_code", "candidates"}
        assert len(result["candidates"]) >= 5
        assert result["candidates"][0]["rome_code"] == result["rome_code"]
        assert all(set(c) == {"rome_code", "score"} for c in result["candidates"])
        json.dumps(result)
    assert results[2] == {"id": "X3", "rome_code": None, "candidates": [], "error": "no title or description"}


def test_source_code_disagreement(small_coder):
    [candidates] = coding.classify(
        [{"title": "Boulanger", "description": "Pétrir et cuire le pain"}], coder=small_coder
    )
    small_coder_threshold = small_coder.threshold
    small_coder.threshold = 0.0  # make the model "confident" for this check
    try:
        assert coding.strongly_disagrees("F1703", candidates[:1], coder=small_coder)
        assert not coding.strongly_disagrees("D1102", candidates, coder=small_coder)
        assert not coding.strongly_disagrees("", candidates, coder=small_coder)
    finally:
        small_coder.threshold = small_coder_threshold


def test_v3_coded_offers_are_refined_through_their_appellation(small_data_dir):
    referential = load_referential(small_data_dir)
    index = {"ingenieur ingenieure donnees": "M1811"}
    example = example_from_francetravail(
        {
            "intitule": "Ingénieur données",
            "romeCode": "M1805",
            "appellationlibelle": "Ingénieur / Ingénieure données",
        },
        referential,
        index,
    )
    assert example["rome_code"] == "M1811"
    assert example_from_francetravail({"intitule": "x", "romeCode": "Z9999"}, referential, index) is None
    assert (
        len(
            read_francetravail_examples(
                small_data_dir / "offers" / "francetravail_offers_dev.jsonl", referential
            )
        )
        == 16
    )


def test_fast_fold_agrees_with_core_fold():
    for text in (
        "Aide-soignant(e) H/F",
        "Cœur de métier : ÉLECTRICIEN",
        "Préparateur/Préparatrice – Lyon 2ème",
    ):
        assert fast_fold(text).split() == fold(text).split()
    assert title_chars("ab") == [" a", "ab", "b ", " ab", "ab ", " ab "]


def test_vectorize_gives_unit_rows(small_coder):
    features = small_coder.vectorize(["boulanger", "", "macon"], ["petrir la pate", "cuire", ""])
    norms = np.sqrt(np.asarray(features.multiply(features).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0, atol=1e-5)


@pytest.mark.real_data
def test_quality_floor_on_real_offers_held_out_by_title_and_employer(settings):
    """One fold of the bench's cross-validation (bench/offers_coding_quality.py gives the five-fold figures)."""
    from pathlib import Path

    from sklearn.model_selection import GroupKFold

    from offers.coding.examples import OFFERS_FILE
    from offers.coding.model import DEFAULT_TEMPERATURE, _fit

    data_dir = Path(settings.DATA_DIR)
    if not (data_dir / OFFERS_FILE).exists():
        pytest.skip("DATA_DIR has no coded France Travail offers")
    referential = load_referential(data_dir)
    examples = read_francetravail_examples(data_dir / OFFERS_FILE, referential)
    train_index, test_index = next(GroupKFold(5).split(examples, groups=[e["group"] for e in examples]))
    coder = _fit(
        referential,
        [examples[i] for i in train_index],
        temperature=DEFAULT_TEMPERATURE,
        threshold=1.0,
        info={},
    )
    test = [examples[i] for i in test_index]
    top1 = top3 = 0
    for example, candidates in zip(test, coder.classify(test, top_k=3), strict=True):
        families = [coder.family(code) for code, _ in candidates]
        top1 += families[0] == coder.family(example["rome_code"])
        top3 += coder.family(example["rome_code"]) in families
    assert top1 / len(test) >= 0.85
    assert top3 / len(test) >= 0.93
    # Occupations far from the IT-heavy sample are coded from the referential.
    titles = {
        "Auxiliaire de vie": "K1302",
        "Maçon": "F1703",
        "Boulanger": "D1102",
        "Infirmier de bloc opératoire": "J1504",
    }
    ranked = coder.classify([{"title": title, "description": ""} for title in titles], top_k=3)
    for (title, family), candidates in zip(titles.items(), ranked, strict=True):
        assert family in [coder.family(code) for code, _ in candidates], (title, candidates)


def test_load_or_build_rebuilds_a_file_of_another_version(small_data_dir, tmp_path):
    path = tmp_path / "rome.pkl"
    path.write_bytes(pickle.dumps({"version": 0, "model": None}))
    coder = coding.load_or_build(path, small_data_dir)
    assert coder.classify([{"title": "Maçon", "description": ""}])[0][0][0] == "F1703"
    assert coding.load(path).codes == coder.codes


class _OlderLayout:
    """Stands for a model class whose pickled state this code can no longer restore."""

    def __getstate__(self):
        return (None, {"codes": []})  # what a slots dataclass pickled before it had its own __getstate__

    def __setstate__(self, state):
        state.items()  # AttributeError, as the current RomeCoder on such a file


@pytest.mark.parametrize(
    "content",
    [
        b"",  # an empty file (a copy cut short)
        b"not a pickle",
        pickle.dumps({"version": 0, "model": None})[:-5],  # truncated
        pickle.dumps({"version": 5, "model": _OlderLayout()}),  # fails inside the model's own class
    ],
    ids=["empty", "garbage", "truncated", "older-layout"],
)
def test_load_or_build_rebuilds_a_file_it_cannot_read(small_data_dir, tmp_path, content):
    path = tmp_path / "rome.pkl"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="rebuild it"):
        coding.load(path)
    coder = coding.load_or_build(path, small_data_dir)
    assert coding.load(path).codes == coder.codes


def test_fast_fold_drops_accents_and_separates_words_on_any_other_character():
    assert fast_fold("Cœur de MÉTIER : Électricien(ne)") == "coeur de metier   electricien ne "
    assert fast_fold("l’équipe d’Ætna – 2ème").split() == ["l", "equipe", "d", "aetna", "2eme"]
    assert fast_fold("ﬁbre optique\u00a0H/F").split() == ["fibre", "optique", "h", "f"]
    assert fast_fold("") == ""


def _reference_family_scores(coder, titles, descriptions):
    """The model's scores written plainly with scipy and numpy, to check the compiled kernel against."""
    from offers.coding import model

    features = coder.vectorize(titles, descriptions)
    fiches = len(coder.codes)
    similarity = (features @ coder.similarity.to_csr()).toarray()
    scores = similarity[:, :fiches].astype(np.float64)
    words = features[:, : len(coder.word_ids)]
    norms = np.sqrt(np.asarray(words.multiply(words).sum(axis=1))).ravel()
    appellations = (words @ coder.appellations.to_csr()).toarray() / np.maximum(norms, 1e-12)[:, None]
    for fiche in range(fiches):
        columns = coder.appellation_fiches == fiche
        if columns.any():
            scores[:, fiche] += model.APPELLATION_WEIGHT * appellations[:, columns].max(axis=1)
    neighbours = similarity[:, fiches:]
    for row in range(len(titles)):
        nearest = np.argsort(-neighbours[row], kind="stable")[: model.NEIGHBOURS]
        for example in nearest:
            scores[row, coder.neighbour_fiches[example]] += (
                model.NEIGHBOUR_WEIGHT * neighbours[row, example] ** model.NEIGHBOUR_POWER
            )
    family_scores = np.maximum.reduceat(scores, coder.family_starts, axis=1)
    return (family_scores + model.EVIDENCE_FLOOR) * (
        1 + model.FAMILY_PRIOR_WEIGHT * coder.family_prior
    ), scores


@pytest.mark.parametrize(
    "dense_share, min_offers",
    [(0.0, 1), (1 / 8, 1), (2.0, 1), (1 / 8, 6)],
    ids=["all-dense", "long-rows-dense", "none-dense", "too-few-offers-for-the-product"],
)
def test_compiled_scores_match_the_plain_formula(small_coder, monkeypatch, dense_share, min_offers):
    from offers.coding import model

    monkeypatch.setattr(model, "DENSE_ROW_SHARE", dense_share)
    monkeypatch.setattr(model, "DENSE_MIN_OFFERS", min_offers)
    monkeypatch.setattr(small_coder, "_dense_similarity", None)
    dense_rows = len(small_coder.dense_similarity()[1])
    filled_rows = int((np.diff(small_coder.similarity.indptr) > 0).sum())
    assert dense_rows == {0.0: filled_rows, 2.0: 0}.get(dense_share, dense_rows)
    assert dense_share != 1 / 8 or 0 < dense_rows < filled_rows
    titles = [fast_fold(t) for t in ("Boulanger H/F", "Développeur Java", "Employé", "", "Maçon coffreur")]
    descriptions = [
        fast_fold(d) for d in ("Pétrir la pâte", "", "Servir les plats en salle", "Nettoyer les sols", "")
    ]
    family_scores, best_fiches = small_coder.scores(small_coder.features(titles, descriptions))
    expected, fiche_scores = _reference_family_scores(small_coder, titles, descriptions)
    assert np.allclose(family_scores, expected, atol=1e-5)
    rows = np.arange(len(titles))[:, None]
    assert np.allclose(
        fiche_scores[rows, best_fiches],
        np.maximum.reduceat(fiche_scores, small_coder.family_starts, axis=1),
        atol=1e-5,
    )


def test_without_any_evidence_the_family_prior_orders_the_candidates(small_coder):
    # The prior multiplies the evidence; the evidence floor lets it decide when nothing in the text is known.
    [candidates] = small_coder.classify([{"title": "", "description": ""}], top_k=3)
    assert small_coder.family(candidates[0][0]) == "M1805"  # 4 coded offers, every other family 2


def test_one_offer_and_a_batch_get_the_same_candidates(small_coder):
    items = [
        {"title": "Boulanger", "description": "Pétrir et cuire le pain"},
        {"title": "Serveur", "description": "Service en salle"},
        {"title": "Cariste", "description": ""},
    ]
    batch = coding.classify(items, coder=small_coder)
    assert [coding.classify_one(item, coder=small_coder) for item in items] == batch


def test_classify_parallel_gives_the_single_process_results(small_coder, monkeypatch):
    from offers.coding import parallel

    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    items = [
        {"title": title, "description": description}
        for title, description in [
            ("Boulanger", "Pétrir et cuire le pain"),
            ("Chauffeur poids lourd", "Livraisons"),
            ("Serveuse", ""),
            ("Maçon", "Monter des murs"),
            ("Aide-soignante de nuit", "Soins d'hygiène"),
        ]
        * 3
    ]
    expected = coding.classify(items, coder=small_coder)
    assert coding.classify_parallel(items, coder=small_coder, workers=2) == expected
    assert coding.classify_parallel(items[:1], coder=small_coder, workers=2) == expected[:1]
    records = [{"id": str(i), **item} for i, item in enumerate(items)]
    results = coding.classify_records(records, coder=small_coder, workers=2)
    assert [r["rome_code"] for r in results] == [candidates[0][0] for candidates in expected]


def test_the_compiled_tokenizer_finds_the_words_a_dictionary_finds(small_coder):
    table = small_coder.description_words
    vocabulary = {
        bytes(table.terms[start:end]).decode("ascii"): table.first_id + number
        for number, (start, end) in enumerate(zip(table.term_starts[:-1], table.term_starts[1:], strict=True))
    }
    texts = [
        fast_fold("Pétrir la pâte, cuire les pains ; façonner les viennoiseries."),
        "",
        fast_fold("  servir   les plats  en salle  "),
        fast_fold("mot inconnu xyz petrirx petri"),
    ]
    row_starts, ids = table.lookup(texts)
    assert len(row_starts) == len(texts) + 1
    for row, text in enumerate(texts):
        expected = [vocabulary[word] for word in text.split() if word in vocabulary]
        assert ids[row_starts[row] : row_starts[row + 1]].tolist() == expected
    assert vocabulary  # the small referential gives the table some words
