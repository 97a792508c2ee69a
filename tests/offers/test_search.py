from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from offers import services
from offers.models import Offer
from offers.search import terms
from offers.selectors import SearchParams, search_offers
from tests.factories import FicheFactory
from tests.offers.factories import CanonicalOfferFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["index", "database"])
def either_path(request, settings):
    """The same contract from the search index (offers.search_index) and from the databases' full-text
    indexes."""
    settings.OFFERS_SEARCH_INDEX = request.param == "index"
    return request.param


@pytest.fixture
def database_path(settings):
    """The database search alone: its bounded contract (MATCHES_READ) does not apply to the index."""
    settings.OFFERS_SEARCH_INDEX = False


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


def test_full_text_in_french(pool, either_path):
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


def test_filters(pool, either_path):
    assert search_offers(SearchParams(contract=["CDD"])).total == 2
    assert search_offers(SearchParams(contract=["CDD", "CDI"])).total == 3
    assert titles(search_offers(SearchParams(departement="59"))) == ["Agent d'entretien des espaces verts"]
    assert search_offers(SearchParams(bassin="3202")).total == 3
    assert search_offers(SearchParams(rome="D1102")).total == 3
    assert search_offers(SearchParams(source=["region"])).total == 1
    assert search_offers(SearchParams(published_within_days=7)).total == 3
    assert search_offers(SearchParams(commune="80021")).total == 2  # no radius: the commune itself


def test_radius_and_distance_sort(pool, either_path):
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


def test_sort_date_relevance_facets_and_pagination(pool, either_path):
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


def test_closed_offers_are_not_found(pool, either_path):
    from offers.models import Source

    services.close_missing(source=Source.objects.get(name="region"), seen_ids=set())
    assert search_offers(SearchParams(q="tourier")).total == 0
    assert search_offers(SearchParams(q="tourier", include_closed=True)).total == 1


@pytest.fixture
def bakery_word_in_a_description(pool, fake_coder):
    """The most recent offer of the pool holds "boulanger" in its description only."""
    services.import_records(
        source=SourceFactory(name="mairie", label="Mairie"),
        records=[
            CanonicalOfferFactory(
                source="mairie",
                source_id="M1",
                title="Vendeur en boutique",
                description="Pain du boulanger du quartier",
                employer_name="Épicerie",
                commune_code="80021",
                published_at=timezone.now(),
            )
        ],
    )


def test_relevance_puts_title_matches_first_then_the_most_recent(bakery_word_in_a_description, either_path):
    result = search_offers(SearchParams(q="boulanger"))
    # Title matches by date (2, 5 and 20 days old), then the newest offer holding the word in its description.
    assert titles(result) == [
        "BOULANGERS (H/F)",
        "Boulanger tourier",
        "Boulangère de nuit",
        "Vendeur en boutique",
    ]
    assert result.total_is_exact


@pytest.mark.parametrize("q", ["", "boulanger"])
def test_beyond_the_matches_read_date_pages_are_those_of_an_exact_sort(
    bakery_word_in_a_description, database_path, monkeypatch, q
):
    from offers import selectors

    exact = titles(search_offers(SearchParams(q=q, sort="date", per_page=10)))
    monkeypatch.setattr(selectors, "MATCHES_READ", 2)
    pages = [search_offers(SearchParams(q=q, sort="date", per_page=1, page=page)) for page in (1, 2)]
    assert not any(page.total_is_exact for page in pages)
    assert [titles(page) for page in pages] == [exact[:1], exact[1:2]]


def test_first_matches_by_date_are_found_since_a_date_already_read(bakery_word_in_a_description):
    from offers import selectors

    queryset = Offer.objects.filter(status=Offer.Status.OPEN)
    exact = list(
        selectors._with_published(selectors._by_date(queryset)).values_list("pk", "title", "published")
    )
    for read in (exact[:2], exact[-2:], exact[::-1], exact[:1]):  # the newest, the oldest, all, too few
        assert selectors._first_by_date(queryset, count=2, read=read) == exact[:2], read


def test_beyond_the_matches_read_the_count_is_a_lower_bound_and_pages_stay_ordered(
    bakery_word_in_a_description, database_path, monkeypatch
):
    from offers import selectors

    everything = search_offers(SearchParams(sort="date"))
    assert everything.total == 6 and everything.total_is_exact
    monkeypatch.setattr(selectors, "MATCHES_READ", 3)
    monkeypatch.setattr(selectors, "RELEVANCE_CANDIDATES", 2)
    capped = search_offers(SearchParams(sort="date", per_page=2))
    assert (capped.total, capped.total_is_exact, capped.pages) == (3, False, 2)
    assert sum(f.count for f in capped.facets["contract"]) == 3  # facets describe the offers read
    assert titles(capped) == titles(everything)[:2]
    assert titles(search_offers(SearchParams(sort="date", per_page=2, page=2))) == titles(everything)[2:3]
    assert search_offers(SearchParams(sort="date", per_page=2, page=3)).items == []
    # Relevance ranks the 2 most recent matches by their title words, then goes on by date.
    relevance = search_offers(SearchParams(q="boulanger", per_page=3))
    assert not relevance.total_is_exact
    assert titles(relevance) == ["BOULANGERS (H/F)", "Vendeur en boutique", "Boulanger tourier"]
    # Nearest first, found in an inner share of the radius.
    nearest = search_offers(SearchParams(commune="80021", radius_km=150, sort="distance", per_page=3))
    assert not nearest.total_is_exact
    assert [round(o.distance_km) for o in nearest.items] == [0, 0, 0]
    assert titles(nearest)[0] == "Vendeur en boutique"  # the same distance: the most recent first


def test_dates_read_as_seconds_are_exact_to_the_microsecond(pool):
    from offers import selectors

    offer = Offer.objects.order_by("pk").first()
    moment = datetime(2025, 3, 9, 15, 29, 0, 123456, tzinfo=UTC)
    Offer.objects.filter(pk=offer.pk).update(published_at=moment)
    read = selectors._with_published(Offer.objects.filter(pk=offer.pk)).values_list("published", flat=True)
    assert read.get() == moment.timestamp()
