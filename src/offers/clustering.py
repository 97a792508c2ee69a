"""The import pipeline's side of deduplication: fetches, from the database, the open publications a batch could
duplicate (same commune, or same postal code when the commune is unknown), hands them with the batch to the
algorithm of `offers.dedup`, and returns where each new publication goes: an existing offer, or a new group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models.functions import Substr

from offers.canonical import CanonicalOffer
from offers.dedup.keys import DESCRIPTION_CHARS  # pool records are compared on the same text as new ones
from offers.models import Publication

_CANDIDATE_FIELDS = [
    "pk",
    "offer_id",
    "source__name",
    "external_id",
    "title",
    "employer_name",
    "siret",
    "siret_valid",
    "commune_id",
    "commune_code",
    "postal_code",
    "commune_name",
    "latitude",
    "longitude",
    "contract_type",
    "contract_label",
    "rome_code",
    "published_at",
    "url",
]


@dataclass(slots=True)
class Assignment:
    offer_id: int | None  # an existing offer, or None: a new offer shared by the batch items of `group`
    group: int
    signals: dict = field(default_factory=dict)


def _dedup():
    from offers import dedup

    return dedup


def block_keys(offer) -> list[str]:
    """The blocks of offers.dedup (place — INSEE code or postal code + name — × each of the two main title
    words): two publications of one job share at least one."""
    from offers.dedup.keys import city_key, title_key, title_tokens

    tokens = title_tokens(title_key(offer.title, offer.commune_name))
    city = city_key(offer.postal_code, offer.commune_name)
    places = sorted(
        place for place in (offer.commune_code and f"i{offer.commune_code}", city and f"c{city}") if place
    )
    return [f"{place}|{token}"[:150] for place in places for token in tokens]


def index_blocks(publications: list[Publication], offers: list[CanonicalOffer]) -> None:
    """(Re)write the blocking keys of these publications (after they are stored)."""
    from offers.models import DedupBlock
    from offers.services import fast_insert

    ids = [p.pk for p in publications]
    for start in range(0, len(ids), 500):
        DedupBlock.objects.filter(publication_id__in=ids[start : start + 500]).delete()
    try:
        blocks = [
            DedupBlock(key=key, publication_id=p.pk)
            for p, o in zip(publications, offers, strict=True)
            for key in block_keys(o)
        ]
    except ImportError:
        return
    fast_insert(DedupBlock, blocks)


def candidate_offers(
    batch: list[CanonicalOffer], exclude: set[tuple[str, str]]
) -> list[tuple[int, CanonicalOffer]]:
    """(offer id, CanonicalOffer) of the pool's open publications sharing a block with the batch."""
    from offers.models import DedupBlock

    keys = sorted({key for offer in batch for key in block_keys(offer)})
    found = []
    for start in range(0, len(keys), 500):
        blocked = DedupBlock.objects.filter(key__in=keys[start : start + 500]).values("publication_id")
        rows = Publication.objects.filter(pk__in=blocked, closed_at__isnull=True, offer__isnull=False).values(
            *_CANDIDATE_FIELDS, description_start=Substr("description", 1, DESCRIPTION_CHARS)
        )
        for row in rows:
            if (row["source__name"], row["external_id"]) in exclude:
                continue
            exclude.add((row["source__name"], row["external_id"]))  # once, even if found through two blocks
            found.append((row["offer_id"], _as_canonical(row)))
    return found


def _as_canonical(row: dict) -> CanonicalOffer:
    return CanonicalOffer(
        source=row["source__name"],
        source_id=row["external_id"],
        title=row["title"],
        employer_name=row["employer_name"],
        siret=row["siret"],
        siret_valid=row["siret_valid"],
        description=row.get("description_start", ""),
        # As normalise.py fills the in-memory record: the resolved commune, else the code as received.
        commune_code=row["commune_id"] or row["commune_code"],
        postal_code=row["postal_code"],
        commune_name=row["commune_name"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        contract_type=row["contract_type"],
        contract_label=row["contract_label"],
        # JobPosting publications without a contract type: dedup reads the possible contracts from employmentType.
        raw={"employmentType": [t.strip() for t in row["contract_label"].split(",")]}
        if not row["contract_type"] and row["contract_label"]
        else {},
        rome_code=row["rome_code"],
        published_at=row["published_at"],
        url=row["url"],
    )


def assign(batch: list[CanonicalOffer], publications: list[Publication]) -> list[Assignment]:
    """Where each publication of the batch goes (same order). Publications already in an offer keep it when the
    algorithm still puts them with it."""
    try:
        dedup = _dedup()
        incremental = dedup.assign_incremental
    except (ImportError, AttributeError):
        return unassigned(publications)
    for offer, publication in zip(batch, publications, strict=True):
        offer.rome_code = publication.rome_code or offer.rome_code
    keys = {(o.source, o.source_id) for o in batch}
    results = incremental(batch, candidate_offers(batch, keys))
    return [Assignment(r.offer_id, r.group, r.signals) for r in results]


def unassigned(publications: list[Publication]) -> list[Assignment]:
    """Without the algorithm: a publication stays in the offer it had, or gets its own."""
    return [
        Assignment(p.offer_id, index) if p.offer_id else Assignment(None, index)
        for index, p in enumerate(publications)
    ]


def full_rebuild() -> list[tuple[list[int], dict[int, dict]]]:
    """Groups of open publication ids from a full deduplication: [(members, {pk: signals})]."""
    rows = list(
        Publication.objects.filter(closed_at__isnull=True).values(
            *_CANDIDATE_FIELDS, description_start=Substr("description", 1, DESCRIPTION_CHARS)
        )
    )
    offers = [_as_canonical(row) for row in rows]
    try:
        groups = _dedup().cluster(offers)
    except (ImportError, AttributeError):
        return [([row["pk"]], {}) for row in rows]
    return [
        ([rows[i]["pk"] for i in members], {rows[i]["pk"]: s for i, s in signals.items()})
        for members, signals in groups
    ]
