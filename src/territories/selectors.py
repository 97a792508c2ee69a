"""Reads on territories: search, radius queries and resolution of the commune meant by a code, a postal code,
a name or a point. `CommuneResolver` does the same resolution in memory for bulk imports."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from core.text import fold
from territories.geo import EARTH_RADIUS_KM, bounding_box, haversine_km
from territories.models import Bassin, Commune, CommuneAlias, Departement, Epci, ZoneEmploi

# "Amiens (80)", "Saint-Denis (974)", "Ajaccio (2A)": the label the autocomplete shows and submits.
_LABELLED = re.compile(r"^\s*(?P<name>.+?)\s*\((?P<dep>\d[0-9ABab]\d?)\)\s*$")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
NEAREST_MAX_KM = 30.0


def commune_label(commune: Commune) -> str:
    return f"{commune.name} ({commune.departement_id})"


def fold_commune_name(text: str) -> str:
    """Folded commune name as people type it: accents, hyphens and "St"/"Ste" abbreviations ignored."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in fold(text).split())


def split_label(text: str) -> tuple[str, str | None]:
    """("Amiens", "80") from "Amiens (80)"; (text, None) when there is no département in brackets."""
    match = _LABELLED.match(text or "")
    if match:
        return match["name"], match["dep"].upper()
    return text, None


def region_communes() -> QuerySet[Commune]:
    """The communes of the configured region (settings.REGION_CODE)."""
    return Commune.objects.filter(region_id=settings.REGION_CODE)


def communes_within(
    *, latitude: float, longitude: float, radius_km: float, queryset: QuerySet[Commune] | None = None
) -> list[Commune]:
    """Communes whose point lies within `radius_km` of (latitude, longitude), nearest first; each carries
    `distance_km`."""
    queryset = Commune.objects.all() if queryset is None else queryset
    box = bounding_box(latitude, longitude, radius_km)
    found = []
    for commune in queryset.filter(**box.as_filter()).select_related("departement"):
        distance = haversine_km(latitude, longitude, commune.latitude, commune.longitude)
        if distance <= radius_km:
            commune.distance_km = distance
            found.append(commune)
    found.sort(key=lambda commune: (commune.distance_km, commune.code))
    return found


def nearest_communes(*, commune: Commune, radius_km: float = 15.0, limit: int | None = 10) -> list[Commune]:
    """The communes closest to `commune` (itself excluded), within `radius_km`, nearest first (all of them
    when `limit` is None)."""
    if commune.latitude is None or commune.longitude is None:
        return []
    around = communes_within(
        latitude=commune.latitude,
        longitude=commune.longitude,
        radius_km=radius_km,
        queryset=Commune.objects.exclude(pk=commune.pk),
    )
    return around if limit is None else around[:limit]


def search_communes(
    *, query: str, limit: int | None = 20, departement: str | None = None, postal_code: str | None = None
) -> QuerySet[Commune]:
    """Communes matching `query`, best match first.

    Digits search INSEE codes and postal codes ("80000", "80", "59350"); text searches names without accents
    and with "St"/"Ste" expanded: exact name first, then names starting with the text, then names holding a
    word starting with it; within each rank the configured region's communes, then larger ones, come first.
    "Amiens (80)" is understood too.
    """
    communes = Commune.objects.select_related("departement")
    if departement:
        communes = communes.filter(departement_id=departement)
    if postal_code:
        communes = communes.filter(_postal_code_q(postal_code))
    query = (query or "").strip()
    name, labelled_dep = split_label(query)
    if labelled_dep:
        communes = communes.filter(departement_id=labelled_dep)
        query = name
    if not query:
        ranked = communes.order_by("-population", "name") if (departement or postal_code) else communes.none()
        return ranked[:limit] if limit else ranked
    if query.isdigit():
        ranked = communes.filter(Q(code__startswith=query) | _postal_code_q(query)).annotate(
            rank=Case(When(code=query, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
    else:
        folded = fold_commune_name(query)
        if not folded:
            return communes.none()
        ranked = communes.filter(
            Q(search_name__startswith=folded) | Q(search_name__contains=f" {folded}")
        ).annotate(
            rank=Case(
                When(search_name=folded, then=Value(0)),
                When(search_name__startswith=folded, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    # Within a rank, the configured region's communes first: "lill" offers Lillers (62) before Lillebonne (76).
    ranked = ranked.annotate(
        outside_region=Case(
            When(region_id=settings.REGION_CODE, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("rank", "outside_region", "-population", "name", "code")
    return ranked[:limit] if limit else ranked


def _postal_code_q(prefix: str) -> Q:
    # postal_codes is space-separated: a code starts the field or follows a space.
    return Q(postal_codes__startswith=prefix) | Q(postal_codes__contains=f" {prefix}")


def commune_by_code(code: str) -> Commune | None:
    """The current commune designated by an INSEE code, following arrondissement and former codes."""
    code = (code or "").strip().upper()
    if not code:
        return None
    if len(code) == 4 and code.isdigit():  # spreadsheets drop the leading zero of départements 01-09
        code = code.zfill(5)
    commune = Commune.objects.select_related("departement").filter(pk=code).first()
    if commune is None:
        alias = CommuneAlias.objects.select_related("commune__departement").filter(pk=code).first()
        commune = alias.commune if alias else None
    return commune


def nearest_commune(*, latitude: float, longitude: float, max_km: float = NEAREST_MAX_KM) -> Commune | None:
    radius = 5.0
    while radius <= max_km:
        found = communes_within(latitude=latitude, longitude=longitude, radius_km=radius)
        if found:
            return found[0]
        radius *= 2
    found = communes_within(latitude=latitude, longitude=longitude, radius_km=max_km)
    return found[0] if found else None


def resolve_commune(
    *,
    code: str | None = None,
    postal_code: str | None = None,
    name: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Commune | None:
    """The commune meant by whatever an imported record gives, or None when it cannot be told for sure.

    Tries, in order: the INSEE code (arrondissement and former codes followed); the postal code with the name
    (or alone when it serves one commune); the name alone when unambiguous (or the candidate nearest to the
    point); the commune nearest to the point (within 30 km). For many records use `CommuneResolver`.
    """
    if code and (commune := commune_by_code(code)):
        return commune
    name_part, labelled_dep = split_label(name or "")
    folded = fold_commune_name(name_part)
    communes = Commune.objects.select_related("departement")
    if labelled_dep:
        communes = communes.filter(departement_id=labelled_dep)
    if postal_code:
        postal_code = postal_code.strip()
        candidates = [
            c for c in communes.filter(_postal_code_q(postal_code)) if postal_code in c.postal_code_list
        ]
        if chosen := _pick(_named(candidates, folded), latitude, longitude, by_name_only=False):
            return chosen
    if folded and (
        chosen := _pick(list(communes.filter(search_name=folded)), latitude, longitude, by_name_only=True)
    ):
        return chosen
    if latitude is not None and longitude is not None:
        return nearest_commune(latitude=latitude, longitude=longitude)
    return None


def _named(candidates: list, folded: str) -> list:
    """Among the communes of a postal code, those with the name (or, failing that, starting with it:
    "Villeneuve" for "Villeneuve-d'Ascq")."""
    if not folded:
        return candidates
    return [c for c in candidates if c.search_name == folded] or [
        c for c in candidates if c.search_name.startswith(folded)
    ]


def _pick(candidates: list, latitude: float | None, longitude: float | None, *, by_name_only: bool):
    """One commune among those sharing a postal code or a name; None when the choice would be a guess.

    Works on `Commune` objects and on `CommuneResolver`'s in-memory entries alike."""
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1 and latitude is not None and longitude is not None:
        located = [c for c in candidates if c.latitude is not None]
        if located:
            return min(located, key=lambda c: haversine_km(latitude, longitude, c.latitude, c.longitude))
    if len(candidates) > 1 and by_name_only:
        in_region = [c for c in candidates if c.region_id == settings.REGION_CODE]
        if len(in_region) == 1:
            return in_region[0]
    return None


@dataclass
class _Entry:
    pk: str
    search_name: str
    departement_id: str
    region_id: str
    postal_codes: tuple[str, ...]
    latitude: float | None
    longitude: float | None


class CommuneResolver:
    """`resolve_commune` for many records: loads every commune once (≈35,000 rows, a few MB) and answers from
    memory, returning commune codes. Build one per import run.

    >>> resolver = CommuneResolver()
    >>> resolver.resolve(code="75111")       # Paris 11e arrondissement -> "75056"
    """

    def __init__(self):
        self._by_code: dict[str, _Entry] = {}
        self._by_postal: dict[str, list[_Entry]] = {}
        self._by_name: dict[str, list[_Entry]] = {}
        rows = Commune.objects.values_list(
            "code", "search_name", "departement_id", "region_id", "postal_codes", "latitude", "longitude"
        )
        for code, search_name, dep, region, postal_codes, lat, lon in rows.iterator(chunk_size=5000):
            entry = _Entry(code, search_name, dep, region, tuple(postal_codes.split()), lat, lon)
            self._by_code[code] = entry
            self._by_name.setdefault(search_name, []).append(entry)
            for postal in entry.postal_codes:
                self._by_postal.setdefault(postal, []).append(entry)
        self._aliases = dict(CommuneAlias.objects.values_list("code", "commune_id"))
        from scipy.spatial import KDTree  # imported here: only bulk imports need it

        self._located = [
            e for e in self._by_code.values() if e.latitude is not None and e.longitude is not None
        ]
        # Nearest-point search on unit vectors: chord length grows with great-circle distance, so a k-d tree
        # over (x, y, z) answers "nearest commune" in microseconds.
        self._tree = (
            KDTree(_unit_vectors([(e.latitude, e.longitude) for e in self._located]))
            if self._located
            else None
        )

    def resolve(
        self,
        *,
        code: str | None = None,
        postal_code: str | None = None,
        name: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> str | None:
        """The INSEE code of the commune meant (same rules as `resolve_commune`), or None."""
        if code:
            code = code.strip().upper()
            if len(code) == 4 and code.isdigit():
                code = code.zfill(5)
            if code in self._by_code:
                return code
            if code in self._aliases:
                return self._aliases[code]
        name_part, labelled_dep = split_label(name or "")
        folded = fold_commune_name(name_part)
        if postal_code:
            candidates = self._by_postal.get(postal_code.strip(), [])
            if labelled_dep:
                candidates = [e for e in candidates if e.departement_id == labelled_dep]
            if chosen := _pick(_named(candidates, folded), latitude, longitude, by_name_only=False):
                return chosen.pk
        if folded:
            candidates = self._by_name.get(folded, [])
            if labelled_dep:
                candidates = [e for e in candidates if e.departement_id == labelled_dep]
            if chosen := _pick(candidates, latitude, longitude, by_name_only=True):
                return chosen.pk
        if latitude is not None and longitude is not None:
            return self.nearest(latitude=latitude, longitude=longitude)
        return None

    def nearest(self, *, latitude: float, longitude: float, max_km: float = NEAREST_MAX_KM) -> str | None:
        if self._tree is None:
            return None
        chord, index = self._tree.query(_unit_vectors([(latitude, longitude)])[0])
        distance_km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, chord / 2))
        return self._located[index].pk if distance_km <= max_km else None


def _unit_vectors(points: list[tuple[float, float]]):
    latitudes, longitudes = np.radians(np.array(points, dtype=float).reshape(-1, 2)).T
    return np.column_stack(
        (np.cos(latitudes) * np.cos(longitudes), np.cos(latitudes) * np.sin(longitudes), np.sin(latitudes))
    )


def territories_with_totals(model, *, region: str | None = None) -> QuerySet:
    """Départements, EPCI, zones d'emploi or basins with `commune_count`, `population` and `outside_count`
    (communes outside `region`, for zones straddling a regional border), limited to those touching `region`
    when given."""
    link = {Departement: "departement", Epci: "epci", ZoneEmploi: "zone_emploi", Bassin: "bassin"}[model]
    queryset = model.objects.all()
    if region:
        queryset = queryset.filter(pk__in=Commune.objects.filter(region_id=region).values(link))
    return queryset.annotate(
        commune_count=Count("communes"),
        population=Sum("communes__population"),
        outside_count=Count("communes", filter=~Q(communes__region_id=region)) if region else Value(0),
    )


def territory_communes(territory) -> QuerySet[Commune]:
    """The communes of a département, EPCI, zone d'emploi or basin, largest first."""
    return territory.communes.select_related("departement").order_by("-population", "name")
