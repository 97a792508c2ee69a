"""Normalisation that needs reference data: commune (INSEE code from code / postal code + name / coordinates),
coordinates filled from the commune, ROME appellation from the source's label, canonical fields of a
publication ready for storage. Loads what it needs once (`Normaliser()` per import run), then works in memory.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from core.text import fold
from offers.canonical import CanonicalOffer
from offers.models import Publication
from rome.models import Appellation, Fiche
from territories.models import Commune
from territories.selectors import CommuneResolver


@dataclass(slots=True)
class CommuneInfo:
    name: str
    latitude: float | None
    longitude: float | None
    departement: str
    bassin: str


_CHAR_LIMITS = {
    f.attname: f.max_length
    for f in Publication._meta.concrete_fields
    if getattr(f, "max_length", None) and f.get_internal_type() in ("CharField", "URLField", "SlugField")
}


def raw_payload(offer: CanonicalOffer) -> tuple[str, str]:
    """The raw payload as stored (JSON text, keys sorted) and its hash: same payload, same hash, so a re-import
    changes nothing. One serialisation serves both."""
    payload = json.dumps(offer.raw, sort_keys=True, ensure_ascii=False, default=str)
    return payload, hashlib.md5(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


class Normaliser:
    def __init__(self):
        self.resolver = CommuneResolver()
        self.communes: dict[str, CommuneInfo] = {
            code: CommuneInfo(name, lat, lon, dep, bassin or "")
            for code, name, lat, lon, dep, bassin in Commune.objects.values_list(
                "code", "name", "latitude", "longitude", "departement_id", "bassin_id"
            ).iterator(chunk_size=5000)
        }
        self.fiches: dict[str, tuple[str, str]] = {
            code: (label, parent)
            for code, label, parent in Fiche.objects.values_list("code", "label", "parent_code")
        }
        self.appellations: dict[int, tuple[str, str]] = {}
        self.appellation_by_label: dict[str, int] = {}
        for code, label, fiche in Appellation.objects.values_list("code_ogr", "label", "fiche_id"):
            self.appellations[code] = (label, fiche)
            self.appellation_by_label.setdefault(fold(label), code)

    def commune_code(self, offer: CanonicalOffer) -> str | None:
        """The INSEE code of the offer's commune, or None when it cannot be told for sure.

        After the territories resolver, two fallbacks for what job boards write: a name with its article
        dropped ("Sables-d'Olonne" for "Les Sables-d'Olonne") and an arrondissement label or any name whose
        postal code serves a single commune ("Marseille 1er Arrondissement", 13001)."""
        found = self.resolver.resolve(
            code=offer.commune_code or None,
            postal_code=offer.postal_code or None,
            name=offer.commune_name or None,
            latitude=offer.latitude,
            longitude=offer.longitude,
        )
        if found or not offer.commune_name:
            return found
        for article in ("les ", "la ", "le ", "l "):
            found = self.resolver.resolve(
                postal_code=offer.postal_code or None, name=article + offer.commune_name
            )
            if found:
                return found
        if offer.postal_code:
            return self.resolver.resolve(postal_code=offer.postal_code)
        return None

    def appellation_code(self, offer: CanonicalOffer) -> int | None:
        if offer.appellation_code and offer.appellation_code.isdigit():
            code = int(offer.appellation_code)
            if code in self.appellations:
                return code
        if offer.appellation_label:
            return self.appellation_by_label.get(fold(offer.appellation_label))
        return None

    def publication_values(self, offer: CanonicalOffer) -> dict:
        """The Publication column values of a canonical offer (commune resolved, coordinates completed)."""
        commune_code = self.commune_code(offer)
        latitude, longitude = offer.latitude, offer.longitude
        if commune_code and (latitude is None or longitude is None):
            info = self.communes.get(commune_code)
            if info:
                latitude, longitude = info.latitude, info.longitude
        appellation = self.appellation_code(offer)
        values = {
            "title": offer.title,
            "description": offer.description,
            "description_html": offer.description_html,
            "employer_name": offer.employer_name,
            "siret": offer.siret[:14],
            "siret_valid": offer.siret_valid,
            "naf": offer.naf,
            "commune_id": commune_code,
            "commune_code": offer.commune_code,
            "postal_code": offer.postal_code,
            "commune_name": offer.commune_name,
            "latitude": latitude,
            "longitude": longitude,
            "contract_type": offer.contract_type,
            "contract_label": offer.contract_label,
            "contract_duration_months": offer.contract_duration_months,
            "working_time": offer.working_time or "",
            "weekly_hours": offer.weekly_hours,
            "salary_min": offer.salary_min,
            "salary_max": offer.salary_max,
            "salary_period": offer.salary_period or "",
            "salary_text": offer.salary_text,
            "experience": offer.experience,
            "experience_months_min": offer.experience_months_min,
            "qualification": offer.qualification,
            "published_at": offer.published_at,
            "updated_at": offer.updated_at,
            "expires_at": offer.expires_at,
            "url": offer.url,
            "source_rome_code": offer.rome_code,
            "appellation_id": appellation,
            "appellation_label": offer.appellation_label,
            "positions": offer.positions,
            "lacks_candidates": offer.lacks_candidates,
        }
        for name, limit in _CHAR_LIMITS.items():
            value = values.get(name)
            if isinstance(value, str) and len(value) > limit:
                values[name] = value[:limit]
        # Fill the canonical offer too: ROME coding and deduplication read it.
        offer.commune_code = commune_code or offer.commune_code
        offer.latitude, offer.longitude = latitude, longitude
        if appellation and not offer.appellation_code:
            offer.appellation_code = str(appellation)
        return values
