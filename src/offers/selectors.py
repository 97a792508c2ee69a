"""Reads on the pool: offer search (full text in French, filters, facets, sort, pagination) with the same
contract on SQLite (FTS5) and PostgreSQL (tsvector + unaccent), one offer with its publications, the clusters
export, sources and their import runs, the ROME review list."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from offers.canonical import CONTRACT_LABELS
from offers.models import ImportRun, Offer, Publication, RomeReview, Source
from offers.search import terms
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
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]]
    centre: Commune | None = None
    sort: str = "relevance"

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _text_filter(queryset: QuerySet, text: str) -> tuple[QuerySet, str | None]:
    """The queryset restricted to offers holding every search term, and the engine's query text (None when the
    text has no searchable word)."""
    words = terms(text)
    if not words:
        return queryset, None
    if connection.vendor == "postgresql":
        joined = " ".join(words)
        queryset = queryset.extra(
            where=["offers_offer.search_vector @@ plainto_tsquery('french', offers_unaccent(%s))"],
            params=[joined],
        )
        return queryset, joined
    match = " AND ".join(f'"{word}"' for word in words)
    # An IN (subquery) makes SQLite run the full-text match once, then filter: joining the FTS table lets the
    # planner probe it row by row instead (300 times slower).
    queryset = queryset.extra(
        where=["offers_offer.id IN (SELECT rowid FROM offers_offer_fts WHERE offers_offer_fts MATCH %s)"],
        params=[match],
    )
    return queryset, match


def _by_relevance(
    queryset: QuerySet, query: str, start: int, stop: int, *, words: list[str], total: int
) -> list[Offer]:
    """One page of the filtered offers, best text match first: ts_rank on PostgreSQL; on SQLite bm25, or — when
    the filters leave few offers — the share of the search words found in the title (bm25 scores every offer
    of the pool holding the words before the filters apply: 250 ms for a common word on 100,000 offers)."""
    if connection.vendor == "postgresql":
        rank = RawSQL(
            "ts_rank(offers_offer.search_vector, plainto_tsquery('french', offers_unaccent(%s)))", [query]
        )
        return list(
            queryset.annotate(rank=rank)
            .order_by("-rank", "-published_at", "-pk")
            .select_related("commune", "fiche")[start:stop]
        )
    if total <= PYTHON_RANKING_MAX:
        return _by_title_relevance(queryset, words, start, stop)
    ids_sql, ids_params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM offers_offer_fts WHERE offers_offer_fts MATCH %s AND rowid IN ("
            + ids_sql
            + ") ORDER BY bm25(offers_offer_fts), rowid DESC LIMIT %s OFFSET %s",
            [query, *ids_params, stop - start, start],
        )
        ids = [row[0] for row in cursor.fetchall()]
    offers = Offer.objects.select_related("commune", "fiche").in_bulk(ids)
    return [offers[pk] for pk in ids if pk in offers]


PYTHON_RANKING_MAX = 5000


def _by_title_relevance(queryset: QuerySet, words: list[str], start: int, stop: int) -> list[Offer]:
    wanted = set(words)
    scored = []
    for pk, title, published_at in queryset.order_by().values_list("pk", "title", "published_at"):
        in_title = len(wanted.intersection(terms(title)))
        scored.append((-in_title, -(published_at.timestamp() if published_at else 0), -pk))
    scored.sort()
    ids = [-key[2] for key in scored[start:stop]]
    offers = Offer.objects.select_related("commune", "fiche").in_bulk(ids)
    return [offers[pk] for pk in ids if pk in offers]


def _distance_sq(latitude: float, longitude: float):
    """Squared equirectangular distance in km² (plain arithmetic, same SQL on both engines; exact enough within
    a few hundred km to filter and sort, the displayed distance is the great-circle one)."""
    kx = KM_PER_DEGREE_LATITUDE * math.cos(math.radians(latitude))
    ky = KM_PER_DEGREE_LATITUDE
    return (F("latitude") - latitude) * (F("latitude") - latitude) * (ky * ky) + (
        F("longitude") - longitude
    ) * (F("longitude") - longitude) * (kx * kx)


def search_offers(params: SearchParams) -> SearchResult:
    queryset = Offer.objects.all()
    if not params.include_closed:
        queryset = queryset.filter(status=Offer.Status.OPEN)
    queryset, text_query = _text_filter(queryset, params.q)
    if params.rome:
        code = params.rome.strip().upper()
        queryset = queryset.filter(Q(rome_code=code) | Q(fiche__parent_code=code))
    if params.appellation:
        queryset = queryset.filter(appellation_id=params.appellation)
    if params.departement:
        queryset = queryset.filter(departement_code=params.departement)
    if params.bassin:
        queryset = queryset.filter(bassin_code=params.bassin)
    if params.contract:
        queryset = queryset.filter(contract_type__in=params.contract)
    if params.published_within_days:
        queryset = queryset.filter(
            published_at__gte=timezone.now() - timedelta(days=params.published_within_days)
        )
    if params.source:
        source_q = Q()
        for name in params.source:
            source_q |= Q(source_names__contains=f" {name} ")
        queryset = queryset.filter(source_q)
    centre = None
    if params.commune:
        centre = Commune.objects.filter(pk=params.commune).first()
        if centre is None or centre.latitude is None:
            queryset = queryset.none()
        elif params.radius_km:
            radius = min(float(params.radius_km), MAX_RADIUS_KM)
            box = bounding_box(centre.latitude, centre.longitude, radius)
            queryset = (
                queryset.filter(**box.as_filter())
                .alias(distance_sq=_distance_sq(centre.latitude, centre.longitude))
                .filter(distance_sq__lte=radius * radius)
            )
        else:
            queryset = queryset.filter(commune_id=centre.pk)

    total = queryset.count()
    facets = _facets(queryset) if total else {}
    sort = params.sort if params.sort in SORTS else "relevance"
    if sort == "distance" and centre is None:
        sort = "relevance"
    if sort == "relevance" and text_query is None:
        sort = "date" if centre is None else "distance"
    per_page = max(1, min(params.per_page, MAX_PER_PAGE))
    page = max(1, params.page)
    start = (page - 1) * per_page
    if sort == "relevance":
        items = _by_relevance(
            queryset, text_query, start, start + per_page, words=terms(params.q), total=total
        )
    else:
        if sort == "distance":
            ordered = queryset.annotate(distance_sq=_distance_sq(centre.latitude, centre.longitude)).order_by(
                F("distance_sq").asc(nulls_last=True), "-published_at", "-pk"
            )
        else:
            ordered = queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")
        items = list(ordered.select_related("commune", "fiche")[start : start + per_page])
    for offer in items:
        offer.distance_km = (
            haversine_km(centre.latitude, centre.longitude, offer.latitude, offer.longitude)
            if centre is not None and offer.latitude is not None
            else None
        )
    return SearchResult(items, total, page, per_page, facets, centre, sort)


def _facets(queryset: QuerySet) -> dict[str, list[FacetValue]]:
    """Counts per value of each filter over the offers matching the current search: one grouped query for the
    columns (combined in Python) and one conditional aggregate for sources and publication dates."""
    from rome.models import Fiche

    counts = {name: Counter() for name in ("contract", "departement", "bassin", "rome", "source", "age")}
    now = timezone.now()
    age = Case(
        *[
            When(published_at__gte=now - timedelta(days=days), then=Value(days))
            for days in sorted(PUBLISHED_WITHIN)
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    combos = (
        queryset.order_by()
        .annotate(age=age)
        .values_list("contract_type", "departement_code", "bassin_code", "rome_code", "source_names", "age")
        .annotate(n=Count("pk"))
    )
    for contract, departement, bassin, rome, source_names, age_days, n in combos:
        counts["contract"][contract] += n
        counts["departement"][departement] += n
        counts["bassin"][bassin] += n
        counts["rome"][rome] += n
        counts["age"][age_days] += n
        for name in source_names.split():
            counts["source"][name] += n
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
        FacetValue(str(days), label, sum(n for a, n in counts["age"].items() if 0 < a <= days))
        for days, label in PUBLISHED_WITHIN.items()
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
