from datetime import timedelta

import pytest
from django.utils import timezone

from offers import services
from offers.search import terms
from offers.selectors import SearchParams, search_offers
from tests.factories import FicheFactory
from tests.offers.factories import CanonicalOfferFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(communes, fake_coder):
    FicheFactory(code="D1102", label="Boulangerie - viennoiserie", parent_code="D1102")
    ft = SourceFactory(name="francetravail", label="France Travail")
    region = SourceFactory(name="region", label="Région")
    now = timezone.now()
    services.import_records(
        source=ft,
        records=[
            CanonicalOfferFactory(
                source_id="1",
                title="BOULANGERS (H/F)",
                employer_name="Fournil A",
                commune_code="80021",
                contract_type="CDI",
                published_at=now - timedelta(days=2),
            ),
            CanonicalOfferFactory(
                source_id="2",
                title="Boulangère de nuit",
                employer_name="Fournil B",
                commune_code="80001",
                contract_type="CDD",
                published_at=now - timedelta(days=20),
            ),
            CanonicalOfferFactory(
                source_id="3",
                title="Agent d'entretien des espaces verts",
                description="Tonte et taille",
                employer_name="Mairie",
                commune_code="59350",
                contract_type="CDD",
                rome_code="A1203",
                published_at=now - timedelta(days=1),
            ),
            CanonicalOfferFactory(
                source_id="4",
                title="Vendeuse en pâtisserie",
                description="Vente de gâteaux",
                employer_name="Pâtisserie C",
                commune_code="75056",
                contract_type="INTERIM",
                rome_code="D1106",
                published_at=now - timedelta(days=40),
            ),
        ],
    )
    services.import_records(
        source=region,
        records=[
            CanonicalOfferFactory(
                source="region",
                source_id="R1",
                title="Boulanger tourier",
                employer_name="Fournil D",
                commune_code="80021",
                contract_type="ALTERNANCE",
                published_at=now - timedelta(days=5),
            )
        ],
    )


def titles(result):
    return [o.title for o in result.items]


def test_terms_fold_accents_plurals_and_feminine_forms():
    assert terms("Boulangères") == terms("BOULANGER") == ["boulanger"]
    assert terms("Vendeuses") == ["vendeur"] and terms("animatrice") == ["animateur"]
    assert terms("Techniciennes de l'hôpital") == ["technicien", "hopital"]


def test_full_text_in_french(pool):
    assert sorted(titles(search_offers(SearchParams(q="boulangère")))) == [
        "BOULANGERS (H/F)",
        "Boulanger tourier",
        "Boulangère de nuit",
    ]
    assert titles(search_offers(SearchParams(q="pâtisseries"))) == ["Vendeuse en pâtisserie"]
    assert titles(search_offers(SearchParams(q="GATEAU"))) == ["Vendeuse en pâtisserie"]  # description words
    assert titles(search_offers(SearchParams(q="boulanger nuit"))) == ["Boulangère de nuit"]  # every word
    assert search_offers(SearchParams(q="plombier")).total == 0
    assert search_offers(SearchParams(q="   ,;")).total == 5  # no usable word: no text filter


def test_filters(pool):
    assert search_offers(SearchParams(contract=["CDD"])).total == 2
    assert search_offers(SearchParams(contract=["CDD", "CDI"])).total == 3
    assert titles(search_offers(SearchParams(departement="59"))) == ["Agent d'entretien des espaces verts"]
    assert search_offers(SearchParams(bassin="3202")).total == 3
    assert search_offers(SearchParams(rome="D1102")).total == 3
    assert search_offers(SearchParams(source=["region"])).total == 1
    assert search_offers(SearchParams(published_within_days=7)).total == 3
    assert search_offers(SearchParams(commune="80021")).total == 2  # no radius: the commune itself


def test_radius_and_distance_sort(pool):
    result = search_offers(SearchParams(commune="80021", radius_km=60, sort="distance"))
    assert titles(result)[:2] == ["Boulanger tourier", "BOULANGERS (H/F)"] or titles(result)[:2] == [
        "BOULANGERS (H/F)",
        "Boulanger tourier",
    ]
    assert titles(result)[2] == "Boulangère de nuit"  # Abbeville, ~40 km
    assert [round(o.distance_km) for o in result.items] == [0, 0, 40]
    assert search_offers(SearchParams(commune="80021", radius_km=30)).total == 2
    assert (
        search_offers(SearchParams(commune="80021", radius_km=150)).total == 5
    )  # Paris ~115 km, Lille ~100 km
    assert (
        search_offers(SearchParams(q="boulanger", commune="80021", radius_km=30, contract=["CDI"])).total == 1
    )


def test_sort_date_relevance_facets_and_pagination(pool):
    by_date = search_offers(SearchParams(sort="date"))
    assert titles(by_date)[0] == "Agent d'entretien des espaces verts"
    result = search_offers(SearchParams(q="boulanger"))
    assert result.sort == "relevance" and result.total == 3
    facets = {name: {f.value: f.count for f in values} for name, values in result.facets.items()}
    assert facets["contract"] == {"CDI": 1, "CDD": 1, "ALTERNANCE": 1}
    assert facets["source"] == {"francetravail": 2, "region": 1}
    assert facets["departement"] == {"80": 3}
    assert facets["published"]["7"] == 2
    page2 = search_offers(SearchParams(per_page=2, page=2, sort="date"))
    assert (page2.total, page2.pages, len(page2.items)) == (5, 3, 2)
    assert titles(page2) == titles(by_date)[2:4]


def test_closed_offers_are_not_found(pool):
    from offers.models import Source

    services.close_missing(source=Source.objects.get(name="region"), seen_ids=set())
    assert search_offers(SearchParams(q="tourier")).total == 0
    assert search_offers(SearchParams(q="tourier", include_closed=True)).total == 1
