"""Reads on the catalogue."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from aids.models import Aid, Theme


def published_aids() -> QuerySet[Aid]:
    return Aid.objects.filter(is_published=True)


def catalogue_for_engine() -> list[Aid]:
    """The published aids of the database; the packaged catalogue files when the database holds none (a bare
    database running the CLI)."""
    aids = list(published_aids())
    if aids:
        return aids
    from aids.sources import read_catalogue

    return [Aid(id=aid_id, **values) for aid_id, values in read_catalogue().rows.items()]


def applies_to(
    aid: Aid, *, region: str = "", departement: str = "", epci: str = "", commune: str = ""
) -> bool:
    """Whether the aid can concern someone living there (national aids concern everyone)."""
    if aid.is_national:
        return True
    return bool(
        (region and region in aid.region_codes)
        or (departement and departement in aid.departement_codes)
        or (epci and epci in aid.epci_codes)
        or (commune and commune in aid.commune_codes)
        or (departement and any(code.startswith(departement) for code in aid.commune_codes))
    )


def filter_catalogue(
    *, theme: str = "", departement: str = "", commune: str = "", query: str = "", on: date | None = None
) -> list[Aid]:
    """Published aids in force on `on`, of a theme, concerning a département or a commune, matching a text."""
    from core.text import fold
    from territories.models import Commune

    aids = published_aids()
    if theme:
        aids = aids.filter(theme=theme)
    on = on or date.today()
    aids = [
        a
        for a in aids
        if (a.valid_from is None or a.valid_from <= on) and (a.valid_until is None or on <= a.valid_until)
    ]
    if commune:
        place = Commune.objects.filter(pk=commune).first()
        if place is not None:
            aids = [
                a
                for a in aids
                if applies_to(
                    a,
                    region=place.region_id,
                    departement=place.departement_id,
                    epci=place.epci_id or "",
                    commune=place.code,
                )
            ]
    elif departement:
        aids = [a for a in aids if applies_to(a, region=_region_of(departement), departement=departement)]
    if query:
        folded = fold(query)
        aids = [a for a in aids if folded in fold(f"{a.label} {a.institution} {a.description}")]
    return sorted(aids, key=lambda a: (list(Theme.values).index(a.theme), not a.is_national, a.label))


def _region_of(departement: str) -> str:
    from territories.models import Departement

    return Departement.objects.filter(pk=departement).values_list("region_id", flat=True).first() or ""
