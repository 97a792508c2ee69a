"""Deduplication of job offers: group the publications of one job across sources and re-posts
(docs/offers-dedup.md). Pure Python, no database: publications are `offers.canonical.CanonicalOffer` (or any
object with its attribute names: source, source_id, title, description, employer_name, siret, siret_valid,
commune_code, postal_code, commune_name, latitude, longitude, contract_type, published_at).

Public API:

- `DedupIndex()`: the cluster index (fingerprints, blocks, clusters); `index.save(path)` /
  `DedupIndex.load(path)` persist it, or rebuild it from the database rows with `rebuild`.
- `assign(new_records, index) -> list[int]`: add a batch to the index, return each record's cluster id (the
  index position of the cluster's oldest member; stable as the index grows). Records already in the index
  (same source + source_id) keep theirs.
- `rebuild(records) -> (index, cluster_ids)`: full rebuild, records added in time order (publication date,
  source, id), so incremental batches arriving in time order give the same clusters.
- `cluster(records) -> list[(members, {member: signals})]`: full rebuild as groups of positions in `records`
  (every record in exactly one group, singletons included); signals of the members that joined by a match.
- `assign_incremental(batch, candidates) -> list[Assignment(offer_id, group, signals)]`: the import pipeline's
  call. `candidates` are `(offer_id, record)` of the pool's open publications the batch could duplicate
  (`record` may be a `PoolRecord` carrying its fingerprint); they are taken grouped as the pool has them and
  never compared with one another. Each batch record gets an existing `offer_id`, or `offer_id=None` and a
  `group` number shared by the batch records that form a new offer together.
- `explain(signals) -> list[str]`: the matched signals in French, for the offer page.
- `canonical_values(records) -> dict`: the best-filled value of each field among a cluster's publications.

`signals` (JSON-serialisable dict): place ("commune" | "city" | "distance"), distance_km, siret ("same" |
None), employer (name similarity 0-100 | None), title (0-100), contract (the shared type | None), description
(share of shared word pairs 0-1 | None), days (days between publications | None).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.pickling import pickled_by_fields

from .canonical import canonical_values
from .explain import explain
from .index import DedupIndex, time_order
from .keys import Fingerprint, fingerprint

__all__ = [
    "Assignment",
    "DedupIndex",
    "Fingerprint",
    "PoolRecord",
    "assign",
    "assign_incremental",
    "canonical_values",
    "cluster",
    "explain",
    "fingerprint",
    "rebuild",
]


@dataclass(slots=True)
class Assignment:
    offer_id: int | None
    group: int
    signals: dict = field(default_factory=dict)


@pickled_by_fields
@dataclass(slots=True)
class PoolRecord:
    """A pool publication known by its fingerprint (the pipeline keeps fingerprints, not whole records)."""

    source: str
    source_id: str
    published_at: object
    fingerprint: Fingerprint


def _fingerprints(records: list) -> list[Fingerprint]:
    return [r.fingerprint if isinstance(r, PoolRecord) else fingerprint(r) for r in records]


def assign(new_records: Iterable, index: DedupIndex) -> list[int]:
    positions = index.add(new_records)
    return [index.cluster_of(position) for position in positions]


def rebuild(records: list) -> tuple[DedupIndex, list[int]]:
    index = DedupIndex()
    order = time_order(records)
    positions = index.add(records[i] for i in order)
    cluster_ids = [0] * len(records)
    for record_number, position in zip(order, positions, strict=True):
        cluster_ids[record_number] = index.cluster_of(position)
    return index, cluster_ids


def cluster(records: list) -> list[tuple[list[int], dict[int, dict]]]:
    index = DedupIndex()
    order = time_order(records)
    positions = index.add(records[i] for i in order)
    position_of = dict(zip(order, positions, strict=True))
    groups: dict[int, list[int]] = {}
    for record_number in range(len(records)):
        groups.setdefault(index.cluster_of(position_of[record_number]), []).append(record_number)
    result = []
    for members in groups.values():
        signals = {m: index.signals[position_of[m]] for m in members if index.signals[position_of[m]]}
        result.append((members, signals))
    result.sort(key=lambda group: group[0][0])
    return result


def assign_incremental(
    batch: list, candidates: list[tuple[int, object]], *, fingerprints: list[Fingerprint] | None = None
) -> list[Assignment]:
    """`fingerprints`: the batch's, when already computed (same order as `batch`)."""
    index = DedupIndex()
    # The pool's publications first, grouped as the pool already has them (no re-matching among them).
    first_of_offer: dict[int, int] = {}
    offer_of_member: dict[int, int] = {}
    records = [record for _, record in candidates]
    positions = index.add(
        records,
        same_cluster_as=[None] * len(records),
        fingerprints=_fingerprints(records),
        match=False,
    )
    for (offer_id, _), position in zip(candidates, positions, strict=True):
        if offer_id in first_of_offer:
            index._union(position, first_of_offer[offer_id], check=False)
        else:
            first_of_offer[offer_id] = position
        offer_of_member.setdefault(position, offer_id)
    order = time_order(batch)
    prints = fingerprints if fingerprints is not None else _fingerprints(batch)
    batch_positions = index.add([batch[i] for i in order], fingerprints=[prints[i] for i in order])
    position_of = dict(zip(order, batch_positions, strict=True))
    groups: dict[int, int] = {}
    assignments = []
    for number in range(len(batch)):
        position = position_of[number]
        root = index.cluster_of(position)
        offer_id = offer_of_member.get(root)
        group = groups.setdefault(root, len(groups))
        assignments.append(Assignment(offer_id, group, dict(index.signals[position])))
    return assignments
