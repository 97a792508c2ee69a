"""Recompute the `Indicator` table for the configured region from the imported figures, the training supply and
the platform's own offers. Everything is summed in memory, then written in one bulk insert.

Occupations: ROME v3 (the level the 2021 figures are published at; a ROME 4.0 fiche reads its parent's row),
FAP 2009 (official list of occupations in tension) and BMO occupations (FAP 2021). Territories: basins (the unit
of BMO and of the 2021 figures), their départements (a basin counts in the département holding most of its
population), the region, and zones d'emploi (only commune-level figures: open offers, platform offers, training).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import itemgetter

from django.conf import settings
from django.db import connection, transaction

from diagnosis import live, tension
from diagnosis.models import (
    FapOccupation,
    HiringProjects,
    Indicator,
    OccupationKind,
    OfferCount,
    RomeFapLink,
    TensionFigure,
    TensionListEntry,
    TerritoryKind,
)
from rome.models import Fiche
from territories.models import Bassin, Commune, Departement, Region, ZoneEmploi


@dataclass
class Cell:
    sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    present: set[str] = field(default_factory=set)
    official_class: int | None = None
    fill_days: list[float] = field(default_factory=list)

    def add(self, name: str, value: float | None) -> None:
        if value is None:
            return
        self.sums[name] += value
        self.present.add(name)

    def get(self, name: str) -> float | None:
        return self.sums[name] if name in self.present else None


@dataclass
class Geography:
    """Where each basin, commune and zone d'emploi of the region rolls up to."""

    region_code: str
    bassin_departement: dict[str, str]
    commune_bassin: dict[str, str]
    commune_zone: dict[str, str]
    commune_departement: dict[str, str]
    labels: dict[tuple[str, str], str]

    def basin_territories(self, bassin: str) -> list[tuple[str, str]]:
        out = [(TerritoryKind.BASSIN, bassin), (TerritoryKind.REGION, self.region_code)]
        if dep := self.bassin_departement.get(bassin):
            out.append((TerritoryKind.DEPARTEMENT, dep))
        return out

    def commune_territories(self, commune: str) -> list[tuple[str, str]]:
        out = [(TerritoryKind.REGION, self.region_code)]
        if bassin := self.commune_bassin.get(commune):
            out.append((TerritoryKind.BASSIN, bassin))
        if zone := self.commune_zone.get(commune):
            out.append((TerritoryKind.ZONE_EMPLOI, zone))
        if dep := self.commune_departement.get(commune):
            out.append((TerritoryKind.DEPARTEMENT, dep))
        return out


def region_geography(region_code: str) -> Geography:
    rows = list(
        Commune.objects.filter(region_id=region_code).values_list(
            "code", "bassin_id", "zone_emploi_id", "departement_id", "population"
        )
    )
    population: dict[str, Counter] = defaultdict(Counter)
    for _code, bassin, _zone, dep, pop in rows:
        if bassin:
            population[bassin][dep] += pop or 1
    labels = {(TerritoryKind.REGION, r.code): r.name for r in Region.objects.filter(code=region_code)}
    labels |= {
        (TerritoryKind.DEPARTEMENT, d.code): f"{d.name} ({d.code})"
        for d in Departement.objects.filter(region_id=region_code)
    }
    labels |= {
        (TerritoryKind.BASSIN, b.code): b.name.title() for b in Bassin.objects.filter(code__in=population)
    }
    zones = {zone for _c, _b, zone, _d, _p in rows if zone}
    labels |= {(TerritoryKind.ZONE_EMPLOI, z.code): z.name for z in ZoneEmploi.objects.filter(code__in=zones)}
    return Geography(
        region_code=region_code,
        bassin_departement={b: counts.most_common(1)[0][0] for b, counts in population.items()},
        commune_bassin={c: b for c, b, _z, _d, _p in rows if b},
        commune_zone={c: z for c, _b, z, _d, _p in rows if z},
        commune_departement={c: d for c, _b, _z, d, _p in rows},
        labels=labels,
    )


def occupation_maps():
    """ROME v3 → its FAP-2009 (225) families; FAP-2021 → FAP-2009 bridge; labels."""
    rome_faps: dict[str, set[str]] = defaultdict(set)
    for rome, fap in RomeFapLink.objects.values_list("rome_code", "fap_code"):
        if len(fap) == 5:
            rome_faps[rome].add(fap)
    bridge, labels = {}, {}
    for version, code, label, equivalent in FapOccupation.objects.values_list(
        "version", "code", "label", "equivalent_2009"
    ):
        kind = OccupationKind.FAP2021 if version == FapOccupation.Version.FAP2021 else OccupationKind.FAP2009
        labels[(kind, code)] = label
        if kind == OccupationKind.FAP2021 and equivalent:
            bridge[code] = equivalent
    for parent, label in Fiche.objects.values_list("parent_code", "parent_label").distinct():
        labels.setdefault((OccupationKind.ROME3, parent), label or parent)
    return rome_faps, bridge, labels


def recompute_indicators(*, region_code: str | None = None, today: dt.date | None = None) -> int:
    """Rebuild every indicator of the region; returns the number of rows written."""
    region_code = region_code or settings.REGION_CODE
    geo = region_geography(region_code)
    rome_faps, bridge, labels = occupation_maps()
    cells: dict[tuple[str, str, str, str], Cell] = defaultdict(Cell)
    basins = set(geo.bassin_departement)

    def add(kind, code, territories, **values):
        for tkind, tcode in territories:
            cell = cells[(kind, code, tkind, tcode)]
            for name, value in values.items():
                cell.add(name, value)

    # 2021 offers and job seekers by ROME × basin (+ the official class, basin level only).
    rome_offers: dict[tuple[str, str], float] = {}
    for rome, bassin, offers, seekers, official in TensionFigure.objects.filter(
        bassin_code__in=basins
    ).values_list("rome_code", "bassin_code", "offers", "job_seekers", "tension_class"):
        add(OccupationKind.ROME3, rome, geo.basin_territories(bassin), offers=offers, job_seekers=seekers)
        cells[(OccupationKind.ROME3, rome, TerritoryKind.BASSIN, bassin)].official_class = official
        rome_offers[(rome, bassin)] = offers
        faps = rome_faps.get(rome, ())
        for fap in faps:  # a ROME in several families is split evenly between them
            add(
                OccupationKind.FAP2009,
                fap,
                geo.basin_territories(bassin),
                offers=offers / len(faps),
                job_seekers=seekers / len(faps),
            )

    # Open offers on one date by commune × ROME.
    for rome, commune, offers in OfferCount.objects.values_list("rome_code", "commune_code", "offers"):
        add(OccupationKind.ROME3, rome, geo.commune_territories(commune), open_offers=offers)

    # BMO hiring projects by FAP-2021 × basin (parts of a basin in several départements are summed).
    fap_roms: dict[str, list[str]] = defaultdict(list)
    for rome, faps in rome_faps.items():
        for fap in faps:
            fap_roms[fap].append(rome)
    bmo = HiringProjects.objects.filter(region_code=region_code).values_list(
        "fap_code", "bassin_code", "projects", "difficult", "seasonal"
    )
    for fap2021, bassin, projects, difficult, seasonal in bmo:
        values = _bmo_values(projects, difficult, seasonal)
        territories = geo.basin_territories(bassin)
        add(OccupationKind.FAP2021, fap2021, territories, **values)
        fap2009 = bridge.get(fap2021)
        if not fap2009:
            continue
        add(OccupationKind.FAP2009, fap2009, territories, **values)
        # Apportioned to the family's ROME codes by their 2021 offers in the basin (evenly when none).
        romes = fap_roms.get(fap2009, [])
        weights = [rome_offers.get((rome, bassin), 0.0) / len(rome_faps[rome]) for rome in romes]
        total = sum(weights)
        for rome, weight in zip(romes, weights, strict=True):
            part = weight / total if total else 1 / len(romes)
            add(
                OccupationKind.ROME3,
                rome,
                territories,
                **{name: value * part for name, value in values.items() if value is not None},
            )
            # Shares are those of the whole family (an intensive figure, not apportioned).
            add(
                OccupationKind.ROME3,
                rome,
                territories,
                family_difficult=difficult,
                family_base_difficult=values["share_base_difficult"],
                family_seasonal=seasonal,
                family_base_seasonal=values["share_base_seasonal"],
            )

    # Training places and the platform's own offers, located by commune.
    from training.selectors import places_by_rome_and_commune

    for (rome, commune), places in places_by_rome_and_commune(today=today).items():
        add(OccupationKind.ROME3, rome, geo.commune_territories(commune), training_places=places)
    for figure in live.pool_figures(region_code=region_code):
        for tkind, tcode in geo.commune_territories(figure.commune_code):
            cell = cells[(OccupationKind.ROME3, figure.rome_code, tkind, tcode)]
            cell.add("pool_offers", 1)
            if figure.without_candidates is not None:
                cell.add("pool_without_candidates", 1 if figure.without_candidates else 0)
            if figure.days_open is not None:
                cell.fill_days.append(figure.days_open)

    official = set(
        TensionListEntry.objects.filter(region_code__in=[region_code, ""]).values_list("fap_code", flat=True)
    )
    rows = [
        _indicator(key, cell, labels=labels, geo=geo, official=official, rome_faps=rome_faps)
        for key, cell in cells.items()
        if key[3] and (key[2], key[3]) in geo.labels
    ]
    _score(rows)
    _replace_table(rows)
    return len(rows)


def _replace_table(rows: list[dict]) -> None:
    """Swap the table's content in one transaction, with one multi-row INSERT statement per batch (the ORM's
    bulk_create is bounded by SQLite's 999 parameters, about 38 rows of this width per statement)."""
    columns = [f.column for f in Indicator._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in Indicator._meta.concrete_fields if not f.primary_key]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Indicator._meta.db_table)} "
        f"({', '.join(connection.ops.quote_name(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    values = itemgetter(*names)
    with transaction.atomic(), connection.cursor() as cursor:
        Indicator.objects.all().delete()
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, [values(row) for row in rows[start : start + 5000]])


def _bmo_values(projects, difficult, seasonal) -> dict:
    """Counts, and the bases of the shares: a secret numerator drops the cell from that share's base."""
    return {
        "hiring_projects": projects,
        "difficult_projects": difficult,
        "seasonal_projects": seasonal,
        "share_base_difficult": projects if projects is not None and difficult is not None else None,
        "share_base_seasonal": projects if projects is not None and seasonal is not None else None,
    }


def _indicator(key, cell: Cell, *, labels, geo: Geography, official: set[str], rome_faps) -> dict:
    okind, ocode, tkind, tcode = key
    get = cell.get
    share_fields = ("difficult_projects", "share_base_difficult", "seasonal_projects", "share_base_seasonal")
    if okind == OccupationKind.ROME3:
        share_fields = (
            "family_difficult",
            "family_base_difficult",
            "family_seasonal",
            "family_base_seasonal",
        )
    shares = [get(name) for name in share_fields]
    offers, seekers = get("offers"), get("job_seekers")
    projects = get("hiring_projects")
    pool = get("pool_offers")
    difficult = get("difficult_projects")
    without = get("pool_without_candidates")
    need = None
    if tension.significant(shares[1]) or tension.significant(pool):
        need = (difficult or 0.0) + (without or 0.0)
    places = int(get("training_places") or 0)
    if okind == OccupationKind.ROME3:
        listed = bool(rome_faps.get(ocode, set()) & official)
    else:
        listed = okind == OccupationKind.FAP2009 and ocode in official
    return {
        "occupation_kind": okind,
        "occupation_code": ocode,
        "occupation_label": labels.get((okind, ocode), ocode)[:250],
        "territory_kind": tkind,
        "territory_code": tcode,
        "territory_label": geo.labels[(tkind, tcode)][:120],
        "offers": offers,
        "open_offers": int(get("open_offers")) if get("open_offers") is not None else None,
        "job_seekers": seekers,
        "offers_per_job_seeker": tension.offers_per_job_seeker(offers, seekers),
        "hiring_projects": projects,
        "difficult_projects": difficult,
        "seasonal_projects": get("seasonal_projects"),
        "share_difficult": tension.share(shares[0], shares[1]),
        "share_seasonal": tension.share(shares[2], shares[3]),
        "pool_offers": int(pool) if pool is not None else None,
        "time_to_fill_days": (sum(cell.fill_days) / len(cell.fill_days)) if len(cell.fill_days) else None,
        "share_without_candidates": tension.share(without, pool),
        "official_class": cell.official_class,
        "in_official_list": listed,
        "training_places": places,
        "need_estimate": need,
        "coverage_gap": (need - places) if need is not None else None,
        "tension_score": None,
        "tension_class": None,
        "significant": False,
        "_ratio": tension.log_ratio(offers, seekers),
    }


def _score(rows: list[dict]) -> None:
    """Standardise the components within each (occupation nomenclature, territory level), combine, classify."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["occupation_kind"], row["territory_kind"])].append(row)
    for group in groups.values():
        scores = tension.composite_scores([r["_ratio"] for r in group], [r["share_difficult"] for r in group])
        for row, score, klass in zip(group, scores, tension.quintile_classes(scores), strict=True):
            row.update(tension_score=score, tension_class=klass, significant=score is not None)
