"""The territories' source files (DATA_DIR/territories, see docs/territories.md), read into plain rows.

Each reader checks what it reads and raises `SourceError` naming the file, line and field of the first
malformed value; inconsistencies between files that are expected with mixed vintages (a commune created after
the zone d'emploi file was published) are counted in notes instead.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core.sync import SourceError, read_csv
from core.text import fold

DECOUPAGE_DIR = "decoupage-administratif"
COORDINATES_FILE = "communes.csv"  # datas.fun (La Poste points), one or more lines per commune
DEPARTEMENT_COORDINATES_FILE = "departements.csv"
ZE_LIST_FILE = "ze2020_liste_geo2022.csv"
ZE_COMPOSITION_FILE = "ze2020_composition_communale_geo2022.csv"
BASSIN_FILE = "France_Travail_Bassin_Emploi_2021.csv"
LAPOSTE_FILE = Path("naf") / "laposte_hexasmal.csv"  # relative to DATA_DIR; optional fallback for coordinates

COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEPARTEMENT_CODE = re.compile(r"^(\d{2}|2[AB]|\d{3})$")
REGION_CODE = re.compile(r"^\d{2,3}$")
SIREN = re.compile(r"^\d{9}$")
POSTAL_CODE = re.compile(r"^\d{5}$")
ZE_CODE = re.compile(r"^\d{4}$")
BASSIN_CODE = re.compile(r"^\d{3,4}$")


def read_json_array(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield (line, object) for each item of a JSON array file, the line being where the item starts."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SourceError("file not found", path=path) from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"not valid UTF-8 text ({exc.reason})", path=path) from exc
    decoder = json.JSONDecoder()
    position, line = 0, 1

    def skip_blank(position: int) -> int:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        return position

    def line_at(position: int) -> int:
        nonlocal line, last
        line += text.count("\n", last, position)
        last = position
        return line

    last = 0
    position = skip_blank(position)
    if position >= len(text) or text[position] != "[":
        raise SourceError("expected a JSON array", path=path, line=line_at(position))
    position = skip_blank(position + 1)
    if position < len(text) and text[position] == "]":
        return
    while True:
        try:
            item, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise SourceError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from exc
        item_line = line_at(position)
        if not isinstance(item, dict):
            raise SourceError("expected a JSON object", path=path, line=item_line)
        yield item_line, item
        position = skip_blank(end)
        if position < len(text) and text[position] == ",":
            position = skip_blank(position + 1)
        elif position < len(text) and text[position] == "]":
            return
        else:
            raise SourceError("expected ',' or ']' between items", path=path, line=line_at(position))


@dataclass
class Located:
    """Where a value comes from, to raise a precise SourceError."""

    path: Path
    line: int

    def error(self, message: str, field: str) -> SourceError:
        return SourceError(message, path=self.path, line=self.line, field=field)

    def text(self, item: dict, name: str, *, pattern: re.Pattern | None = None, required: bool = True) -> str:
        value = item.get(name)
        if value is None or value == "":
            if required:
                raise self.error("missing value", name)
            return ""
        if not isinstance(value, str):
            raise self.error(f"expected text, got {value!r}", name)
        value = value.strip()
        if pattern is not None and not pattern.match(value):
            raise self.error(f"invalid value {value!r}", name)
        return value

    def integer(self, item: dict, name: str) -> int | None:
        value = item.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.error(f"expected a whole number, got {value!r}", name)
        try:
            number = int(value)
        except ValueError as exc:
            raise self.error(f"expected a whole number, got {value!r}", name) from exc
        if number < 0:
            raise self.error(f"expected a positive number, got {value!r}", name)
        return number

    def coordinate(self, item: dict, name: str, *, limit: float) -> float | None:
        value = item.get(name)
        if value is None or str(value).strip() == "":
            return None
        try:
            number = float(str(value).strip())
        except ValueError as exc:
            raise self.error(f"expected a decimal number, got {value!r}", name) from exc
        if not -limit <= number <= limit:
            raise self.error(f"{number} is out of range [-{limit}, {limit}]", name)
        return number


@dataclass
class CommuneSource:
    code: str
    name: str
    departement: str
    region: str
    siren: str
    population: int | None
    postal_codes: list[str]
    former_codes: list[str]


@dataclass
class Territories:
    """Everything read from the files, keyed by code, before it is written."""

    regions: dict[str, str] = field(default_factory=dict)
    departements: dict[str, dict] = field(default_factory=dict)
    epcis: dict[str, dict] = field(default_factory=dict)
    epci_of: dict[str, str] = field(default_factory=dict)  # commune code -> EPCI SIREN
    communes: dict[str, CommuneSource] = field(default_factory=dict)
    aliases: dict[str, dict] = field(default_factory=dict)  # code -> {name, commune_id, kind}
    zones_emploi: dict[str, str] = field(default_factory=dict)
    bassins: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_regions(directory: Path) -> dict[str, str]:
    path = directory / DECOUPAGE_DIR / "regions.json"
    regions = {}
    for line, item in read_json_array(path):
        where = Located(path, line)
        regions[where.text(item, "code", pattern=REGION_CODE)] = where.text(item, "nom")
    return regions


def read_departements(directory: Path, regions: dict[str, str]) -> dict[str, dict]:
    path = directory / DECOUPAGE_DIR / "departements.json"
    departements = {}
    for line, item in read_json_array(path):
        where = Located(path, line)
        code = where.text(item, "code", pattern=DEPARTEMENT_CODE)
        region = where.text(item, "region", pattern=REGION_CODE)
        if region not in regions:
            raise where.error(f"unknown region {region!r} (not in regions.json)", "region")
        departements[code] = {
            "name": where.text(item, "nom"),
            "region_id": region,
            "latitude": None,
            "longitude": None,
        }
    coordinates = directory / DEPARTEMENT_COORDINATES_FILE
    for line, row in read_csv(coordinates, required=["insee_dep", "lat", "lng"]):
        where = Located(coordinates, line)
        code = where.text(row, "insee_dep", pattern=DEPARTEMENT_CODE)
        if code in departements:
            departements[code]["latitude"] = where.coordinate(row, "lat", limit=90)
            departements[code]["longitude"] = where.coordinate(row, "lng", limit=180)
    return departements


def read_communes(directory: Path, territories: Territories, progress) -> None:
    """Communes actuelles, plus the other codes (arrondissements, communes déléguées/associées, former
    codes) that designate them."""
    path = directory / DECOUPAGE_DIR / "communes.json"
    others = []
    for line, item in progress(read_json_array(path), desc="communes.json", unit=" items"):
        where = Located(path, line)
        kind = where.text(item, "type")
        code = where.text(item, "code", pattern=COMMUNE_CODE)
        if kind != "commune-actuelle":
            others.append((where, kind, code, item))
            continue
        departement = where.text(item, "departement", pattern=DEPARTEMENT_CODE)
        if departement not in territories.departements:
            raise where.error(
                f"unknown département {departement!r} (not in departements.json)", "departement"
            )
        region = where.text(item, "region", pattern=REGION_CODE)
        if region not in territories.regions:
            raise where.error(f"unknown region {region!r} (not in regions.json)", "region")
        postal_codes = item.get("codesPostaux", [])
        if not isinstance(postal_codes, list) or not all(
            isinstance(p, str) and POSTAL_CODE.match(p) for p in postal_codes
        ):
            raise where.error(
                f"expected a list of 5-digit postal codes, got {postal_codes!r}", "codesPostaux"
            )
        former = item.get("anciensCodes", [])
        if not isinstance(former, list) or not all(
            isinstance(c, str) and COMMUNE_CODE.match(c) for c in former
        ):
            raise where.error(f"expected a list of INSEE codes, got {former!r}", "anciensCodes")
        territories.communes[code] = CommuneSource(
            code=code,
            name=where.text(item, "nom"),
            departement=departement,
            region=region,
            siren=where.text(item, "siren", pattern=SIREN, required=False),
            population=where.integer(item, "population"),
            postal_codes=sorted(set(postal_codes)),
            former_codes=former,
        )
    kinds = {
        "arrondissement-municipal": ("arrondissement", "commune"),
        "commune-deleguee": ("deleguee", "chefLieu"),
        "commune-associee": ("associee", "chefLieu"),
    }
    for where, kind, code, item in others:
        if kind not in kinds:
            raise where.error(f"unknown type {kind!r}", "type")
        alias_kind, parent_field = kinds[kind]
        parent = where.text(item, parent_field, pattern=COMMUNE_CODE)
        if parent not in territories.communes:
            raise where.error(f"{parent!r} is not a commune actuelle", parent_field)
        if code not in territories.communes:  # a commune déléguée often keeps its commune nouvelle's code
            territories.aliases[code] = {
                "name": where.text(item, "nom"),
                "commune_id": parent,
                "kind": alias_kind,
            }
    for commune in territories.communes.values():
        for code in commune.former_codes:
            if code not in territories.communes and code not in territories.aliases:
                territories.aliases[code] = {"name": "", "commune_id": commune.code, "kind": "former"}


def read_epcis(directory: Path, territories: Territories) -> None:
    path = directory / DECOUPAGE_DIR / "epci.json"
    unknown = 0
    for line, item in read_json_array(path):
        where = Located(path, line)
        siren = where.text(item, "code", pattern=SIREN)
        territories.epcis[siren] = {
            "name": where.text(item, "nom"),
            "kind": where.text(item, "type", required=False),
        }
        members = item.get("membres")
        if not isinstance(members, list):
            raise where.error("expected a list of member communes", "membres")
        for member in members:
            code = where.text(member if isinstance(member, dict) else {}, "code", pattern=COMMUNE_CODE)
            if code not in territories.communes:
                unknown += 1
                continue
            if territories.epci_of.get(code, siren) != siren:
                raise where.error(
                    f"commune {code} is already a member of EPCI {territories.epci_of[code]}", "membres"
                )
            territories.epci_of[code] = siren
    if unknown:
        territories.notes.append(f"{unknown} EPCI member code(s) are not communes actuelles; ignored")


def read_zones_emploi(directory: Path) -> tuple[dict[str, str], dict[str, str], dict[tuple[str, str], str]]:
    """Zones d'emploi 2020 and the commune -> zone map (by code, and by (département, folded name))."""
    listing = directory / ZE_LIST_FILE
    zones = {}
    for line, row in read_csv(listing, required=["ZE2020", "LIBZE2020"]):
        where = Located(listing, line)
        zones[where.text(row, "ZE2020", pattern=ZE_CODE)] = where.text(row, "LIBZE2020")
    composition = directory / ZE_COMPOSITION_FILE
    by_code, by_name = {}, {}
    for line, row in read_csv(composition, required=["CODGEO", "LIBGEO", "ZE2020", "DEP"]):
        where = Located(composition, line)
        code = where.text(row, "CODGEO", pattern=COMMUNE_CODE)
        zone = where.text(row, "ZE2020", pattern=ZE_CODE)
        if zone not in zones:
            raise where.error(f"zone d'emploi {zone!r} is not in {ZE_LIST_FILE}", "ZE2020")
        by_code[code] = zone
        by_name[(where.text(row, "DEP", pattern=DEPARTEMENT_CODE), fold(where.text(row, "LIBGEO")))] = zone
    return zones, by_code, by_name


def read_bassins(directory: Path) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """France Travail basins and the commune -> basin map. `codgeo` and `codbe` lost their leading zeros."""
    path = directory / BASSIN_FILE
    names: dict[str, Counter] = defaultdict(Counter)
    by_code = {}
    for line, row in read_csv(path, required=["codgeo", "codbe", "libbe"]):
        where = Located(path, line)
        code = where.text(row, "codgeo", pattern=re.compile(r"^(\d{4,5}|2[AB]\d{3})$")).zfill(5)
        bassin = where.text(row, "codbe", pattern=BASSIN_CODE).zfill(4)
        names[bassin][where.text(row, "libbe")] += 1
        by_code[code] = bassin
    notes = []
    bassins = {}
    for code, counter in names.items():
        (name, _count), *others = counter.most_common()
        bassins[code] = name
        if others:
            notes.append(
                f"bassin {code} has several names in {BASSIN_FILE}: kept {name!r} (most frequent), "
                f"ignored {', '.join(repr(other) for other, _ in others)}"
            )
    return bassins, by_code, notes


def read_coordinates(directory: Path, data_dir: Path, communes: dict[str, CommuneSource]):
    """(latitude, longitude) per commune code and how many came from each fallback.

    datas.fun's COM line first; then La Poste's file (first line with a point); then the mean of the points of
    the commune's parts (Paris/Lyon/Marseille arrondissements, former communes). Overseas collectivities
    (975-989) have none."""
    path = directory / COORDINATES_FILE
    points: dict[str, tuple[float, float]] = {}
    part_points: dict[str, tuple[float, float]] = {}
    parts_of: dict[str, list[str]] = defaultdict(list)  # Paris, Lyon, Marseille -> their arrondissements
    for line, row in read_csv(path, required=["insee_com", "commune_type", "insee_parente", "lat", "lng"]):
        where = Located(path, line)
        code = where.text(row, "insee_com", pattern=COMMUNE_CODE)
        if row["commune_type"] == "ARM" and row["insee_parente"]:
            parts_of[row["insee_parente"]].append(code)
        latitude = where.coordinate(row, "lat", limit=90)
        longitude = where.coordinate(row, "lng", limit=180)
        if latitude is None or longitude is None:
            continue
        if row["commune_type"] == "COM":
            points.setdefault(code, (latitude, longitude))
        else:
            part_points.setdefault(code, (latitude, longitude))
    laposte: dict[str, tuple[float, float]] = {}
    laposte_path = data_dir / LAPOSTE_FILE
    if laposte_path.exists():
        for line, row in read_csv(
            laposte_path, delimiter=";", required=["Code_commune_INSEE", "coordonnees_gps"]
        ):
            where = Located(laposte_path, line)
            code = where.text(row, "Code_commune_INSEE", pattern=COMMUNE_CODE)
            gps = row["coordonnees_gps"].strip()
            if not gps or code in laposte:
                continue
            parts = gps.split(",")
            if len(parts) != 2:
                raise where.error(f"expected 'latitude, longitude', got {gps!r}", "coordonnees_gps")
            laposte[code] = (
                where.coordinate({"lat": parts[0]}, "lat", limit=90),
                where.coordinate({"lon": parts[1]}, "lon", limit=180),
            )
    result, sources = {}, Counter()
    for code, commune in communes.items():
        if code in points:
            result[code] = points[code]
            sources["datas.fun"] += 1
        elif code in laposte:
            result[code] = laposte[code]
            sources["La Poste"] += 1
        else:
            found = [
                part_points.get(part) or points.get(part) or laposte.get(part)
                for part in parts_of.get(code, []) + commune.former_codes
            ]
            found = [point for point in found if point]
            if found:
                result[code] = (
                    round(sum(p[0] for p in found) / len(found), 5),
                    round(sum(p[1] for p in found) / len(found), 5),
                )
                sources["mean of its parts"] += 1
            else:
                sources["none"] += 1
    return result, sources


def read_all(directory: Path, data_dir: Path, progress) -> Territories:
    territories = Territories()
    territories.regions = read_regions(directory)
    territories.departements = read_departements(directory, territories.regions)
    read_communes(directory, territories, progress)
    read_epcis(directory, territories)
    return territories
