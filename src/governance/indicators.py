"""Registry of the named queries that compute indicators live from the platform.

A computed indicator stores only the query's name; the UI shows that name and its description, so anyone can see
what the number means. Each query takes the region and a date and returns a Decimal. Queries whose source app
has not landed yet are *planned*: they are listed with the model they need and the UI says "not available yet"
instead of inventing a value. A domain app provides (or replaces) a query by registering it from its own
`indicator_queries.py` module, found automatically (see docs/governance.md):

    from governance.indicators import register

    @register("offers.aggregated", label=..., unit="offres", description=..., requires=("offers.Offer",))
    def aggregated(*, region, on): ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import models


class IndicatorUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Query:
    name: str
    label: str
    unit: str
    description: str
    requires: tuple[str, ...] = ()
    function: Callable[..., Decimal] | None = None
    higher_is_better: bool = True
    by_bassin: bool = False  # the function accepts `bassin=` to compute on one employment basin

    @property
    def missing_models(self) -> list[str]:
        missing = []
        for label in self.requires:
            try:
                apps.get_model(label)
            except (LookupError, ValueError):
                missing.append(label)
        return missing

    @property
    def available(self) -> bool:
        return self.function is not None and not self.missing_models

    @property
    def unavailable_reason(self) -> str:
        if self.available:
            return ""
        missing = self.missing_models or list(self.requires)
        return (
            "Pas encore disponible : la donnée source ("
            + ", ".join(missing)
            + ") n'est pas encore en service sur la plateforme."
        )


_registry: dict[str, Query] = {}


def register(
    name: str,
    *,
    label: str,
    unit: str,
    description: str,
    requires: tuple[str, ...] = (),
    higher_is_better: bool = True,
    by_bassin: bool = False,
):
    def decorator(function):
        _registry[name] = Query(
            name, label, unit, description, tuple(requires), function, higher_is_better, by_bassin
        )
        return function

    return decorator


def plan(
    name: str,
    *,
    label: str,
    unit: str,
    description: str,
    requires: tuple[str, ...],
    higher_is_better: bool = True,
) -> None:
    """Declare a query the platform will compute once its source app lands (does not replace a real one)."""
    if name not in _registry or _registry[name].function is None:
        _registry[name] = Query(name, label, unit, description, tuple(requires), None, higher_is_better)


def get(name: str) -> Query | None:
    autodiscover()
    return _registry.get(name)


def all_queries() -> list[Query]:
    autodiscover()
    return sorted(_registry.values(), key=lambda q: q.name)


def compute(name: str, *, region, on: date, bassin=None) -> Decimal:
    """The query's value for the region (or one of its basins) at the date; IndicatorUnavailable says why not."""
    query = get(name)
    if query is None:
        raise IndicatorUnavailable(f"Requête inconnue : « {name} ».")
    if not query.available:
        raise IndicatorUnavailable(query.unavailable_reason)
    scope = {}
    if bassin is not None:
        if not query.by_bassin:
            raise IndicatorUnavailable(f"La requête « {name} » ne se calcule pas par bassin d'emploi.")
        scope["bassin"] = bassin
    value = query.function(region=region, on=on, **scope)
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_discovered = False


def autodiscover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    from config.apps_registry import DOMAIN_APPS

    for app in DOMAIN_APPS:
        if app != "governance" and find_spec(f"{app}.indicator_queries") is not None:
            import_module(f"{app}.indicator_queries")


def percentage(part: int, whole: int) -> Decimal:
    return Decimal(0) if whole == 0 else Decimal(part) * 100 / Decimal(whole)


# --- queries computed from the governance app itself -------------------------------------------------------


def _motions(region, on: date):
    from governance.models import Motion

    return Motion.objects.filter(
        meeting__committee__region=region, outcome=Motion.Outcome.ADOPTED, decided_at__date__lte=on
    )


@register(
    "governance.decisions_adopted",
    label="Décisions adoptées par les comités pour l'emploi de la région",
    unit="décisions",
    description="Nombre de délibérations adoptées, à la date donnée, par les comités régional, départementaux et "
    "locaux de la région (governance.Motion, résultat « adoptée »).",
)
def decisions_adopted(*, region, on: date) -> Decimal:
    return Decimal(_motions(region, on).count())


@register(
    "governance.training_measures_adopted",
    label="Mesures de formation professionnelle adoptées",
    unit="mesures",
    description="Délibérations adoptées par les comités de la région et qualifiées « mesure relative à la "
    "formation professionnelle ».",
)
def training_measures_adopted(*, region, on: date) -> Decimal:
    from governance.models import MeasureKind

    return Decimal(_motions(region, on).filter(kind=MeasureKind.TRAINING).count())


@register(
    "governance.company_services_measures_adopted",
    label="Mesures de services aux entreprises adoptées",
    unit="mesures",
    description="Délibérations adoptées par les comités de la région et qualifiées « mesure relative aux services "
    "aux entreprises ».",
)
def company_services_measures_adopted(*, region, on: date) -> Decimal:
    from governance.models import MeasureKind

    return Decimal(_motions(region, on).filter(kind=MeasureKind.COMPANY_SERVICES).count())


@register(
    "governance.follow_up_actions_done_rate",
    label="Actions de suivi réalisées à échéance",
    unit="%",
    description="Part des actions de suivi décidées par les comités de la région dont l'échéance est passée à la "
    "date donnée et qui ont été réalisées au plus tard à cette date.",
)
def follow_up_actions_done_rate(*, region, on: date) -> Decimal:
    from governance.models import FollowUpAction

    due = FollowUpAction.objects.filter(motion__meeting__committee__region=region, deadline__lte=on)
    return percentage(due.filter(done_on__isnull=False, done_on__lte=on).count(), due.count())


@register(
    "governance.action_sheets_done_rate",
    label="Fiches action réalisées",
    unit="%",
    description="Part des fiches action des protocoles de la région à l'état « réalisée » parmi les fiches non "
    "abandonnées (état courant).",
)
def action_sheets_done_rate(*, region, on: date) -> Decimal:
    from governance.models import ActionSheet, SheetStatus

    sheets = ActionSheet.objects.filter(commitment__protocol__region=region).exclude(
        status=SheetStatus.ABANDONED
    )
    return percentage(sheets.filter(status=SheetStatus.DONE).count(), sheets.count())


# --- queries whose source app has not landed yet: listed so committees can plan their indicators ---------


def _region_offers(region, on: date, bassin=None):
    from offers.models import Offer

    codes = list(region.departements.values_list("code", flat=True))
    offers = Offer.objects.filter(departement_code__in=codes, status=Offer.Status.OPEN).filter(
        models.Q(published_at__isnull=True) | models.Q(published_at__date__lte=on)
    )
    return offers.filter(bassin_code=bassin.code) if bassin is not None else offers


@register(
    "offers.aggregated",
    label="Offres d'emploi agrégées",
    unit="offres",
    description="Offres ouvertes du vivier régional (offres canoniques de tous les opérateurs, après dédoublonnage) "
    "situées dans un département de la région et publiées au plus tard à la date donnée (offers.Offer, état "
    "« ouverte » au moment du calcul).",
    requires=("offers.Offer",),
    by_bassin=True,
)
def offers_aggregated(*, region, on: date, bassin=None) -> Decimal:
    return Decimal(_region_offers(region, on, bassin).count())


@register(
    "offers.duplicate_rate",
    label="Taux de doublons entre opérateurs",
    unit="%",
    description="Part des publications reçues des opérateurs, pour les offres ouvertes de la région, reconnues "
    "comme doublons d'une autre publication de la même offre : (publications − offres) / publications.",
    requires=("offers.Offer", "offers.Publication"),
    higher_is_better=False,
    by_bassin=True,
)
def offers_duplicate_rate(*, region, on: date, bassin=None) -> Decimal:
    from offers.models import Publication

    offers = _region_offers(region, on, bassin)
    publications = Publication.objects.filter(offer__in=offers).count()
    grouped = offers.filter(publications__isnull=False).distinct().count()
    return percentage(publications - grouped, publications)


@register(
    "offers.rome_coded_share",
    label="Offres codées ROME",
    unit="%",
    description="Part des offres ouvertes du vivier régional rattachées à un code ROME (offers.Offer.rome_code).",
    requires=("offers.Offer",),
    by_bassin=True,
)
def offers_rome_coded_share(*, region, on: date, bassin=None) -> Decimal:
    offers = _region_offers(region, on, bassin)
    return percentage(offers.exclude(rome_code="").count(), offers.count())


def _aid_requests(region, bassin=None):
    from jobseekers.models import AidRequest

    requests = AidRequest.objects.filter(region=region)
    return requests.filter(bassin=bassin) if bassin is not None else requests


@register(
    "aids.requested",
    label="Aides à la mobilité et à la levée des freins demandées",
    unit="demandes",
    description="Demandes d'aide envoyées à l'organisme instructeur au plus tard à la date donnée, pour des "
    "personnes de la région ou du bassin (jobseekers.AidRequest, date d'envoi).",
    requires=("jobseekers.AidRequest",),
    by_bassin=True,
)
def aids_requested(*, region, on: date, bassin=None) -> Decimal:
    return Decimal(_aid_requests(region, bassin).filter(sent_on__isnull=False, sent_on__lte=on).count())


@register(
    "aids.granted",
    label="Aides accordées",
    unit="aides",
    description="Demandes d'aide accordées (ou versées) par décision prise au plus tard à la date donnée "
    "(jobseekers.AidRequest, statut accordée ou versée, date de décision).",
    requires=("jobseekers.AidRequest",),
    by_bassin=True,
)
def aids_granted(*, region, on: date, bassin=None) -> Decimal:
    from jobseekers.models import AidRequest

    granted = _aid_requests(region, bassin).filter(status__in=AidRequest.GRANTED_STATUSES, decided_on__lte=on)
    return Decimal(granted.count())


@register(
    "aids.granted_amount",
    label="Montant des aides accordées",
    unit="€",
    description="Somme des montants accordés pour les demandes accordées ou versées, par décision prise au plus "
    "tard à la date donnée (jobseekers.AidRequest.amount_granted).",
    requires=("jobseekers.AidRequest",),
    by_bassin=True,
)
def aids_granted_amount(*, region, on: date, bassin=None) -> Decimal:
    from jobseekers.models import AidRequest

    granted = _aid_requests(region, bassin).filter(status__in=AidRequest.GRANTED_STATUSES, decided_on__lte=on)
    return granted.aggregate(total=models.Sum("amount_granted"))["total"] or Decimal(0)


plan(
    "companies.recruitment_events_hires",
    label="Embauches issues des opérations de recrutement",
    unit="embauches",
    description="Opérations de recrutement tenues et embauches déclarées à leur issue.",
    requires=("companies.RecruitmentEvent",),
)
plan(
    "companies.prospected_single_solicitation",
    label="Entreprises prospectées sans sollicitation multiple",
    unit="%",
    description="Part des entreprises prospectées qui n'ont été sollicitées que par un seul partenaire sur la période.",
    requires=("companies.Prospection",),
)


def tension_rome_codes(region) -> set[str]:
    """ROME v3 codes on the region's official list of occupations in tension, as the diagnosis computed them."""
    from diagnosis.models import Indicator as DiagnosisCell

    return set(
        DiagnosisCell.objects.filter(
            occupation_kind="rome3",
            territory_kind="region",
            territory_code=region.code,
            in_official_list=True,
        ).values_list("occupation_code", flat=True)
    )


@register(
    "training.places_in_tension_occupations",
    label="Places de formation ouvertes sur les métiers en tension",
    unit="places",
    description="Places des sessions de formation de la région commençant dans les 12 mois précédant la date "
    "et visant au moins un métier (code ROME, ou son code ROME v3 parent) de la liste officielle régionale des "
    "métiers en tension calculée par le diagnostic (training.TrainingSession × diagnosis.Indicator).",
    requires=("training.TrainingSession", "diagnosis.Indicator"),
)
def training_places_in_tension_occupations(*, region, on: date) -> Decimal:
    from rome.models import Fiche
    from training.models import TrainingSession

    tension = tension_rome_codes(region)
    if not tension:
        raise IndicatorUnavailable(
            "Pas encore disponible : la liste des métiers en tension de la région n'a pas été calculée "
            "(diagnostic territorial)."
        )
    sessions = TrainingSession.objects.filter(
        commune__region=region,
        start_date__gt=on - timedelta(days=365),
        start_date__lte=on,
        places__isnull=False,
    ).only("rome_codes", "places")
    parents = dict(Fiche.objects.values_list("code", "parent_code"))
    total = 0
    for session in sessions:
        codes = set(session.rome_code_list)
        if (codes | {parents.get(c, c) for c in codes}) & tension:
            total += session.places
    return Decimal(total)


def action_lines_of(region):
    """Joint action lines whose territory lies in the region (basin and zone d'emploi codes start with the
    region's code in the INSEE and France Travail zonings)."""
    from diagnosis.models import ActionLine

    departements = list(region.departements.values_list("code", flat=True))
    return ActionLine.objects.filter(
        models.Q(territory_kind="region", territory_code=region.code)
        | models.Q(territory_kind="departement", territory_code__in=departements)
        | models.Q(territory_kind__in=["bassin", "zone_emploi"], territory_code__startswith=region.code)
    )


ACTION_LINE_ADOPTED = ("adopted", "in_progress", "done")


@register(
    "diagnosis.joint_actions_adopted",
    label="Lignes d'action conjointes adoptées",
    unit="lignes d'action",
    description="Lignes d'action conjointes issues du diagnostic partagé, créées au plus tard à la date donnée et "
    "aujourd'hui adoptées, en cours ou réalisées, sur un territoire de la région (diagnosis.ActionLine).",
    requires=("diagnosis.ActionLine",),
)
def joint_actions_adopted(*, region, on: date) -> Decimal:
    lines = action_lines_of(region).filter(status__in=ACTION_LINE_ADOPTED, created_at__date__lte=on)
    return Decimal(lines.count())
