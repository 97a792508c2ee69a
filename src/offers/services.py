"""Writes on the pool of offers: import a source's records (normalise, upsert by (source, source_id) with a content
hash, ROME coding, incremental deduplication, canonical offers), close what a snapshot no longer holds, rebuild
clusters, record an advisor's ROME choice.

Everything works in batches with bulk queries: a batch costs a fixed number of queries whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.db.models.functions import Substr
from django.utils import timezone

from offers import clustering, rome_coding
from offers.canonical import CanonicalOffer, RejectedRecord
from offers.models import ImportRun, Offer, OfferFields, Publication, RomeOrigin, RomeReview, Source
from offers.normalise import Normaliser, content_hash
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
    adapters = [_adapter(f) for f in fields]
    rows = []
    for obj in objects:
        row = []
        for f, adapt in zip(fields, adapters, strict=True):
            value = getattr(obj, f.attname)
            row.append(adapt(value) if adapt is not None and value is not None else value)
        rows.append(row)
    return rows


def _rows_per_statement(columns: int) -> int:
    params = 30000 if connection.vendor == "sqlite" else 60000
    return max(1, params // max(columns, 1))


def fast_insert(model, objects: list) -> None:
    """INSERT … VALUES (…), (…) RETURNING id for many objects, setting their pk: Django's bulk_create spends
    most of its time compiling each value; here values are adapted once and sent as is."""
    if not objects:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    rows = _row_values(objects, fields)
    step = _rows_per_statement(len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([placeholder] * len(chunk))} "
                f"RETURNING {quote(meta.pk.column)}"
            )
            cursor.execute(sql, [value for row in chunk for value in row])
            for obj, (pk,) in zip(objects[start : start + step], cursor.fetchall(), strict=True):
                obj.pk = pk


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
    rows = [[*values, obj.pk] for values, obj in zip(_row_values(objects, concrete), objects, strict=True)]
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


def import_records(
    *,
    source: Source,
    records: Iterable[CanonicalOffer | RejectedRecord],
    file_name: str = "",
    snapshot: bool = False,
    user=None,
    batch_size: int = BATCH_SIZE,
    normaliser: Normaliser | None = None,
) -> ImportRun:
    """Import a source's records; the returned ImportRun holds the counts and every rejected line with its reason.

    A record is rejected alone (bad data, or an error while storing its batch: the batch is then retried record
    by record), the rest goes in. With `snapshot`, the source's open publications missing from the records
    are closed.
    """
    mark_interrupted_runs(source=source)
    run = ImportRun.objects.create(
        source=source, file_name=file_name[:300], snapshot=snapshot, user=user, worker=this_worker()
    )
    summary = ImportSummary()
    normaliser = normaliser or Normaliser()
    seen: set[str] = set()
    try:
        for batch in _batches(records, batch_size):
            offers: dict[str, CanonicalOffer] = {}
            for record in batch:
                summary.read += 1
                if isinstance(record, RejectedRecord):
                    _reject(summary, record.line, record.reason)
                    continue
                if record.source_id in offers:  # the same id twice in a file: the later record wins
                    summary.unchanged += 1
                offers[record.source_id] = record
            seen.update(offers)
            _store_batch(source, list(offers.values()), normaliser, summary)
            record_progress(run, summary)
        if snapshot:
            summary.closed = close_missing(source=source, seen_ids=seen)
    except Exception as exc:
        run.status = ImportRun.Status.FAILED
        run.message = f"{type(exc).__name__}: {exc}"
        _finish(run, summary)
        raise
    if summary.created + summary.updated >= ANALYZE_AFTER:
        refresh_statistics()
    run.status = ImportRun.Status.PARTIAL if summary.rejected else ImportRun.Status.SUCCEEDED
    if summary.read == 0:
        run.message = "Le fichier ne contient aucune offre."
    _finish(run, summary)
    return run


ANALYZE_AFTER = 1000  # rows written by an import after which the planner's statistics are refreshed


def refresh_statistics() -> None:
    """Let the query planner know the pool's new size: without statistics SQLite scans every open offer for a
    radius search instead of using the covering index."""
    with connection.cursor() as cursor:
        for table in ("offers_offer", "offers_publication", "offers_dedupblock"):
            cursor.execute(f"ANALYZE {table}")


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
    source: Source, offers: list[CanonicalOffer], normaliser: Normaliser, summary: ImportSummary
):
    try:
        with transaction.atomic():
            _store(source, offers, normaliser, summary)
    except Exception:
        if len(offers) == 1:
            raise
        # Find the culprit(s): store record by record so only the bad ones are rejected.
        for offer in offers:
            try:
                with transaction.atomic():
                    _store(source, [offer], normaliser, summary)
            except Exception as exc:
                _reject(summary, offer.line, f"could not be stored: {type(exc).__name__}: {exc}")


def _store(source: Source, offers: list[CanonicalOffer], normaliser: Normaliser, summary: ImportSummary):
    now = timezone.now()
    existing = {}
    for chunk in _chunks([o.source_id for o in offers]):
        for row in Publication.objects.filter(source=source, external_id__in=chunk).values(
            "pk",
            "external_id",
            "content_hash",
            "closed_at",
            "offer_id",
            "rome_origin",
            "rome_code",
            "appellation_id",
        ):
            existing[row["external_id"]] = row
    to_create, to_update, changed_offers, publications = [], [], [], []
    offers_to_rebuild: set[int] = set()
    for offer in offers:
        digest = content_hash(offer)
        row = existing.get(offer.source_id)
        if row and row["content_hash"] == digest and row["closed_at"] is None:
            summary.unchanged += 1
            continue
        values = normaliser.publication_values(offer)
        publication = Publication(source=source, external_id=offer.source_id, content_hash=digest, **values)
        publication.last_seen_at = publication.first_seen_at = now
        publication.closed_at = None
        if row is None:
            to_create.append(publication)
        else:
            publication.pk = row["pk"]
            publication.offer_id = row["offer_id"]
            if row["offer_id"]:
                offers_to_rebuild.add(row["offer_id"])
            if row["rome_origin"] == RomeOrigin.ADVISOR:  # an advisor's choice outlives source updates
                publication.rome_origin, publication.rome_code = RomeOrigin.ADVISOR, row["rome_code"]
                publication.appellation_id = publication.appellation_id or row["appellation_id"]
            to_update.append(publication)
        changed_offers.append(offer)
        publications.append(publication)  # in the batch's order, like changed_offers
    if not changed_offers:
        return
    reviews = _code_rome(publications, changed_offers, normaliser, summary)

    # Deduplication: each changed publication joins an existing offer or a new one.
    try:
        assignments = clustering.assign(changed_offers, publications)
    except (
        Exception
    ) as exc:  # a failing algorithm must not lose the batch: each publication keeps or gets its offer
        summary.note(
            f"Dédoublonnage indisponible ({type(exc).__name__}: {exc}) : à relancer (offers rebuild-clusters)."
        )
        assignments = clustering.unassigned(publications)
    new_groups: dict[int, list[Publication]] = {}
    for publication, assignment in zip(publications, assignments, strict=True):
        publication.dedup_signals = assignment.signals
        if assignment.offer_id is not None:
            publication.offer_id = assignment.offer_id
            offers_to_rebuild.add(assignment.offer_id)
        else:
            new_groups.setdefault(assignment.group, []).append(publication)
    # New offers are built from the batch in memory, written complete, then their publications point at them.
    moved_from = {p.offer_id for members in new_groups.values() for p in members if p.offer_id}
    offers_to_rebuild |= moved_from
    created_offers = []
    for members in new_groups.values():
        offer = Offer(**_canonical([_as_row(p, source, now) for p in members], normaliser))
        offer.rebuilt_at = now
        created_offers.append((offer, members))
    fast_insert(Offer, [offer for offer, _ in created_offers])
    for offer, members in created_offers:
        for publication in members:
            publication.offer_id = offer.pk

    fast_insert(Publication, to_create)
    fast_bulk_update(Publication, to_update, _PUBLICATION_UPDATE_FIELDS)
    clustering.index_blocks(publications, changed_offers)
    summary.created += len(to_create)
    summary.updated += len(to_update)
    _save_reviews(publications, reviews)
    rebuild_offers(offer_ids=offers_to_rebuild, normaliser=normaliser)


def _as_row(publication: Publication, source: Source, now) -> dict:
    """A publication in memory in the shape `_canonical` reads from the database."""
    row = {name: getattr(publication, name) for name in OFFER_FIELDS}
    row.update(
        external_id=publication.external_id,
        offer_id=publication.offer_id,
        closed_at=publication.closed_at,
        rome_origin=publication.rome_origin,
        rome_confidence=publication.rome_confidence,
        first_seen_at=publication.first_seen_at or now,
        source__name=source.name,
        source__label=source.label,
    )
    return row


def _code_rome(
    publications: list[Publication],
    offers: list[CanonicalOffer],
    normaliser: Normaliser,
    summary: ImportSummary,
) -> list:
    """Set each publication's ROME code, confidence, origin and disagreement flag; returns the review items to
    keep (None where no review is needed). Without a working model, the sources' codes are kept and the
    other publications go to the review list."""
    try:
        predictions = rome_coding.predict(offers)
    except Exception as exc:
        summary.note(f"Modèle de codage ROME indisponible ({type(exc).__name__}: {exc}).")
        predictions = [None] * len(offers)
    reviews = []
    for publication, prediction in zip(publications, predictions, strict=True):
        decision = rome_coding.decide(
            source_code=publication.source_rome_code,
            prediction=prediction,
            fiches=normaliser.fiches,
        )
        publication.model_rome_code = prediction.rome_code if prediction else ""
        publication.rome_confidence = decision.confidence
        publication.rome_disagreement = decision.disagreement
        if publication.rome_origin != RomeOrigin.ADVISOR:
            publication.rome_code, publication.rome_origin = decision.rome_code, decision.origin
        needs_review = decision.needs_review and publication.rome_origin != RomeOrigin.ADVISOR
        reviews.append(decision if needs_review else None)
    return reviews


def _save_reviews(publications: list[Publication], decisions: list) -> None:
    to_review = [(p, d) for p, d in zip(publications, decisions, strict=True) if d is not None]
    settled = [p.pk for p, d in zip(publications, decisions, strict=True) if d is None]
    for chunk in _chunks(settled):
        RomeReview.objects.filter(publication_id__in=chunk, status=RomeReview.Status.PENDING).delete()
    if not to_review:
        return
    ids = [p.pk for p, _ in to_review]
    pending = set()
    for chunk in _chunks(ids):
        pending.update(
            RomeReview.objects.filter(publication_id__in=chunk).values_list("publication_id", flat=True)
        )
    RomeReview.objects.bulk_create(
        [
            RomeReview(
                publication_id=p.pk,
                suggested_code=d.rome_code,
                confidence=d.confidence,
                candidates=d.candidates,
                reason=d.reason,
            )
            for p, d in to_review
            if p.pk not in pending
        ],
        batch_size=1000,
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
        offers = []
        for offer_id in chunk:
            publications = by_offer.get(offer_id)
            if not publications:
                continue
            offer = Offer(pk=offer_id, **_canonical(publications, normaliser))
            offers.append(offer)
        empty = [offer_id for offer_id in chunk if offer_id not in by_offer]
        if empty:
            Offer.objects.filter(pk__in=empty).delete()
        if offers:
            now = timezone.now()
            for offer in offers:
                offer.rebuilt_at = now
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
    appellation = normaliser.appellations.get(values["appellation_id"]) if values["appellation_id"] else None
    fiche = normaliser.fiches.get(values["fiche_id"]) if values["fiche_id"] else None
    values["search_text"] = offer_search_text(
        title=values["title"],
        employer=values["employer_name"],
        appellation=appellation[0] if appellation else "",
        fiche=fiche[0] if fiche else "",
        commune=commune.name if commune else "",
        description=values["description"],
    )
    return values


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
