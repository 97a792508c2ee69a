"""Writes on territories: the reference sync (`reseau-emploi sync-territories`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from core.sync import SyncReport, upsert
from core.text import fold
from territories import sources
from territories.models import Bassin, Commune, CommuneAlias, Departement, Epci, Region, ZoneEmploi


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _no_progress(iterable=None, **kwargs):
    """Stands for `tqdm` when no progress is shown: passes iterables through, ignores manual updates."""
    return _Silent() if iterable is None else iterable


def sync_territories(report: SyncReport, *, data_dir: Path, progress=_no_progress) -> None:
    """Make the territory tables match the files of `data_dir`/territories (all of France).

    Run it through `core.sync.run_sync`, which holds the transaction and decides whether to keep the writes.
    """
    directory = Path(data_dir) / "territories"
    steps = progress(total=9, desc="territoires", unit=" étapes")
    territories = sources.read_all(directory, Path(data_dir), progress)
    steps.update(1)
    zones, ze_by_code, ze_by_name = sources.read_zones_emploi(directory)
    steps.update(1)
    bassins, bassin_by_code, bassin_notes = sources.read_bassins(directory)
    steps.update(1)
    coordinates, coordinate_sources = sources.read_coordinates(
        directory, Path(data_dir), territories.communes
    )
    steps.update(1)

    parts: dict[str, list[str]] = defaultdict(list)  # commune -> the other codes designating it
    for code, alias in territories.aliases.items():
        parts[alias["commune_id"]].append(code)
    zone_found, bassin_found = Counter(), Counter()

    sharing_postal_code: dict[str, set[str]] = defaultdict(set)
    for code, commune in territories.communes.items():
        for postal_code in commune.postal_codes:
            sharing_postal_code[postal_code].add(code)

    def zone_of(commune: sources.CommuneSource) -> str | None:
        zone, how = _by_code_or_parts(commune.code, parts, ze_by_code)
        if zone is None and (zone := ze_by_name.get((commune.departement, fold(commune.name)))):
            how = "by name in its département"
        if zone is None:
            # A commune restored after the file's geography (split from a commune nouvelle) still shares its
            # postal code with its former commune: take their zone when they all agree.
            neighbours = {
                ze_by_code[other]
                for postal_code in commune.postal_codes
                for other in sharing_postal_code[postal_code]
                if other != commune.code and other in ze_by_code
            }
            if len(neighbours) == 1:
                zone, how = neighbours.pop(), "from the communes sharing its postal code"
        zone_found[how] += 1
        return zone

    def bassin_of(commune: sources.CommuneSource) -> str | None:
        bassin, how = _by_code_or_parts(commune.code, parts, bassin_by_code)
        bassin_found[how] += 1
        return bassin

    commune_rows = {}
    for code, commune in territories.communes.items():
        latitude, longitude = coordinates.get(code, (None, None))
        commune_rows[code] = {
            "name": commune.name,
            "search_name": fold(commune.name),
            "departement_id": commune.departement,
            "region_id": commune.region,
            "epci_id": territories.epci_of.get(code),
            "zone_emploi_id": zone_of(commune),
            "bassin_id": bassin_of(commune),
            "siren": commune.siren,
            "population": commune.population,
            "postal_codes": " ".join(commune.postal_codes),
            "latitude": latitude,
            "longitude": longitude,
        }

    upsert(Region, {code: {"name": name} for code, name in territories.regions.items()}, report=report)
    steps.update(1)
    upsert(Departement, territories.departements, report=report)
    upsert(Epci, territories.epcis, report=report)
    steps.update(1)
    upsert(ZoneEmploi, {code: {"name": name} for code, name in zones.items()}, report=report)
    upsert(Bassin, {code: {"name": name} for code, name in bassins.items()}, report=report)
    steps.update(1)
    upsert(Commune, commune_rows, report=report)
    steps.update(1)
    upsert(CommuneAlias, territories.aliases, report=report, delete_missing=True)
    steps.update(1)
    steps.close()

    report.notes += territories.notes + bassin_notes
    report.notes.append("coordinates: " + _describe(coordinate_sources))
    report.notes.append("zone d'emploi: " + _describe(zone_found))
    report.notes.append("bassin: " + _describe(bassin_found))
    for model, wanted in (
        (Commune, commune_rows),
        (Epci, territories.epcis),
        (Departement, territories.departements),
        (Region, territories.regions),
        (ZoneEmploi, zones),
        (Bassin, bassins),
    ):
        stale = len(set(model.objects.values_list("pk", flat=True)) - set(wanted))
        if stale:
            report.notes.append(
                f"{stale} {model._meta.verbose_name_plural} of the database are no longer in the files: kept, "
                "since other records may refer to them"
            )


def _by_code_or_parts(
    code: str, parts: dict[str, list[str]], mapping: dict[str, str]
) -> tuple[str | None, str]:
    """The value for a commune code, or else the most common value of its former codes and parts (a commune
    nouvelle created after the zoning file was published)."""
    if code in mapping:
        return mapping[code], "by INSEE code"
    values = Counter(mapping[part] for part in parts.get(code, []) if part in mapping)
    if values:
        return values.most_common(1)[0][0], "through former or attached codes"
    return None, "none"


def _describe(counter: Counter) -> str:
    return ", ".join(f"{count} {how}" for how, count in counter.most_common())
