"""Writes on the pool of offers: import a source's records (normalise, upsert by (source, source_id) with a content
hash, ROME coding, incremental deduplication, canonical offers), close what a snapshot no longer holds, rebuild
clusters, record an advisor's ROME choice.

Everything works in batches with bulk queries: a batch costs a fixed number of queries whatever its size.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from queue import Empty

from django.db import connection, transaction
from django.db.models.functions import Substr
from django.utils import timezone

from core.pickling import pickled_by_fields
from offers import clustering, rome_coding
from offers.canonical import CanonicalOffer, RejectedRecord
from offers.dedup import PoolRecord, fingerprint
from offers.models import ImportRun, Offer, OfferFields, Publication, RomeOrigin, RomeReview, Source
from offers.normalise import Normaliser, raw_payload
from offers.runs import mark_interrupted_runs, record_progress, this_worker
from offers.search import offer_search_text

BATCH_SIZE = 2000
_QUERY_CHUNK = 500  # ids per IN (...) clause
OFFER_FIELDS = [f.attname for f in OfferFields._meta.concrete_fields if f.attname != "id"]
_PUBLICATION_UPDATE_FIELDS = [
    f.attname
    for f in Publication._meta.concrete_fields
    if f.attname not in ("id", "source_id", "external_id", "first_seen_at") and f.name != "source"
]


@dataclass
class ImportSummary:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    closed: int = 0
    rejected_lines: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # problems that did not stop the import

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def line(self) -> str:
        return (
            f"read {self.read}, created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {self.rejected}, closed {self.closed}"
        )


def _adapter(field):
    """How a Python value of `field` goes into a raw query on this connection (what Django's compiler would do,
    without its per-value cost)."""
    internal = field.get_internal_type()
    if internal == "JSONField":
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return None


def _row_values(objects: list, fields: list) -> list[list]:
    """Column values of model instances or of dicts keyed by attribute name (the import's rows)."""
    adapters = [(f.attname, _adapter(f)) for f in fields]
    plain = [name for name, adapt in adapters if adapt is None]
    adapted = [(name, adapt) for name, adapt in adapters if adapt is not None]
    rows = []
    for obj in objects:
        values = obj if isinstance(obj, dict) else obj.__dict__
        row = {name: values[name] for name in plain}
        for name, adapt in adapted:
            value = values[name]
            row[name] = adapt(value) if value is not None else None
        rows.append([row[name] for name, _ in adapters])
    return rows


SQLITE_PARAMETERS_PER_STATEMENT = 30000  # under SQLite's limit of 32,766 bound parameters


def fast_insert(model, objects: list, *, returning_ids: bool = True) -> None:
    """Insert many objects (model instances, or dicts with every column by attribute name), setting their pk
    (`id` of a dict) unless `returning_ids` is False (rows nobody refers to: the database numbers them): Django's
    bulk_create spends most of its time compiling each value; here values are adapted once and sent as is —
    through COPY on PostgreSQL, as INSERT … VALUES (…), (…) RETURNING id on SQLite."""
    if not objects:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    rows = _row_values(objects, fields)
    if connection.vendor == "postgresql":
        pks = _copy_rows(meta, fields, rows, returning_ids=returning_ids)
    else:
        pks = _insert_rows(meta, fields, rows, returning_ids=returning_ids)
    if not returning_ids:
        return
    for obj, pk in zip(objects, pks, strict=True):
        if isinstance(obj, dict):
            obj["id"] = pk
        else:
            obj.pk = pk


def _copy_rows(meta, fields: list, rows: list[list], *, returning_ids: bool) -> list[int]:
    """PostgreSQL: one COPY, the ids drawn first from the table's sequence when they are returned. A multi-row
    INSERT would cost more on the client than on the server: psycopg parses the statement's placeholders in Python
    (19 s of a 55 s import of 20,000 offers went there)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if not returning_ids:
            columns = ", ".join(quote(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return []
        columns = ", ".join(quote(f.column) for f in [meta.pk, *fields])
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(pks, rows, strict=True):
                copy.write_row([pk, *row])
    return pks


def _insert_rows(meta, fields: list, rows: list[list], *, returning_ids: bool) -> list[int]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    step = max(1, SQLITE_PARAMETERS_PER_STATEMENT // len(fields))
    returning = f" RETURNING {quote(meta.pk.column)}" if returning_ids else ""
    pks = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            values = ", ".join([placeholder] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values}{returning}",
                [value for row in chunk for value in row],
            )
            if returning_ids:
                pks.extend(pk for (pk,) in cursor.fetchall())
    return pks


def fast_bulk_update(model, objects: list, fields: list[str]) -> None:
    """UPDATE … WHERE pk = %s for each object through one prepared statement (`executemany`): Django's
    bulk_update builds a CASE per field and row, far too slow for tens of thousands of rows."""
    if not objects:
        return
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    concrete = [by_attname[name] for name in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(f.column)} = %s" for f in concrete)
    sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"
    rows = [
        [*values, obj["id"] if isinstance(obj, dict) else obj.pk]
        for values, obj in zip(_row_values(objects, concrete), objects, strict=True)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def get_or_create_source(*, name: str, kind: str, owner=None, label: str = "", url: str = "") -> Source:
    source, created = Source.objects.get_or_create(
        name=name, defaults={"kind": kind, "owner": owner, "label": label or name, "url": url}
    )
    return source


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _chunks(items: list, size: int = _QUERY_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@pickled_by_fields
@dataclass(slots=True)
class Prepared:
    """A record made ready for storage by the pure stage of the pipeline (no database): normalised column
    values, raw payload serialised and hashed, ROME model decision, deduplication fingerprint."""

    line: int
    expires_at: datetime | None
    record: PoolRecord  # what deduplication reads: source, source_id, publication date, fingerprint
    digest: str
    values: dict  # Publication column values
    model_rome_code: str
    decision: object  # rome_coding.Decision
    search_text: str  # the search text of an offer made of this publication alone (most offers)


@dataclass(slots=True)
class PreparedBatch:
    items: list  # Prepared | RejectedRecord, in file order
    notes: list[str] = field(default_factory=list)


def prepare_batch(records: list, normaliser: Normaliser) -> PreparedBatch:
    """The pure stage for one batch: everything that needs no database, so it can run in another process
    while the main one writes the previous batch."""
    batch = PreparedBatch(items=[])
    offers = [record for record in records if not isinstance(record, RejectedRecord)]
    normalised = {}  # id(offer) -> (column values, payload hash)
    for offer in offers:
        values = normaliser.publication_values(offer)
        values["raw"], digest = raw_payload(offer)
        normalised[id(offer)] = (values, digest)
    try:
        predictions = rome_coding.predict(offers)
    except Exception as exc:
        batch.notes.append(f"Modèle de codage ROME indisponible ({type(exc).__name__}: {exc}).")
        predictions = [None] * len(offers)
    prepared = {}
    for offer, prediction in zip(offers, predictions, strict=True):
        values, digest = normalised[id(offer)]
        decision = rome_coding.decide(
            source_code=values["source_rome_code"], prediction=prediction, fiches=normaliser.fiches
        )
        if not decision.needs_review:  # only the review list shows them: not sent to the writer for nothing
            decision.candidates = []
        prepared[id(offer)] = Prepared(
            offer.line,
            offer.expires_at,
            PoolRecord(offer.source, offer.source_id, offer.published_at, fingerprint(offer)),
            digest,
            values,
            prediction.rome_code if prediction else "",
            decision,
            _search_text({**values, "rome_code": decision.rome_code}, normaliser),
        )
    batch.items = [
        record if isinstance(record, RejectedRecord) else prepared[id(record)] for record in records
    ]
    return batch


def _prepared_batches(records: Iterable, normaliser: Normaliser, batch_size: int, parallel: bool):
    """The records in prepared batches. Beyond one batch (and with `parallel`), a forked process prepares the
    next batches (it reads the records, normalises, ROME-codes, fingerprints) while this one stores: on two
    cores the two halves of the pipeline run side by side."""
    batches = _batches(records, batch_size)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if second is None or not parallel or "fork" not in multiprocessing.get_all_start_methods():
        for batch in chain([first], [second] if second else [], batches):
            yield prepare_batch(batch, normaliser)
        return
    rome_coding.load()  # loaded once here, shared with the forked process
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=2)  # two batches ahead at most: memory stays bounded
    producer = context.Process(
        target=_produce, args=(chain([second], batches), normaliser, queue), daemon=True
    )
    producer.start()
    try:
        yield prepare_batch(first, normaliser)
        while True:
            try:
                kind, payload = queue.get(timeout=5)
            except Empty:
                if not producer.is_alive():
                    raise RuntimeError(
                        f"the preparation process stopped unexpectedly (exit code {producer.exitcode})"
                    ) from None
                continue
            if kind == "done":
                break
            if kind == "error":
                raise payload
            yield payload
    finally:
        if producer.is_alive():
            producer.kill()
        producer.join()
        queue.close()


def _die_with_parent() -> None:
    """A parent killed outright (SIGKILL, out of memory) cannot stop its daemon processes: this one would block
    on the full queue forever, holding a copy of the parent's memory. Linux's PR_SET_PDEATHSIG has the kernel
    kill it with its parent."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request above
        os._exit(1)


def _produce(batches: Iterator[list], normaliser: Normaliser, queue) -> None:
    """Runs in the forked process: never touches the database (its connection belongs to the parent)."""
    _die_with_parent()
    try:
        for batch in batches:
            queue.put(("batch", prepare_batch(batch, normaliser)))
            collect_batch_garbage()
        queue.put(("done", None))
    except Exception as exc:  # sent to the parent, which raises it where the import can report it
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        queue.put(("error", exc))
    queue.close()
    queue.join_thread()


def import_records(
    *,
    source: Source,
    records: Iterable[CanonicalOffer | RejectedRecord],
    file_name: str = "",
    snapshot: bool = False,
    user=None,
    batch_size: int = BATCH_SIZE,
    normaliser: Normaliser | None = None,
    parallel: bool = True,
) -> ImportRun:
    """Import a source's records; the returned ImportRun holds the counts and every rejected line with its reason.

    A record is rejected alone (bad data, or an error while storing its batch: the batch is then retried record
    by record), the rest goes in. With `snapshot`, the source's open publications missing from the records
    are closed. Records already expired (expires_at past) are stored closed. `parallel`: prepare the next
    batches in a forked process while this one stores (see `_prepared_batches`).
    """
    mark_interrupted_runs(source=source)
    run = ImportRun.objects.create(
        source=source, file_name=file_name[:300], snapshot=snapshot, user=user, worker=this_worker()
    )
    summary = ImportSummary()
    normaliser = normaliser or Normaliser()
    pool = clustering.PoolIndex()
    seen: set[str] = set()
    written_when_analysed = 0  # rows written by this run when it last analysed its lookup columns
    try:
        with bulk_load(), batch_garbage_collection():
            for batch in _prepared_batches(records, normaliser, batch_size, parallel):
                for note in batch.notes:
                    summary.note(note)
                items: dict[str, Prepared] = {}
                for item in batch.items:
                    summary.read += 1
                    if isinstance(item, RejectedRecord):
                        _reject(summary, item.line, item.reason)
                        continue
                    if item.record.source_id in items:  # the same id twice in a file: the later record wins
                        summary.unchanged += 1
                    items[item.record.source_id] = item
                seen.update(items)
                _store_batch(source, list(items.values()), normaliser, summary, pool)
                written = summary.created + summary.updated
                if _refresh_lookup_statistics(written=written - written_when_analysed):
                    written_when_analysed = written
                record_progress(run, summary)
                collect_batch_garbage()
        if snapshot:
            summary.closed = close_missing(source=source, seen_ids=seen)
    except Exception as exc:
        run.status = ImportRun.Status.FAILED
        run.message = f"{type(exc).__name__}: {exc}"
        _finish(run, summary)
        raise
    refresh_statistics(written=summary.created + summary.updated)
    run.status = ImportRun.Status.PARTIAL if summary.rejected else ImportRun.Status.SUCCEEDED
    if summary.read == 0:
        run.message = "Le fichier ne contient aucune offre."
    _finish(run, summary)
    return run


@contextmanager
def bulk_load():
    """SQLite, while an import runs: a page cache big enough for a million-offer pool's indexes (the default 2 MB
    makes every index insert a disk read at that size), and the write-ahead log copied into the database once,
    at the end, instead of after each batch (the default checkpoint, every 4 MB of log, wrote each batch's
    index pages to the database file again: the commits of 10,000 offers into the million took three times as
    long). Back to the defaults afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_IMPORT_CACHE_KB}")
        cursor.execute("PRAGMA journal_mode")
        logged = cursor.fetchone()[0] == "wal"  # not an in-memory database
        if logged:
            cursor.execute("PRAGMA wal_autocheckpoint")
            (previous_checkpoint,) = cursor.fetchone()
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_IMPORT_WAL_PAGES}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
            if logged:
                cursor.execute(f"PRAGMA wal_autocheckpoint = {int(previous_checkpoint)}")
                # Within a caller's transaction (load-demo) SQLite refuses to checkpoint: its commit will.
                if not connection.in_atomic_block:
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")  # without waiting for readers


@contextmanager
def batch_garbage_collection():
    """Python's cyclic garbage collector runs between batches only while an import runs (`collect_batch_garbage`),
    then as before.

    Left to itself it took an eighth of an import's CPU (12 s of 100 s for 100,000 offers): it runs every 700
    allocations and walks the young containers, and an import allocates millions (rows, payloads, the pool's
    fingerprints). Between batches, one collection finds the batch's cycles (the pipeline makes almost none),
    then what survived is frozen, never walked again until the end. Frozen before the fork, the model and
    reference tables also stay shared with the preparation process (its collector would otherwise write to their
    pages). Process-wide: another import running in the same process at that time is only collected later."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def collect_batch_garbage() -> None:
    """Collect what the last batch left in reference cycles, then freeze what survived (the pool's new members);
    only while `batch_garbage_collection` holds the collector."""
    if not gc.isenabled():
        gc.collect()
        gc.freeze()


SQLITE_IMPORT_CACHE_KB = 1024 * 1024  # 1 GB, an upper bound: SQLite only allocates pages it reads
SQLITE_IMPORT_WAL_PAGES = 250_000  # 1 GB of 4 kB pages: the log may grow that much before a checkpoint
ANALYZE_AFTER = 1000  # rows written by an import after which the planner's statistics may need refreshing
# ... and the share of the pool they must reach (PostgreSQL's autovacuum analyses at the same share).
ANALYZE_SHARE = 0.1
# The columns an import looks rows up by: analysing them alone costs a fraction of whole tables (the texts and the
# search vector are the long part of an ANALYZE), and it counts the rows all the same.
_IMPORT_LOOKUP_COLUMNS = {
    "offers_publication": "(source_id, external_id, offer_id)",
    "offers_dedupblock": "(key, publication_id)",
}


def refresh_statistics(*, written: int | None = None) -> None:
    """Let the query planner know the pool's new size: without statistics SQLite scans every open offer for a
    radius search instead of using the covering index. With `written`, only when an import wrote at least
    ANALYZE_AFTER rows and ANALYZE_SHARE of the publications the planner last counted: 10,000 offers into a
    million change no plan, and analysing cost 5 s of such a 30 s import on PostgreSQL."""
    if written is not None and (
        written < ANALYZE_AFTER or written < ANALYZE_SHARE * _counted_rows("offers_publication")
    ):
        return
    with connection.cursor() as cursor:
        for table in ("offers_offer", "offers_publication", "offers_dedupblock"):
            cursor.execute(f"ANALYZE {table}")


def _refresh_lookup_statistics(*, written: int) -> bool:
    """While an import runs, on PostgreSQL: the statistics of the columns its lookups read, each time it has doubled
    the pool the planner last counted. On the statistics of a smaller pool the lookups go wrong: the planner read
    all of a new source's rows for each lookup by id (0.05 ms per offer at 100,000, growing with the pool).
    Doubling keeps it to a handful of analyses for a million. True when it analysed."""
    if connection.vendor != "postgresql" or written < max(_counted_rows("offers_publication"), ANALYZE_AFTER):
        return False
    with connection.cursor() as cursor:
        for table, columns in _IMPORT_LOOKUP_COLUMNS.items():
            cursor.execute(f"ANALYZE {table} {columns}")
    return True


def _counted_rows(table: str) -> int:
    """The table's row count in the planner's statistics (0 if never analysed)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE relname = %s", [table])
            row = cursor.fetchone()
            return int(row[0]) if row else 0
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return 0
        # A table's first statistics line starts with its row count.
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
        row = cursor.fetchone()
        return int(row[0].split()[0]) if row else 0


def _reject(summary: ImportSummary, line: int, reason: str) -> None:
    summary.rejected += 1
    if len(summary.rejected_lines) < ImportRun.REJECTED_KEPT:
        summary.rejected_lines.append({"line": line, "reason": reason})


def _finish(run: ImportRun, summary: ImportSummary) -> None:
    run.finished_at = timezone.now()
    run.read_count, run.created_count, run.updated_count = summary.read, summary.created, summary.updated
    run.unchanged_count, run.rejected_count, run.closed_count = (
        summary.unchanged,
        summary.rejected,
        summary.closed,
    )
    run.rejected = summary.rejected_lines
    if summary.notes:
        run.message = " ".join(filter(None, [run.message, *summary.notes]))
    run.save()


def _store_batch(
    source: Source,
    items: list[Prepared],
    normaliser: Normaliser,
    summary: ImportSummary,
    pool: clustering.PoolIndex,
):
    try:
        with transaction.atomic():
            _store(source, items, normaliser, summary, pool)
    except Exception:
        if len(items) == 1:
            raise
        # Find the culprit(s): store record by record so only the bad ones are rejected.
        for item in items:
            try:
                with transaction.atomic():
                    _store(source, [item], normaliser, summary, pool)
            except Exception as exc:
                _reject(summary, item.line, f"could not be stored: {type(exc).__name__}: {exc}")


_EXISTING_FIELDS = ["pk", "external_id", "content_hash", "closed_at", "offer_id", "rome_origin", "rome_code"]


def _store(
    source: Source,
    items: list[Prepared],
    normaliser: Normaliser,
    summary: ImportSummary,
    pool: clustering.PoolIndex,
):
    now = timezone.now()
    existing = {}
    for chunk in _chunks([item.record.source_id for item in items]):
        for row in (
            Publication.objects.filter(source=source, external_id__in=chunk)
            .order_by()
            .values(*_EXISTING_FIELDS, "appellation_id")
        ):
            existing[row["external_id"]] = row
    changed: list[Prepared] = []
    rows: list[dict] = []  # Publication rows, in the order of `changed`
    created_rows, updated_rows = [], []
    offers_to_rebuild: set[int] = set()
    reviews = []
    for item in items:
        row = existing.get(item.record.source_id)
        expired = item.expires_at is not None and item.expires_at <= now
        if row and row["content_hash"] == item.digest and (row["closed_at"] is not None) == expired:
            summary.unchanged += 1
            continue
        publication = _publication_row(item, source, now, closed_at=now if expired else None)
        if row is None:
            created_rows.append(publication)
        else:
            publication["id"], publication["offer_id"] = row["pk"], row["offer_id"]
            if row["offer_id"]:
                offers_to_rebuild.add(row["offer_id"])
            if row["rome_origin"] == RomeOrigin.ADVISOR:  # an advisor's choice outlives source updates
                publication["rome_origin"], publication["rome_code"] = RomeOrigin.ADVISOR, row["rome_code"]
                publication["appellation_id"] = publication["appellation_id"] or row["appellation_id"]
                publication["search_text"] = None  # prepared for the model's code: made again
            updated_rows.append(publication)
        needs_review = item.decision.needs_review and publication["rome_origin"] != RomeOrigin.ADVISOR
        reviews.append(item.decision if needs_review else None)
        changed.append(item)
        rows.append(publication)
    if not changed:
        return

    # Deduplication: each changed open publication joins an existing offer or a new one; an expired one keeps
    # its offer (or gets its own, closed) without being compared.
    live = [i for i, row in enumerate(rows) if row["closed_at"] is None]
    try:
        assignments = clustering.assign([changed[i].record for i in live], pool)
    except (
        Exception
    ) as exc:  # a failing algorithm must not lose the batch: each publication keeps or gets its offer
        summary.note(
            f"Dédoublonnage indisponible ({type(exc).__name__}: {exc}) : à relancer (offers rebuild-clusters)."
        )
        assignments = clustering.unassigned([rows[i]["offer_id"] for i in live])
    assigned = dict(zip(live, assignments, strict=True))
    new_groups: dict[tuple, list[dict]] = {}
    for i, row in enumerate(rows):
        assignment = assigned.get(i)
        if assignment is None:  # expired: stays where it was, alone otherwise
            if row["offer_id"] is None:
                new_groups[("expired", i)] = [row]
            continue
        row["dedup_signals"] = assignment.signals
        if assignment.offer_id is not None:
            row["offer_id"] = assignment.offer_id
            offers_to_rebuild.add(assignment.offer_id)
        else:
            new_groups.setdefault(("group", assignment.group), []).append(row)
    # New offers are built from the batch in memory, written complete, then their publications point at them.
    offers_to_rebuild |= {
        row["offer_id"] for members in new_groups.values() for row in members if row["offer_id"]
    }
    created_offers = []
    for members in new_groups.values():
        offer = _canonical([_as_canonical_input(row, source) for row in members], normaliser)
        offer["rebuilt_at"] = now
        created_offers.append(offer)
    fast_insert(Offer, created_offers)
    for offer, members in zip(created_offers, new_groups.values(), strict=True):
        for row in members:
            row["offer_id"] = offer["id"]

    fast_insert(Publication, created_rows)
    fast_bulk_update(Publication, updated_rows, _PUBLICATION_UPDATE_FIELDS)
    clustering.index_blocks(
        [(rows[i]["id"], changed[i].record.fingerprint) for i in live],
        replace=[row["id"] for row in updated_rows],
    )
    new_offer_ids = {offer["id"] for offer in created_offers}
    for i in live:
        pool.remember(
            rows[i]["id"],
            rows[i]["offer_id"],
            changed[i].record,
            new_offer=rows[i]["offer_id"] in new_offer_ids,
        )
    summary.created += len(created_rows)
    summary.updated += len(updated_rows)
    _save_reviews(rows, reviews, updated={row["id"] for row in updated_rows})
    rebuild_offers(offer_ids=offers_to_rebuild, normaliser=normaliser)


_PUBLICATION_DEFAULTS = {
    f.attname: f.get_default()
    for f in Publication._meta.concrete_fields
    if not f.primary_key and f.attname not in ("first_seen_at", "last_seen_at")
}


def _publication_row(item: Prepared, source: Source, now, *, closed_at) -> dict:
    """A Publication row (every column) from a prepared record."""
    decision = item.decision
    row = {**_PUBLICATION_DEFAULTS, **item.values}
    row.update(
        source_id=source.pk,
        external_id=item.record.source_id,
        content_hash=item.digest,
        first_seen_at=now,
        last_seen_at=now,
        closed_at=closed_at,
        offer_id=None,
        model_rome_code=item.model_rome_code,
        rome_confidence=decision.confidence,
        rome_disagreement=decision.disagreement,
        rome_code=decision.rome_code,
        rome_origin=decision.origin,
        dedup_signals={},
        search_text=item.search_text,  # not a column: read by _canonical for a one-publication offer
    )
    return row


def _as_canonical_input(row: dict, source: Source) -> dict:
    """A publication row in memory in the shape `_canonical` reads from the database."""
    return {
        **{name: row[name] for name in OFFER_FIELDS},
        "external_id": row["external_id"],
        "offer_id": row["offer_id"],
        "closed_at": row["closed_at"],
        "rome_origin": row["rome_origin"],
        "rome_confidence": row["rome_confidence"],
        "first_seen_at": row["first_seen_at"],
        "source__name": source.name,
        "source__label": source.label,
        "search_text": row["search_text"],
    }


_REVIEW_DEFAULTS = {f.attname: f.get_default() for f in RomeReview._meta.concrete_fields if not f.primary_key}


def _save_reviews(rows: list[dict], decisions: list, *, updated: set[int]) -> None:
    """Pending reviews: created for the publications that need one (unless they have one), deleted for the
    updated ones that no longer do."""
    settled = [
        row["id"] for row, d in zip(rows, decisions, strict=True) if d is None and row["id"] in updated
    ]
    for chunk in _chunks(settled):
        RomeReview.objects.filter(publication_id__in=chunk, status=RomeReview.Status.PENDING).delete()
    to_review = [(row["id"], d) for row, d in zip(rows, decisions, strict=True) if d is not None]
    if not to_review:
        return
    pending = set()
    for chunk in _chunks([pk for pk, _ in to_review if pk in updated]):
        pending.update(
            RomeReview.objects.filter(publication_id__in=chunk).values_list("publication_id", flat=True)
        )
    now = timezone.now()
    fast_insert(
        RomeReview,
        [
            {
                **_REVIEW_DEFAULTS,
                "publication_id": pk,
                "suggested_code": d.rome_code,
                "confidence": d.confidence,
                "candidates": d.candidates,
                "reason": d.reason,
                "created_at": now,
            }
            for pk, d in to_review
            if pk not in pending
        ],
    )


# ---------------------------------------------------------------------------------------------------------------
# Canonical offers


_REBUILD_FIELDS = [
    *OFFER_FIELDS,
    "external_id",
    "offer_id",
    "closed_at",
    "rome_origin",
    "rome_confidence",
    "first_seen_at",
    "source__name",
    "source__label",
]


def rebuild_offers(*, offer_ids: Iterable[int], normaliser: Normaliser | None = None) -> int:
    """Recompute the canonical fields of these offers from their publications; offers left without any
    publication are deleted. Returns the number of offers written."""
    ids = sorted(set(offer_ids))
    if not ids:
        return 0
    normaliser = normaliser or Normaliser()
    written = 0
    for chunk in _chunks(ids):
        by_offer = defaultdict(list)
        fields = [name for name in _REBUILD_FIELDS if name != "description"]
        rows = Publication.objects.filter(offer_id__in=chunk).values(
            *fields, description_start=Substr("description", 1, 4000)
        )
        for row in rows:
            row["description"] = row.pop("description_start")
            by_offer[row["offer_id"]].append(row)
        now = timezone.now()
        offers = [
            {**_canonical(by_offer[offer_id], normaliser), "id": offer_id, "rebuilt_at": now}
            for offer_id in chunk
            if offer_id in by_offer
        ]
        empty = [offer_id for offer_id in chunk if offer_id not in by_offer]
        if empty:
            Offer.objects.filter(pk__in=empty).delete()
        if offers:
            fast_bulk_update(Offer, offers, [*_OFFER_WRITE_FIELDS, "rebuilt_at"])
            written += len(offers)
    return written


_OFFER_WRITE_FIELDS = [
    *OFFER_FIELDS,
    "fiche_id",
    "rome_confidence",
    "departement_code",
    "bassin_code",
    "status",
    "publication_count",
    "operators",
    "source_names",
    "search_text",
]
_ROME_PRIORITY = {RomeOrigin.ADVISOR: 0, RomeOrigin.SOURCE: 1, RomeOrigin.MODEL: 2, "": 3}


def _filled(row: dict) -> int:
    return sum(1 for name in OFFER_FIELDS if row.get(name) not in (None, "", 0))


def _canonical(publications: list[dict], normaliser: Normaliser) -> dict:
    """Best-filled fields of a group: the most complete open publication first, each empty field completed
    from the next ones; the group's first publication date and latest update."""
    open_ones = [p for p in publications if p["closed_at"] is None]
    if len(publications) == 1:  # most offers: the publication's own fields, nothing to choose
        ranked = publications
        values = {name: publications[0][name] for name in OFFER_FIELDS}
    else:
        ranked = sorted(
            open_ones or publications,
            key=lambda p: (_filled(p), p["updated_at"] or p["published_at"] or p["first_seen_at"]),
            reverse=True,
        )
        values = {}
        for name in OFFER_FIELDS:
            values[name] = next((p[name] for p in ranked if p[name] not in (None, "")), ranked[0][name])
        for name, value in _dedup_canonical(ranked).items():
            if name in values and value not in (None, ""):
                values[name] = value
    dates = [p["published_at"] for p in publications if p["published_at"]]
    values["published_at"] = min(dates) if dates else None
    updates = [p["updated_at"] for p in publications if p["updated_at"]]
    values["updated_at"] = max(updates) if updates else values["published_at"]
    expiries = [p["expires_at"] for p in open_ones if p["expires_at"]]
    values["expires_at"] = max(expiries) if expiries else None
    values["positions"] = max(p["positions"] or 1 for p in ranked)
    coded = sorted(
        (p for p in ranked if p["rome_code"]),
        key=lambda p: (_ROME_PRIORITY.get(p["rome_origin"], 3), -(p["rome_confidence"] or 0)),
    )
    if coded:
        values["rome_code"], values["rome_confidence"] = coded[0]["rome_code"], coded[0]["rome_confidence"]
        values["appellation_id"] = coded[0]["appellation_id"] or values["appellation_id"]
    else:
        values["rome_confidence"] = None
    values["fiche_id"] = values["rome_code"] if values["rome_code"] in normaliser.fiches else None
    commune = normaliser.communes.get(values["commune_id"]) if values["commune_id"] else None
    values["departement_code"] = commune.departement if commune else ""
    values["bassin_code"] = commune.bassin if commune else ""
    if commune and values["latitude"] is None:
        values["latitude"], values["longitude"] = commune.latitude, commune.longitude
    operators = []
    for p in sorted(publications, key=lambda p: p["first_seen_at"]):
        label = p["source__label"] or p["source__name"]
        if label not in operators:
            operators.append(label)
    values["operators"] = operators
    values["source_names"] = " " + " ".join(sorted({p["source__name"] for p in publications})) + " "
    values["status"] = Offer.Status.OPEN if open_ones else Offer.Status.CLOSED
    values["publication_count"] = len(publications)
    prepared = publications[0].get("search_text") if len(publications) == 1 else None
    values["search_text"] = prepared if prepared is not None else _search_text(values, normaliser)
    return values


def _search_text(values: dict, normaliser: Normaliser) -> str:
    """The search text of an offer (or publication) from its column values."""
    appellation = normaliser.appellations.get(values["appellation_id"]) if values["appellation_id"] else None
    fiche = normaliser.fiches.get(values["rome_code"]) if values["rome_code"] else None
    commune = normaliser.communes.get(values["commune_id"]) if values["commune_id"] else None
    return offer_search_text(
        title=values["title"],
        employer=values["employer_name"],
        appellation=appellation[0] if appellation else "",
        fiche=fiche[0] if fiche else "",
        commune=commune.name if commune else "",
        description=values["description"],
    )


_CANONICAL_NAMES = {"commune_code": "commune_id", "appellation_code": "appellation_id"}


def _dedup_canonical(rows: list[dict]) -> dict:
    """The deduplication module's choice of best-filled values (its rules: valid SIRET first, coordinates
    together, most frequent title…), in Offer column names; {} without the module."""
    try:
        from offers.dedup import canonical_values
    except ImportError:
        return {}
    views = [
        {**row, "commune_code": row["commune_id"] or "", "appellation_code": row["appellation_id"]}
        for row in rows
    ]
    return {_CANONICAL_NAMES.get(name, name): value for name, value in canonical_values(views).items()}


def close_missing(*, source: Source, seen_ids: set[str]) -> int:
    """Close the source's open publications that a full snapshot no longer holds; returns how many."""
    now = timezone.now()
    missing = [
        (pk, offer_id)
        for pk, source_id, offer_id in Publication.objects.filter(
            source=source, closed_at__isnull=True
        ).values_list("pk", "external_id", "offer_id")
        if source_id not in seen_ids
    ]
    with transaction.atomic():
        for chunk in _chunks([pk for pk, _ in missing]):
            Publication.objects.filter(pk__in=chunk).update(closed_at=now)
        rebuild_offers(offer_ids={offer_id for _, offer_id in missing if offer_id})
    return len(missing)


def close_expired(*, now=None) -> int:
    """Close the open publications whose expiry date is past, and rebuild their offers; returns how many.
    Idempotent: a second call finds nothing to close."""
    now = now or timezone.now()
    expired = list(
        Publication.objects.filter(closed_at__isnull=True, expires_at__lte=now).values_list("pk", "offer_id")
    )
    with transaction.atomic():
        for chunk in _chunks([pk for pk, _ in expired]):
            Publication.objects.filter(pk__in=chunk).update(closed_at=now)
        rebuild_offers(offer_ids={offer_id for _, offer_id in expired if offer_id})
    return len(expired)


def rebuild_clusters() -> dict:
    """Full deduplication of every open publication, from scratch. Each cluster keeps the offer id most of its
    publications had (so links to offers stay valid); the others get new offers; emptied offers are deleted."""
    normaliser = Normaliser()
    groups = clustering.full_rebuild()
    with transaction.atomic():
        old: dict[int, int | None] = dict(
            Publication.objects.filter(closed_at__isnull=True)
            .values_list("pk", "offer_id")
            .iterator(chunk_size=20000)
        )
        used: set[int] = set()
        updates: list[Publication] = []
        moved = 0
        touched: set[int] = {offer_id for offer_id in old.values() if offer_id}
        for members, signals in groups:
            votes: dict[int, int] = defaultdict(int)
            for pk in members:
                if old.get(pk):
                    votes[old[pk]] += 1
            ranked = sorted(votes, key=lambda oid: (-votes[oid], oid))
            offer_id = next((oid for oid in ranked if oid not in used), None)
            if offer_id is None:
                offer_id = Offer.objects.create(title="").pk
            used.add(offer_id)
            touched.add(offer_id)
            for pk in members:
                moved += old.get(pk) != offer_id
                if old.get(pk) != offer_id or signals.get(pk):
                    updates.append(Publication(pk=pk, offer_id=offer_id, dedup_signals=signals.get(pk, {})))
        fast_bulk_update(Publication, updates, ["offer_id", "dedup_signals"])
        rebuild_offers(offer_ids=touched, normaliser=normaliser)
    return {"publications": len(old), "clusters": len(groups), "moved": moved}


@transaction.atomic
def record_rome_choice(*, review: RomeReview, appellation, user) -> Publication:
    """An advisor's ROME choice for a publication: it becomes the publication's code (origin advisor, kept over
    later imports and the model), the review is closed and kept as training data, the offer is rebuilt."""
    publication = review.publication
    publication.rome_code = appellation.fiche_id
    publication.appellation = appellation
    publication.rome_origin = RomeOrigin.ADVISOR
    publication.rome_confidence = 1.0
    publication.rome_disagreement = False
    publication.save(
        update_fields=["rome_code", "appellation", "rome_origin", "rome_confidence", "rome_disagreement"]
    )
    review.status = RomeReview.Status.DONE
    review.chosen_code = appellation.fiche_id
    review.chosen_appellation = appellation
    review.reviewed_by = user
    review.reviewed_at = timezone.now()
    review.save()
    if publication.offer_id:
        rebuild_offers(offer_ids=[publication.offer_id])
    return publication
