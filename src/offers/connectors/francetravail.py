"""France Travail "Offres d'emploi v2" records (files or API pages) -> CanonicalOffer.

Accepts a JSON list of offers, JSON Lines, or the search response object `{"resultats": [...]}`. Every field of
the API's offer schema is either mapped to a canonical field or kept in `raw` (the whole record always is).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from offers.canonical import CanonicalOffer, RejectedRecord
from offers.connectors import Input, iter_json_records, open_binary
from offers.vocab import (
    clean_naf,
    clean_siret,
    contract_from_label,
    duration_months_from_text,
    experience_months,
    html_to_text,
    looks_like_html,
    parse_datetime,
    parse_salary,
    to_float,
    to_text,
    weekly_hours_from_text,
    working_time_from_label,
)

ROME_CODE = re.compile(r"^[A-N]\d{4}$")
_LIBELLE = re.compile(r"^\s*(?:\d[\dAB]\s*-\s*)?(.*?)\s*(?:\(\d{5}\))?\s*$")  # "69 - FEYZIN", "Lyon (69003)"
_ALTERNANCE_NATURES = ("apprentissage", "professionnalisation")
_EXPERIENCE_REQUIRED = {"D": "Débutant accepté", "S": "Expérience souhaitée", "E": "Expérience exigée"}


def parse(path_or_stream: Input, *, source: str = "francetravail", mapping=None) -> Iterator:
    with open_binary(path_or_stream) as (stream, name):
        for line, record in iter_json_records(stream, name=name, list_keys=("resultats",)):
            if isinstance(record, Exception):
                yield RejectedRecord(line, f"invalid JSON: {record}", None)
                continue
            yield from_record(record, source=source, line=line)


def from_record(record, *, source: str = "francetravail", line: int = 0) -> CanonicalOffer | RejectedRecord:
    """The canonical offer, or the record rejected with its line and reason (never an exception)."""
    try:
        return _from_record(record, source=source, line=line)
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        return RejectedRecord(
            line, f"a field has an unexpected type or value ({type(exc).__name__}: {exc})", record
        )


def _from_record(record, *, source: str, line: int) -> CanonicalOffer | RejectedRecord:
    if not isinstance(record, dict):
        return RejectedRecord(line, f"expected a JSON object, got {type(record).__name__}", record)
    source_id = to_text(record.get("id"))
    if not source_id:
        return RejectedRecord(line, "id: missing offer identifier", record)
    # A few real records have an empty title: their appellation or ROME label still names the job.
    title = to_text(record.get("intitule")) or to_text(record.get("appellationlibelle"))
    title = title or to_text(record.get("romeLibelle"))
    if not title:
        return RejectedRecord(line, "intitule: missing title (and no appellation or ROME label)", record)
    try:
        published_at = parse_datetime(record.get("dateCreation"))
        updated_at = parse_datetime(record.get("dateActualisation"))
    except (TypeError, ValueError) as exc:
        return RejectedRecord(line, f"dateCreation/dateActualisation: not a date ({exc})", record)
    place = record.get("lieuTravail") or {}
    employer = record.get("entreprise") or {}
    salary = record.get("salaire") or {}
    origin = record.get("origineOffre") or {}
    if not isinstance(place, dict) or not isinstance(employer, dict) or not isinstance(salary, dict):
        return RejectedRecord(line, "lieuTravail/entreprise/salaire: expected JSON objects", record)
    try:
        latitude, longitude = to_float(place.get("latitude")), to_float(place.get("longitude"))
    except ValueError:
        return RejectedRecord(line, "lieuTravail: latitude/longitude are not numbers", record)
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return RejectedRecord(
            line, f"lieuTravail: coordinates out of range ({latitude}, {longitude})", record
        )

    description = to_text(record.get("description"))
    description_html = ""
    if looks_like_html(description):
        description_html, description = description, html_to_text(description)

    contract_label = to_text(record.get("typeContratLibelle")) or to_text(record.get("typeContrat"))
    contract = contract_from_label(record.get("typeContrat")) or contract_from_label(contract_label)
    nature = to_text(record.get("natureContrat")).lower()
    if record.get("alternance") is True or any(word in nature for word in _ALTERNANCE_NATURES):
        contract = "ALTERNANCE"

    salary_label = to_text(salary.get("libelle"))
    salary_parts = [salary_label, to_text(salary.get("commentaire"))]
    salary_parts += [to_text(salary.get(key)) for key in ("complement1", "complement2")]
    salary_min, salary_max, salary_period = parse_salary(salary_label)

    experience = to_text(record.get("experienceLibelle"))
    required = _EXPERIENCE_REQUIRED.get(to_text(record.get("experienceExige")))
    if (
        required
        and required.lower() not in experience.lower()
        and not experience.lower().startswith("débutant")
    ):
        experience = f"{required} : {experience}" if experience else required
    if record.get("experienceCommentaire"):
        experience = f"{experience} ({to_text(record['experienceCommentaire'])})"
    months = experience_months(experience)
    if months is None and record.get("experienceExige") == "D":
        months = 0

    rome_code = to_text(record.get("romeCode")).upper()
    siret, siret_valid = clean_siret(employer.get("siret"))
    try:
        positions = int(record.get("nombrePostes") or 1)
    except (TypeError, ValueError):
        positions = 1
    working_hours_label = to_text(record.get("dureeTravailLibelle"))
    return CanonicalOffer(
        source=source,
        source_id=source_id,
        title=title,
        description=description,
        description_html=description_html,
        employer_name=to_text(employer.get("nom")),
        siret=siret,
        siret_valid=siret_valid,
        naf=clean_naf(record.get("codeNAF")),
        commune_code=to_text(place.get("commune")),
        postal_code=to_text(place.get("codePostal")),
        commune_name=_commune_name(to_text(place.get("libelle"))),
        latitude=latitude,
        longitude=longitude,
        contract_type=contract,
        contract_label=contract_label,
        contract_duration_months=duration_months_from_text(record.get("typeContratLibelle")),
        working_time=working_time_from_label(record.get("dureeTravailLibelleConverti"))
        or working_time_from_label(record.get("complementExercice"))
        or working_time_from_label(working_hours_label),
        weekly_hours=weekly_hours_from_text(working_hours_label),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_period=salary_period,
        salary_text=" — ".join(part for part in salary_parts if part),
        experience=experience,
        experience_months_min=months,
        qualification=to_text(record.get("qualificationLibelle")),
        published_at=published_at,
        updated_at=updated_at or published_at,
        expires_at=None,
        url=to_text(origin.get("urlOrigine")),
        rome_code=rome_code if ROME_CODE.match(rome_code) else "",
        appellation_code=to_text(record.get("appellationCode")),
        appellation_label=to_text(record.get("appellationlibelle")),
        positions=max(positions, 1),
        skills=[
            to_text(item.get("libelle")) for item in record.get("competences") or [] if isinstance(item, dict)
        ],
        lacks_candidates=lacks if isinstance(lacks := record.get("offresManqueCandidats"), bool) else None,
        raw=record,
        line=line,
    )


def _commune_name(libelle: str) -> str:
    match = _LIBELLE.match(libelle)
    name = match.group(1) if match else libelle
    return "" if name.lower() in {"france", "etranger", "étranger"} else name


def partner_names(record: dict) -> list[str]:
    """The partner sites an offer was relayed from (`origineOffre.partenaires`), for the operators list."""
    partners = (record.get("origineOffre") or {}).get("partenaires") or []
    return [
        to_text(partner.get("nom"))
        for partner in partners
        if isinstance(partner, dict) and partner.get("nom")
    ]
