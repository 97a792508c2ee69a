"""Demo data of the diagnosis: one joint action line, marked as an example. The figures themselves are real
(reference data); only this action line is invented, to show the follow-up screens."""

import datetime as dt

from accounts.models import Organisation
from diagnosis.models import ActionLine

EXAMPLE_TITLE = "[Exemple] Ouvrir 24 places de formation d'aide-soignant dans le bassin d'Amiens en 2026"


def load() -> list[str]:
    owner = Organisation.objects.filter(name="Région Hauts-de-France").first()
    if owner is None:
        return [
            "diagnosis: no demo action line (the demo organisation « Région Hauts-de-France » is missing)"
        ]
    action, created = ActionLine.objects.get_or_create(
        title=EXAMPLE_TITLE,
        defaults={
            "description": "Action fictive de démonstration : elle illustre le suivi d'un axe d'action commun.",
            "occupation_kind": "rome3",
            "occupation_code": "J1501",
            "occupation_label": "Soins d'hygiène, de confort du patient",
            "territory_kind": "bassin",
            "territory_code": "3202",
            "territory_label": "Amiens (bassin d'emploi)",
            "owner": owner,
            "funding": "Programme régional de formation (exemple)",
            "deadline": dt.date(2026, 12, 31),
            "target_indicator": ActionLine.TargetIndicator.TRAINING_PLACES,
            "target_value": 24,
            "baseline_value": 0,
            "status": ActionLine.Status.PROPOSED,
            "is_example": True,
        },
    )
    partners = Organisation.objects.filter(
        name__in=["France Travail Amiens Nord", "Préfecture de région Hauts-de-France"]
    )
    action.partners.set(partners)
    return [f"diagnosis: demo action line {'created' if created else 'already there'} ({action.title})"]
