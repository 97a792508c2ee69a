"""Where the search index lives and how each process keeps its copy current.

- The **saved base**: the open offers of one consistent read of the database, built by
  `reseau-emploi offers build-search-index` (`build_search_index`) into
  `OFFERS_SEARCH_INDEX_DIR/<database>/<generation>/`; the file `current` names the generation in use. Every
  process of the machine memory-maps the same files.
- The **change log** (`SearchChange`, written by database triggers) tells which offers changed since a base
  was read: on PostgreSQL the changes of transactions the base's snapshot did not see (`pg_visible_in_snapshot`
  on the saved snapshot), on SQLite (one writer at a time) the log entries after the last one it saw.
- Each process lays **overlays** over its base: the changed offers read again, their older rows masked out.
  Before each search it counts the log entries its last read did not see (one indexed query over the entries
  written since that read, none most of the time: the count does not grow with the changes since the base);
  when they moved, it reads the offers changed since its last look into a new overlay (all the changes since
  the base again, as one, after MAX_SEGMENTS overlays or when an entry committed late under the last id it saw).
- Without a saved base, a pool of at most PROCESS_READ_MAX open offers is read whole by the process itself.
  When a process would have to read more than that, searches go to the database until the index is rebuilt
  (`refresh_search_index`, run after each import, rebuilds it then).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Count, Max, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from offers.dbfunctions import EpochSeconds
from offers.models import Offer, SearchChange, SearchDatabase
from offers.search_index.segment import READ_FIELDS, Segment, read_segment

# What a read of the database saw of the change log: on PostgreSQL its snapshot (`pg_current_snapshot()` as
# text), on SQLite the id of the last log entry.
Horizon = int | str

logger = logging.getLogger(__name__)

# The most offers a process reads by itself (an overlay of changed offers, or a whole pool without a saved
# base): about 1 s of reading and indexing. Beyond, the saved base must be rebuilt.
PROCESS_READ_MAX = 50_000
# How long a process that found the index unusable waits before looking again.
RETRY_SECONDS = 30
# Overlays a process lays over its base, one per look that found changes, before it reads them all again as one.
MAX_SEGMENTS = 8
ID_LIST_SIZE = 10_000  # under SQLite's 32,766 parameters a statement
CURRENT = "current"


@dataclass
class SearchIndex:
    """The segments to search, each with the mask of its rows still current (None: all of them)."""

    segments: list[tuple[Segment, np.ndarray | None]]
    seen: Horizon  # what the latest read of these segments saw of the change log
    stamp: tuple[int, int]  # the log entries `seen` misses, as that read counted them (see _stamp)


@dataclass
class _ProcessState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    generation: str | None = None  # the saved base this process loaded (None: none saved)
    base: Segment | None = None
    index: SearchIndex | None = None
    retry_at: float = 0.0


_state = _ProcessState()


def reset_process_index() -> None:
    """Forget this process's copy (tests, whose databases are rolled back or recreated under it)."""
    global _state
    _state = _ProcessState()


def current_index() -> SearchIndex | None:
    """The index of the open offers as the database holds them now, or None when searches must go to the
    database (index turned off, or too far behind for this process to catch up by itself)."""
    if not settings.OFFERS_SEARCH_INDEX:
        return None
    state = _state
    with state.lock:
        saved = _saved_generation()
        if saved != state.generation:
            state.generation, state.base, state.index, state.retry_at = saved, _load_saved(saved), None, 0.0
        if state.index is not None and _stamp(state.index.seen) == state.index.stamp:
            return state.index
        if time.monotonic() < state.retry_at:
            return None
        state.index = _with_overlay(state.base, state.index) if state.base is not None else None
        if state.index is None:  # no base, or too far behind it: a small pool is read again whole
            state.index = _read_whole_pool()
            state.base = state.index.segments[0][0] if state.index is not None else state.base
        if state.index is None:
            state.retry_at = time.monotonic() + RETRY_SECONDS
            logger.warning("Search index too far behind the database: searches go to the database")
        return state.index


@dataclass
class BuildReport:
    offers: int
    generation: str
    directory: Path
    seconds: float
    purged_changes: int


def build_search_index() -> BuildReport:
    """Read every open offer in one snapshot, save them as the new base, then drop the change log entries
    that base already holds."""
    started = time.monotonic()
    root = _index_root()
    generation = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    with _snapshot():
        horizon = _horizon()
        meta = {"generation": generation, "horizon": horizon, "database": _database_uuid()}
        meta["built_at"] = timezone.now().isoformat()
        segment = read_segment(_all_open_rows(), meta=meta)
    segment.save(root / generation)
    pointer = root / f"{CURRENT}.{os.getpid()}"
    pointer.write_text(generation)
    pointer.replace(root / CURRENT)  # atomic: a process reads the old name or the new one
    # Only after the switch: a process that still counts changes from the old base looks at `current` first.
    purged, _ = _changes_seen_by(horizon).delete()
    for old in sorted(p for p in root.iterdir() if p.is_dir() and p.name != generation)[:-1]:
        shutil.rmtree(old, ignore_errors=True)  # the previous one stays for processes still reading it
    return BuildReport(len(segment), generation, root / generation, time.monotonic() - started, purged)


def refresh_search_index() -> BuildReport | None:
    """Rebuild the saved base when processes could not catch up with the changes by themselves."""
    if not settings.OFFERS_SEARCH_INDEX:
        return None
    base = _load_saved(_saved_generation())
    behind = _open_offers().count() if base is None else _stamp(base.meta["horizon"])[0]
    return build_search_index() if behind > PROCESS_READ_MAX else None


def _with_overlay(base: Segment, previous: SearchIndex | None) -> SearchIndex | None:
    """The base with the offers changed since it was read laid over it: only those changed since `previous`
    (this process's last look) when nothing committed late under its last log id, else all of them again."""
    with _snapshot():
        if previous is not None and previous.segments[0][0] is base and len(previous.segments) < MAX_SEGMENTS:
            new_entries = _stamp(previous.seen)[0] - previous.stamp[0]
            if new_entries <= PROCESS_READ_MAX:  # beyond, the count since the base below says too far behind
                later = (
                    _changes_since(previous.seen)
                    .filter(pk__gt=previous.stamp[1])
                    .values_list("offer_id", flat=True)
                )
                later_ids = np.fromiter(later, dtype=np.int64)
                if len(later_ids) == new_entries:
                    return _laid_over(previous.segments, np.unique(later_ids))
        horizon = base.meta["horizon"]
        if _stamp(horizon)[0] > PROCESS_READ_MAX:
            return None
        changed = _changes_since(horizon).values_list("offer_id", flat=True)
        return _laid_over([(base, None)], np.unique(np.fromiter(changed, dtype=np.int64)))


def _laid_over(segments: list, changed_ids: np.ndarray) -> SearchIndex:
    """A new overlay of the changed offers (read in the caller's snapshot) over `segments`, in which their
    rows are masked out."""
    seen = _horizon()
    overlay = read_segment(_open_rows(changed_ids))
    masked = []
    for segment, live in segments:
        live = np.ones(len(segment), dtype=bool) if live is None else live.copy()
        positions = np.searchsorted(segment.ids, changed_ids)
        found = positions < len(segment)
        positions = positions[found]
        live[positions[segment.ids[positions] == changed_ids[found]]] = False
        masked.append((segment, None if live.all() else live))  # None: no mask to apply
    return SearchIndex([*masked, (overlay, None)], seen, _stamp(seen))


def _read_whole_pool() -> SearchIndex | None:
    with _snapshot():
        if _open_offers().count() > PROCESS_READ_MAX:
            return None
        horizon = _horizon()
        segment = read_segment(_all_open_rows(), meta={"horizon": horizon})
        return SearchIndex([(segment, None)], horizon, _stamp(horizon))


def _open_offers() -> QuerySet:
    return Offer.objects.filter(status=Offer.Status.OPEN).annotate(published=EpochSeconds("published_at"))


def _all_open_rows() -> Iterator[tuple]:
    return _open_offers().order_by("pk").values_list(*READ_FIELDS).iterator(chunk_size=5000)


def _open_rows(ids: np.ndarray) -> Iterator[tuple]:
    """The open ones among these offers, in id order: by id lists (a server-side cursor, as `iterator()` opens
    on PostgreSQL, is planned for its first rows and walked the whole id index: 1 s for 17,000 offers)."""
    for start in range(0, len(ids), ID_LIST_SIZE):
        chunk = ids[start : start + ID_LIST_SIZE].tolist()
        yield from _open_offers().filter(pk__in=chunk).order_by("pk").values_list(*READ_FIELDS)


@contextmanager
def _snapshot():
    """One consistent read: a REPEATABLE READ transaction on PostgreSQL (SQLite's read transactions are)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _horizon() -> Horizon:
    """What the current snapshot has seen of the change log (see _changes_since)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM offers_searchchange")
            return cursor.fetchone()[0]
        cursor.execute("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned()::text")
        snapshot, own = cursor.fetchone()
    xmin, xmax, running = snapshot.split(":")
    # A snapshot does not list its own transaction as running: once another one has completed after it (xmax
    # past its id), this transaction's later writes would look seen. It is listed here.
    if own is None or int(own) >= int(xmax):
        return snapshot
    ids = sorted({int(xid) for xid in running.split(",") if xid} | {int(own)})
    return f"{xmin}:{xmax}:{','.join(map(str, ids))}"


def _changes_since(horizon: Horizon) -> QuerySet:
    """Log entries a read of this horizon did not see: on PostgreSQL, those of transactions its snapshot did not
    see (the snapshot's xmin alone is cluster-wide: a long transaction in another database would hold it back),
    on SQLite the later entries."""
    if connection.vendor == "postgresql":
        xmin = int(horizon.split(":")[0])
        return SearchChange.objects.filter(txid__gte=xmin).alias(seen=_seen_in(horizon)).filter(seen=False)
    return SearchChange.objects.filter(pk__gt=horizon)


def _changes_seen_by(horizon: Horizon) -> QuerySet:
    if connection.vendor == "postgresql":
        return SearchChange.objects.alias(seen=_seen_in(horizon)).filter(seen=True)
    return SearchChange.objects.filter(pk__lte=horizon)


def _seen_in(snapshot: str) -> RawSQL:
    return RawSQL(
        "pg_visible_in_snapshot(offers_searchchange.txid::text::xid8, %s::pg_snapshot)",
        [snapshot],
        output_field=BooleanField(),
    )


def _stamp(horizon: Horizon) -> tuple[int, int]:
    """(count, last id) of the log entries after a horizon: a transaction committing late adds entries below
    the last id, so the count is part of it."""
    found = _changes_since(horizon).aggregate(count=Count("pk"), last=Max("pk"))
    return found["count"], found["last"] or 0


def _database_uuid() -> str:
    return str(
        SearchDatabase.objects.values_list("uuid", flat=True).first() or SearchDatabase.objects.create().uuid
    )


def _index_root() -> Path:
    """The saved indexes of this database (one directory per database the settings can point to)."""
    db = connection.settings_dict
    key = hashlib.sha256(f"{connection.vendor}|{db['HOST']}|{db['PORT']}|{db['NAME']}".encode()).hexdigest()
    return Path(settings.OFFERS_SEARCH_INDEX_DIR) / f"{connection.vendor}-{key[:16]}"


def _saved_generation() -> str | None:
    try:
        return (_index_root() / CURRENT).read_text().strip() or None
    except FileNotFoundError:
        return None


def _load_saved(generation: str | None) -> Segment | None:
    """The saved base, if it was built from this very database."""
    if generation is None:
        return None
    try:
        segment = Segment.load(_index_root() / generation)
    except (OSError, ValueError) as error:
        logger.warning("Saved search index %s unreadable (%s): rebuild it", generation, error)
        return None
    if segment.meta.get("database") != _database_uuid():
        return None
    if not isinstance(segment.meta.get("horizon"), str if connection.vendor == "postgresql" else int):
        logger.warning("Saved search index %s was built by an older version: rebuild it", generation)
        return None
    return segment
