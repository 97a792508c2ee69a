"""The signals of a grouping, in French, for the offer page."""

from __future__ import annotations

from offers.canonical import CONTRACT_LABELS

PLACES = {
    "commune": "même commune (code INSEE)",
    "city": "même commune (nom et département)",
    "distance": "lieux de travail voisins",
}


def explain(signals: dict) -> list[str]:
    """One short French sentence per signal that matched; [] for a publication alone in its group."""
    if not signals:
        return []
    lines = []
    if signals.get("siret") == "same":
        lines.append("Même SIRET d'établissement")
    if signals.get("employer") is not None:
        lines.append(
            "Même employeur"
            if signals["employer"] >= 100
            else f"Nom d'employeur très proche ({signals['employer']} % de similarité)"
        )
    elif signals.get("siret") != "same":
        lines.append("Employeur non indiqué sur l'une des publications")
    title = signals.get("title")
    if title is not None:
        lines.append(
            "Même intitulé de poste" if title >= 100 else f"Intitulé de poste très proche ({title} %)"
        )
    place = PLACES.get(signals.get("place"), "même lieu de travail")
    distance = signals.get("distance_km")
    lines.append(
        place[0].upper()
        + place[1:]
        + (f", à {distance:.1f} km" if distance is not None and distance > 0.05 else "")
    )
    contract = signals.get("contract")
    lines.append(
        f"Même type de contrat ({CONTRACT_LABELS.get(contract, contract)})"
        if contract
        else "Type de contrat non indiqué sur l'une des publications"
    )
    description = signals.get("description")
    if description is not None:
        share = round(description * 100)
        lines.append(
            f"Descriptions identiques à {share} %"
            if description >= 0.5
            else f"Descriptions partiellement communes ({share} %)"
        )
    days = signals.get("days")
    if days is not None:
        lines.append(
            "Publiées le même jour"
            if days < 1
            else f"Publiées à {days} jour{'s' if days > 1 else ''} d'intervalle"
        )
    return lines
