"""Reader of the INSEE SIRENE stock files (the official CSV layout of `StockEtablissement_utf8.csv` and, for company
names, `StockUniteLegale_utf8.csv`), from https://www.data.gouv.fr/fr/datasets/base-sirene-des-entreprises-et-de-leurs-etablissements-siren-siret/
(Licence Ouverte). Only the columns the register needs are read; unknown extra columns are ignored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stdnum.fr import siret as stdnum_siret

from core.sync import SourceError, read_csv

ESTABLISHMENT_COLUMNS = (
    "siren",
    "siret",
    "etatAdministratifEtablissement",
    "trancheEffectifsEtablissement",
    "etablissementSiege",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "numeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "codeCommuneEtablissement",
    "activitePrincipaleEtablissement",
)
COMPANY_COLUMNS = (
    "siren",
    "denominationUniteLegale",
    "activitePrincipaleUniteLegale",
    "trancheEffectifsUniteLegale",
)
VOIE_TYPES = {
    "RUE": "rue",
    "AV": "avenue",
    "BD": "boulevard",
    "PL": "place",
    "CHE": "chemin",
    "RTE": "route",
    "ZI": "zone industrielle",
    "ZA": "zone d'activité",
    "IMP": "impasse",
    "ALL": "allée",
    "QUA": "quai",
}


@dataclass
class EstablishmentRow:
    line: int
    siret: str
    siren: str
    name: str
    brand: str
    naf: str
    size_band: str
    address: str
    postal_code: str
    commune_code: str
    is_head_office: bool
    is_active: bool


def companies(path: Path) -> dict[str, dict]:
    return {
        row["siren"]: {
            "name": row["denominationUniteLegale"].strip(),
            "naf": row["activitePrincipaleUniteLegale"].replace(".", ""),
            "size_band": row["trancheEffectifsUniteLegale"].strip(),
        }
        for _line, row in read_csv(path, required=COMPANY_COLUMNS)
    }


def establishments(path: Path) -> Iterator[EstablishmentRow | tuple[int, str]]:
    """Rows, or (line, reason) for a row that cannot be used (the rest of the file goes on)."""
    for line, row in read_csv(path, required=ESTABLISHMENT_COLUMNS, tolerant=True):
        if isinstance(row, SourceError):
            yield line, row.message
            continue
        siret = row["siret"].strip()
        if not stdnum_siret.is_valid(siret):
            yield line, f"siret: « {siret} » n'est pas un SIRET valide"
            continue
        if siret[:9] != row["siren"].strip():
            yield line, f"siren: « {row['siren']} » ne correspond pas au SIRET {siret}"
            continue
        street = " ".join(
            part
            for part in (
                row["numeroVoieEtablissement"].strip(),
                VOIE_TYPES.get(
                    row["typeVoieEtablissement"].strip(), row["typeVoieEtablissement"].strip().lower()
                ),
                row["libelleVoieEtablissement"].strip().title(),
            )
            if part
        )
        yield EstablishmentRow(
            line=line,
            siret=siret,
            siren=siret[:9],
            name=row["denominationUsuelleEtablissement"].strip(),
            brand=row["enseigne1Etablissement"].strip(),
            naf=row["activitePrincipaleEtablissement"].replace(".", "").strip(),
            size_band=row["trancheEffectifsEtablissement"].strip(),
            address=street,
            postal_code=row["codePostalEtablissement"].strip(),
            commune_code=row["codeCommuneEtablissement"].strip().zfill(5)
            if row["codeCommuneEtablissement"].strip()
            else "",
            is_head_office=row["etablissementSiege"].strip().lower() == "true",
            is_active=row["etatAdministratifEtablissement"].strip() == "A",
        )
