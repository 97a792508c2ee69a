"""Where the catalogue comes from: the project's own YAML files (src/aids/catalogue/, one per aid) and the
aides-jeunes catalogue in DATA_DIR (aids/aides-jeunes/), each turned into `Aid` field values.

`read_*` functions never stop on a bad file: they return the rows they could read and, for the others, a
rejection naming the file and the reason.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.text import slugify

from aids.models import InstitutionKind, Periodicity, RuleKind, Source, Theme

CATALOGUE_DIR = Path(__file__).parent / "catalogue"
AIDES_JEUNES = "aids/aides-jeunes"

REQUIRED = ("id", "label", "institution", "theme", "rule_kind", "reference_urls", "verified_on")
LIST_FIELDS = (
    "region_codes",
    "departement_codes",
    "epci_codes",
    "commune_codes",
    "conditions",
    "declarative_conditions",
    "documents",
    "non_cumulable_with",
    "reference_urls",
)
DATE_FIELDS = ("valid_from", "valid_until", "verified_on")
TEXT_FIELDS = (
    "label",
    "institution",
    "institution_kind",
    "theme",
    "description",
    "rule_kind",
    "openfisca_variable",
    "amount_text",
    "periodicity",
    "how_to_apply",
    "teleservice_url",
    "instructed_by",
    "cumulation_note",
    "sources_note",
)

# aides-jeunes files describing an aid the project's catalogue models itself (with its computed rule).
COVERED_BY_CATALOGUE = {
    "agepi.yml": "france-travail-aide-garde-enfants",
    "aide_permis_demandeur_emploi.yml": "france-travail-aide-permis-b",
    "hauts_de_france_aide_permis.yml": "hauts-de-france-aide-permis",
    "hauts_de_france_aide_garde_enfant.yml": "hauts-de-france-aide-garde-enfants",
    "haut-de-france-aide-transports-salaries.yml": "hauts-de-france-aide-transport",
    "hauts-de-france-en-route-pour-lemploi-parc-auto-1euro.yml": "hauts-de-france-en-route-pour-l-emploi",
}
THEMES = {
    "permis": Theme.MOBILITY_LICENCE,
    "garde_enfant": Theme.CHILDCARE,
    "mobilite_transport": Theme.MOBILITY_TRANSPORT,
    "logement": Theme.HOUSING,
}
HOUSING = re.compile(r"logement|loyer|loca-?pass|visale|h[ée]bergement|mobili-jeune", re.IGNORECASE)
LODGING = re.compile(r"logement|loyer|h[ée]bergement", re.IGNORECASE)
HDF_DEPARTEMENTS = {"02", "59", "60", "62", "80"}
EQUIPMENT = re.compile(r"[ée]quipement|outillage", re.IGNORECASE)
# Aids for pupils and students only: not the job seekers' offer.
STUDENTS_ONLY = re.compile(
    r"[ée]tudiant|internationale|mermoz|master|parcoursup|crous|lyc[ée]e|scolari|coll[èe]ge|erasmus|bafa|bafd|colo|culture",
    re.IGNORECASE,
)
PERIODICITIES = {
    "ponctuelle": Periodicity.ONE_OFF,
    "mensuelle": Periodicity.MONTHLY,
    "annuelle": Periodicity.YEARLY,
    "autre": Periodicity.OTHER,
}
PROFILES = {
    "chomeur": "job_seeker",
    "salarie": "employee",
    "professionnalisation": "employee",
    "apprenti": "apprentice",
    "stagiaire": "trainee",
    "etudiant": "student",
    "enseignement_superieur": "student",
    "lyceen": "student",
    "collegien": "student",
    "independant": "self_employed",
    "inactif": "inactive",
}
PROFILE_TEXTS = {
    "service_civique": "être en service civique",
    "beneficiaire_rsa": "être allocataire du RSA",
    "parent": "être parent",
    "situation_handicap": "être en situation de handicap",
}
INSTITUTION_KINDS = {
    "national": InstitutionKind.STATE,
    "region": InstitutionKind.REGION,
    "departement": InstitutionKind.DEPARTEMENT,
    "epci": InstitutionKind.EPCI,
    "commune": InstitutionKind.COMMUNE,
    "caf": InstitutionKind.CAF,
    "msa": InstitutionKind.MSA,
}


@dataclass
class Read:
    rows: dict[str, dict] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)  # "file: reason"
    notes: list[str] = field(default_factory=list)


def _text(html: str | None) -> str:
    text = re.sub(r"<[^>]+>", "", unescape(html or ""))
    return re.sub(r"\s+", " ", text).strip()


def parse_catalogue_entry(data, *, path: Path) -> dict:
    """The Aid field values of one catalogue YAML file; ValueError names the field at fault."""
    if not isinstance(data, dict):
        raise ValueError("the file must hold a mapping of fields")
    for name in REQUIRED:
        if not data.get(name):
            raise ValueError(f"field '{name}' is required")
    if data["id"] != path.stem:
        raise ValueError(f"field 'id' ({data['id']}) must match the file name ({path.stem})")
    unknown = set(data) - {*REQUIRED, *LIST_FIELDS, *DATE_FIELDS, *TEXT_FIELDS, "amount_max"}
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
    if data["theme"] not in Theme.values:
        raise ValueError(f"field 'theme': '{data['theme']}' is not one of {', '.join(Theme.values)}")
    if data["rule_kind"] not in RuleKind.values:
        raise ValueError(
            f"field 'rule_kind': '{data['rule_kind']}' is not one of {', '.join(RuleKind.values)}"
        )
    if data["rule_kind"] == RuleKind.OPENFISCA and not data.get("openfisca_variable"):
        raise ValueError("field 'openfisca_variable' is required when rule_kind is openfisca")
    values = {
        "source": Source.CATALOGUE,
        "source_file": f"src/aids/catalogue/{path.name}",
        "is_published": True,
    }
    for name in TEXT_FIELDS:
        values[name] = str(data.get(name) or "").strip()
    values["institution_kind"] = values["institution_kind"] or InstitutionKind.OTHER
    values["periodicity"] = values["periodicity"] or Periodicity.ONE_OFF
    for name in LIST_FIELDS:
        value = data.get(name) or []
        if not isinstance(value, list):
            raise ValueError(f"field '{name}' must be a list")
        values[name] = [str(v) for v in value] if name != "declarative_conditions" else value
    for name in DATE_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, datetime.date):
            raise ValueError(f"field '{name}' must be a date (YYYY-MM-DD)")
        values[name] = value
    amount = data.get("amount_max")
    if amount is not None and not isinstance(amount, int | float):
        raise ValueError("field 'amount_max' must be a number")
    from decimal import Decimal

    values["amount_max"] = None if amount is None else Decimal(str(amount)).quantize(Decimal("0.01"))
    return values


def read_catalogue(directory: Path = CATALOGUE_DIR) -> Read:
    read = Read()
    for path in sorted(directory.glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            values = parse_catalogue_entry(data, path=path)
        except (yaml.YAMLError, ValueError) as exc:
            read.rejected.append(f"{path}: {exc}")
            continue
        read.rows[data["id"]] = values
    return read


def _institutions(directory: Path) -> dict[str, dict]:
    out = {}
    for path in directory.glob("*.yml"):
        try:
            out[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            out[path.stem] = {}
    return out


def _territory(values: dict, institution: dict, kind: str) -> None:
    code = str(institution.get("code_insee") or "")
    if kind == "region" and code:
        values["region_codes"].append(code)
    elif kind == "departement" and code:
        values["departement_codes"].append(code)
    elif kind == "commune" and code:
        values["commune_codes"].append(code)
    elif kind == "epci" and institution.get("code_siren"):
        values["epci_codes"].append(str(institution["code_siren"]))
    elif kind in ("caf", "msa") and institution.get("departments"):
        values["departement_codes"].extend(str(d) for d in institution["departments"])


def read_aides_jeunes(data_dir: Path | None = None) -> Read:
    """The aids of aides-jeunes that matter to job seekers in Hauts-de-France (mobility, licence, transport,
    childcare, housing, equipment; national or Hauts-de-France scope), as Aid field values."""
    root = (data_dir or settings.DATA_DIR) / AIDES_JEUNES
    read = Read()
    index_path = root / "benefits_index.csv"
    if not index_path.exists():
        read.rejected.append(f"{index_path}: file not found")
        return read
    institutions = _institutions(root / "institutions")
    skipped = {"other territory": 0, "not a job seekers' theme": 0, "pupils and students only": 0}
    with open(index_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        name = Path(row["file"]).name
        if row["scope"] not in ("hdf", "national"):
            skipped["other territory"] += 1
            continue
        themes = [THEMES[t] for t in row["themes"].split("|") if t in THEMES]
        if Theme.HOUSING in themes and not HOUSING.search(row["label"]):
            themes.remove(Theme.HOUSING)  # the index tags every CAF benefit "logement"
        elif Theme.HOUSING in themes and LODGING.search(row["label"]):
            themes = [Theme.HOUSING]
        if not themes and EQUIPMENT.search(row["label"]):
            themes = [Theme.EQUIPMENT]
        if not themes:
            skipped["not a job seekers' theme"] += 1
            continue
        if STUDENTS_ONLY.search(row["label"]):
            skipped["pupils and students only"] += 1
            continue
        if name in COVERED_BY_CATALOGUE:
            read.notes.append(f"{name}: covered by the project's aid '{COVERED_BY_CATALOGUE[name]}'")
            continue
        path = root / "benefits" / name
        try:
            values = _aides_jeunes_entry(path, row, themes[0], institutions, read)
        except (OSError, yaml.YAMLError, ValueError, KeyError) as exc:
            read.rejected.append(f"{path}: {exc}")
            continue
        if values is None:
            skipped["pupils and students only"] += 1
            continue
        if not _concerns_hauts_de_france(values):
            skipped["other territory"] += 1
            read.notes.append(
                f"{name}: left out, its communes lie outside Hauts-de-France (index says '{row['scope']}')"
            )
            continue
        read.rows[values.pop("id")] = values
    read.notes.append(
        "aides-jeunes rows left out: " + ", ".join(f"{count} {reason}" for reason, count in skipped.items())
    )
    return read


def _concerns_hauts_de_france(values: dict) -> bool:
    if values["region_codes"]:
        return "32" in values["region_codes"]
    departements = [*values["departement_codes"], *(code[:2] for code in values["commune_codes"])]
    if departements:
        return sum(d in HDF_DEPARTEMENTS for d in departements) * 2 > len(departements)
    return True  # national, or an EPCI / an institution of the region


def _aides_jeunes_entry(path: Path, row: dict, theme: str, institutions: dict, read: Read) -> dict | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_PermissiveLoader)
    except yaml.YAMLError as exc:
        raise ValueError(f"invalid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict) or not data.get("label"):
        raise ValueError("no 'label'")
    institution_key = data.get("institution") or row["institution"]
    institution = institutions.get(institution_key)
    if institution is None:
        raise ValueError(f"unknown institution '{institution_key}'")
    kind = institution.get("type") or ""
    values = {
        "id": "aides-jeunes-" + slugify(path.stem)[:100],
        "label": _text(data["label"])[:1].upper() + _text(data["label"])[1:],
        "institution": institution.get("name") or institution_key,
        "institution_kind": INSTITUTION_KINDS.get(kind, InstitutionKind.OTHER),
        "region_codes": [],
        "departement_codes": [],
        "epci_codes": [],
        "commune_codes": [],
        "theme": theme,
        "description": _text(data.get("description")),
        "conditions": [_text(c) for c in data.get("conditions") or []],
        "amount_text": "",
        "amount_max": None,
        "periodicity": PERIODICITIES.get(data.get("periodicite"), Periodicity.OTHER),
        "how_to_apply": _text(data.get("instructions"))
        if not str(data.get("instructions", "")).startswith("http")
        else "",
        "teleservice_url": str(data.get("teleservice") or data.get("form") or data.get("instructions") or "")[
            :500
        ],
        "instructed_by": institution.get("name") or "",
        "reference_urls": [u for u in [data.get("link")] if u],
        "source": Source.AIDES_JEUNES,
        "source_file": f"{AIDES_JEUNES}/benefits/{path.name}",
        "is_published": True,
        "verified_on": None,
        "sources_note": "Fiche reprise du catalogue aides-jeunes (1jeune1solution, état d'août 2026), qui "
        "paraphrase la page officielle en lien ; non revérifiée par le projet.",
    }
    if not values["teleservice_url"].startswith("http"):
        values["teleservice_url"] = ""
    montant = data.get("montant")
    if isinstance(montant, int | float) and data.get("unit", "€") in ("€", "€ "):
        from decimal import Decimal

        values["amount_max"] = Decimal(str(montant))
        values["amount_text"] = f"{montant} €" + (" maximum" if data.get("legend") == "maximum" else "")
    declarative, students_only = _conditions(data, values, institution, kind, path, read)
    if students_only:
        return None
    values["declarative_conditions"] = declarative
    values["rule_kind"] = RuleKind.DECLARATIVE
    if not (
        values["region_codes"]
        or values["departement_codes"]
        or values["epci_codes"]
        or values["commune_codes"]
    ) and (kind in ("region", "departement", "commune", "epci", "caf", "msa") or row["scope"] == "hdf"):
        _territory(values, institution, kind)
    if row["scope"] == "hdf" and not (
        values["region_codes"]
        or values["departement_codes"]
        or values["epci_codes"]
        or values["commune_codes"]
    ):
        values["region_codes"] = [row["regions"].split("|")[0] or "32"]
    return values


def _conditions(data, values, institution, kind, path, read) -> tuple[list, bool]:
    out = []
    for condition in data.get("conditions_generales") or []:
        ctype = condition.get("type")
        if ctype == "age":
            out.append({"type": "age", "operator": condition["operator"], "value": condition["value"]})
        elif ctype in ("regions", "departements", "communes", "epcis"):
            values[f"{ctype[:-1]}_codes" if ctype != "epcis" else "epci_codes"].extend(
                str(v) for v in condition.get("values") or []
            )
        elif ctype == "attached_to_institution":
            _territory(values, institution, kind)
        else:
            read.notes.append(f"{path.name}: condition '{ctype}' kept as text (not checked automatically)")
            out.append({"type": "manual", "text": f"condition « {ctype} » de la fiche d'origine, à vérifier"})
    profiles = data.get("profils") or []
    statuses = sorted({PROFILES[p["type"]] for p in profiles if p.get("type") in PROFILES})
    texts = [PROFILE_TEXTS[p["type"]] for p in profiles if p.get("type") in PROFILE_TEXTS]
    if profiles and statuses and set(statuses) == {"student"} and not texts:
        return out, True
    if statuses and not texts:
        out.append({"type": "statuses", "values": statuses})
    elif statuses or texts:
        from aids.situations import STATUS_LABELS, Status

        labels = ", ".join([*(STATUS_LABELS[Status(v)].lower() for v in statuses), *texts])
        out.append({"type": "manual", "text": f"être dans l'une de ces situations : {labels}"})
    if any(p.get("conditions") for p in profiles):
        out.append(
            {
                "type": "manual",
                "text": "conditions particulières selon la situation (voir la fiche officielle)",
            }
        )
    if data.get("interestFlag") == "_interetPermisDeConduire":
        out.append({"type": "driving_licence", "value": False})
    if (
        path.parent.name == "benefits"
        and not data.get("conditions_generales")
        and not profiles
        and data.get("openfiscaPeriod")
    ):
        read.notes.append(
            f"{path.name}: rule computed by OpenFisca in aides-jeunes, not available here: "
            "listed with its conditions to verify"
        )
        out.append(
            {"type": "manual", "text": "conditions de ressources et de situation calculées par l'organisme"}
        )
    return out, False


class _PermissiveLoader(yaml.SafeLoader):
    """aides-jeunes uses a custom `!!value` tag in a few files: read it as a plain value."""


_PermissiveLoader.add_multi_constructor(
    "",
    lambda loader, suffix, node: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None,
)
