"""The companies app's live indicators for the governance dashboard (found by governance.indicators)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from governance.indicators import register

PERIOD_DAYS = 365


@register(
    "companies.recruitment_events_hires",
    label="Embauches issues des opérations de recrutement",
    unit="embauches",
    description="Somme des recrutements déclarés par les organisateurs des opérations de recrutement terminées à la "
    "date donnée dans la région (companies.Operation.hires).",
    requires=("companies.Operation",),
)
def recruitment_events_hires(*, region, on: date) -> Decimal:
    from companies.models import Operation

    total = Operation.objects.filter(commune__region=region, ends_at__date__lte=on).aggregate(
        total=Sum("hires")
    )["total"]
    return Decimal(total or 0)


@register(
    "companies.prospected_single_solicitation",
    label="Entreprises prospectées sans sollicitation multiple",
    unit="%",
    description="Part des établissements de la région contactés dans les 12 mois précédant la date dont aucun contact "
    "n'a suivi, dans la fenêtre de coordination, celui d'un autre partenaire sans coordination "
    "(companies.Contact, fenêtre SOLICITATION_WINDOW_DAYS).",
    requires=("companies.Contact",),
)
def prospected_single_solicitation(*, region, on: date) -> Decimal:
    from companies.models import Contact

    window = timedelta(days=settings.SOLICITATION_WINDOW_DAYS)
    contacts = defaultdict(list)
    for establishment, organisation, day, coordinated in Contact.objects.filter(
        establishment__commune__region=region, date__gt=on - timedelta(days=PERIOD_DAYS), date__lte=on
    ).values_list("establishment_id", "organisation_id", "date", "coordinated_with_referent"):
        contacts[establishment].append((day, organisation, coordinated))
    if not contacts:
        return Decimal(0)
    single = 0
    for history in contacts.values():
        history.sort()
        multiple = any(
            not coordinated
            and any(o != organisation and day - window <= d <= day for d, o, _c in history[:i])
            for i, (day, organisation, coordinated) in enumerate(history)
        )
        single += not multiple
    return Decimal(100 * single) / len(contacts)
