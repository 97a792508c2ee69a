"""Readers for training-supply files. They turn files into rows keyed by their natural key and never touch the
database; a bad record is reported with file:line [field] and skipped, the rest is kept.

LHEO (the Carif-Oref / Intercarif exchange standard, http://www.lheo.org) is parsed with defusedxml: a document
declaring entities or fetching external resources is refused before anything is read (no entity expansion, no
network). The document is streamed, one <formation> at a time, so a regional catalogue stays in bounded memory.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from core.sync import SourceError, read_csv
from training.models import split_codes

ROME_CODE = re.compile(r"^[A-N]\d{4}$")

# The CSV layouts (documented in docs/diagnosis.md, "Offre de formation"). `;`-separated, UTF-8.
SESSION_COLUMNS = (
    "identifiant",
    "intitule",
    "code_commune",
    "date_debut",
    "date_fin",
    "places",
    "codes_rome",
)
SESSION_OPTIONAL = ("organisme", "siret", "formacodes", "codes_nsf", "certification", "financeurs", "url")
APPRENTICESHIP_COLUMNS = (
    "annee",
    "code_rome",
    "code_commune",
    "diplome",
    "organisme",
    "places_offertes",
    "contrats_signes",
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _first(element, path: str):
    """The first descendant following `a/b/c` (local names, namespaces ignored)."""
    current = [element]
    for name in path.split("/"):
        current = [child for node in current for child in _children(node, name)]
        if not current:
            return None
    return current[0]


def _text(element, path: str) -> str:
    node = _first(element, path)
    return (node.text or "").strip() if node is not None else ""


def _all_text(element, name: str) -> list[str]:
    return [(node.text or "").strip() for node in element.iter() if _local(node.tag) == name and node.text]


def lheo_date(value: str) -> dt.date | None:
    """LHEO dates are AAAAMMJJ; "00000000" and "99999999" mean unknown."""
    if not value or set(value) in ({"0"}, {"9"}):
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def read_lheo(path: Path, *, rejected: list[str]) -> dict[str, dict]:
    """One row per session: {"lheo:<formation>/<action>/<session>": fields}."""
    rows: dict[str, dict] = {}
    try:
        events = iterparse(
            str(path), events=("end",), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
        for _event, element in events:
            if _local(element.tag) != "formation":
                continue
            for key, row in _formation_rows(element, path=path, rejected=rejected):
                rows[key] = row
            element.clear()
    except FileNotFoundError as exc:
        raise SourceError("file not found", path=path) from exc
    except DefusedXmlException as exc:
        raise SourceError(
            f"document refusé : {exc.__class__.__name__} (déclarations d'entités ou ressources "
            "externes interdites)",
            path=path,
        ) from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise SourceError(f"XML mal formé ({exc})", path=path, line=line) from exc
    return rows


def _formation_rows(formation, *, path: Path, rejected: list[str]):
    number = formation.get("numero", "").strip()
    title = _text(formation, "intitule-formation")
    if not number or not title:
        rejected.append(f"{path}: <formation> sans numéro ou sans intitulé ({number or title or '?'})")
        return
    domain = _first(formation, "domaine-formation")
    domain = formation if domain is None else domain
    roms = [code.upper() for code in _all_text(domain, "code-ROME")]
    formacodes = _all_text(domain, "code-FORMACODE")
    nsf = _all_text(domain, "code-NSF")
    certification = " ".join(
        f"{label} {code}"
        for label, code in (
            ("RNCP", _text(formation, "certification/code-RNCP")),
            ("CertifInfo", _text(formation, "certification/code-CERTIFINFO")),
        )
        if code
    )
    provider = _first(formation, "organisme-formation-responsable")
    provider_name = _text(provider, "raison-sociale") if provider is not None else ""
    provider_siret = _text(provider, "SIRET-organisme-formation/SIRET") if provider is not None else ""
    url = _text(formation, "url-formation/urlweb")
    for action in _children(formation, "action"):
        action_number = action.get("numero", "").strip() or "action"
        place = _first(action, "lieu-de-formation/coordonnees/adresse")
        commune_code = _text(place, "code-INSEE-commune") if place is not None else ""
        financed = [
            int(value)
            for value in (
                _text(funder, "nb-places-financees") for funder in _children(action, "organisme-financeur")
            )
            if value.isdigit()
        ]
        funders = sorted(
            {_text(f, "code-financeur") for f in _children(action, "organisme-financeur")} - {""}
        )
        sessions = _children(action, "session")
        for session in sessions:
            session_number = session.get("numero", "").strip() or "session"
            # Financed places belong to the action: spread evenly over its sessions.
            places = round(sum(financed) / len(sessions)) if financed else None
            yield (
                f"lheo:{number}/{action_number}/{session_number}",
                {
                    "source": "lheo",
                    "external_id": f"{number}/{action_number}/{session_number}"[:250],
                    "title": title[:300],
                    "provider_name": provider_name[:250],
                    "provider_siret": provider_siret[-14:] if provider_siret else "",
                    "certifying": _text(formation, "certifiante") == "1",
                    "certification": certification[:250],
                    "formacodes": " ".join(formacodes)[:250],
                    "nsf_codes": " ".join(nsf)[:100],
                    "rome_codes": " ".join(code for code in roms if ROME_CODE.match(code))[:250],
                    "commune_code": commune_code.zfill(5) if commune_code else "",
                    "_postal_code": _text(place, "codepostal") if place is not None else "",
                    "_city": _text(place, "ville") if place is not None else "",
                    "start_date": lheo_date(_text(session, "periode/debut")),
                    "end_date": lheo_date(_text(session, "periode/fin")),
                    "places": places,
                    "funders": " ".join(f"financeur {code}" for code in funders)[:250],
                    "url": url[:500],
                    "raw": {
                        "formation": number,
                        "action": action_number,
                        "session": session_number,
                        "lieu": commune_code,
                        "places_financees": financed,
                    },
                },
            )


def _csv_date(value: str, *, path: Path, line: int, field: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise SourceError(
        f"date « {value} » illisible (AAAA-MM-JJ ou JJ/MM/AAAA)", path=path, line=line, field=field
    )


def _csv_int(value: str, *, path: Path, line: int, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise SourceError(f"« {value} » n'est pas un entier positif", path=path, line=line, field=field)
    return int(value)


def _rome_codes(value: str, *, path: Path, line: int, field: str) -> list[str]:
    codes = [code.upper() for code in split_codes(value)]
    for code in codes:
        if not ROME_CODE.match(code):
            raise SourceError(f"code ROME « {code} » invalide", path=path, line=line, field=field)
    return codes


def read_sessions_csv(path: Path, *, rejected: list[str]) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for line, raw in read_csv(path, delimiter=";", required=SESSION_COLUMNS):
        try:
            identifier = raw["identifiant"].strip()
            if not identifier:
                raise SourceError("identifiant vide", path=path, line=line, field="identifiant")
            title = raw["intitule"].strip()
            if not title:
                raise SourceError("intitulé vide", path=path, line=line, field="intitule")
            start = _csv_date(raw["date_debut"], path=path, line=line, field="date_debut")
            end = _csv_date(raw["date_fin"], path=path, line=line, field="date_fin")
            if start and end and end < start:
                raise SourceError("la fin précède le début", path=path, line=line, field="date_fin")
            commune = raw["code_commune"].strip()
            row = {
                "source": "csv",
                "external_id": identifier[:250],
                "title": title[:300],
                "commune_code": commune.zfill(5) if commune else "",
                "start_date": start,
                "end_date": end,
                "places": _csv_int(raw["places"], path=path, line=line, field="places"),
                "rome_codes": " ".join(
                    _rome_codes(raw["codes_rome"], path=path, line=line, field="codes_rome")
                ),
                "provider_name": raw.get("organisme", "").strip()[:250],
                "provider_siret": raw.get("siret", "").strip()[:14],
                "formacodes": raw.get("formacodes", "").strip()[:250],
                "nsf_codes": raw.get("codes_nsf", "").strip()[:100],
                "certification": raw.get("certification", "").strip()[:250],
                "certifying": bool(raw.get("certification", "").strip()),
                "funders": raw.get("financeurs", "").strip()[:250],
                "url": raw.get("url", "").strip()[:500],
                "raw": {name: value for name, value in raw.items() if value},
            }
        except SourceError as exc:
            rejected.append(str(exc))
            continue
        rows[f"csv:{identifier}"] = row
    return rows


def read_apprenticeship_csv(path: Path, *, rejected: list[str]) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for line, raw in read_csv(path, delimiter=";", required=APPRENTICESHIP_COLUMNS):
        try:
            year = _csv_int(raw["annee"], path=path, line=line, field="annee")
            if year is None or not 2000 <= year <= 2100:
                raise SourceError(f"année « {raw['annee']} » invalide", path=path, line=line, field="annee")
            codes = _rome_codes(raw["code_rome"], path=path, line=line, field="code_rome")
            if len(codes) != 1:
                raise SourceError("un et un seul code ROME attendu", path=path, line=line, field="code_rome")
            commune = raw["code_commune"].strip().zfill(5)
            if not commune.strip("0"):
                raise SourceError("code commune vide", path=path, line=line, field="code_commune")
            places = _csv_int(raw["places_offertes"], path=path, line=line, field="places_offertes")
            contracts = _csv_int(raw["contrats_signes"], path=path, line=line, field="contrats_signes")
            if places is None and contracts is None:
                raise SourceError("ni places ni contrats", path=path, line=line, field="places_offertes")
        except SourceError as exc:
            rejected.append(str(exc))
            continue
        diploma, provider = raw["diplome"].strip()[:200], raw["organisme"].strip()[:250]
        key = f"{year}:{codes[0]}:{commune}:{diploma}:{provider}"[:300]
        if key in rows:
            rejected.append(f"{path}:{line}: ligne en double ({key})")
            continue
        rows[key] = {
            "year": year,
            "rome_code": codes[0],
            "commune_code": commune,
            "diploma": diploma,
            "provider_name": provider,
            "places": places,
            "contracts": contracts,
            "file_name": path.name[:250],
        }
    return rows
