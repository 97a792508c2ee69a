"""An import killed in the middle (SIGKILL) leaves the database consistent, its run is shown as interrupted, and a
re-run completes it with no duplicate and the same result as a clean single run.

The import is a real `reseau-emploi offers import` child process on a database the test shares with it
(tests/security/subprocess_database.py), fed a file built from the real France Travail records of DATA_DIR: the
first records and a perturbed copy of them (other ids, other titles, other places), so that deduplication has both
duplicates and distinct offers to sort out.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from companies.models import Company, Establishment
from offers import services
from offers.connectors import connector
from offers.models import DedupBlock, ImportRun, Offer, Publication, RomeReview, Source
from offers.runs import HOST, mark_interrupted_runs
from tests.security.subprocess_database import shared_database

pytestmark = pytest.mark.real_data

RECORDS = 400  # real records taken; the file holds them and their perturbed copies
BATCH = 100
SOURCE = "francetravail"


def _write_offers_file(path: Path) -> int:
    real = Path(settings.DATA_DIR) / "offers" / "francetravail_offers_dev.jsonl"
    with real.open(encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(RECORDS), handle, strict=False)]
    copies = []
    for index, record in enumerate(records):
        copy = json.loads(json.dumps(record))
        copy["id"] = f"{record['id']}B"
        if index % 2:  # every other copy is another job: another title; the rest are republications
            copy["intitule"] = f"{record.get('intitule', '')} — poste {index}"
        copies.append(copy)
    lines = [json.dumps(record, ensure_ascii=False) for record in records + copies]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def _state() -> dict:
    """What an import leaves, without ids or times: the publications, the clusters they form, their offers."""
    publications = {
        row["external_id"]: row
        for row in Publication.objects.values(
            "external_id", "content_hash", "rome_code", "rome_origin", "closed_at", "offer_id", "title"
        )
    }
    members: dict[int, set[str]] = {}
    for external_id, row in publications.items():
        members.setdefault(row["offer_id"], set()).add(external_id)
    offers = {
        frozenset(members.get(offer["id"], ())): (
            offer["title"],
            offer["status"],
            offer["publication_count"],
            offer["rome_code"],
            offer["search_text"],
        )
        for offer in Offer.objects.values(
            "id", "title", "status", "publication_count", "rome_code", "search_text"
        )
    }
    return {
        "publications": {
            key: (row["content_hash"], row["rome_code"], row["rome_origin"], row["closed_at"], row["title"])
            for key, row in publications.items()
        },
        "offers": offers,
        "blocks": DedupBlock.objects.count(),
        "reviews": RomeReview.objects.count(),
    }


def _assert_consistent() -> None:
    """Publications, offers (clusters) and the search index agree, whatever point the import stopped at."""
    assert not Publication.objects.filter(offer__isnull=True).exists(), "a publication without its offer"
    counts = {row["offer_id"]: row["n"] for row in _publication_counts()}
    offers = dict(Offer.objects.values_list("id", "publication_count"))
    assert set(offers) == set(counts), "an offer without publications, or a publication pointing nowhere"
    assert offers == counts, "an offer's publication count disagrees with its publications"
    assert not Offer.objects.filter(search_text="").exists()
    assert not DedupBlock.objects.exclude(publication__in=Publication.objects.all()).exists()
    if connection.vendor == "sqlite":  # PostgreSQL's search vector is a generated column
        with connection.cursor() as cursor:
            # FTS5's own check, against its content table (rank 1): the index holds exactly the offers' text.
            cursor.execute(
                "INSERT INTO offers_offer_fts(offers_offer_fts, rank) VALUES ('integrity-check', 1)"
            )


def _publication_counts():
    from django.db.models import Count

    return Publication.objects.values("offer_id").annotate(n=Count("id"))


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _running_progress(database) -> int:
    """Records the running import has committed so far (its ImportRun row, updated after each batch)."""
    sql = "SELECT read_count FROM offers_importrun WHERE status = 'running'"
    raw = database.raw()
    if raw is None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
    else:
        with raw:
            row = raw.execute(sql).fetchone()
        raw.close()
    return row[0] if row else 0


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_run_is_consistent_and_a_rerun_completes_it(tmp_path):
    offers_file = tmp_path / "offers.jsonl"
    total = _write_offers_file(offers_file)

    # The reference: a clean single run, in this process, with the same batches.
    source = services.get_or_create_source(name=SOURCE, kind="francetravail")
    clean = services.import_records(
        source=source,
        records=connector("francetravail")(offers_file, source=SOURCE),
        batch_size=BATCH,
    )
    assert clean.created_count == total
    expected = _state()
    _assert_consistent()
    for model in (Offer, Publication, ImportRun, Source):
        model.objects.all().delete()

    database = shared_database(tmp_path)
    command = (
        "offers",
        "import",
        "--source",
        SOURCE,
        "--format",
        "francetravail",
        "--batch-size",
        str(BATCH),
    )
    child = database.popen(*command, str(offers_file))
    deadline = time.monotonic() + 120
    while _running_progress(database) < 2 * BATCH:
        assert child.poll() is None, f"the import ended before it could be killed: {child.communicate()}"
        assert time.monotonic() < deadline, "the import committed nothing in two minutes"
        time.sleep(0.05)
    assert child.poll() is None, "the import finished before it could be killed: make the file bigger"
    helpers = _children(child.pid)  # the process preparing the next batches, if any
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 15
    while (alive := [pid for pid in helpers if _running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive, f"helper processes {alive} outlived the killed import"

    database.sync_back()
    killed = ImportRun.objects.get()
    stored = Publication.objects.count()
    assert 2 * BATCH <= stored < total, "the kill did not land in the middle of the import"
    assert stored % BATCH == 0, "a batch was half written"
    assert killed.status == ImportRun.Status.RUNNING and killed.finished_at is None
    assert killed.read_count in (stored - BATCH, stored)  # its counts may lag one batch behind the commit
    _assert_consistent()

    rerun = database.run(*command, str(offers_file), timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    database.sync_back()
    killed.refresh_from_db()
    assert killed.status == ImportRun.Status.INTERRUPTED, "the killed run still shows as running"
    assert "Import interrompu" in killed.message and killed.finished_at is None
    second = ImportRun.objects.exclude(pk=killed.pk).get()
    assert second.status == ImportRun.Status.SUCCEEDED
    assert (second.created_count, second.unchanged_count) == (total - stored, stored)

    assert Publication.objects.count() == total  # no duplicate: (source, id) is unique and was reused
    _assert_consistent()
    actual = _state()
    assert actual["publications"] == expected["publications"]
    differing = expected["offers"].keys() ^ actual["offers"].keys()
    assert not differing, f"clusters differ from a clean run: {sorted(map(sorted, differing))[:6]}"
    assert actual == expected


@pytest.mark.django_db
def test_only_runs_whose_process_is_gone_or_silent_are_marked_interrupted(settings):
    settings.IMPORT_STALE_MINUTES = 60
    finished = subprocess.Popen(["true"])
    finished.wait()
    source = Source.objects.create(name="operateur", kind="csv")
    now = timezone.now()

    def run(worker, heartbeat_minutes_ago):
        return ImportRun.objects.create(
            source=source, worker=worker, heartbeat_at=now - timedelta(minutes=heartbeat_minutes_ago)
        )

    dead_here = run(f"{HOST}:{finished.pid}", 1)
    alive_here = run(f"{HOST}:{os.getppid()}", 1)  # pytest's parent: alive
    elsewhere_recent = run("autre-serveur:1234", 5)
    elsewhere_silent = run("autre-serveur:1234", 61)
    done = run(f"{HOST}:{finished.pid}", 500)
    ImportRun.objects.filter(pk=done.pk).update(status=ImportRun.Status.SUCCEEDED)

    marked = mark_interrupted_runs(now=now)
    assert {run.pk for run in marked} == {dead_here.pk, elsewhere_silent.pk}
    statuses = dict(ImportRun.objects.values_list("pk", "status"))
    assert statuses[alive_here.pk] == statuses[elsewhere_recent.pk] == ImportRun.Status.RUNNING
    assert statuses[done.pk] == ImportRun.Status.SUCCEEDED
    assert mark_interrupted_runs(now=now) == []  # idempotent


SIRENE_ROWS = 3000
SIRENE_SAMPLE = Path(__file__).resolve().parents[1] / "companies" / "data" / "StockEtablissement_extrait.csv"


def _write_sirene_file(path: Path) -> list[str]:
    """An establishments extract in the official layout: the sample's rows repeated under new valid SIRETs."""
    import csv

    from stdnum import luhn

    with SIRENE_SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, samples = reader.fieldnames, [row for row in reader if row["siret"][:9] == row["siren"]]
    sirets = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for index in range(SIRENE_ROWS):
            siren = f"{80000000 + index}"
            siren += luhn.calc_check_digit(siren)
            siret = f"{siren}0001"
            siret += luhn.calc_check_digit(siret)
            sample = samples[index % len(samples)]
            writer.writerow({**sample, "siren": siren, "nic": siret[9:], "siret": siret})
            sirets.append(siret)
    return sirets


def _writer_in_transaction(database) -> bool:
    """Whether another connection holds an open write transaction on the shared database."""
    raw = database.raw()
    if raw is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_stat_clear_snapshot()"
            )  # else a transaction sees its first reading again
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
            return cursor.fetchone()[0] > 0
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        raw.execute("BEGIN IMMEDIATE")  # refused while a writer holds the lock
    except Exception:
        return True
    finally:
        if raw.in_transaction:
            raw.rollback()
        raw.close()
    return False


@contextlib.contextmanager
def _establishment_inserts_held(database):
    """On PostgreSQL, hold the import inside its transaction, however fast the machine: it writes its first
    company, then waits for this lock on the establishments. SQLite (WAL) has no lock that stops a writer: the
    import is killed as soon as it holds the write lock, 3,000 rows before its commit."""
    if database.sqlite_file is not None:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {Establishment._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        yield


@pytest.mark.django_db(transaction=True)
def test_a_sirene_import_killed_mid_transaction_writes_nothing_and_a_rerun_completes_it(tmp_path):
    extract = tmp_path / "StockEtablissement_utf8.csv"
    sirets = _write_sirene_file(extract)
    database = shared_database(tmp_path)
    with _establishment_inserts_held(database):
        child = database.popen("import_sirene", str(extract), "--write")
        deadline = time.monotonic() + 120
        while not _writer_in_transaction(database):
            assert child.poll() is None, f"the import ended before it could be killed: {child.communicate()}"
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    deadline = time.monotonic() + 30
    # PostgreSQL: the killed client's backend rolls back once the lock is released and it reads the end of input.
    while _writer_in_transaction(database):
        assert time.monotonic() < deadline, "the killed import's transaction never ended"
        time.sleep(0.05)

    database.sync_back()
    assert Establishment.objects.count() == Company.objects.count() == 0  # all or nothing: nothing
    if (raw := database.raw()) is not None:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.close()

    rerun = database.run("import_sirene", str(extract), "--write", timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"établissements : {SIRENE_ROWS} créés, 0 mis à jour" in rerun.stdout
    database.sync_back()
    assert sorted(Establishment.objects.values_list("siret", flat=True)) == sorted(sirets)
    assert Company.objects.count() == SIRENE_ROWS


@pytest.mark.django_db
def test_the_report_of_an_interrupted_import_says_so(client):
    from tests.factories import OrganisationFactory, advisor_of

    source = Source.objects.create(name="operateur", kind="csv", label="Opérateur")
    run = ImportRun.objects.create(source=source, worker=f"{HOST}:1", read_count=200, created_count=200)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.INTERRUPTED,
        heartbeat_at=timezone.make_aware(timezone.datetime(2026, 11, 25, 3, 30, 12)),
        message="Import interrompu (processus arrêté).",
    )
    client.force_login(advisor_of(OrganisationFactory()))
    html = client.get(run.get_absolute_url()).content.decode()
    assert '<h2 class="fr-alert__title">Interrompu</h2>' in html and "fr-alert--warning" in html
    assert "interrompu après le dernier lot enregistré le 25/11/2026 03:30:12" in html
    assert "en cours" not in html
    assert "Interrompu" in client.get(source.get_absolute_url()).content.decode()
