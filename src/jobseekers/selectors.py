"""Reads on job seeker records. Who may see a record is decided here and nowhere else.

A record is visible to the advisors and managers of the organisations that follow the person today. Committee
members, other organisations and platform administrators see nothing (administrators only when they also hold
an advisor or manager role in a following organisation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, Role, User
from accounts.permissions import has_role, organisations_of
from aids.models import Aid, Periodicity
from core.text import fold
from jobseekers.models import AidRequest, Consent, FollowUp, JobSeeker
from territories.models import Bassin, Departement, Region

RECORD_ROLES = (Role.ADVISOR, Role.MANAGER)
DASHBOARD_ROLES = (Role.ADVISOR, Role.MANAGER, Role.COMMITTEE_MEMBER)
# Aids whose `amount_max` is a ceiling per calendar year: yearly aids, and per-trip aids whose official ceiling
# is yearly (France Travail's aide à la mobilité: 5,200 € a year). For monthly or per-day aids `amount_max` is
# the amount of one month or day, not a yearly ceiling.
YEARLY_CAPPED = (Periodicity.YEARLY, Periodicity.PER_TRIP)
OPEN_STATUSES = (AidRequest.Status.TO_SEND, AidRequest.Status.SENT, *AidRequest.GRANTED_STATUSES)


def record_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations for which `user` may follow people (advisor or manager)."""
    return organisations_of(user, roles=RECORD_ROLES)


def visible_records(user: User) -> QuerySet[JobSeeker]:
    if not user.is_authenticated:
        return JobSeeker.objects.none()
    following = FollowUp.objects.active().filter(organisation__in=record_organisations(user))
    return JobSeeker.objects.filter(anonymised_at__isnull=True, pk__in=following.values("jobseeker_id"))


def get_visible_record(user: User, pk: int) -> JobSeeker:
    """The record, or 404 (never 403: an id that is not yours does not exist for you)."""
    record = visible_records(user).select_related("commune__departement").filter(pk=pk).first()
    if record is None:
        raise Http404("Aucune personne suivie ne correspond.")
    return record


def search_records(user: User, *, query: str = "") -> QuerySet[JobSeeker]:
    records = visible_records(user).select_related("commune")
    folded = fold(query)
    for word in folded.split():
        records = records.filter(Q(search_name__startswith=word) | Q(search_name__contains=f" {word}"))
    return records.order_by("last_name", "first_name", "pk")


def active_followups(record: JobSeeker) -> QuerySet[FollowUp]:
    return record.followups.active().select_related("organisation", "referent").order_by("since", "pk")


def following_organisations_of(record: JobSeeker) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=active_followups(record).values("organisation_id"))


def acting_organisation(
    user: User, record: JobSeeker, *, preferred: Organisation | None = None
) -> Organisation:
    """The following organisation the user acts for on this record (their current one when it follows)."""
    mine = following_organisations_of(record).filter(pk__in=record_organisations(user)).order_by("name")
    if preferred is not None and mine.filter(pk=preferred.pk).exists():
        return preferred
    organisation = mine.first()
    if organisation is None:
        raise Http404("Aucune personne suivie ne correspond.")
    return organisation


def current_consent(record: JobSeeker, scope: str = Consent.Scope.SHARE_RECORD) -> Consent | None:
    return record.consents.filter(scope=scope, withdrawn_at__isnull=True).first()


def get_visible_aid_request(user: User, *, record: JobSeeker, pk: int) -> AidRequest:
    aid_request = (
        AidRequest.objects.select_related("aid", "need__place_commune", "organisation", "created_by")
        .filter(jobseeker=record, pk=pk)
        .first()
    )
    if aid_request is None:
        raise Http404("Aucune demande d'aide ne correspond.")
    return aid_request


def visible_aid_requests(user: User, *, status: str = "") -> QuerySet[AidRequest]:
    """The aid requests of the records `user` may see, newest first, optionally of one status."""
    requests = AidRequest.objects.filter(jobseeker__in=visible_records(user)).select_related(
        "aid", "jobseeker", "organisation"
    )
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-pk")


# --- What was already granted: yearly caps and non-cumulation -------------------------------------------------


@dataclass
class GrantedLine:
    aid: Aid
    count: int = 0
    amount: Decimal = Decimal("0")
    cap: Decimal | None = None
    last_decided_on: date | None = None

    @property
    def remaining(self) -> Decimal | None:
        return None if self.cap is None else max(Decimal("0"), self.cap - self.amount)


def yearly_cap(aid: Aid) -> Decimal | None:
    return aid.amount_max if aid.amount_max is not None and aid.periodicity in YEARLY_CAPPED else None


def granted_in_year(record: JobSeeker, *, year: int) -> list[GrantedLine]:
    """Per aid, the requests granted (or paid) to the person whose decision fell in `year`."""
    lines: dict[str, GrantedLine] = {}
    granted = (
        record.aid_requests.filter(status__in=AidRequest.GRANTED_STATUSES, decided_on__year=year)
        .select_related("aid")
        .order_by("decided_on")
    )
    for aid_request in granted:
        line = lines.setdefault(
            aid_request.aid_id, GrantedLine(aid=aid_request.aid, cap=yearly_cap(aid_request.aid))
        )
        line.count += 1
        line.amount += aid_request.amount_granted or Decimal("0")
        line.last_decided_on = aid_request.decided_on
    return sorted(lines.values(), key=lambda line: line.aid.label)


def _cumulation_conflict(aid: Aid, other: Aid) -> bool:
    return other.pk in (aid.non_cumulable_with or []) or aid.pk in (other.non_cumulable_with or [])


def open_requests(record: JobSeeker) -> list[AidRequest]:
    """The person's requests that count for ceilings and cumulation (to send, sent, granted, paid)."""
    return list(
        record.aid_requests.filter(status__in=OPEN_STATUSES).select_related("aid").order_by("created_at")
    )


def aid_warnings(
    *,
    record: JobSeeker,
    aid: Aid,
    amount: Decimal | None = None,
    on: date | None = None,
    exclude_pk=None,
    requests: list[AidRequest] | None = None,
) -> list[str]:
    """What an advisor must know before asking for `aid` (of `amount`) for the person: a one-off aid already
    granted, a yearly ceiling reached or exceeded, an aid it does not combine with granted or in progress the
    same year. Warnings, not refusals: the instructing body decides. Pass `requests` (`open_requests(record)`)
    to save the query when asking for many aids."""
    year = (on or timezone.localdate()).year
    warnings = []
    others = [r for r in (open_requests(record) if requests is None else requests) if r.pk != exclude_pk]
    same_aid_granted = [r for r in others if r.aid_id == aid.pk and r.is_granted]
    if aid.periodicity == Periodicity.ONE_OFF and same_aid_granted:
        first = same_aid_granted[0]
        when = f" le {first.decided_on:%d/%m/%Y}" if first.decided_on else ""
        warnings.append(f"« {aid.label} » est une aide ponctuelle déjà accordée à la personne{when}.")
    cap = yearly_cap(aid)
    if cap is not None:
        used = sum(
            (r.amount_granted or Decimal("0"))
            for r in same_aid_granted
            if r.decided_on is not None and r.decided_on.year == year
        )
        asked = amount or Decimal("0")
        if used + asked > cap:
            warnings.append(
                f"Plafond annuel de « {aid.label} » : {cap:.2f} €. Déjà accordé en {year} : {used:.2f} € ; "
                f"reste {max(Decimal('0'), cap - used):.2f} €."
            )
    for other in others:
        if other.aid_id == aid.pk or not _cumulation_conflict(aid, other.aid):
            continue
        reference_day = other.decided_on or other.created_at.date()
        if reference_day.year != year:
            continue
        state = "accordée" if other.is_granted else "en cours"
        warnings.append(
            f"« {aid.label} » ne se cumule pas avec « {other.aid.label} » ({state}, demande n° {other.pk})."
        )
    return warnings


def open_warnings(record: JobSeeker) -> dict[int, list[str]]:
    """Warnings of each request still in progress (to send or sent), by request id."""
    return {
        aid_request.pk: aid_request_warnings
        for aid_request in record.aid_requests.filter(
            status__in=(AidRequest.Status.TO_SEND, AidRequest.Status.SENT)
        ).select_related("aid")
        if (
            aid_request_warnings := aid_warnings(
                record=record,
                aid=aid_request.aid,
                amount=aid_request.amount_requested,
                exclude_pk=aid_request.pk,
            )
        )
    }


# --- Dashboard: aggregates only, no personal data ----------------------------------------------------------------


@dataclass
class SummaryRow:
    aid_id: str
    aid_label: str
    institution: str
    bassin_code: str
    bassin_name: str
    requested: int = 0
    granted: int = 0
    refused: int = 0
    amount_requested: Decimal = Decimal("0")
    amount_granted: Decimal = Decimal("0")


@dataclass
class Summary:
    rows: list[SummaryRow] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    territory: Region | Departement | Bassin | None = None
    demo_requests: int = 0  # how many of the requests counted are demo data (fictitious people)

    @property
    def totals(self) -> dict:
        return {
            "requested": sum(row.requested for row in self.rows),
            "granted": sum(row.granted for row in self.rows),
            "refused": sum(row.refused for row in self.rows),
            "amount_requested": sum((row.amount_requested for row in self.rows), Decimal("0")),
            "amount_granted": sum((row.amount_granted for row in self.rows), Decimal("0")),
        }

    def by(self, key: str) -> list[dict]:
        """Rows summed by "aid", "institution" or "bassin", largest number of requests first."""
        groups: dict[str, dict] = {}
        for row in self.rows:
            if key == "aid":
                group_key, label = row.aid_id, row.aid_label
            elif key == "institution":
                group_key, label = row.institution, row.institution
            else:
                group_key, label = row.bassin_code, row.bassin_name
            group = groups.setdefault(
                group_key,
                {
                    "key": group_key,
                    "label": label,
                    "requested": 0,
                    "granted": 0,
                    "refused": 0,
                    "amount_requested": Decimal("0"),
                    "amount_granted": Decimal("0"),
                },
            )
            for name in ("requested", "granted", "refused", "amount_requested", "amount_granted"):
                group[name] += getattr(row, name)
        return sorted(groups.values(), key=lambda g: (-g["requested"], g["label"]))


def aid_requests_summary(
    *,
    territory: Region | Departement | Bassin | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Summary:
    """Aid requests filed between `start` and `end` (inclusive, on the filing date) for people living in
    `territory` when the request was filed, by aid × basin: requests, grants (granted or paid), refusals and
    amounts (requested; granted for granted or paid requests). Cancelled requests are left out."""
    requests = AidRequest.objects.exclude(status=AidRequest.Status.CANCELLED)
    if isinstance(territory, Region):
        requests = requests.filter(region=territory)
    elif isinstance(territory, Departement):
        requests = requests.filter(departement=territory)
    elif isinstance(territory, Bassin):
        requests = requests.filter(bassin=territory)
    if start is not None:
        requests = requests.filter(created_at__date__gte=start)
    if end is not None:
        requests = requests.filter(created_at__date__lte=end)
    granted = Q(status__in=AidRequest.GRANTED_STATUSES)
    grouped = (
        requests.values("aid_id", "aid__label", "aid__institution", "bassin_id", "bassin__name")
        .annotate(
            requested=Count("pk"),
            granted=Count("pk", filter=granted),
            refused=Count("pk", filter=Q(status=AidRequest.Status.REFUSED)),
            amount_requested=Sum("amount_requested"),
            amount_granted=Sum("amount_granted", filter=granted),
        )
        .order_by("aid__label", "bassin_id")
    )
    rows = [
        SummaryRow(
            aid_id=values["aid_id"],
            aid_label=values["aid__label"],
            institution=values["aid__institution"],
            bassin_code=values["bassin_id"] or "",
            bassin_name=values["bassin__name"] or "Bassin inconnu",
            requested=values["requested"],
            granted=values["granted"],
            refused=values["refused"],
            amount_requested=values["amount_requested"] or Decimal("0"),
            amount_granted=values["amount_granted"] or Decimal("0"),
        )
        for values in grouped
    ]
    demo_requests = requests.filter(jobseeker__is_demo=True).count()
    return Summary(rows=rows, start=start, end=end, territory=territory, demo_requests=demo_requests)


def may_see_dashboard(user: User) -> bool:
    return has_role(user, *DASHBOARD_ROLES)
