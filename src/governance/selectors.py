"""Reads of the governance app: the configuration check, dashboard aggregates and indicator series."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse

from governance import indicators, rules, services
from governance.models import (
    ActionSheet,
    Committee,
    FollowUpAction,
    Indicator,
    Level,
    MeasureKind,
    Member,
    Milestone,
    Motion,
    Protocol,
    SheetStatus,
)

# --- configuration check -----------------------------------------------------------------------------------


@dataclass
class CheckPoint:
    label: str
    passed: bool
    detail: str
    url: str = ""


def configuration_check(*, region, on: date) -> list[CheckPoint]:
    """Point by point: does the region's structure satisfy the protocol (and the mission's three axes)?"""
    points = []
    regional = Committee.objects.filter(level=Level.REGIONAL, region=region).order_by("pk").first()
    points.append(
        CheckPoint(
            "Un comité régional pour l'emploi est constitué",
            regional is not None,
            f"{regional}" if regional else "Aucun comité régional n'est enregistré pour la région.",
            regional.get_absolute_url() if regional else "",
        )
    )
    if regional is None:
        points.append(
            CheckPoint(
                "Le comité régional est coprésidé par le préfet de région et le président du "
                "conseil régional",
                False,
                "Pas de comité régional.",
            )
        )
    else:
        problems = rules.co_presidency_problems(Level.REGIONAL, services.current_chairs(regional, on))
        chairs = ", ".join(
            f"{c} ({c.get_capacity_display().lower()})" for c in services.current_chairs(regional, on)
        )
        points.append(
            CheckPoint(
                "Le comité régional est coprésidé par le préfet de région et le président du conseil régional",
                not problems,
                " ".join(problems) if problems else f"Coprésidence : {chairs}.",
                reverse("governance:composition", args=[regional.pk]),
            )
        )
    departmentals = list(
        Committee.objects.filter(level=Level.DEPARTMENTAL, region=region).select_related("departement")
    )
    points.append(
        CheckPoint(
            "Au moins un comité départemental pour l'emploi",
            bool(departmentals),
            ", ".join(str(c) for c in departmentals) if departmentals else "Aucun comité départemental.",
        )
    )
    with_local = [
        d
        for d in departmentals
        if Committee.objects.filter(level=Level.LOCAL)
        .filter(Q(parent=d) | Q(departement=d.departement))
        .exists()
    ]
    points.append(
        CheckPoint(
            "Au sein d'un département doté d'un comité départemental, au moins un comité local",
            bool(with_local),
            ("Départements : " + ", ".join(str(d.departement) for d in with_local))
            if with_local
            else "Aucun comité local dans un département qui a son comité départemental.",
        )
    )
    for kind, label in (
        (MeasureKind.TRAINING, "Au moins une mesure relative à la formation professionnelle adoptée"),
        (MeasureKind.COMPANY_SERVICES, "Au moins une mesure relative aux services aux entreprises adoptée"),
    ):
        adopted = [
            f"« {m.title} » ({m.meeting.committee}, {m.decided_at:%d/%m/%Y})"
            for m in Motion.objects.filter(
                meeting__committee__region=region,
                kind=kind,
                outcome=Motion.Outcome.ADOPTED,
                decided_at__date__lte=on,
            ).select_related("meeting__committee")[:5]
        ]
        if kind == MeasureKind.TRAINING:
            adopted += [
                f"ligne d'action conjointe « {line} » ({line.get_status_display().lower()})"
                for line in adopted_action_lines(region, on=on)[:5]
            ]
        points.append(
            CheckPoint(
                label,
                bool(adopted),
                "; ".join(adopted)
                if adopted
                else "Aucune délibération de cette nature adoptée par un comité de la "
                "région"
                + (
                    " ni ligne d'action conjointe du diagnostic adoptée."
                    if kind == MeasureKind.TRAINING
                    else "."
                ),
            )
        )
    return points


def adopted_action_lines(region, *, on: date) -> list:
    """Joint action lines of the diagnosis adopted in the region: training measures built on the shared
    diagnosis, as the protocol's second axis asks (empty while the diagnosis app is not installed)."""
    query = indicators.get("diagnosis.joint_actions_adopted")
    if query is None or not query.available:
        return []
    return list(
        indicators.action_lines_of(region)
        .filter(status__in=indicators.ACTION_LINE_ADOPTED, created_at__date__lte=on)
        .order_by("pk")
    )


# --- members ----------------------------------------------------------------------------------------------


def composition(committee: Committee, *, on: date) -> dict:
    members = list(
        committee.members.select_related("organisation", "user", "substitute_for").order_by("full_name")
    )
    rows = []
    for member in members:
        rows.append({"member": member, "state": services.expiry_state(member, on=on)})
    titulars = [r for r in rows if r["member"].seat == Member.Seat.TITULAR]
    by_college = OrderedDict()
    for row in sorted(titulars, key=lambda r: (r["member"].chair == "", r["member"].college)):
        by_college.setdefault(row["member"].get_college_display(), []).append(
            {**row, "substitutes": [r for r in rows if r["member"].substitute_for_id == row["member"].pk]}
        )
    current = [r for r in titulars if r["state"] in ("current", "expiring")]
    return {
        "by_college": by_college,
        "expiring": [r["member"] for r in rows if r["state"] == "expiring"],
        "expired": [r["member"] for r in rows if r["state"] == "expired"],
        "appointed": sum(1 for r in current if not r["member"].chair),
        "max_members": services.max_members(committee),
        "chair_problems": rules.co_presidency_problems(
            committee.level, services.current_chairs(committee, on)
        ),
    }


def committees_of(user):
    if not user.is_authenticated:
        return Committee.objects.none()
    return Committee.objects.filter(members__user=user).distinct()


# --- dashboard --------------------------------------------------------------------------------------------


STATUS_ORDER = [s.value for s in SheetStatus]


@dataclass
class ProgressRow:
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done_rate(self) -> int:
        considered = self.total - self.counts.get(SheetStatus.ABANDONED, 0)
        return round(100 * self.counts.get(SheetStatus.DONE, 0) / considered) if considered else 0

    @property
    def ordered_counts(self) -> list[int]:
        return [self.counts.get(s, 0) for s in STATUS_ORDER]


def _progress(sheets, key) -> list[ProgressRow]:
    rows: dict[str, ProgressRow] = {}
    for sheet in sheets:
        row = rows.setdefault(key(sheet), ProgressRow(key(sheet)))
        row.counts[sheet.status] = row.counts.get(sheet.status, 0) + 1
    return list(rows.values())


def progress_by_stake(protocol: Protocol) -> list[ProgressRow]:
    rows = {stake.pk: ProgressRow(f"Enjeu {stake.number} — {stake.title}") for stake in protocol.stakes.all()}
    for sheet in ActionSheet.objects.filter(commitment__protocol=protocol).select_related("commitment"):
        row = rows[sheet.commitment.stake_id]
        row.counts[sheet.status] = row.counts.get(sheet.status, 0) + 1
    return list(rows.values())


def progress_by_territory(protocol: Protocol) -> list[ProgressRow]:
    sheets = ActionSheet.objects.filter(commitment__protocol=protocol).select_related("departement")
    rows = _progress(sheets, lambda s: str(s.departement) if s.departement_id else "Échelon régional")
    return sorted(rows, key=lambda r: (r.label != "Échelon régional", r.label))


def late_sheets(protocol: Protocol, *, on: date) -> list[dict]:
    """Sheets declared late, and running sheets with an overdue milestone or past their planned end."""
    open_sheets = (
        ActionSheet.objects.filter(commitment__protocol=protocol)
        .exclude(status__in=[SheetStatus.DONE, SheetStatus.ABANDONED])
        .select_related("commitment", "owner")
    )
    overdue = {
        m.sheet_id: m
        for m in Milestone.objects.filter(
            sheet__in=open_sheets, done_on__isnull=True, due_on__lt=on
        ).order_by("-due_on")
    }
    late = []
    for sheet in open_sheets:
        reasons = []
        if sheet.status == SheetStatus.LATE:
            reasons.append("déclarée en retard")
        if sheet.pk in overdue:
            reasons.append(f"jalon « {overdue[sheet.pk].title} » dû le {overdue[sheet.pk].due_on:%d/%m/%Y}")
        if sheet.ends_on and sheet.ends_on < on:
            reasons.append(f"fin prévue le {sheet.ends_on:%d/%m/%Y} dépassée")
        if reasons:
            late.append({"sheet": sheet, "reasons": reasons})
    return late


def late_actions(*, region, on: date):
    return (
        FollowUpAction.objects.filter(motion__meeting__committee__region=region, deadline__lt=on)
        .exclude(status=FollowUpAction.Status.DONE)
        .select_related("motion__meeting__committee", "owner")
    )


@dataclass
class IndicatorView:
    indicator: Indicator
    query: indicators.Query | None
    live_value: Decimal | None
    unavailable: str
    series: list[tuple[date, Decimal]]
    targets: list[tuple[date, Decimal]]

    @property
    def latest(self) -> tuple[date, Decimal] | None:
        return self.series[-1] if self.series else None

    @property
    def next_target(self):
        latest_day = self.series[-1][0] if self.series else None
        future = [t for t in self.targets if latest_day is None or t[0] >= latest_day]
        return future[0] if future else (self.targets[-1] if self.targets else None)

    @property
    def on_track(self) -> bool | None:
        if not self.latest or not self.next_target:
            return None
        value, target = self.latest[1], self.next_target[1]
        return value >= target if self.indicator.higher_is_better else value <= target


def indicator_view(indicator: Indicator, *, on: date) -> IndicatorView:
    series = [(m.measured_on, m.value) for m in indicator.measurements.all()]
    targets = [(t.due_on, t.value) for t in indicator.targets.all()]
    query, live, unavailable = None, None, ""
    if indicator.source == Indicator.Source.COMPUTED:
        query = indicators.get(indicator.query_name)
        try:
            live = indicators.compute(
                indicator.query_name, region=indicator.commitment.protocol.region, on=on
            )
        except indicators.IndicatorUnavailable as exc:
            unavailable = str(exc)
        if live is not None:
            series = [p for p in series if p[0] != on] + [(on, live)]
    return IndicatorView(indicator, query, live, unavailable, series, targets)


def dashboard(protocol: Protocol, *, on: date) -> dict:
    sheets = ActionSheet.objects.filter(commitment__protocol=protocol)
    totals = ProgressRow("Ensemble du protocole")
    for status in sheets.values_list("status", flat=True):
        totals.counts[status] = totals.counts.get(status, 0) + 1
    inds = Indicator.objects.filter(commitment__protocol=protocol).select_related(
        "commitment__protocol__region"
    )
    inds = inds.prefetch_related("measurements", "targets")
    late = late_sheets(protocol, on=on)
    actions = list(late_actions(region=protocol.region, on=on))
    return {
        "totals": totals,
        "late_count": len(late) + len(actions),
        "by_stake": progress_by_stake(protocol),
        "by_territory": progress_by_territory(protocol),
        "late_sheets": late,
        "late_actions": actions,
        "indicators": [indicator_view(i, on=on) for i in inds],
        "statuses": [(s.value, s.label) for s in SheetStatus],
        "commitments": protocol.commitments.count(),
        "action_lines": region_action_lines(protocol.region),
    }


def region_action_lines(region) -> list:
    """The diagnosis's joint action lines on the region's territories, for the committees to follow."""
    query = indicators.get("diagnosis.joint_actions_adopted")
    if query is None or not query.available:
        return []
    return list(
        indicators.action_lines_of(region)
        .exclude(status="draft")
        .select_related("owner")
        .order_by("deadline")
    )
