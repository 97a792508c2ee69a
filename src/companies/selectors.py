"""Reads of the companies app: the multiple-solicitation check, operation conflicts, prospecting targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation
from companies.models import Contact, Establishment, Operation, Referent
from core.sync import read_csv


@dataclass
class SolicitationCheck:
    recent: list[Contact]
    referent: Organisation | None
    needs_coordination: bool
    message: str


def referent_of(establishment: Establishment) -> Organisation | None:
    """The referent partner for the establishment's basin, else the company-wide one."""
    bassin_id = establishment.commune.bassin_id if establishment.commune_id else None
    referents = Referent.objects.filter(company_id=establishment.company_id).select_related("organisation")
    chosen = referents.filter(bassin_id=bassin_id).first() if bassin_id else None
    chosen = chosen or referents.filter(bassin__isnull=True).first()
    return chosen.organisation if chosen else None


def solicitation_check(
    *, establishment: Establishment, organisation: Organisation, on: date | None = None
) -> SolicitationCheck:
    """Who contacted this company recently; inside the window, a partner other than the referent (or any partner
    when another one called and there is no referent) must coordinate before contacting it again."""
    on = on or timezone.localdate()
    window = settings.SOLICITATION_WINDOW_DAYS
    recent = list(
        Contact.objects.filter(
            establishment=establishment, date__gte=on - timedelta(days=window), date__lte=on
        )
        .select_related("organisation", "author")
        .order_by("-date")
    )
    others = [c for c in recent if c.organisation_id != organisation.pk]
    referent = referent_of(establishment)
    refused = [c for c in recent if not c.consent_to_contact]
    if refused:
        return SolicitationCheck(
            recent,
            referent,
            True,
            f"L'entreprise a demandé le {refused[0].date:%d/%m/%Y} à ne pas être recontactée : passez par le partenaire référent.",
        )
    if not others or (referent is not None and referent.pk == organisation.pk):
        return SolicitationCheck(recent, referent, False, "")
    names = ", ".join(sorted({c.organisation.name for c in others}))
    coordinate_with = referent.name if referent else names
    return SolicitationCheck(
        recent,
        referent,
        True,
        f"Cette entreprise a été contactée il y a moins de {window} jours par {names}. "
        f"Coordonnez-vous avec {coordinate_with} avant de la solliciter à nouveau.",
    )


@dataclass
class Conflict:
    other: Operation
    shared: list[str] = field(default_factory=list)


def conflicts_for(*, operation: Operation) -> list[Conflict]:
    """Other operations in the same basin within OPERATION_CONFLICT_DAYS that target a shared NAF sector or ROME."""
    return conflicts_for_new(operation=operation, fiches=list(operation.fiches.all()))


def conflicts_for_new(*, operation: Operation, fiches: list) -> list[Conflict]:
    """The same check for an operation not saved yet (its fiches given apart)."""
    if operation.commune_id is None or operation.commune.bassin_id is None:
        return []
    days = timedelta(days=settings.OPERATION_CONFLICT_DAYS)
    nearby = (
        Operation.objects.filter(
            commune__bassin_id=operation.commune.bassin_id,
            starts_at__lte=operation.ends_at + days,
            ends_at__gte=operation.starts_at - days,
        )
        .exclude(pk=operation.pk if operation.pk else -1)
        .select_related("organiser", "commune")
        .prefetch_related("fiches")
    )
    own_fiches = {f.code: f.label for f in fiches}
    own_sectors = set(operation.naf_sectors)
    conflicts = []
    for other in nearby:
        shared = [f"secteur NAF {s}" for s in sorted(own_sectors & set(other.naf_sectors))]
        shared += [
            f"{code} {own_fiches[code]}"
            for code in sorted(own_fiches.keys() & {f.code for f in other.fiches.all()})
        ]
        if shared:
            conflicts.append(Conflict(other=other, shared=shared))
    return conflicts


def public_operations(*, departement: str | None = None, bassin: str | None = None) -> QuerySet[Operation]:
    operations = Operation.objects.filter(is_public=True, ends_at__gte=timezone.now()).select_related(
        "commune", "organiser"
    )
    if departement:
        operations = operations.filter(commune__departement_id=departement)
    if bassin:
        operations = operations.filter(commune__bassin_id=bassin)
    return operations.order_by("starts_at")


@cache
def rome_naf_weights() -> dict[str, dict[str, float]]:
    """{ROME v3 code: {NAF code: hirings}} from La Bonne Boîte's table (DATA_DIR/naf/rome_naf_mapping.csv)."""
    path = settings.DATA_DIR / "naf" / "rome_naf_mapping.csv"
    weights: dict[str, dict[str, float]] = {}
    if path.exists():
        for _line, row in read_csv(path, required=("rome_id", "naf_id", "hirings")):
            weights.setdefault(row["rome_id"], {})[row["naf_id"]] = float(row["hirings"] or 0)
    return weights


@dataclass
class Target:
    establishment: Establishment
    score: float
    signals: list[str]


def prospecting_targets(
    *, bassin: str | None = None, departement: str | None = None, limit: int = 50
) -> list[Target]:
    """Establishments worth contacting, ranked by signals, excluding those contacted inside the window:
    open offers in the pool (more weight when open long), hiring in occupations in tension (diagnosis), NAF
    sectors that hire for the occupations wanted by the people followed (ROME↔NAF weights)."""
    window_start = timezone.localdate() - timedelta(days=settings.SOLICITATION_WINDOW_DAYS)
    establishments = Establishment.objects.filter(is_active=True, merged_into__isnull=True).exclude(
        contacts__date__gte=window_start
    )
    if bassin:
        establishments = establishments.filter(commune__bassin_id=bassin)
    if departement:
        establishments = establishments.filter(commune__departement_id=departement)
    establishments = establishments.select_related("commune", "company").annotate(
        open_offers=Count("offer_links", filter=Q(offer_links__offer__status="open"), distinct=True),
        oldest_offer=Max("offer_links__offer__published_at"),
    )
    wanted_naf = _wanted_naf_weights()
    tension_naf = _tension_naf_weights(bassin)
    targets = []
    for establishment in establishments[:5000]:
        signals, score = [], 0.0
        if establishment.open_offers:
            score += min(establishment.open_offers, 5) * 2
            signals.append(f"{establishment.open_offers} offre(s) ouverte(s) dans le vivier")
        division = establishment.naf[:2]
        if wanted_naf.get(establishment.naf) or wanted_naf.get(division):
            score += 3 * (wanted_naf.get(establishment.naf) or wanted_naf.get(division))
            signals.append("secteur qui recrute dans les métiers recherchés par les personnes suivies")
        if tension_naf.get(establishment.naf):
            score += 2 * tension_naf[establishment.naf]
            signals.append("secteur qui recrute dans des métiers en tension")
        if score:
            targets.append(Target(establishment, round(score, 2), signals))
    targets.sort(key=lambda target: (-target.score, target.establishment.name))
    return targets[:limit]


def _naf_weights_for(rome_v3_codes: dict[str, float]) -> dict[str, float]:
    table = rome_naf_weights()
    weights: dict[str, float] = {}
    for rome, importance in rome_v3_codes.items():
        naf_weights = table.get(rome, {})
        total = sum(naf_weights.values()) or 1.0
        for naf, value in naf_weights.items():
            weights[naf] = weights.get(naf, 0.0) + importance * value / total
    top = max(weights.values(), default=1.0) or 1.0
    return {naf: value / top for naf, value in weights.items()}


def _wanted_naf_weights() -> dict[str, float]:
    from matching.models import SearchProfile

    wanted: dict[str, float] = {}
    for parent in SearchProfile.objects.values_list("appellations__fiche__parent_code", flat=True):
        if parent:
            wanted[parent] = wanted.get(parent, 0.0) + 1.0
    return _naf_weights_for(wanted)


def _tension_naf_weights(bassin: str | None) -> dict[str, float]:
    """NAF weights of the occupations (ROME v3) in tension in the basin (or the region), from the diagnosis."""
    from diagnosis.models import Indicator, OccupationKind, TerritoryKind

    rows = Indicator.objects.filter(
        occupation_kind=OccupationKind.ROME3,
        territory_kind=TerritoryKind.BASSIN if bassin else TerritoryKind.REGION,
        territory_code=bassin or settings.REGION_CODE,
        significant=True,
        tension_class__gte=4,
    ).values_list("occupation_code", "tension_score")
    return _naf_weights_for({code: max(score or 0.0, 0.1) for code, score in rows})
