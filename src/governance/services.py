"""Writes of the governance app: committees and their members, meetings, attendance and proxies, votes and
decisions, follow-up actions, action sheets and indicator values. Every rule violation raises a Django
ValidationError with a French message that says what is wrong (forms show it next to the fields)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from governance import rules
from governance.models import (
    ActionSheet,
    Attendance,
    Ballot,
    Committee,
    FollowUpAction,
    Indicator,
    Invitation,
    Level,
    Measurement,
    Meeting,
    Member,
    Motion,
    SheetStatus,
    SizeRule,
    StatusChange,
)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_mandate_end(start: date, *, level: str) -> date:
    """Members are appointed for three renewable years (R5311-36); the rule's duration is configurable."""
    return add_years(start, size_rule(level).mandate_years) - timedelta(days=1)


def size_rule(level: str) -> SizeRule:
    rule = SizeRule.objects.filter(level=level).first()
    if rule is None:  # the data migration seeds them; a deleted rule falls back to the decrees' values
        return SizeRule(level=level, max_members=DEFAULT_MAX_MEMBERS[level])
    return rule


DEFAULT_MAX_MEMBERS = {Level.NATIONAL: 48, Level.REGIONAL: 29, Level.DEPARTMENTAL: 27, Level.LOCAL: 8}


def max_members(committee: Committee) -> int:
    rule = size_rule(committee.level)
    large = committee.level == Level.REGIONAL and rule.max_members_large_region and committee.region_id
    if large and committee.region.departements.count() > 6:
        return rule.max_members_large_region
    return rule.max_members


# --- committees -------------------------------------------------------------------------------------------


def validate_committee(committee: Committee, *, communes=None) -> None:
    """Each level is attached to its territory; local committees to exactly one kind of local territory."""
    errors: dict[str, str] = {}
    level = committee.level
    if level == Level.NATIONAL:
        if committee.region_id or committee.departement_id:
            errors["region"] = "Le comité national n'est rattaché à aucune région."
    elif level == Level.REGIONAL:
        if not committee.region_id:
            errors["region"] = "Un comité régional est rattaché à sa région."
    else:
        if not committee.departement_id:
            errors["departement"] = "Un comité départemental ou local est rattaché à un département."
        else:
            committee.region_id = committee.departement.region_id
    if level == Level.LOCAL:
        scope = committee.local_scope
        if not scope:
            errors["local_scope"] = (
                "Choisissez le ressort du comité local : zone d'emploi, bassin, EPCI ou communes."
            )
        elif scope == Committee.LocalScope.ZONE_EMPLOI and not committee.zone_emploi_id:
            errors["zone_emploi"] = "Choisissez la zone d'emploi du comité local."
        elif scope == Committee.LocalScope.BASSIN and not committee.bassin_id:
            errors["bassin"] = "Choisissez le bassin d'emploi du comité local."
        elif scope == Committee.LocalScope.EPCI and not committee.epci_id:
            errors["epci"] = "Choisissez l'EPCI du comité local."
        elif scope == Committee.LocalScope.COMMUNES:
            if not communes:
                errors["communes"] = "Choisissez au moins une commune du comité local."
            elif committee.departement_id and any(
                c.departement_id != committee.departement_id for c in communes
            ):
                errors["communes"] = "Les communes d'un comité local appartiennent à son département."
        if committee.parent_id and committee.parent.level != Level.DEPARTMENTAL:
            errors["parent"] = "Le comité parent d'un comité local est un comité départemental."
        if committee.parent_id and committee.parent.departement_id != committee.departement_id:
            errors["parent"] = "Le comité parent doit être celui du même département."
    else:
        if committee.local_scope:
            errors["local_scope"] = "Seul un comité local a un ressort infra-départemental."
    if (
        level == Level.DEPARTMENTAL
        and committee.parent_id
        and (committee.parent.level != Level.REGIONAL or committee.parent.region_id != committee.region_id)
    ):
        errors["parent"] = "Le comité parent d'un comité départemental est le comité régional de sa région."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_committee(committee: Committee, *, communes=None) -> Committee:
    validate_committee(committee, communes=communes)
    if committee.level != Level.LOCAL:
        committee.local_scope = ""
        committee.zone_emploi = committee.bassin = committee.epci = None
    if committee.level == Level.REGIONAL and committee.parent_id is None:
        committee.parent = Committee.objects.filter(level=Level.NATIONAL).first()
    if committee.level == Level.DEPARTMENTAL and committee.parent_id is None:
        committee.parent = Committee.objects.filter(
            level=Level.REGIONAL, region_id=committee.region_id
        ).first()
    if committee.level == Level.LOCAL and committee.parent_id is None:
        committee.parent = Committee.objects.filter(
            level=Level.DEPARTMENTAL, departement_id=committee.departement_id
        ).first()
    committee.save()
    if committee.level == Level.LOCAL and committee.local_scope == Committee.LocalScope.COMMUNES:
        committee.communes.set(communes or [])
    else:
        committee.communes.clear()
    return committee


# --- members ----------------------------------------------------------------------------------------------


def current_members(committee: Committee, on: date):
    return committee.members.filter(mandate_start__lte=on, mandate_end__gte=on)


def current_chairs(committee: Committee, on: date) -> list[Member]:
    return list(current_members(committee, on).exclude(chair=""))


def validate_member(member: Member) -> None:
    committee = member.committee
    errors: list[str] = []
    if not member.organisation_id and not member.institution.strip():
        raise ValidationError(
            {"institution": "Indiquez l'institution du membre (organisation ou texte libre)."}
        )
    if member.mandate_end < member.mandate_start:
        raise ValidationError({"mandate_end": "La fin du mandat précède son début."})
    if member.seat == Member.Seat.SUBSTITUTE:
        if member.substitute_for_id is None:
            raise ValidationError({"substitute_for": "Un suppléant est rattaché au titulaire qu'il supplée."})
        if (
            member.substitute_for.committee_id != committee.pk
            or member.substitute_for.seat != Member.Seat.TITULAR
        ):
            raise ValidationError(
                {"substitute_for": "Le titulaire suppléé doit être un titulaire du même comité."}
            )
        member.college = member.substitute_for.college
        member.has_vote = member.substitute_for.has_vote
    else:
        member.substitute_for = None
    overlapping = committee.members.filter(
        mandate_start__lte=member.mandate_end, mandate_end__gte=member.mandate_start
    ).exclude(pk=member.pk)
    if member.chair:
        member.has_vote = True  # the co-presidents always deliberate (R5311-37)
        errors += rules.chair_errors(
            member, level=committee.level, other_chairs=list(overlapping.exclude(chair=""))
        )
    elif member.seat == Member.Seat.TITULAR:
        limit = max_members(committee)
        appointed = overlapping.filter(seat=Member.Seat.TITULAR, chair="").count()
        if appointed >= limit:
            errors.append(
                f"Le comité compte déjà {appointed} membres titulaires nommés : le maximum pour "
                f"{rules.LEVEL_LABELS[committee.level]} est de {limit} (hors présidents)."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_member(member: Member) -> Member:
    if member.mandate_start and not member.mandate_end:
        member.mandate_end = default_mandate_end(member.mandate_start, level=member.committee.level)
    validate_member(member)
    member.save()
    return member


def expiry_state(member: Member, *, on: date) -> str:
    """'expired', 'expiring' (within the rule's warning period), 'future' or 'current'."""
    if member.mandate_end < on:
        return "expired"
    if member.mandate_start > on:
        return "future"
    if member.mandate_end <= on + timedelta(days=size_rule(member.committee.level).expiry_warning_days):
        return "expiring"
    return "current"


# --- meetings, attendance, quorum -------------------------------------------------------------------------


def voting_seats(meeting: Meeting) -> list[Member]:
    """Titular members with a deliberative vote whose mandate covers the meeting day (co-chairs included)."""
    day = timezone.localdate(meeting.starts_at)
    return list(
        current_members(meeting.committee, day).filter(seat=Member.Seat.TITULAR, has_vote=True).order_by("pk")
    )


def sitting_for(meeting: Meeting) -> dict[int, Member]:
    """{titular seat id: the member who sits for it in person}: the titular, else a present substitute."""
    present_ids = set(
        meeting.attendances.filter(status=Attendance.Status.PRESENT).values_list("member_id", flat=True)
    )
    day = timezone.localdate(meeting.starts_at)
    sitting = {}
    for seat in voting_seats(meeting):
        if seat.pk in present_ids:
            sitting[seat.pk] = seat
            continue
        substitute = (
            current_members(meeting.committee, day)
            .filter(substitute_for=seat, pk__in=present_ids)
            .order_by("pk")
            .first()
        )
        if substitute is not None:
            sitting[seat.pk] = substitute
    return sitting


def proxies(meeting: Meeting) -> dict[int, Member]:
    """{titular seat id: the member holding its proxy}."""
    return {
        a.member_id: a.proxy_holder
        for a in meeting.attendances.filter(proxy_holder__isnull=False).select_related("proxy_holder")
    }


def quorum(meeting: Meeting) -> rules.Quorum:
    seats = voting_seats(meeting)
    sitting = sitting_for(meeting)
    sitting_members = {m.pk for m in sitting.values()}
    represented = {
        seat_id
        for seat_id, holder in proxies(meeting).items()
        if seat_id not in sitting and holder.pk in sitting_members
    }
    return rules.Quorum(
        voting_seats=len(seats),
        present=len(sitting),
        represented=len(represented),
        counted_seats=set(sitting) | represented,
    )


@transaction.atomic
def set_attendance(*, meeting: Meeting, member: Member, status: str) -> Attendance:
    if member.committee_id != meeting.committee_id:
        raise ValidationError("Cette personne n'est pas membre du comité qui se réunit.")
    attendance, _ = Attendance.objects.get_or_create(
        meeting=meeting, member=member, defaults={"status": status}
    )
    if status != Attendance.Status.PRESENT:
        held = Attendance.objects.filter(meeting=meeting, proxy_holder=member).select_related("member")
        if held.exists():
            names = ", ".join(str(a.member) for a in held)
            raise ValidationError(
                f"{member} détient le pouvoir de {names} : retirez ce pouvoir avant de le déclarer absent."
            )
    else:
        attendance.proxy_holder = None  # a member who sits no longer needs a proxy
    attendance.status = status
    attendance.save()
    return attendance


@transaction.atomic
def give_proxy(*, meeting: Meeting, giver: Member, holder: Member | None) -> Attendance:
    """A titular who is neither present nor substituted may give a proxy to a member who sits; nobody holds more
    proxies than the level's rule allows (one by default)."""
    attendance, _ = Attendance.objects.get_or_create(
        meeting=meeting, member=giver, defaults={"status": Attendance.Status.EXCUSED}
    )
    if holder is None:
        attendance.proxy_holder = None
        attendance.save()
        return attendance
    seats = {m.pk for m in voting_seats(meeting)}
    sitting = sitting_for(meeting)
    if giver.pk not in seats:
        raise ValidationError(
            f"{giver} n'a pas de voix délibérative titulaire : il ne peut pas donner pouvoir."
        )
    if holder.committee_id != meeting.committee_id or holder.pk == giver.pk:
        raise ValidationError("Le pouvoir se donne à un autre membre du comité.")
    if giver.pk in sitting:
        who = sitting[giver.pk]
        if who.pk == giver.pk:
            raise ValidationError(f"{giver} est présent : il vote lui-même.")
        raise ValidationError(f"{giver} est suppléé par {who} : un membre suppléé ne donne pas de pouvoir.")
    if holder.pk not in {m.pk for m in sitting.values()}:
        raise ValidationError(
            f"{holder} n'est pas présent avec voix délibérative : il ne peut pas recevoir de pouvoir."
        )
    limit = size_rule(meeting.committee.level).max_proxies_per_holder
    held = Attendance.objects.filter(meeting=meeting, proxy_holder=holder).exclude(pk=attendance.pk).count()
    if held >= limit:
        raise ValidationError(f"{holder} détient déjà {held} pouvoir(s) : le maximum est de {limit}.")
    attendance.status = (
        Attendance.Status.EXCUSED if attendance.status == Attendance.Status.PRESENT else attendance.status
    )
    attendance.proxy_holder = holder
    attendance.save()
    return attendance


def state_chair(meeting: Meeting) -> Member | None:
    return next((m for m in voting_seats(meeting) if m.chair == Member.Chair.STATE), None)


def ballot_casters(meeting: Meeting) -> dict[int, Member]:
    """{seat id: the member who casts its vote} for every seat counted in the quorum."""
    sitting = sitting_for(meeting)
    casters = dict(sitting)
    sitting_members = {m.pk for m in sitting.values()}
    for seat_id, holder in proxies(meeting).items():
        if seat_id not in casters and holder.pk in sitting_members:
            casters[seat_id] = holder
    return casters


@transaction.atomic
def record_vote(*, motion: Motion, choices: dict[int, str], user=None) -> rules.Tally:
    """Record one ballot per seat (in person, by substitute or by proxy) and decide the motion."""
    meeting = motion.meeting
    if motion.outcome != Motion.Outcome.PENDING:
        raise ValidationError("Cette délibération a déjà été votée.")
    state = quorum(meeting)
    if not state.reached:
        raise ValidationError(
            f"Quorum non atteint : {state.counted} sièges présents ou représentés sur {state.voting_seats}, "
            f"il en faut au moins {state.required}. Le comité ne peut pas délibérer."
        )
    casters = ballot_casters(meeting)
    valid = {c.value for c in Ballot.Choice}
    for seat_id, choice in choices.items():
        if seat_id not in casters:
            raise ValidationError("Un vote a été saisi pour un siège ni présent ni représenté.")
        if choice not in valid:
            raise ValidationError(f"Vote inconnu : « {choice} ».")
    if not choices:
        raise ValidationError("Aucun vote saisi.")
    chair = state_chair(meeting)
    result = rules.tally(choices, state_chair_seat=chair.pk if chair else None)
    Ballot.objects.bulk_create(
        Ballot(motion=motion, seat_id=seat_id, cast_by=casters[seat_id], choice=choice)
        for seat_id, choice in choices.items()
    )
    motion.votes_for, motion.votes_against, motion.abstentions = (
        result.votes_for,
        result.votes_against,
        result.abstentions,
    )
    motion.casting_vote_used = result.casting_vote_used
    motion.outcome = Motion.Outcome.ADOPTED if result.adopted else Motion.Outcome.REJECTED
    motion.decided_at = timezone.now()
    motion.recorded_by = user
    motion.save()
    if meeting.status in (Meeting.Status.PLANNED, Meeting.Status.CONVENED):
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
    return result


def create_follow_up_action(*, motion: Motion, action: FollowUpAction) -> FollowUpAction:
    if motion.outcome != Motion.Outcome.ADOPTED:
        raise ValidationError("Seule une décision adoptée donne lieu à des actions de suivi.")
    if not action.owner_id and not action.owner_name.strip():
        raise ValidationError({"owner_name": "Indiquez le pilote de l'action (organisation ou nom)."})
    action.motion = motion
    action.save()
    return action


def update_follow_up_status(*, action: FollowUpAction, status: str, on: date | None = None) -> FollowUpAction:
    action.status = status
    action.done_on = (on or timezone.localdate()) if status == FollowUpAction.Status.DONE else None
    action.save(update_fields=["status", "done_on"])
    return action


# --- invitations ------------------------------------------------------------------------------------------


def send_invitations(*, meeting: Meeting, user=None, base_url: str = "") -> tuple[list[Member], list[Member]]:
    """E-mail every current member (titulars and substitutes) the agenda with an iCal invitation attached.
    Returns (invited, without e-mail address)."""
    from governance.ical import meeting_ics

    day = timezone.localdate(meeting.starts_at)
    members = list(current_members(meeting.committee, day).order_by("full_name"))
    invited, missing = [], []
    meeting.sequence += 1
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.CONVENED
    meeting.save(update_fields=["sequence", "status"])
    ics = meeting_ics(meeting, attendees=[m for m in members if m.email])
    agenda = "\n".join(f"{item.order}. {item.title}" for item in meeting.agenda_items.all()) or "(à venir)"
    for member in members:
        if not member.email:
            missing.append(member)
            continue
        body = (
            f"Bonjour {member.full_name},\n\n"
            f"Vous êtes convoqué(e) à la réunion « {meeting.title} » du {meeting.committee}.\n"
            f"Date : {timezone.localtime(meeting.starts_at):%d/%m/%Y de %H:%M} à "
            f"{timezone.localtime(meeting.ends_at):%H:%M}\nLieu : {meeting.location or 'à préciser'}\n\n"
            f"Ordre du jour :\n{agenda}\n\n"
            + (f"Documents et réponse : {base_url}{meeting.get_absolute_url()}\n\n" if base_url else "")
            + (
                "En cas d'empêchement, prévenez votre suppléant ou donnez pouvoir à un autre membre.\n"
                if member.seat == Member.Seat.TITULAR
                else ""
            )
        )
        message = EmailMessage(subject=f"Convocation : {meeting.title}", body=body, to=[member.email])
        message.attach("reunion.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
        message.send()
        Invitation.objects.create(meeting=meeting, member=member, email=member.email, sent_by=user)
        invited.append(member)
    return invited, missing


# --- action sheets and indicators -------------------------------------------------------------------------


@transaction.atomic
def change_sheet_status(*, sheet: ActionSheet, status: str, reason: str, user=None) -> StatusChange:
    if status not in SheetStatus.values:
        raise ValidationError({"status": "État inconnu."})
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif du changement d'état."})
    if status == sheet.status:
        raise ValidationError({"status": f"La fiche est déjà « {sheet.get_status_display()} »."})
    change = StatusChange.objects.create(
        sheet=sheet, from_status=sheet.status, to_status=status, reason=reason.strip(), changed_by=user
    )
    sheet.status = status
    sheet.save(update_fields=["status"])
    return change


@transaction.atomic
def create_sheet(*, sheet: ActionSheet, user=None, co_partners=()) -> ActionSheet:
    if not sheet.owner_id and not sheet.owner_name.strip():
        raise ValidationError({"owner_name": "Indiquez le partenaire pilote (organisation ou nom)."})
    if sheet.starts_on and sheet.ends_on and sheet.ends_on < sheet.starts_on:
        raise ValidationError({"ends_on": "La fin prévue précède le début."})
    sheet.save()
    sheet.co_partners.set(co_partners)
    StatusChange.objects.create(
        sheet=sheet, from_status="", to_status=sheet.status, reason="Création de la fiche.", changed_by=user
    )
    return sheet


def record_measurement(
    *, indicator: Indicator, measured_on: date, value: Decimal, source: str, user=None
) -> Measurement:
    if indicator.source == Indicator.Source.COMPUTED:
        raise ValidationError(
            "Cet indicateur est calculé par la plateforme : ses valeurs ne se saisissent pas."
        )
    if not source.strip():
        raise ValidationError({"source": "Indiquez la source de la valeur."})
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": "Une valeur mesurée ne peut pas être datée dans le futur."})
    measurement, _ = Measurement.objects.update_or_create(
        indicator=indicator,
        measured_on=measured_on,
        defaults={"value": value, "source": source.strip(), "entered_by": user, "is_computed": False},
    )
    return measurement


def snapshot_indicator(*, indicator: Indicator, on: date | None = None) -> Measurement:
    """Store today's computed value so the series keeps its history (the live value is always shown too)."""
    from governance import indicators

    on = on or timezone.localdate()
    if indicator.source != Indicator.Source.COMPUTED:
        raise ValidationError("Seul un indicateur calculé s'enregistre automatiquement.")
    value = indicators.compute(
        indicator.query_name, region=indicator.commitment.protocol.region, on=on, bassin=indicator.bassin
    )
    measurement, _ = Measurement.objects.update_or_create(
        indicator=indicator,
        measured_on=on,
        defaults={
            "value": value,
            "source": f"calcul : {indicator.query_name}",
            "is_computed": True,
            "entered_by": None,
        },
    )
    return measurement
