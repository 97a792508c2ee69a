"""Live figures from the platform's own pool of offers (offers app): offers by ROME × territory and month, and
how long offers stay open. Statistics are published by ROME v3, so an offer coded on a ROME 4.0 fiche counts
for its parent v3 code.

The pool records no applications yet, so "offers without candidates" cannot be measured from it: the field
stays empty (and the page says so) until an application model exists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import CharField, Count, Max, Q
from django.db.models.functions import Cast, Substr

from offers.models import Offer, Publication

TERRITORY_FILTERS = {  # the pool denormalises département and basin on the offer (indexed)
    "region": "commune__region_id",
    "departement": "departement_code",
    "bassin": "bassin_code",
    "zone_emploi": "commune__zone_emploi_id",
}


@dataclass(frozen=True)
class PoolOffer:
    rome_code: str
    commune_code: str
    days_open: float | None  # publication → closure, closed offers only
    without_candidates: bool | None = None


def _rome3(rome_code: str, parent_code: str | None) -> str:
    return parent_code or rome_code


def pool_figures(*, region_code: str) -> Iterator[PoolOffer]:
    offers = (
        Offer.objects.filter(commune__region_id=region_code)
        .exclude(rome_code="", fiche__isnull=True)
        .annotate(closed_at=Max("publications__closed_at"))
        .values_list(
            "pk", "rome_code", "fiche__parent_code", "commune_id", "status", "published_at", "closed_at"
        )
    )
    # France Travail flags the offers it lacks candidates for (`offresManqueCandidats` in its API records, read
    # into `lacks_candidates`); an offer is "without candidates" when one of its publications says so, unknown
    # when none carries the flag.
    publications = Publication.objects.filter(offer__commune__region_id=region_code)
    flagged = set(publications.filter(lacks_candidates=True).values_list("offer_id", flat=True))
    known = set(publications.filter(lacks_candidates__isnull=False).values_list("offer_id", flat=True))
    for pk, rome, parent, commune, status, published, closed in offers.iterator(chunk_size=5000):
        days = None
        if status == Offer.Status.CLOSED and published and closed and closed >= published:
            days = (closed - published).total_seconds() / 86400
        yield PoolOffer(
            rome_code=_rome3(rome, parent),
            commune_code=commune,
            days_open=days,
            without_candidates=(pk in flagged) if pk in known else None,
        )


def pool_monthly(
    *, territory_kind: str, territory_code: str, rome3: str | None = None
) -> list[tuple[str, int]]:
    """Offers of the pool published each month in the territory (optionally for one ROME v3 code)."""
    lookup = TERRITORY_FILTERS[territory_kind]
    offers = Offer.objects.filter(**{lookup: territory_code}, published_at__isnull=False)
    if rome3:
        offers = offers.filter(Q(fiche__parent_code=rome3) | Q(fiche__isnull=True, rome_code=rome3))
    # The month of the UTC timestamp as text ("2026-03"), grouped in SQL: TruncMonth would run a Python function
    # per row on SQLite. An offer published in the last hour(s) of a month (Paris time) counts in the next one.
    month = Substr(Cast("published_at", CharField()), 1, 7)
    rows = offers.annotate(month=month).values("month").annotate(count=Count("pk")).order_by("month")
    return [(row["month"], row["count"]) for row in rows]
