"""Reads on the pool: offer search (full text in French, filters, facets, sort, pagination) on the search index
(offers.search_index), or on SQLite's FTS5 / PostgreSQL's tsvector when the index cannot answer, with
one results contract; one offer with its publications, the clusters export, sources and their import runs, the
ROME review list."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from offers.canonical import CONTRACT_LABELS
from offers.dbfunctions import EpochSeconds
from offers.models import ImportRun, Offer, Publication, RomeReview, Source
from offers.search import terms
from offers.search_index.query import IndexQuery, search_index
from offers.search_index.store import current_index
from territories.geo import KM_PER_DEGREE_LATITUDE, bounding_box, haversine_km
from territories.models import Bassin, Commune, Departement

SORTS = ("relevance", "date", "distance")
PUBLISHED_WITHIN = {
    1: "Dernières 24 heures",
    3: "3 derniers jours",
    7: "7 derniers jours",
    30: "30 derniers jours",
}
MAX_PER_PAGE = 100
MAX_RADIUS_KM = 200


@dataclass
class SearchParams:
    q: str = ""
    rome: str = ""  # ROME 4.0 code, or a ROME v3 parent code
    appellation: int | None = None
    commune: str = ""  # INSEE code, centre of the radius
    radius_km: float = 0
    departement: str = ""
    bassin: str = ""
    contract: list[str] = field(default_factory=list)
    published_within_days: int | None = None
    source: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    include_closed: bool = False


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResult:
    items: list[Offer]
    total: int  # exact, or MATCHES_READ when more offers match (total_is_exact False)
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]]
    centre: Commune | None = None
    sort: str = "relevance"
    total_is_exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


# A search reads at most this many matching offers. Up to it, everything is exact and computed in Python from
# that one read (count, facets, order: identical on both engines). Beyond it — a common word within 30 km of
# Lille is 66,000 of 1,000,000 offers — counting or sorting every match costs seconds: the answer says "more
# than 2,000", its facets describe the 2,000 offers read, and its pages (the first 2,000 in the chosen order)
# come from index-friendly queries. docs/offers.md "Search" explains the contract.
MATCHES_READ = 2000
# Beyond MATCHES_READ matches, relevance ranks the most recent this many (each costs a full-text test).
RELEVANCE_CANDIDATES = 100
# Beyond MATCHES_READ matches, the nearest offers are first looked for in these shares of the radius.
INNER_RADII = (1 / 32, 1 / 8, 1 / 2)
_SCAN_FIELDS = (
    "pk",
    "title",
    "published",
    "latitude",
    "longitude",
    "contract_type",
    "departement_code",
    "bassin_code",
    "rome_code",
    "source_names",
)


def _with_published(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(published=EpochSeconds("published_at"))


def _text_filter(queryset: QuerySet, words: list[str]) -> QuerySet:
    """The queryset restricted to offers holding every search term (the terms of offers.search)."""
    if connection.vendor == "postgresql":
        return queryset.extra(
            where=["offers_offer.search_vector @@ plainto_tsquery('simple', %s)"],
            params=[" ".join(words)],
        )
    # An IN (subquery) makes SQLite run the full-text match once, then filter: joining the FTS table lets the
    # planner probe it row by row instead (300 times slower).
    return queryset.extra(
        where=["offers_offer.id IN (SELECT rowid FROM offers_offer_fts WHERE offers_offer_fts MATCH %s)"],
        params=[" AND ".join(f'"{word}"' for word in words)],
    )


@dataclass(frozen=True)
class _Centre:
    latitude: float
    longitude: float
    kx2: float  # km² per squared degree of longitude at this latitude
    ky2: float

    @classmethod
    def of(cls, commune: Commune) -> _Centre:
        kx = KM_PER_DEGREE_LATITUDE * math.cos(math.radians(commune.latitude))
        return cls(commune.latitude, commune.longitude, kx * kx, KM_PER_DEGREE_LATITUDE**2)

    def distance_sq_sql(self):
        """Squared equirectangular distance in km² (plain arithmetic, the same on both engines; exact enough
        within a few hundred km to filter and sort, the displayed distance is the great-circle one)."""
        dlat, dlon = F("latitude") - self.latitude, F("longitude") - self.longitude
        return dlat * dlat * self.ky2 + dlon * dlon * self.kx2

    def distance_sq(self, latitude: float | None, longitude: float | None) -> float | None:
        """The same value as distance_sq_sql, in the same order of operations (same floating-point result)."""
        if latitude is None or longitude is None:
            return None
        dlat, dlon = latitude - self.latitude, longitude - self.longitude
        return dlat * dlat * self.ky2 + dlon * dlon * self.kx2


def _within(queryset: QuerySet, centre: _Centre, radius: float) -> QuerySet:
    # The box is the indexed prefilter (offer_geo_facets), the distance the exact test inside it.
    box = bounding_box(centre.latitude, centre.longitude, radius)
    return (
        queryset.filter(**box.as_filter())
        .alias(distance_sq=centre.distance_sq_sql())
        .filter(distance_sq__lte=radius * radius)
    )


def _date_key(published: float | None, pk: int) -> tuple:
    """Most recent first, offers without a date last, then the newest record: ORDER BY published_at DESC NULLS
    LAST, id DESC (`published`: EpochSeconds)."""
    return (published is None, -(published or 0), -pk)


def _by_date(queryset: QuerySet) -> QuerySet:
    return queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")


def _title_hits(words: list[str], title: str) -> int:
    return len(set(words).intersection(terms(title)))


def search_offers(params: SearchParams) -> SearchResult:
    """Open offers matching the search, from the search index when it is current (offers.search_index: every
    match counted, facets exact), else from the databases' full-text indexes (the bounded contract of
    MATCHES_READ)."""
    words = terms(params.q)
    rome = params.rome.strip().upper()
    commune, centre, radius = None, None, 0.0
    if params.commune:
        commune = Commune.objects.filter(pk=params.commune).first()
        if commune is not None and commune.latitude is not None:
            centre = _Centre.of(commune)
            radius = min(float(params.radius_km or 0), MAX_RADIUS_KM)
    sort = params.sort if params.sort in SORTS else "relevance"
    if sort == "distance" and centre is None:
        sort = "relevance"
    if sort == "relevance" and not words:
        sort = "date" if centre is None else "distance"
    per_page = max(1, min(params.per_page, MAX_PER_PAGE))
    page = max(1, params.page)
    start = (page - 1) * per_page
    stop = start + per_page
    now = timezone.now()
    published_since = {days: (now - timedelta(days=days)).timestamp() for days in PUBLISHED_WITHIN}
    index = None if params.include_closed or (params.commune and centre is None) else current_index()
    if index is not None:
        answer = search_index(
            index,
            IndexQuery(
                words=words,
                rome=rome,
                appellation=params.appellation,
                departement=params.departement,
                bassin=params.bassin,
                contracts=list(params.contract),
                published_since=(now - timedelta(days=params.published_within_days)).timestamp()
                if params.published_within_days
                else None,
                sources=list(params.source),
                commune=commune.pk if centre is not None and not radius else "",
                centre=centre,
                radius_km=radius,
            ),
            sort=sort,
            start=start,
            stop=stop,
            published_windows=published_since,
        )
        items = _with_offers(answer.ids)
        facets = _facet_values(answer.counts, answer.published_counts) if answer.total else {}
        total, exact = answer.total, True
    else:
        queryset = _matching(
            params, words=words, rome=rome, commune=commune, centre=centre, radius=radius, now=now
        )
        # The one bounded read: no ORDER BY, so the engine stops at MATCHES_READ + 1 matches.
        rows = list(_with_published(queryset.order_by()).values_list(*_SCAN_FIELDS)[: MATCHES_READ + 1])
        exact = len(rows) <= MATCHES_READ
        rows = rows[:MATCHES_READ]
        facets = _facets(rows, published_since)
        total = len(rows)
        if exact:
            items = _page_of(rows, sort=sort, words=words, centre=centre, start=start, stop=stop)
        else:
            items = _page_from_database(
                queryset,
                sort=sort,
                words=words,
                centre=centre,
                radius=radius,
                start=start,
                stop=min(stop, MATCHES_READ),
                read=rows,
            )
    for offer in items:
        offer.distance_km = (
            haversine_km(centre.latitude, centre.longitude, offer.latitude, offer.longitude)
            if centre is not None and offer.latitude is not None
            else None
        )
    return SearchResult(items, total, page, per_page, facets, commune, sort, total_is_exact=exact)


def _matching(params: SearchParams, *, words, rome, commune, centre, radius, now) -> QuerySet:
    """The database search: offers matching every condition of the search."""
    queryset = Offer.objects.all()
    if not params.include_closed:
        queryset = queryset.filter(status=Offer.Status.OPEN)
    if words:
        queryset = _text_filter(queryset, words)
    if rome:
        queryset = queryset.filter(Q(rome_code=rome) | Q(fiche__parent_code=rome))
    if params.appellation:
        queryset = queryset.filter(appellation_id=params.appellation)
    if params.departement:
        queryset = queryset.filter(departement_code=params.departement)
    if params.bassin:
        queryset = queryset.filter(bassin_code=params.bassin)
    if params.contract:
        queryset = queryset.filter(contract_type__in=params.contract)
    if params.published_within_days:
        queryset = queryset.filter(published_at__gte=now - timedelta(days=params.published_within_days))
    if params.source:
        source_q = Q()
        for name in params.source:
            source_q |= Q(source_names__contains=f" {name} ")
        queryset = queryset.filter(source_q)
    if params.commune:
        if centre is None:
            queryset = queryset.none()
        elif radius:
            queryset = _within(queryset, centre, radius)
        else:
            queryset = queryset.filter(commune_id=commune.pk)
    return queryset


# What a page of results shows (the search page and the API's OfferItem): descriptions and search texts, a few
# kilobytes an offer, stay in the database.
_LISTED_FIELDS = (
    "title",
    "employer_name",
    "commune__name",
    "departement_code",
    "latitude",
    "longitude",
    "contract_type",
    "working_time",
    "salary_text",
    "rome_code",
    "fiche__label",
    "published_at",
    "operators",
    "publication_count",
)


def _with_offers(ids: list[int]) -> list[Offer]:
    offers = Offer.objects.select_related("commune", "fiche").only(*_LISTED_FIELDS).in_bulk(ids)
    return [offers[pk] for pk in ids]


def _page_of(rows: list[tuple], *, sort: str, words: list[str], centre, start: int, stop: int) -> list[Offer]:
    """One page of every match, ordered in Python (rows: _SCAN_FIELDS)."""
    if sort == "relevance":
        rows = sorted(rows, key=lambda r: (-_title_hits(words, r[1]), *_date_key(r[2], r[0])))
    elif sort == "distance":

        def nearest_first(row):
            distance_sq = centre.distance_sq(row[3], row[4])
            return (distance_sq is None, distance_sq or 0, *_date_key(row[2], row[0]))

        rows = sorted(rows, key=nearest_first)
    else:
        rows = sorted(rows, key=lambda r: _date_key(r[2], r[0]))
    return _with_offers([row[0] for row in rows[start:stop]])


def _page_from_database(
    queryset: QuerySet,
    *,
    sort: str,
    words: list[str],
    centre,
    radius: float,
    start: int,
    stop: int,
    read: list[tuple],
) -> list[Offer]:
    """One page among the first MATCHES_READ matches in the chosen order, when more offers match: the engine
    orders them, from an index where it can (date), in a small part of the pool where it cannot."""
    if start >= stop:
        return []
    if sort == "relevance":
        # One read covers both the ranked candidates and, for deeper pages, what follows them by date.
        by_date = _first_by_date(queryset, count=max(RELEVANCE_CANDIDATES, stop), read=read)
        candidates = by_date[:RELEVANCE_CANDIDATES]
        ranked = [
            row[0]
            for row in sorted(candidates, key=lambda r: (-_title_hits(words, r[1]), *_date_key(r[2], r[0])))
        ]
        ids = ranked[start:stop] + [row[0] for row in by_date[max(start, len(ranked)) : stop]]
        return _with_offers(ids)
    if sort == "distance":
        by_distance = [F("distance_sq").asc(nulls_last=True), F("published_at").desc(nulls_last=True), "-pk"]
        for share in INNER_RADII if radius else ():
            # Enough offers this close: the nearest `stop` are among them, and far fewer rows are sorted.
            nearest = list(
                _within(queryset, centre, radius * share)
                .annotate(distance_sq=centre.distance_sq_sql())
                .order_by(*by_distance)
                .values_list("pk", flat=True)[:stop]
            )
            if len(nearest) == stop:
                return _with_offers(nearest[start:stop])
        ordered = queryset.annotate(distance_sq=centre.distance_sq_sql()).order_by(*by_distance)
        return _with_offers(list(ordered.values_list("pk", flat=True)[start:stop]))
    by_date = _first_by_date(queryset, count=stop, read=read)
    return _with_offers([row[0] for row in by_date[start:stop]])


def _first_by_date(queryset: QuerySet, *, count: int, read: list[tuple]) -> list[tuple]:
    """(pk, title, published) of the first `count` matches by date (`_by_date`), when more than MATCHES_READ
    offers match. Among the matches already read (`read`: _SCAN_FIELDS rows), at least `count` were published
    on or after the `count`-th most recent of their dates, so the first `count` matches are among the offers
    published since then: the engine intersects that date range with the other conditions instead of walking
    the date index and testing each offer, which reads rows at random (5-16 µs an offer on a million: 300 ms
    for a word held by 1 % of the offers around a town)."""
    dated = sorted((row for row in read if row[2] is not None), key=lambda row: _date_key(row[2], row[0]))
    if len(dated) >= count:
        # The database's own value of that offer's date: the bound is exact.
        since = Offer.objects.filter(pk=dated[count - 1][0]).values("published_at")
        queryset = queryset.filter(published_at__gte=Subquery(since))
    return list(_with_published(_by_date(queryset)).values_list("pk", "title", "published")[:count])


def _facets(rows: list[tuple], published_since: dict[int, float]) -> dict[str, list[FacetValue]]:
    """Counts per value of each filter over the offers read (rows: _SCAN_FIELDS): every match when they are
    MATCHES_READ or fewer, else those MATCHES_READ."""
    if not rows:
        return {}
    counts = {name: Counter() for name in ("contract", "departement", "bassin", "rome", "source")}
    published_dates = []
    for _pk, _title, published, _lat, _lon, contract, departement, bassin, rome, source_names in rows:
        counts["contract"][contract] += 1
        counts["departement"][departement] += 1
        counts["bassin"][bassin] += 1
        counts["rome"][rome] += 1
        counts["source"].update(source_names.split())
        if published is not None:
            published_dates.append(published)
    published_counts = {
        days: sum(1 for at in published_dates if at >= since) for days, since in published_since.items()
    }
    return _facet_values(counts, published_counts)


def _facet_values(
    counts: dict[str, Counter], published_counts: dict[int, int]
) -> dict[str, list[FacetValue]]:
    """Facets with their labels, most frequent first, from the counts per value of each filter."""
    from rome.models import Fiche

    departement_names = dict(
        Departement.objects.filter(pk__in=[c for c in counts["departement"] if c]).values_list("code", "name")
    )
    bassin_names = dict(
        Bassin.objects.filter(pk__in=[c for c in counts["bassin"] if c]).values_list("code", "name")
    )
    top_romes = [code for code, _ in counts["rome"].most_common() if code][:15]
    fiche_labels = dict(Fiche.objects.filter(pk__in=top_romes).values_list("code", "label"))

    def ranked(counter, label, limit=None):
        values = [FacetValue(code, label(code), n) for code, n in counter.items() if code and n]
        values.sort(key=lambda f: (-f.count, f.value))
        return values[:limit] if limit else values

    facets = {
        "contract": ranked(counts["contract"], lambda c: CONTRACT_LABELS.get(c, c)),
        "departement": ranked(counts["departement"], lambda c: f"{departement_names.get(c, c)} ({c})"),
        "bassin": ranked(counts["bassin"], lambda c: bassin_names.get(c, c), 15),
        "rome": ranked(counts["rome"], lambda c: f"{c} — {fiche_labels[c]}" if c in fiche_labels else c, 15),
    }
    labels = dict(Source.objects.filter(name__in=list(counts["source"])).values_list("name", "label"))
    facets["source"] = ranked(counts["source"], lambda name: labels.get(name) or name)
    facets["published"] = [
        FacetValue(str(days), label, published_counts[days]) for days, label in PUBLISHED_WITHIN.items()
    ]
    return facets


def offer_detail(offer_id: int) -> Offer | None:
    """An offer with its publications (each with its source and owner organisation) and its ROME fiche."""
    publications = Publication.objects.select_related("source__owner", "commune").order_by(
        "closed_at", "first_seen_at", "pk"
    )
    return (
        Offer.objects.select_related("commune__departement", "fiche", "appellation")
        .prefetch_related(Prefetch("publications", queryset=publications))
        .filter(pk=offer_id)
        .first()
    )


def iter_clusters() -> Iterator[tuple[str, str, str]]:
    """(source name, source_id, cluster id) of every publication, publications of one offer sharing its id."""
    rows = Publication.objects.order_by("source__name", "external_id").values_list(
        "source__name", "external_id", "offer_id", "pk"
    )
    for source, source_id, offer_id, pk in rows.iterator(chunk_size=10000):
        yield source, source_id, str(offer_id) if offer_id else f"p{pk}"


def sources_with_runs() -> QuerySet[Source]:
    last_runs = ImportRun.objects.order_by("-started_at", "-pk")
    return (
        Source.objects.select_related("owner")
        .annotate(
            open_count=Count("publications", filter=Q(publications__closed_at__isnull=True)),
        )
        .prefetch_related(Prefetch("runs", queryset=last_runs))
        .order_by("name")
    )


def pending_reviews() -> QuerySet[RomeReview]:
    return (
        RomeReview.objects.filter(status=RomeReview.Status.PENDING)
        .select_related("publication__source", "publication__commune", "publication__offer")
        .order_by(F("confidence").asc(nulls_first=True), "pk")
    )


def advisor_examples() -> list[dict]:
    """Advisors' ROME choices as training examples for the coding model: {"title", "description", "rome_code",
    "group"} (the shape of offers.coding.examples)."""
    from core.text import fold

    rows = RomeReview.objects.filter(status=RomeReview.Status.DONE).exclude(chosen_code="")
    return [
        {
            "title": title,
            "description": description,
            "rome_code": code,
            "group": f"{fold(title)}|{fold(employer)}",
        }
        for title, description, employer, code in rows.values_list(
            "publication__title", "publication__description", "publication__employer_name", "chosen_code"
        )
    ]
