"""The search index (offers.search_index): the same answers as the database search, kept current by the change
log, saved and reloaded, and set aside when it is too far behind."""

import json
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from offers import services
from offers.models import Offer, SearchChange, SearchDatabase
from offers.search import terms
from offers.search_index import store
from offers.selectors import SearchParams, search_offers
from tests.factories import FicheFactory
from tests.offers.factories import CanonicalOfferFactory, SourceFactory

pytestmark = pytest.mark.django_db

# "restaurant" and "restauration": two words that a French stemmer would make one; all three paths keep them apart.
WORDS = ["boulanger", "serveur", "vendeur", "cuisinier", "nuit", "jour", "chef", "restaurant", "restauration"]
PLACES = [("80021", 49.8942, 2.2957), ("80001", 50.1054, 1.8352), ("59350", 50.6311, 3.0468)]
CONTRACTS = ["CDI", "CDD", "INTERIM", "ALTERNANCE"]


def random_offers(rng: random.Random, count: int, *, source: str, now) -> list:
    offers = []
    for n in range(count):
        commune, latitude, longitude = rng.choice(PLACES)
        offers.append(
            CanonicalOfferFactory(
                source=source,
                source_id=f"{source}-{n}",
                title=" ".join(rng.sample(WORDS, rng.randint(1, 3))),
                description=" ".join(rng.choices(WORDS, k=rng.randint(0, 6))),
                employer_name=f"Employeur {source} {n}",
                commune_code=commune,
                latitude=None if rng.random() < 0.1 else latitude + rng.uniform(-0.3, 0.3),
                longitude=longitude + rng.uniform(-0.3, 0.3),
                contract_type=rng.choice(CONTRACTS),
                rome_code=rng.choice(["D1102", "G1603", ""]),
                # Some share a date, some have none: the tie-breaks are part of the contract.
                published_at=None
                if rng.random() < 0.1
                else now - timedelta(days=rng.choice([0, 1, 2, 5, 10, 40]), hours=rng.choice([0, 0, 3])),
            )
        )
    return offers


@pytest.fixture
def random_pool(communes, fake_coder):
    FicheFactory(code="D1102", label="Boulangerie - viennoiserie", parent_code="D1102")
    FicheFactory(code="G1603", label="Personnel polyvalent en restauration", parent_code="G1603")
    rng = random.Random(7)
    now = timezone.now()
    for name in ("francetravail", "region"):
        services.import_records(
            source=SourceFactory(name=name), records=random_offers(rng, 90, source=name, now=now)
        )


def random_searches(rng: random.Random, count: int):
    for _ in range(count):
        commune = rng.choice(["", "80021", "59350"])
        yield SearchParams(
            q=" ".join(rng.sample(WORDS, rng.choice([0, 1, 1, 2]))),
            rome=rng.choice(["", "", "D1102"]),
            departement=rng.choice(["", "", "80"]),
            contract=rng.sample(CONTRACTS, rng.choice([0, 0, 1, 2])),
            published_within_days=rng.choice([None, None, 3, 30]),
            source=rng.choice([[], [], ["region"]]),
            commune=commune,
            radius_km=rng.choice([0, 30, 80]) if commune else 0,
            sort=rng.choice(["relevance", "date", "distance"]),
            per_page=rng.choice([5, 20]),
            page=rng.choice([1, 1, 2]),
        )


def answer(params: SearchParams) -> tuple:
    result = search_offers(params)
    facets = {name: [(f.value, f.label, f.count) for f in values] for name, values in result.facets.items()}
    return result.total, result.sort, [offer.pk for offer in result.items], facets


def test_the_index_gives_the_database_search_answers(random_pool, settings):
    assert Offer.objects.filter(status=Offer.Status.OPEN).count() > 150
    searches = list(random_searches(random.Random(11), 150))
    settings.OFFERS_SEARCH_INDEX = False
    expected = [answer(params) for params in searches]
    settings.OFFERS_SEARCH_INDEX = True
    assert store.current_index() is not None
    found = [answer(params) for params in searches]
    assert sum(1 for total, *_ in expected if total) > 100  # the searches do find offers
    for params, want, got in zip(searches, expected, found, strict=True):
        assert got == want, params


def test_changes_after_the_read_are_overlaid(random_pool):
    before = search_offers(SearchParams(q="plombier"))
    assert (
        before.total == 0 and len(store.current_index().segments) == 1
    )  # the whole pool, read by the process
    services.import_records(
        source=SourceFactory(name="mairie"),
        records=[
            CanonicalOfferFactory(source="mairie", source_id="M1", title="Plombier", employer_name="Mairie")
        ],
    )
    assert [o.title for o in search_offers(SearchParams(q="plombier")).items] == ["Plombier"]
    assert len(store.current_index().segments) == 2  # the pool read before, and the changed offers
    services.close_missing(source=SourceFactory(name="mairie"), seen_ids=set())
    assert search_offers(SearchParams(q="plombier")).total == 0
    gone = Offer.objects.filter(status=Offer.Status.OPEN).order_by("pk").first()
    count = search_offers(SearchParams()).total
    Offer.objects.filter(pk=gone.pk).delete()
    result = search_offers(SearchParams(per_page=100, page=1))
    assert result.total == count - 1 and gone.pk not in [o.pk for o in result.items]


# Committed writes, as in production: PostgreSQL reads again over a base every change of a transaction still
# running when the base was read, and a test's own transaction would be one.
@pytest.mark.django_db(transaction=True)
def test_a_saved_base_is_loaded_overlaid_and_purges_the_log(random_pool):
    open_offers = Offer.objects.filter(status=Offer.Status.OPEN).count()
    report = store.build_search_index()
    assert report.offers == open_offers and (report.directory / "term_rows.npy").exists()
    assert not SearchChange.objects.exists()  # the base holds every change logged so far
    store.reset_process_index()
    index = store.current_index()
    base, live = index.segments[0]
    assert base.meta["database"] == str(SearchDatabase.objects.get().uuid) and len(base) == open_offers
    assert len(index.segments) == 2 and len(index.segments[1][0]) == 0 and live is None
    first = Offer.objects.filter(status=Offer.Status.OPEN).order_by("pk").first()
    Offer.objects.filter(pk=first.pk).update(
        title="Plombier chauffagiste", search_text="plombier chauffagiste"
    )
    assert [o.pk for o in search_offers(SearchParams(q="chauffagiste")).items] == [first.pk]
    base, live = store.current_index().segments[0]
    assert not live[list(base.ids).index(first.pk)]  # its old version is masked out
    again = store.build_search_index()
    assert again.generation != report.generation
    assert [o.pk for o in search_offers(SearchParams(q="chauffagiste")).items] == [first.pk]
    assert store.current_index().segments[0][0].meta["generation"] == again.generation


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions of one PostgreSQL server"
)
@pytest.mark.django_db(transaction=True)
def test_a_transaction_running_during_the_build_neither_holds_back_the_purge_nor_is_lost(random_pool):
    other = connection.copy()  # a second session, as another process would hold (here on the same database)
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()")  # it now runs, with a transaction id
        services.import_records(
            source=SourceFactory(name="mairie"),
            records=[
                CanonicalOfferFactory(source="mairie", source_id="M1", title="Plombier", employer_name="M")
            ],
        )
        store.build_search_index()
        # Every change committed before the build is in the base, whatever transaction was still running.
        assert not SearchChange.objects.exists()
        first = Offer.objects.filter(status=Offer.Status.OPEN).order_by("pk").first()
        with other.cursor() as cursor:
            cursor.execute("UPDATE offers_offer SET search_text = 'chauffagiste' WHERE id = %s", [first.pk])
        other.commit()  # after the build's snapshot: its change is read over the base
    finally:
        other.close()
    store.reset_process_index()
    assert [o.pk for o in search_offers(SearchParams(q="chauffagiste")).items] == [first.pk]
    assert search_offers(SearchParams(q="plombier")).total == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="transaction ids of PostgreSQL")
def test_the_searching_transactions_own_later_writes_are_overlaid(random_pool):
    """The test's transaction has written (random_pool), so it has a transaction id; another one completes after
    it, so the snapshot's xmax passes it, yet the snapshot does not list it as running."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()")  # autocommit: a later transaction id, completed
    finally:
        other.close()
    assert search_offers(SearchParams(q="plombier")).total == 0  # the pool read, in this transaction
    services.import_records(
        source=SourceFactory(name="mairie"),
        records=[CanonicalOfferFactory(source="mairie", source_id="M1", title="Plombier", employer_name="M")],
    )
    assert [o.title for o in search_offers(SearchParams(q="plombier")).items] == ["Plombier"]


def test_a_base_saved_from_another_database_is_ignored(random_pool):
    store.build_search_index()
    SearchDatabase.objects.update(uuid="00000000-0000-0000-0000-000000000001")
    store.reset_process_index()
    base, _ = store.current_index().segments[0]
    assert "generation" not in base.meta  # read from this database, not loaded
    assert search_offers(SearchParams(q="boulanger")).total > 0


def test_an_unreadable_saved_base_is_ignored(random_pool, caplog):
    report = store.build_search_index()
    (report.directory / "ids.npy").write_bytes(b"garbage")
    store.reset_process_index()
    assert "generation" not in store.current_index().segments[0][0].meta
    assert "unreadable" in caplog.text


def test_a_base_saved_with_another_kind_of_horizon_is_ignored(random_pool, caplog):
    report = store.build_search_index()
    meta = json.loads((report.directory / "meta.json").read_text())
    # The horizon as the other engine, or an older version (PostgreSQL's xmin as a number), wrote it.
    meta["horizon"] = str(meta["horizon"]) if isinstance(meta["horizon"], int) else 1234
    (report.directory / "meta.json").write_text(json.dumps(meta))
    store.reset_process_index()
    assert "generation" not in store.current_index().segments[0][0].meta
    assert "older version" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_too_far_behind_the_search_goes_to_the_database_until_rebuilt(random_pool, monkeypatch):
    store.build_search_index()
    monkeypatch.setattr(store, "PROCESS_READ_MAX", 2)
    services.import_records(
        source=SourceFactory(name="mairie"),
        records=[
            CanonicalOfferFactory(source="mairie", source_id=f"M{n}", title="Plombier", employer_name=f"M{n}")
            for n in range(3)
        ],
    )
    store.reset_process_index()
    assert store.current_index() is None
    assert search_offers(SearchParams(q="plombier")).total == 3  # from the database
    report = store.refresh_search_index()
    assert report is not None and report.offers == Offer.objects.filter(status=Offer.Status.OPEN).count()
    assert store.current_index() is not None  # the new base, found without waiting for the retry
    assert store.refresh_search_index() is None  # caught up: nothing to rebuild
    assert search_offers(SearchParams(q="plombier")).total == 3


@pytest.mark.django_db(transaction=True)
def test_too_many_changes_since_the_last_look_also_send_the_search_to_the_database(random_pool, monkeypatch):
    store.build_search_index()
    assert store.current_index() is not None  # this process has looked once
    monkeypatch.setattr(store, "PROCESS_READ_MAX", 2)
    services.import_records(
        source=SourceFactory(name="mairie"),
        records=[
            CanonicalOfferFactory(source="mairie", source_id=f"M{n}", title="Plombier", employer_name=f"M{n}")
            for n in range(3)
        ],
    )
    assert store.current_index() is None
    assert search_offers(SearchParams(q="plombier")).total == 3  # from the database


def test_turned_off_the_search_uses_the_database(random_pool, settings):
    settings.OFFERS_SEARCH_INDEX = False
    assert store.current_index() is None and store.refresh_search_index() is None
    assert search_offers(SearchParams(q="boulanger")).total > 0


def test_build_command_reports_the_index(random_pool):
    from io import StringIO

    out = StringIO()
    call_command("offers", "build-search-index", stdout=out)
    count = Offer.objects.filter(status=Offer.Status.OPEN).count()
    assert f"Search index: {count} open offers" in out.getvalue()


def retitle(offer_id: int, title: str) -> None:
    Offer.objects.filter(pk=offer_id).update(title=title, search_text=" ".join(terms(title)))


def found(q: str) -> list[int]:
    return [offer.pk for offer in search_offers(SearchParams(q=q, per_page=100)).items]


@pytest.mark.django_db(transaction=True)
def test_each_look_reads_only_the_offers_changed_since_the_last(random_pool, monkeypatch):
    first, second = Offer.objects.filter(status=Offer.Status.OPEN).order_by("pk")[:2]
    assert found("plombier") == []
    retitle(first.pk, "Plombier")
    assert found("plombier") == [first.pk]
    retitle(second.pk, "Plombier chauffagiste")
    assert found("plombier") == [second.pk, first.pk] or found("plombier") == [first.pk, second.pk]
    index = store.current_index()
    assert [len(segment) for segment, _ in index.segments[1:]] == [1, 1]  # one overlay per look
    retitle(first.pk, "Électricien")  # changed again: its row in the first overlay is masked out
    assert found("plombier") == [second.pk] and found("electricien") == [first.pk]
    monkeypatch.setattr(store, "MAX_SEGMENTS", 4)
    retitle(second.pk, "Maçon")
    index = store.current_index()
    assert len(index.segments) == 2 and len(index.segments[1][0]) == 2  # read again as one overlay
    assert found("plombier") == [] and found("macon") == [second.pk]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one writer at a time: its log ids are in commit order",
)
def test_a_change_logged_late_under_the_last_id_is_not_missed(random_pool):
    """On PostgreSQL a transaction can commit after a later one: its log entries then appear under the last id
    a process saw. The count of entries tells it to read every change again."""
    first, second, third = Offer.objects.filter(status=Offer.Status.OPEN).order_by("pk")[:3]
    assert found("plombier") == []
    retitle(first.pk, "Plombier")
    late_id = SearchChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    SearchChange.objects.filter(pk=late_id).delete()  # first's transaction had not committed yet
    retitle(second.pk, "Charpentier")
    assert found("charpentier") == [second.pk]
    retitle(third.pk, "Couvreur")
    SearchChange.objects.filter(
        pk=SearchChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    ).update(
        id=late_id, offer_id=first.pk
    )  # now it commits: an entry under the last id, while third's own entry is not there yet
    assert found("plombier") == [first.pk]


@pytest.mark.django_db(transaction=True)
def test_the_look_before_a_search_counts_only_what_the_last_read_missed(random_pool):
    """The changes since the base, once read, are not counted again before each search: that count grew with
    them until the next build (4–6 ms a search on PostgreSQL with 9,432 entries)."""
    store.build_search_index()
    first, second, third = Offer.objects.filter(status=Offer.Status.OPEN).order_by("pk")[:3]
    retitle(first.pk, "Plombier")
    retitle(second.pk, "Plombier")
    assert sorted(found("plombier")) == sorted([first.pk, second.pk])
    assert SearchChange.objects.count() == 2 and store.current_index().stamp == (0, 0)
    retitle(third.pk, "Plombier")
    assert sorted(found("plombier")) == sorted([first.pk, second.pk, third.pk])
    assert store.current_index().stamp == (0, 0)
