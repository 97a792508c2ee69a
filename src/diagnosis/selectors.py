"""Reads for the diagnosis pages: territories, datasets and indicator rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.http import Http404

from diagnosis.models import (
    Dataset,
    FapOccupation,
    HiringProjects,
    Indicator,
    OccupationKind,
    RomeFapLink,
    TensionSeries,
    TerritoryKind,
)
from territories.models import Bassin, Commune, Departement, Region

PAGE_TERRITORY_KINDS = (TerritoryKind.REGION, TerritoryKind.DEPARTEMENT, TerritoryKind.BASSIN)
TERRITORY_SLUGS = {
    "region": TerritoryKind.REGION,
    "departement": TerritoryKind.DEPARTEMENT,
    "bassin": TerritoryKind.BASSIN,
    "zone-emploi": TerritoryKind.ZONE_EMPLOI,
}


@dataclass(frozen=True)
class Territory:
    kind: str
    code: str
    label: str

    @property
    def slug(self) -> str:
        return {v: k for k, v in TERRITORY_SLUGS.items()}[self.kind]

    @property
    def kind_label(self) -> str:
        return TerritoryKind(self.kind).label

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.code}"

    def __str__(self):
        return (
            self.label if self.kind == TerritoryKind.REGION else f"{self.label} ({self.kind_label.lower()})"
        )


def territory(kind: str, code: str) -> Territory:
    """The region, one of its départements or one of its basins; 404 otherwise."""
    region = settings.REGION_CODE
    if kind == TerritoryKind.REGION and code == region:
        found = Region.objects.filter(code=code).first()
        label = found.name if found else code
    elif kind == TerritoryKind.DEPARTEMENT:
        found = Departement.objects.filter(code=code, region_id=region).first()
        label = f"{found.name} ({found.code})" if found else None
    elif kind == TerritoryKind.BASSIN:
        in_region = Commune.objects.filter(bassin_id=code, region_id=region).exists()
        found = Bassin.objects.filter(code=code).first() if in_region else None
        label = found.name.title() if found else None
    else:
        label = None
    if not label:
        raise Http404("Territoire inconnu dans la région.")
    return Territory(kind, code, label)


def territory_from_ref(ref: str) -> Territory:
    kind, _sep, code = (ref or "").partition(":")
    return territory(kind, code)


def region_territories() -> dict[str, list[Territory]]:
    region = settings.REGION_CODE
    basins = (
        Bassin.objects.filter(communes__region_id=region)
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )
    region_row = Region.objects.filter(code=region).first()
    return {
        "region": [Territory(TerritoryKind.REGION, region, region_row.name if region_row else region)],
        "departements": [
            Territory(TerritoryKind.DEPARTEMENT, d.code, f"{d.name} ({d.code})")
            for d in Departement.objects.filter(region_id=region)
        ],
        "bassins": [Territory(TerritoryKind.BASSIN, code, name.title()) for code, name in basins],
    }


def datasets() -> list[Dataset]:
    return list(Dataset.objects.order_by("-reference_date", "code"))


def indicators(territory: Territory, *, occupation_kind: str = OccupationKind.ROME3):
    return Indicator.objects.filter(
        territory_kind=territory.kind, territory_code=territory.code, occupation_kind=occupation_kind
    )


def top_tension(territory: Territory, *, occupation_kind: str = OccupationKind.ROME3, limit: int = 15):
    """The occupations most in tension: significant composite, both components when the nomenclature has
    them (ROME v3: offers / job seekers and difficult hiring)."""
    rows = indicators(territory, occupation_kind=occupation_kind).filter(significant=True)
    if occupation_kind != OccupationKind.FAP2021:
        rows = rows.filter(offers_per_job_seeker__isnull=False)
    return list(rows.order_by("-tension_score", "occupation_code")[:limit])


def top_gaps(territory: Territory, *, limit: int = 15):
    rows = indicators(territory).filter(coverage_gap__isnull=False, coverage_gap__gt=0)
    return list(rows.order_by("-coverage_gap", "occupation_code")[:limit])


def top_hiring(territory: Territory, *, limit: int = 15):
    rows = indicators(territory, occupation_kind=OccupationKind.FAP2021).filter(hiring_projects__isnull=False)
    return list(rows.order_by("-hiring_projects", "occupation_code")[:limit])


def indicator(territory: Territory, *, occupation_kind: str, occupation_code: str) -> Indicator | None:
    return (
        indicators(territory, occupation_kind=occupation_kind).filter(occupation_code=occupation_code).first()
    )


def occupation_choices(occupation_kind: str = OccupationKind.ROME3) -> list[tuple[str, str]]:
    rows = (
        Indicator.objects.filter(occupation_kind=occupation_kind, territory_kind=TerritoryKind.REGION)
        .order_by("occupation_code")
        .values_list("occupation_code", "occupation_label")
    )
    return [(code, f"{code} — {label}") for code, label in rows]


@dataclass
class MapPoint:
    code: str
    label: str
    latitude: float
    longitude: float
    value: float | None
    klass: int | None


def basin_centres(region_code: str | None = None) -> dict[str, tuple[float, float, str]]:
    """Population-weighted centre of each basin's communes: {code: (lat, lon, label)}."""
    region_code = region_code or settings.REGION_CODE
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    rows = Commune.objects.filter(region_id=region_code, latitude__isnull=False, bassin__isnull=False)
    for bassin, lat, lon, pop in rows.values_list("bassin_id", "latitude", "longitude", "population"):
        weight = pop or 1
        sums[bassin][0] += lat * weight
        sums[bassin][1] += lon * weight
        sums[bassin][2] += weight
    names = dict(Bassin.objects.filter(code__in=sums).values_list("code", "name"))
    return {code: (s[0] / s[2], s[1] / s[2], names.get(code, code).title()) for code, s in sums.items()}


def commune_points(region_code: str | None = None) -> list[tuple[float, float]]:
    region_code = region_code or settings.REGION_CODE
    return list(
        Commune.objects.filter(region_id=region_code, latitude__isnull=False).values_list(
            "latitude", "longitude"
        )
    )


def map_points(*, occupation_kind: str | None = None, occupation_code: str | None = None) -> list[MapPoint]:
    """One point per basin: the tension class of one occupation, or (no occupation) the share of difficult
    hiring projects over all occupations (BMO), in classes by fifths."""
    centres = basin_centres()
    points = []
    if occupation_code:
        rows = {
            row.territory_code: row
            for row in Indicator.objects.filter(
                territory_kind=TerritoryKind.BASSIN,
                occupation_kind=occupation_kind,
                occupation_code=occupation_code,
            )
        }
        for code, (lat, lon, label) in sorted(centres.items()):
            row = rows.get(code)
            points.append(
                MapPoint(
                    code,
                    label,
                    lat,
                    lon,
                    row.tension_score if row else None,
                    row.tension_class if row else None,
                )
            )
        return points
    totals = (
        HiringProjects.objects.filter(region_code=settings.REGION_CODE)
        .exclude(projects=None)
        .exclude(difficult=None)
        .values("bassin_code")
        .annotate(projects=Sum("projects"), difficult=Sum("difficult"))
    )
    shares = {row["bassin_code"]: row["difficult"] / row["projects"] for row in totals if row["projects"]}
    known = sorted(shares.values())
    for code, (lat, lon, label) in sorted(centres.items()):
        value = shares.get(code)
        klass = None
        if value is not None and known:
            rank = sum(1 for v in known if v <= value) / len(known)
            klass = min(5, max(1, int(rank * 5 + 0.9999)))
        points.append(MapPoint(code, label, lat, lon, value, klass))
    return points


def dares_series(rome3: str) -> dict[str, tuple[str, list[tuple[int, float]]]]:
    """National DARES tension series of the FAP-2009 families of a ROME v3 code: {fap: (label, [(year, z)])}."""
    faps = sorted(
        code
        for code in RomeFapLink.objects.filter(rome_code=rome3).values_list("fap_code", flat=True)
        if len(code) == 5
    )
    labels = dict(FapOccupation.objects.filter(version="2009", code__in=faps).values_list("code", "label"))
    series: dict[str, tuple[str, list[tuple[int, float]]]] = {}
    for fap, year, zscore in TensionSeries.objects.filter(fap_code__in=faps).values_list(
        "fap_code", "year", "zscore"
    ):
        series.setdefault(fap, (labels.get(fap, fap), []))[1].append((year, zscore))
    return series
