import json
from datetime import UTC, datetime

import pytest

from core.sync import SourceError
from offers import services
from offers.canonical import RejectedRecord
from offers.models import ImportRun, Offer, Publication, RomeReview
from tests.factories import AppellationFactory, FicheFactory, UserFactory
from tests.offers.factories import CanonicalOfferFactory, SourceFactory

pytestmark = pytest.mark.django_db


def run_import(source, records, **kwargs):
    return services.import_records(source=source, records=records, **kwargs)


@pytest.fixture
def source(db):
    return SourceFactory(name="francetravail", label="France Travail")


def test_commune_resolution_and_coordinates(communes, source, fake_coder):
    records = [
        CanonicalOfferFactory(source_id="by-code", commune_code="80021", postal_code="", commune_name=""),
        CanonicalOfferFactory(
            source_id="by-postal-name", commune_code="", postal_code="80100", commune_name="ABBEVILLE"
        ),
        CanonicalOfferFactory(
            source_id="by-point",
            commune_code="",
            postal_code="",
            commune_name="",
            latitude=50.63,
            longitude=3.05,
        ),
        CanonicalOfferFactory(
            source_id="arrondissement",
            commune_code="",
            postal_code="75008",
            commune_name="Paris 8e Arrondissement",
        ),
        CanonicalOfferFactory(source_id="unknown", commune_code="", postal_code="", commune_name="Atlantide"),
    ]
    run_import(source, records)
    found = {p.external_id: (p.commune_id, p.latitude, p.longitude) for p in Publication.objects.all()}
    assert found["by-code"] == ("80021", 49.8942, 2.2957)  # coordinates filled from the commune
    assert found["by-postal-name"][0] == "80001"
    assert found["by-point"] == ("59350", 50.63, 3.05)  # the record's own point is kept
    assert found["arrondissement"][0] == "75056"
    assert found["unknown"] == (None, None, None)
    offer = Publication.objects.get(external_id="by-postal-name").offer
    assert (offer.departement_code, offer.bassin_code, offer.commune_id) == ("80", "3202", "80001")


def test_the_payload_is_kept_as_received_and_the_lacking_candidates_flag_in_its_column(
    communes, source, fake_coder
):
    records = [
        CanonicalOfferFactory(
            source_id="flagged", lacks_candidates=True, raw={"id": "flagged", "é": [1, None]}
        ),
        CanonicalOfferFactory(source_id="silent"),
    ]
    run_import(source, records)
    flagged, silent = Publication.objects.order_by("external_id")
    assert json.loads(flagged.raw) == {"id": "flagged", "é": [1, None]}
    assert (flagged.lacks_candidates, silent.lacks_candidates) == (True, None)


def test_reimport_changes_nothing_and_update_updates(communes, source, fake_coder):
    records = [CanonicalOfferFactory(source_id=f"A{i}", employer_name=f"Employeur {i}") for i in range(5)]
    first = run_import(source, records)
    assert (first.read_count, first.created_count, first.status) == (5, 5, ImportRun.Status.SUCCEEDED)
    before = list(Publication.objects.order_by("pk").values())
    offers_before = list(Offer.objects.order_by("pk").values())
    again = run_import(
        source, [CanonicalOfferFactory(source_id=f"A{i}", employer_name=f"Employeur {i}") for i in range(5)]
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)
    assert list(Publication.objects.order_by("pk").values()) == before
    assert list(Offer.objects.order_by("pk").values()) == offers_before

    changed = CanonicalOfferFactory(
        source_id="A2", title="Boulanger tourier (H/F)", employer_name="Employeur 2"
    )
    third = run_import(source, [changed])
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 1, 0)
    publication = Publication.objects.get(external_id="A2")
    assert publication.title == "Boulanger tourier (H/F)"
    assert publication.offer.title == "Boulanger tourier (H/F)"
    assert Publication.objects.count() == 5


def test_snapshot_closes_missing_offers_and_reopens_them(communes, source, fake_coder):
    run_import(source, [CanonicalOfferFactory(source_id=f"S{i}", employer_name=f"E{i}") for i in range(3)])
    other = SourceFactory(name="region")
    run_import(other, [CanonicalOfferFactory(source="region", source_id="R1", employer_name="R")])
    snapshot = run_import(source, [CanonicalOfferFactory(source_id="S0", employer_name="E0")], snapshot=True)
    assert (snapshot.closed_count, snapshot.unchanged_count) == (2, 1)
    closed = Publication.objects.filter(closed_at__isnull=False)
    assert sorted(closed.values_list("external_id", flat=True)) == ["S1", "S2"]
    assert set(Offer.objects.filter(status="closed").values_list("publications__external_id", flat=True)) == {
        "S1",
        "S2",
    }
    assert Publication.objects.get(external_id="R1").closed_at is None  # other sources untouched
    reopened = run_import(source, [CanonicalOfferFactory(source_id="S1", employer_name="E1")])
    assert reopened.updated_count == 1
    assert Publication.objects.get(external_id="S1").offer.status == "open"


def test_bad_records_are_reported_and_the_rest_goes_in(communes, source, fake_coder):
    records = [
        CanonicalOfferFactory(source_id="OK1"),
        RejectedRecord(2, "intitule: missing title", {"id": "x"}),
        CanonicalOfferFactory(source_id="OK3", title="T" * 1000, url="https://example.org/" + "x" * 2000),
        RejectedRecord(4, "dateCreation: not a date", None),
    ]
    run = run_import(source, records, file_name="offres.json")
    assert (run.read_count, run.created_count, run.rejected_count, run.status) == (
        4,
        2,
        2,
        ImportRun.Status.PARTIAL,
    )
    assert run.rejected == [
        {"line": 2, "reason": "intitule: missing title"},
        {"line": 4, "reason": "dateCreation: not a date"},
    ]
    assert len(Publication.objects.get(external_id="OK3").title) == 300  # too long: truncated, not lost


def test_rome_coding_rules(communes, source, fake_coder):
    FicheFactory(code="D1102", label="Boulanger", parent_code="D1102")
    FicheFactory(code="M1805", label="Développeur", parent_code="M1805")
    records = [
        CanonicalOfferFactory(source_id="kept", rome_code="D1102"),
        CanonicalOfferFactory(
            source_id="disagree", title="Agent de nettoyage", description="nettoyage", rome_code="D1102"
        ),
        CanonicalOfferFactory(source_id="model", rome_code="", title="Boulangère"),
        CanonicalOfferFactory(
            source_id="unsure", rome_code="", title="Chargé de mission", description="Divers"
        ),
    ]
    run_import(source, records)
    rows = {p.external_id: p for p in Publication.objects.all()}
    assert (rows["kept"].rome_code, rows["kept"].rome_origin, rows["kept"].rome_disagreement) == (
        "D1102",
        "source",
        False,
    )
    assert rows["kept"].rome_confidence == pytest.approx(0.93)
    assert (
        rows["disagree"].rome_code,
        rows["disagree"].model_rome_code,
        rows["disagree"].rome_disagreement,
    ) == ("D1102", "K2204", True)
    assert (rows["model"].rome_code, rows["model"].rome_origin) == ("D1102", "model")
    assert (rows["unsure"].rome_code, rows["unsure"].rome_origin) == ("M1805", "model")
    review = RomeReview.objects.get()
    assert review.publication == rows["unsure"] and review.suggested_code == "M1805"
    assert review.candidates[0] == {"rome_code": "M1805", "score": 0.35}
    assert rows["model"].offer.fiche_id == "D1102"


def test_advisor_choice_is_kept_and_becomes_training_data(communes, source, fake_coder):
    fiche = FicheFactory(code="K1802", label="Développement local", parent_code="K1802")
    appellation = AppellationFactory(fiche=fiche, label="Chargé / Chargée de mission développement local")
    record = CanonicalOfferFactory(
        source_id="U1", rome_code="", title="Chargé de mission", description="Divers"
    )
    run_import(source, [record])
    review = RomeReview.objects.get()
    advisor = UserFactory()
    services.record_rome_choice(review=review, appellation=appellation, user=advisor)
    publication = Publication.objects.get()
    assert (publication.rome_code, publication.rome_origin, publication.appellation) == (
        "K1802",
        "advisor",
        appellation,
    )
    assert publication.offer.fiche == fiche
    # A later update of the record keeps the advisor's code and opens no new review.
    run_import(
        source,
        [
            CanonicalOfferFactory(
                source_id="U1", rome_code="", title="Chargé de mission (H/F)", description="Divers"
            )
        ],
    )
    publication.refresh_from_db()
    assert (publication.rome_code, publication.rome_origin) == ("K1802", "advisor")
    assert RomeReview.objects.filter(status="pending").count() == 0
    from offers.selectors import advisor_examples

    assert advisor_examples() == [
        {
            "title": "Chargé de mission (H/F)",
            "description": "Divers",
            "rome_code": "K1802",
            "group": "charge de mission h f|boulangerie du beffroi",
        }
    ]


def test_incremental_deduplication_and_canonical_offer(communes, fake_coder, fake_dedup):
    ft = SourceFactory(name="francetravail", label="France Travail")
    region = SourceFactory(name="region", label="Région")
    run_import(
        ft,
        [
            CanonicalOfferFactory(
                source_id="F1",
                salary_text="",
                url="https://ft/F1",
                published_at=datetime(2025, 1, 12, tzinfo=UTC),
            )
        ],
    )
    run_import(
        region,
        [
            CanonicalOfferFactory(
                source="region",
                source_id="R1",
                salary_text="1 900 € par mois",
                siret="73282932000074",
                siret_valid=True,
                published_at=datetime(2025, 1, 5, tzinfo=UTC),
                url="https://region/R1",
            ),
            CanonicalOfferFactory(
                source="region", source_id="R2", contract_type="CDD"
            ),  # another contract: another job
        ],
    )
    assert Offer.objects.count() == 2
    offer = Publication.objects.get(external_id="F1").offer
    assert set(offer.publications.values_list("external_id", flat=True)) == {"F1", "R1"}
    assert offer.operators == ["France Travail", "Région"] and offer.publication_count == 2
    assert offer.salary_text == "1 900 € par mois" and offer.siret == "73282932000074"  # best-filled fields
    assert offer.published_at == datetime(2025, 1, 5, tzinfo=UTC)  # first publication
    assert Publication.objects.get(external_id="R1").dedup_signals["employer"] == 100

    # Full rebuild keeps the grouping and the offer ids.
    ids_before = dict(Publication.objects.values_list("external_id", "offer_id"))
    counts = services.rebuild_clusters()
    assert counts["clusters"] == 2
    assert dict(Publication.objects.values_list("external_id", "offer_id")) == ids_before


def test_import_without_dedup_module_gives_each_publication_its_offer(
    communes, source, fake_coder, monkeypatch
):
    from offers import clustering

    def missing():
        raise ImportError("no dedup")

    monkeypatch.setattr(clustering, "_dedup", missing)
    run_import(source, [CanonicalOfferFactory(source_id=f"N{i}") for i in range(3)])
    assert Offer.objects.count() == 3


def test_a_failing_model_or_dedup_loses_nothing(communes, source, monkeypatch):
    from offers import clustering, rome_coding

    def broken(*args, **kwargs):
        raise ValueError("matmul: dimension mismatch")

    monkeypatch.setattr(rome_coding, "predict", broken)
    monkeypatch.setattr(clustering, "assign", broken)
    run = run_import(
        source,
        [
            CanonicalOfferFactory(source_id="A", rome_code="D1102"),
            CanonicalOfferFactory(source_id="B", rome_code=""),
        ],
    )
    assert (run.created_count, run.rejected_count) == (2, 0)
    assert "Modèle de codage ROME indisponible" in run.message and "Dédoublonnage indisponible" in run.message
    assert dict(Publication.objects.values_list("external_id", "rome_code")) == {"A": "D1102", "B": ""}
    assert RomeReview.objects.get().publication.external_id == "B"
    assert Offer.objects.count() == 2


def test_a_batch_mixing_new_and_updated_records_keeps_each_record_with_its_own_data(
    communes, source, fake_coder
):
    run_import(
        source,
        [CanonicalOfferFactory(source_id="U", employer_name="E1", title="Agent de nettoyage", rome_code="")],
    )
    run_import(
        source,
        [
            CanonicalOfferFactory(source_id="N", employer_name="E2", title="Boulanger", rome_code=""),
            CanonicalOfferFactory(
                source_id="U", employer_name="E1", title="Agent de nettoyage H/F", rome_code=""
            ),
        ],
    )
    rows = {p.external_id: (p.title, p.rome_code) for p in Publication.objects.all()}
    assert rows == {"N": ("Boulanger", "D1102"), "U": ("Agent de nettoyage H/F", "K2204")}
    from offers.models import DedupBlock

    assert DedupBlock.objects.filter(publication__external_id="U").exists()


def test_expired_records_are_stored_closed_and_close_expired_is_idempotent(communes, source, fake_coder):
    past, future = datetime(2020, 1, 31, tzinfo=UTC), datetime(2999, 1, 31, tzinfo=UTC)
    records = [
        CanonicalOfferFactory(source_id="gone", employer_name="E1", expires_at=past),
        CanonicalOfferFactory(source_id="live", employer_name="E2", expires_at=future),
        CanonicalOfferFactory(source_id="soon", employer_name="E3", expires_at=future),
    ]
    first = run_import(source, records)
    assert first.created_count == 3
    assert Publication.objects.get(external_id="gone").closed_at is not None
    assert Publication.objects.get(external_id="gone").offer.status == Offer.Status.CLOSED
    assert Publication.objects.get(external_id="live").offer.status == Offer.Status.OPEN
    # The same file again changes nothing, the expired record included.
    again = run_import(source, records)
    assert (again.unchanged_count, again.updated_count, again.created_count) == (3, 0, 0)

    Publication.objects.filter(external_id="soon").update(expires_at=past)
    assert services.close_expired() == 1
    assert services.close_expired() == 0  # idempotent
    soon = Publication.objects.get(external_id="soon")
    assert soon.closed_at is not None and soon.offer.status == Offer.Status.CLOSED
    assert Publication.objects.get(external_id="live").closed_at is None


def test_parallel_preparation_gives_the_same_pool_as_one_process(communes, fake_coder):
    """Beyond one batch, a forked process prepares the next batches; the result must not depend on it."""
    from offers.dedup import PoolRecord  # noqa: F401 - the real algorithm, not a fake

    def records(source_name):
        rows = []
        for i in range(12):
            rows.append(
                CanonicalOfferFactory(
                    source=source_name,
                    source_id=f"P{i}",
                    employer_name=f"Employeur {i % 4}",
                    title="Boulanger (H/F)" if i % 2 else "Agent d'entretien",
                    commune_code="80021" if i % 3 else "80001",
                    postal_code="",
                    commune_name="",
                )
            )
        rows.insert(5, RejectedRecord(99, "bad line", None))
        return rows

    grouped = {}
    for name, parallel in (("serial", False), ("forked", True)):
        source = SourceFactory(name=name)
        run = run_import(source, records(name), batch_size=4, parallel=parallel)
        assert (run.read_count, run.created_count, run.rejected_count) == (13, 12, 1)
        assert run.rejected == [{"line": 99, "reason": "bad line"}]
        by_offer = {}
        for external_id, offer_id in Publication.objects.filter(source=source).values_list(
            "external_id", "offer_id"
        ):
            by_offer.setdefault(offer_id, set()).add(external_id)
        grouped[name] = sorted(sorted(group) for group in by_offer.values())
    assert grouped["serial"] == grouped["forked"]
    assert len(grouped["serial"]) < 12  # re-posts were grouped


def test_a_prepared_batch_crosses_processes_unchanged(communes, fake_coder):
    """The prepared batch is pickled field by field (the sketch as bytes) to the writer process: every value
    must come back equal and of the same type."""
    import pickle

    import numpy as np

    from offers.normalise import Normaliser

    records = [
        CanonicalOfferFactory(
            source_id="A", siret="73282932000074", description="Pétrir la pâte, cuire le pain."
        ),
        RejectedRecord(7, "bad line", None),
        CanonicalOfferFactory(source_id="B", description=""),
    ]
    batch = services.prepare_batch(records, Normaliser())
    copy = pickle.loads(pickle.dumps(batch))
    assert copy.items[1] == records[1]
    for before, after in ((batch.items[0], copy.items[0]), (batch.items[2], copy.items[2])):
        assert type(after) is services.Prepared
        assert after.values == before.values and type(after.values["raw"]) is str
        assert after.decision == before.decision
        assert (after.line, after.expires_at, after.digest, after.model_rome_code, after.search_text) == (
            before.line,
            before.expires_at,
            before.digest,
            before.model_rome_code,
            before.search_text,
        )
        old, new = before.record.fingerprint, after.record.fingerprint
        assert (after.record.source, after.record.source_id, after.record.published_at) == (
            before.record.source,
            before.record.source_id,
            before.record.published_at,
        )
        for name in old.__slots__:
            if name != "sketch":
                assert getattr(new, name) == getattr(old, name), name
        assert new.sketch[1] == old.sketch[1]
        assert new.sketch[0].dtype == np.uint32 and np.array_equal(new.sketch[0], old.sketch[0])
    assert copy.items[0].record.fingerprint.sketch[1] > 0


def test_a_failure_in_the_preparation_process_fails_the_import_with_its_reason(communes, source, fake_coder):
    def records():
        yield from (CanonicalOfferFactory(source_id=f"F{i}", employer_name=f"E{i}") for i in range(3))
        raise SourceError("invalid JSON: Expecting value (line 4, column 1)", path="offres.json")

    with pytest.raises(SourceError, match="line 4"):
        run_import(source, records(), batch_size=2, parallel=True)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and "line 4" in run.message


def test_planner_statistics_are_refreshed_after_a_large_share_of_the_pool_only(fake_coder, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def analysed(written: int) -> bool:
        with CaptureQueriesContext(connection) as queries:
            services.refresh_statistics(written=written)
        return any(query["sql"].startswith("ANALYZE") for query in queries.captured_queries)

    services.refresh_statistics()  # the planner's row counts outlive the rollback of earlier tests
    monkeypatch.setattr(services, "ANALYZE_AFTER", 1)
    assert analysed(1)  # never analysed: the first rows of a pool always are
    source = SourceFactory(name="francetravail")
    services.import_records(
        source=source, records=[CanonicalOfferFactory(source_id=str(n)) for n in range(30)]
    )
    assert services._counted_rows("offers_publication") == 30  # the import analysed the new pool
    assert not analysed(2)  # under a tenth of it: no plan would change
    assert analysed(3)
    monkeypatch.setattr(services, "ANALYZE_AFTER", 1000)
    assert not analysed(999)


def test_an_import_analyses_its_lookup_columns_each_time_it_doubles_the_pool(
    communes, source, fake_coder, monkeypatch
):
    """On PostgreSQL only: SQLite's planner takes the unique index for these lookups without statistics."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The planner's row counts outlive the rollback of earlier tests: counted again on the empty pool first.
    services.refresh_statistics()
    monkeypatch.setattr(services, "ANALYZE_AFTER", 2)
    records = [CanonicalOfferFactory(source_id=str(n), employer_name=f"E{n}") for n in range(16)]
    with CaptureQueriesContext(connection) as queries:
        run_import(source, records, batch_size=2, parallel=False)
    analysed = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE offers_publication (")
    ]
    # After the batches that brought the pool to 2, 4, 8 and 16 publications.
    assert len(analysed) == (4 if connection.vendor == "postgresql" else 0)


def test_a_batch_s_publications_are_looked_up_without_joining_or_sorting(communes, source, fake_coder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run_import(source, [CanonicalOfferFactory(source_id="A")])
    with CaptureQueriesContext(connection) as queries:
        again = run_import(source, [CanonicalOfferFactory(source_id="A")])
    assert again.unchanged_count == 1
    [lookup] = [q["sql"] for q in queries.captured_queries if '"external_id" IN' in q["sql"]]
    assert "JOIN" not in lookup and "ORDER BY" not in lookup


def test_the_garbage_collector_runs_between_batches_then_as_before(communes, source, fake_coder):
    """An import pauses Python's cyclic collector and collects between batches: the cycles of earlier batches are
    gone when the next ones are read, and the collector is back as it was afterwards."""
    import gc
    import weakref

    class Cycle:
        pass

    cycles, seen = [], []

    def records():
        for i in range(6):
            if i == 4:  # the third batch: two batches were read and stored, and collected after the first
                seen.append([ref() is None for ref in cycles])
            cycle = Cycle()
            cycle.itself = cycle  # garbage as soon as this loop moves on, found only by the collector
            cycles.append(weakref.ref(cycle))
            del cycle
            seen.append(gc.isenabled())
            yield CanonicalOfferFactory(source_id=f"G{i}", employer_name=f"Employeur {i}")

    assert gc.isenabled()
    run = run_import(source, records(), batch_size=2, parallel=False)
    assert run.created_count == 6
    assert seen[4] == [True, True, True, True]
    assert not any(flag for flag in seen if isinstance(flag, bool))  # paused while the import ran
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.real_data
def test_the_pipeline_groups_the_dev_files_as_a_full_rebuild(reference_data, fake_coder, settings):
    """Three real sources imported one after the other, in small batches: the pool index's candidates (blocks
    read back from the database, then kept current in memory) must let the incremental assignment find every
    group the full deduplication of the same publications finds."""
    from offers import clustering
    from offers.connectors import connector

    folder = settings.DATA_DIR / "offers" / "dedup_dev"
    for fmt, name, source, mapping in [
        ("francetravail", "francetravail.json", "francetravail", None),
        ("jobposting", "jobboard.jsonld.json", "jobboard", None),
        ("csv", "region.csv", "region", folder / "region.mapping.json"),
    ]:
        records = connector(fmt)(folder / name, source=source, mapping=mapping)
        run_import(SourceFactory(name=source), records, batch_size=150, parallel=False)
    by_offer = {}
    for pk, offer_id in Publication.objects.filter(closed_at__isnull=True).values_list("pk", "offer_id"):
        by_offer.setdefault(offer_id, set()).add(pk)
    pipeline = {frozenset(members) for members in by_offer.values()}
    rebuild = {frozenset(members) for members, _ in clustering.full_rebuild()}
    assert len(pipeline) < Publication.objects.count() - 300  # hundreds of publications were grouped
    assert pipeline == rebuild


def test_an_sqlite_import_checkpoints_its_log_once_at_the_end(monkeypatch, tmp_path):
    """SQLite in WAL mode: while an import runs, a big page cache and no checkpoint after each commit (the log
    grows past the default checkpoint's 4 MB); at the end, the log copied into the database file, and the
    connection's defaults again."""
    from django.db import connection, connections, transaction
    from django.db.backends.sqlite3.base import DatabaseWrapper

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache and write-ahead log")
    path = tmp_path / "pool.sqlite3"
    database = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, alias="checkpoint_test")
    monkeypatch.setattr(services, "connection", database)

    def pragma(name: str):
        with database.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

    try:
        assert pragma("journal_mode") == "wal"
        before = pragma("cache_size"), pragma("wal_autocheckpoint")
        with database.cursor() as cursor:
            cursor.execute("CREATE TABLE rows (payload TEXT)")
        with services.bulk_load():
            assert (pragma("cache_size"), pragma("wal_autocheckpoint")) == (
                -services.SQLITE_IMPORT_CACHE_KB,
                services.SQLITE_IMPORT_WAL_PAGES,
            )
            for _ in range(4):  # four committed batches of 2 MB
                with database.cursor() as cursor:
                    cursor.executemany("INSERT INTO rows VALUES (?)", [("x" * 2000,)] * 1000)
            log = path.with_name(path.name + "-wal")
            assert log.stat().st_size > 8_000_000  # never checkpointed: the log only grew
            assert path.stat().st_size < 1_000_000
        assert path.stat().st_size > 8_000_000  # checkpointed once, at the end
        assert (pragma("cache_size"), pragma("wal_autocheckpoint")) == before

        # Within a caller's transaction (load-demo imports in one) SQLite refuses to checkpoint: the commit does.
        monkeypatch.setattr(connections._connections, "checkpoint_test", database, raising=False)
        with transaction.atomic(using="checkpoint_test"), services.bulk_load(), database.cursor() as cursor:
            cursor.execute("INSERT INTO rows VALUES ('in a transaction')")
        with database.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM rows")
            assert cursor.fetchone()[0] == 4001
    finally:
        database.close()
