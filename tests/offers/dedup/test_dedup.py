from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from offers import dedup
from offers.canonical import CanonicalOffer
from offers.dedup.keys import city_key, title_key

DAY = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TEXT = (
    "Au sein de notre atelier de Amiens, vous préparez les commandes des clients, contrôlez la qualité des "
    "produits, chargez les camions et tenez à jour les stocks dans notre logiciel de gestion. Horaires en "
    "journée du lundi au vendredi, travail en équipe de cinq personnes, formation assurée à l'arrivée."
)
OTHER_TEXT = (
    "Rejoignez une équipe dynamique pour accueillir la clientèle du restaurant, dresser les tables, "
    "servir les plats et encaisser les additions, le midi et le soir, week-ends compris, avec deux jours de "
    "repos consécutifs et une mutuelle prise en charge."
)


def offer(source="francetravail", source_id="1", **fields) -> CanonicalOffer:
    values = {
        "title": "Préparateur de commandes (H/F)",
        "description": TEXT,
        "employer_name": "Entrepôts du Nord",
        "commune_code": "80021",
        "postal_code": "80000",
        "commune_name": "Amiens",
        "latitude": 49.8942,
        "longitude": 2.2957,
        "contract_type": "CDI",
        "published_at": DAY,
    }
    values.update(fields)
    return CanonicalOffer(source=source, source_id=source_id, **values)


def groups(records) -> list[set[str]]:
    return sorted(
        (
            {f"{records[i].source}:{records[i].source_id}" for i in members}
            for members, _ in dedup.cluster(records)
        ),
        key=sorted,
    )


def test_repost_within_a_source_joins_its_job():
    first = offer(source_id="A1")
    repost = offer(source_id="A2", title="PREPARATEUR DE COMMANDES F/H", published_at=DAY + timedelta(days=9))
    assert groups([first, repost]) == [{"francetravail:A1", "francetravail:A2"}]


def test_same_job_from_another_source_joins_despite_its_shape():
    first = offer(source_id="A1")
    relayed = offer(
        source="jobboard",
        source_id="J1",
        title="Préparateur de commandes - Amiens",
        employer_name="ENTREPOTS DU NORD SAS",
        commune_code="",
        postal_code="80080",
        commune_name="AMIENS",
        latitude=None,
        longitude=None,
        contract_type="",
        description="Offre relayée par notre plateforme. " + TEXT,
    )
    assert groups([first, relayed]) == [{"francetravail:A1", "jobboard:J1"}]


def test_same_employer_and_title_at_another_site_is_another_job():
    amiens = offer(source_id="A1")
    abbeville = offer(
        source_id="A2",
        commune_code="80001",
        postal_code="80100",
        commune_name="Abbeville",
        latitude=50.1054,
        longitude=1.8352,
    )
    assert len(groups([amiens, abbeville])) == 2


def test_same_employer_and_title_under_another_contract_is_another_job():
    permanent = offer(source_id="A1")
    temporary = offer(source_id="A2", contract_type="INTERIM")
    assert len(groups([permanent, temporary])) == 2


def test_an_apprenticeship_filed_as_cdd_by_another_source_is_the_same_contract():
    apprenticeship = offer(source_id="A1", contract_type="ALTERNANCE")
    as_cdd = offer(source="region", source_id="R1", contract_type="CDD")
    assert len(groups([apprenticeship, as_cdd])) == 1


def test_siret_decides_over_the_spelling_of_the_employer_name():
    one = offer(source_id="A1", siret="73282932000074", siret_valid=True, employer_name="EDN Logistique")
    same = offer(source_id="A2", siret="73282932000074", siret_valid=True, employer_name="Entrepôts du Nord")
    other = offer(source_id="A3", siret="55208131766522", siret_valid=True, employer_name="EDN Logistique")
    assert groups([one, same, other]) == [{"francetravail:A1", "francetravail:A2"}, {"francetravail:A3"}]


def test_without_employer_the_description_and_the_day_must_match():
    named = offer(source_id="A1")
    anonymous_same_text = offer(source="region", source_id="R1", employer_name="")
    anonymous_other_text = offer(source="region", source_id="R2", employer_name="", description=OTHER_TEXT)
    anonymous_month_later = offer(
        source="region", source_id="R3", employer_name="", published_at=DAY + timedelta(days=20)
    )
    assert groups([named, anonymous_same_text, anonymous_other_text, anonymous_month_later]) == [
        {"francetravail:A1", "region:R1"},
        {"region:R2"},
        {"region:R3"},
    ]


def test_different_employers_are_different_jobs_even_with_the_same_text():
    one = offer(source_id="A1")
    other = offer(source_id="A2", employer_name="Boulangerie Martin")
    assert len(groups([one, other])) == 2


def test_an_anonymous_publication_does_not_bridge_two_employers():
    one = offer(source_id="A1", published_at=DAY)
    anonymous = offer(
        source="region", source_id="R1", employer_name="", published_at=DAY + timedelta(hours=2)
    )
    other = offer(source_id="A2", employer_name="Boulangerie Martin", published_at=DAY + timedelta(hours=4))
    result = groups([one, anonymous, other])
    assert {"francetravail:A1", "region:R1"} in result
    assert {"francetravail:A2"} in result


def test_same_title_in_paris_arrondissements_are_different_places():
    assert city_key("75009", "Paris 9e Arrondissement") == city_key("75009", "PARIS 09") == "75 paris 9"
    assert city_key("75006", "PARIS") == "75 paris 6"
    assert city_key("35400", "ST MALO") == city_key("35400", "Saint-Malo")
    assert city_key("97300", "973 - CAYENNE") == city_key("97300", "Cayenne") == "973 cayenne"
    ninth = offer(
        source_id="A1",
        commune_code="",
        postal_code="75009",
        commune_name="Paris 9e Arrondissement",
        latitude=None,
        longitude=None,
    )
    sixth = offer(
        source_id="A2",
        commune_code="",
        postal_code="75006",
        commune_name="PARIS",
        latitude=None,
        longitude=None,
    )
    assert len(groups([ninth, sixth])) == 2


def test_title_key_drops_gender_marks_commune_and_plurals():
    assert title_key("Agents de propreté (H/F) - Amiens", "AMIENS") == "agent de proprete"
    assert title_key("Ingénieur système - Paris 7", "Paris 7e Arrondissement") == "ingenieur systeme"


def test_incremental_batches_give_the_full_rebuild():
    records = [
        offer(source_id="A1", published_at=DAY),
        offer(source="jobboard", source_id="J1", employer_name="", published_at=DAY + timedelta(hours=3)),
        offer(source_id="A2", published_at=DAY + timedelta(days=3), title="Préparateur commandes H/F"),
        offer(source_id="B1", contract_type="CDD", published_at=DAY + timedelta(days=1)),
        offer(source="region", source_id="R1", contract_type="CDD", published_at=DAY + timedelta(days=1)),
        offer(
            source_id="C1",
            commune_code="80001",
            postal_code="80100",
            commune_name="Abbeville",
            latitude=50.1054,
            longitude=1.8352,
            published_at=DAY + timedelta(days=2),
        ),
        offer(
            source_id="D1",
            title="Serveur en restauration",
            description=OTHER_TEXT,
            employer_name="Le Bistrot",
            published_at=DAY + timedelta(days=4),
        ),
    ]
    index_full, full_ids = dedup.rebuild(records)
    order = dedup.time_order(records)
    index = dedup.DedupIndex()
    incremental_ids = {}
    for batch in (order[:2], order[2:5], order[5:]):
        for number, cluster_id in zip(batch, dedup.assign([records[i] for i in batch], index), strict=True):
            incremental_ids[number] = cluster_id
    final = [index.cluster_of(index.position[(r.source, r.source_id)]) for r in records]

    def partition(ids):
        return sorted(sorted(i for i in range(len(ids)) if ids[i] == c) for c in set(ids))

    assert partition(final) == partition(full_ids)
    assert partition(full_ids) == [[0, 1, 2], [3, 4], [5], [6]]
    # Cluster ids handed out earlier stay valid: the cluster keeps the id of its oldest member.
    assert all(final[i] == incremental_ids[i] for i in range(len(records)))


def test_assign_keeps_the_cluster_of_a_record_seen_before(tmp_path):
    index = dedup.DedupIndex()
    [first] = dedup.assign([offer(source_id="A1")], index)
    [again, repost] = dedup.assign([offer(source_id="A1", title="changed"), offer(source_id="A2")], index)
    assert again == first == repost
    path = index.save(tmp_path / "dedup.idx")
    loaded = dedup.DedupIndex.load(path)
    assert dedup.assign([offer(source="region", source_id="R1", employer_name="")], loaded) == [first]


def test_assign_incremental_joins_existing_offers_or_forms_new_groups():
    pool = [
        (41, offer(source_id="P1")),
        (41, offer(source="region", source_id="P2")),
        (
            42,
            offer(
                source_id="P3",
                title="Cariste H/F",
                employer_name="Transports Picards",
                description=OTHER_TEXT,
            ),
        ),
    ]
    batch = [
        offer(source="jobboard", source_id="J1", published_at=DAY + timedelta(days=1)),
        offer(source_id="N1", commune_code="80001", postal_code="80100", commune_name="Abbeville"),
        offer(
            source="region",
            source_id="N2",
            commune_code="80001",
            postal_code="80100",
            commune_name="Abbeville",
        ),
    ]
    result = dedup.assign_incremental(batch, pool)
    assert result[0].offer_id == 41
    assert result[0].signals["employer"] == 100
    assert result[1].offer_id is None and result[2].offer_id is None
    assert result[1].group == result[2].group != result[0].group


def test_explanations_say_which_signals_matched_in_french():
    first = offer(source_id="A1")
    repost = offer(
        source="region",
        source_id="R1",
        title="Préparateur de commandes",
        published_at=DAY + timedelta(days=2),
    )
    [(members, signals)] = dedup.cluster([first, repost])
    assert len(signals) == 1
    lines = dedup.explain(next(iter(signals.values())))
    assert "Même employeur" in lines
    assert "Même intitulé de poste" in lines
    assert "Même commune (code INSEE)" in lines
    assert "Même type de contrat (CDI)" in lines
    assert "Publiées à 2 jours d'intervalle" in lines
    assert any(line.startswith("Descriptions identiques") for line in lines)
    assert dedup.explain({}) == []


def test_canonical_values_take_the_best_filled_fields():
    sparse = offer(source_id="A1", description="Court.", latitude=None, longitude=None, salary_text="")
    full = replace(
        offer(source="region", source_id="R1", published_at=DAY + timedelta(days=1)),
        salary_min=1900.0,
        salary_max=2100.0,
        salary_period="MONTH",
        siret="73282932000074",
        siret_valid=True,
        url="https://example.org/offre",
    )
    values = dedup.canonical_values([sparse, full])
    assert values["description"] == TEXT
    assert (values["latitude"], values["longitude"]) == (49.8942, 2.2957)
    assert (values["salary_min"], values["salary_max"], values["salary_period"]) == (1900.0, 2100.0, "MONTH")
    assert values["siret"] == "73282932000074" and values["siret_valid"] is True
    assert values["published_at"] == DAY
    assert values["url"] == "https://example.org/offre"


@pytest.mark.real_data
def test_quality_bar_on_the_dev_files_through_the_connectors(settings):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from offers_dedup_quality import load_dev, scores

    folder = Path(settings.DATA_DIR) / "offers" / "dedup_dev"
    if not folder.exists():
        pytest.skip("DATA_DIR has no offers/dedup_dev")
    offers, truth = load_dev(folder)
    _, cluster_ids = dedup.rebuild(offers)
    result = scores(cluster_ids, [truth[(o.source, o.source_id)] for o in offers])
    assert result["f1"] >= 0.97, result
    assert result["precision"] >= 0.96 and result["recall"] >= 0.96, result


def test_naive_and_aware_dates_compare_and_missing_fields_do_not_break():
    aware = offer(source_id="A1")
    naive = offer(source="region", source_id="R1", published_at=datetime(2025, 3, 3, 10, 0))
    bare = CanonicalOffer(source="csv", source_id="X1")
    assert groups([aware, naive, bare]) == [{"csv:X1"}, {"francetravail:A1", "region:R1"}]


@pytest.mark.parametrize("block_size", [10, 300])  # rapidfuzz's list path and its matrix path
def test_title_prefilter_never_drops_a_pair_the_comparison_would_accept(block_size):
    import random

    from rapidfuzz import fuzz

    from offers.dedup.matching import TITLE_ORDER_MIN, close_titles

    words = [
        "agent",
        "entretien",
        "responsable",
        "commercial",
        "de",
        "technicien",
        "maintenance",
        "aide",
        "soignant",
        "chef",
        "equipe",
        "a",
    ]
    rng = random.Random(block_size)

    def title():
        return " ".join(rng.choice(words) for _ in range(rng.randrange(1, 5)))

    accepted_pairs = 0
    for _ in range(50):
        query, block = title(), [title() for _ in range(block_size)]
        block[rng.randrange(block_size)] = " ".join(reversed(query.split()))  # same words, another order
        kept = set(
            close_titles(" ".join(sorted(query.split())), [" ".join(sorted(t.split())) for t in block])
        )
        accepted = {
            i for i, other in enumerate(block) if fuzz.token_sort_ratio(query, other) >= TITLE_ORDER_MIN
        }
        assert accepted <= kept
        accepted_pairs += len(accepted)
    assert accepted_pairs >= 50  # not vacuous


def test_employer_prefilter_never_drops_a_pair_the_comparison_would_accept():
    from itertools import product

    from offers.dedup.keys import fingerprint
    from offers.dedup.matching import compare, employers_compatible

    employers = [
        "Entrepôts du Nord",
        "ENTREPOTS DU NORD SAS",
        "Entrepôts du Nord Amiens",
        "Transports Picards",
        "",
    ]
    sirets = [("", None), ("73282932000074", True), ("35600000000048", True), ("73282932000075", False)]
    accepted = 0
    for (employer_a, (siret_a, valid_a)), (employer_b, (siret_b, valid_b)) in product(
        product(employers, sirets), repeat=2
    ):
        a = fingerprint(offer(employer_name=employer_a, siret=siret_a, siret_valid=valid_a))
        b = fingerprint(offer(source_id="2", employer_name=employer_b, siret=siret_b, siret_valid=valid_b))
        if compare(a, b) is not None:
            accepted += 1
            assert employers_compatible(a.employer, a.siret, b.employer, b.siret), (employer_a, employer_b)
    assert accepted > 50  # not vacuous
    # and it does cut: two valid SIRETs that differ, two employers far apart
    assert not employers_compatible("entrepots nord", "73282932000074", "entrepots nord", "35600000000048")
    assert not employers_compatible("entrepots nord", "", "transports picards", "")
