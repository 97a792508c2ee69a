"""Demo governance data: three example committees (regional, Somme, bassin d'Amiens) with members and meetings, and
example commitments of the Hauts-de-France protocol. Everything is flagged `is_example` and named "(exemple)":
the protocol's real 23 commitments are not public and are never invented here. Demo database only."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from governance import services
from governance.models import (
    ActionSheet,
    AgendaItem,
    Attendance,
    Capacity,
    College,
    Commitment,
    Committee,
    FollowUpAction,
    Indicator,
    Level,
    MeasureKind,
    Measurement,
    Meeting,
    Member,
    Milestone,
    Motion,
    SheetStatus,
    Target,
)
from governance.protocols import HAUTS_DE_FRANCE_2023, load_protocol
from territories.models import Bassin, Departement, Region

EXAMPLE = " (exemple)"


def _org(name):
    return Organisation.objects.filter(name=name).first()


def _user(email):
    return User.objects.filter(email=email).first()


def _committee(name, **fields) -> Committee:
    committee = Committee.objects.filter(name=name).first() or Committee(name=name)
    for key, value in fields.items():
        setattr(committee, key, value)
    committee.is_example = True
    return services.save_committee(committee)


def _member(committee, full_name, start, **fields) -> Member:
    member = committee.members.filter(full_name=full_name).first() or Member(
        committee=committee, full_name=full_name
    )
    for key, value in fields.items():
        setattr(member, key, value)
    member.mandate_start = start
    member.mandate_end = None
    return services.save_member(member)


def _members(committee, start, rows):
    created = {}
    for full_name, fields in rows:
        if "substitute_for" in fields:
            fields = {**fields, "substitute_for": created[fields["substitute_for"]]}
        created[full_name] = _member(committee, full_name + EXAMPLE, start, **fields)
    return created


def load() -> list[str]:
    region = Region.objects.filter(pk="32").first()
    somme = Departement.objects.filter(pk="80").first()
    amiens = Bassin.objects.filter(pk="3202").first()
    if region is None or somme is None or amiens is None:
        return ["skipped: territories not loaded (run reseau-emploi load-reference first)"]
    lines = []
    today = timezone.localdate()
    start = date(today.year - 1, 7, 1)
    prefecture = _org("Préfecture de région Hauts-de-France")
    region_org = _org("Région Hauts-de-France")

    regional = _committee(
        f"Comité régional pour l'emploi Hauts-de-France{EXAMPLE}",
        level=Level.REGIONAL,
        region=region,
        secretariat=prefecture,
    )
    _members(
        regional,
        start,
        [
            (
                "Julien Petit, préfet de région",
                {
                    "college": College.STATE,
                    "capacity": Capacity.REGIONAL_PREFECT,
                    "chair": Member.Chair.STATE,
                    "organisation": prefecture,
                    "user": _user("prefecture@etat.demo"),
                    "email": "prefecture@etat.demo",
                },
            ),
            (
                "Claire Moreau, présidente du conseil régional",
                {
                    "college": College.REGION,
                    "capacity": Capacity.REGIONAL_PRESIDENT,
                    "chair": Member.Chair.AUTHORITY,
                    "organisation": region_org,
                    "user": _user("elu@region.demo"),
                    "email": "elu@region.demo",
                },
            ),
            (
                "Représentant DREETS",
                {
                    "college": College.STATE,
                    "institution": "DREETS Hauts-de-France",
                    "email": "dreets@exemple.demo",
                },
            ),
            (
                "Représentante du rectorat",
                {
                    "college": College.STATE,
                    "institution": "Rectorat de région académique",
                    "email": "rectorat@exemple.demo",
                },
            ),
            (
                "Vice-président emploi-formation",
                {"college": College.REGION, "organisation": region_org, "email": "vp@exemple.demo"},
            ),
            (
                "Conseillère départementale de l'Aisne",
                {
                    "college": College.DEPARTEMENT,
                    "organisation": _org("Département de l'Aisne"),
                    "email": "aisne@exemple.demo",
                },
            ),
            (
                "Représentant d'une organisation syndicale de salariés",
                {
                    "college": College.EMPLOYEE_UNIONS,
                    "institution": "Organisation syndicale (exemple)",
                    "email": "syndicat@exemple.demo",
                },
            ),
            (
                "Suppléante syndicale",
                {
                    "seat": Member.Seat.SUBSTITUTE,
                    "substitute_for": "Représentant d'une organisation syndicale de salariés",
                    "college": College.EMPLOYEE_UNIONS,
                    "institution": "Organisation syndicale (exemple)",
                    "email": "syndicat2@exemple.demo",
                },
            ),
            (
                "Représentante d'une organisation d'employeurs",
                {
                    "college": College.EMPLOYER_ORGANISATIONS,
                    "institution": "Organisation d'employeurs (exemple)",
                    "email": "employeurs@exemple.demo",
                },
            ),
            (
                "Directrice régionale France Travail",
                {
                    "college": College.OPERATORS,
                    "has_vote": False,
                    "organisation": _org("France Travail Amiens Nord"),
                    "email": "manager@francetravail.demo",
                },
            ),
            (
                "Représentant des missions locales",
                {
                    "college": College.OPERATORS,
                    "has_vote": False,
                    "organisation": _org("Mission locale du Grand Amiénois"),
                    "email": "conseillere@missionlocale.demo",
                },
            ),
        ],
    )
    lines.append(f"committee {regional}: {regional.members.count()} members")

    departmental = _committee(
        f"Comité départemental pour l'emploi de la Somme{EXAMPLE}",
        level=Level.DEPARTMENTAL,
        departement=somme,
        parent=regional,
        secretariat=prefecture,
    )
    _members(
        departmental,
        start,
        [
            (
                "Préfète de la Somme",
                {
                    "college": College.STATE,
                    "capacity": Capacity.DEPARTMENT_PREFECT,
                    "chair": Member.Chair.STATE,
                    "institution": "Préfecture de la Somme",
                },
            ),
            (
                "Président du conseil départemental de la Somme",
                {
                    "college": College.DEPARTEMENT,
                    "capacity": Capacity.DEPARTMENT_PRESIDENT,
                    "chair": Member.Chair.AUTHORITY,
                    "institution": "Département de la Somme",
                },
            ),
            (
                "Directeur de Cap emploi Somme",
                {"college": College.OPERATORS, "has_vote": False, "organisation": _org("Cap emploi Somme")},
            ),
        ],
    )
    lines.append(f"committee {departmental}: {departmental.members.count()} members")

    local = _committee(
        f"Comité local pour l'emploi du bassin d'Amiens{EXAMPLE}",
        level=Level.LOCAL,
        departement=somme,
        parent=departmental,
        local_scope=Committee.LocalScope.BASSIN,
        bassin=amiens,
    )
    _members(
        local,
        start,
        [
            (
                "Sous-préfet désigné",
                {
                    "college": College.STATE,
                    "capacity": Capacity.SUB_PREFECT,
                    "chair": Member.Chair.STATE,
                    "institution": "Préfecture de la Somme",
                    "designation_reference": "Arrêté préfectoral (exemple)",
                },
            ),
            (
                "Élue d'Amiens Métropole",
                {
                    "college": College.LOCAL_AUTHORITIES,
                    "capacity": Capacity.DESIGNATED_AUTHORITY,
                    "chair": Member.Chair.AUTHORITY,
                    "institution": "Amiens Métropole",
                    "designation_reference": "Arrêté préfectoral (exemple)",
                },
            ),
            (
                "Agence France Travail Amiens Nord",
                {
                    "college": College.OPERATORS,
                    "has_vote": False,
                    "organisation": _org("France Travail Amiens Nord"),
                },
            ),
        ],
    )
    lines.append(f"committee {local}: {local.members.count()} members")

    lines += _meetings(regional, today)
    lines += _protocol(region, today)
    return lines


def _meetings(regional: Committee, today) -> list[str]:
    tz = timezone.get_current_timezone()
    held_day = today - timedelta(days=30)
    held, _ = Meeting.objects.get_or_create(
        committee=regional,
        title=f"Séance plénière{EXAMPLE}",
        defaults={
            "starts_at": datetime.combine(held_day, time(14, 0), tz),
            "ends_at": datetime.combine(held_day, time(16, 30), tz),
            "location": "Lille, hôtel de région",
        },
    )
    for order, title in enumerate(
        [
            "Installation du comité",
            "Diagnostic partagé des besoins en compétences",
            "Plan d'action formation sur les métiers en tension",
        ],
        start=1,
    ):
        AgendaItem.objects.get_or_create(meeting=held, order=order, defaults={"title": title})
    if not held.motions.exists():
        voters = held.committee.members.filter(seat=Member.Seat.TITULAR, has_vote=True)
        for member in voters:
            Attendance.objects.get_or_create(
                meeting=held, member=member, defaults={"status": Attendance.Status.PRESENT}
            )
        motion = Motion.objects.create(
            meeting=held,
            title=f"Adopter le plan d'action formation sur les métiers en tension{EXAMPLE}",
            kind=MeasureKind.TRAINING,
            text="Ouverture de places de formation sur les métiers en tension du diagnostic.",
        )
        services.record_vote(motion=motion, choices={m.pk: "for" for m in voters})
        Motion.objects.filter(pk=motion.pk).update(decided_at=held.starts_at + timedelta(hours=1))
        FollowUpAction.objects.create(
            motion=motion,
            title="Publier la carte des places ouvertes (exemple)",
            owner=_org("Région Hauts-de-France"),
            deadline=today + timedelta(days=30),
        )
        FollowUpAction.objects.create(
            motion=motion,
            title="Présenter le bilan au comité départemental (exemple)",
            owner=_org("Préfecture de région Hauts-de-France"),
            deadline=today - timedelta(days=5),
        )
    upcoming_day = today + timedelta(days=14)
    upcoming, _ = Meeting.objects.get_or_create(
        committee=regional,
        title=f"Comité de suivi du protocole{EXAMPLE}",
        defaults={
            "starts_at": datetime.combine(upcoming_day, time(9, 30), tz),
            "ends_at": datetime.combine(upcoming_day, time(12, 0), tz),
            "location": "Lille, préfecture",
        },
    )
    for order, title in enumerate(
        ["Tableau de bord des engagements", "Agrégation des offres d'emploi : point d'étape"], start=1
    ):
        AgendaItem.objects.get_or_create(meeting=upcoming, order=order, defaults={"title": title})
    return [f"meetings of {regional}: {regional.meetings.count()}"]


EXAMPLE_COMMITMENTS = [
    # stake number, commitment number, title, sheets [(title, owner org, departement, status, budget)]
    (
        1,
        1,
        "Coordonner la commande de formation sur les métiers en tension",
        [
            (
                "Programme régional de formation sur les métiers du soin",
                "Région Hauts-de-France",
                None,
                SheetStatus.ON_TRACK,
                Decimal("1200000"),
            ),
            (
                "Places de formation aux métiers de l'industrie dans la Somme",
                "France Travail Amiens Nord",
                "80",
                SheetStatus.LATE,
                Decimal("350000"),
            ),
        ],
    ),
    (
        3,
        2,
        "Une offre de services unique aux entreprises et l'agrégation des offres d'emploi",
        [
            (
                "Vivier régional des offres d'emploi de tous les opérateurs",
                "France Travail Lille Centre",
                None,
                SheetStatus.ON_TRACK,
                None,
            ),
            (
                "Coordination des opérations de recrutement dans l'Aisne",
                "Département de l'Aisne",
                "02",
                SheetStatus.NOT_STARTED,
                Decimal("40000"),
            ),
        ],
    ),
    (
        4,
        3,
        "Simplifier l'accès aux aides à la mobilité et à la levée des freins",
        [
            (
                "Guichet unique des aides à la mobilité du bassin d'Amiens",
                "Mission locale du Grand Amiénois",
                "80",
                SheetStatus.DONE,
                Decimal("80000"),
            ),
        ],
    ),
]


def _protocol(region, today) -> list[str]:
    protocol, lines = load_protocol(HAUTS_DE_FRANCE_2023)
    stakes = {s.number: s for s in protocol.stakes.all()}
    for stake_number, number, title, sheets in EXAMPLE_COMMITMENTS:
        commitment, _ = Commitment.objects.update_or_create(
            protocol=protocol,
            number=number,
            defaults={
                "stake": stakes[stake_number],
                "title": f"{title}{EXAMPLE}",
                "is_example": True,
                "description": "Engagement d'exemple pour la démonstration : les 23 engagements réels du "
                "protocole sont saisis par les partenaires.",
            },
        )
        for sheet_title, owner, dep, status, budget in sheets:
            sheet = commitment.sheets.filter(title=f"{sheet_title}{EXAMPLE}").first()
            if sheet is None:
                sheet = services.create_sheet(
                    sheet=ActionSheet(
                        commitment=commitment,
                        title=f"{sheet_title}{EXAMPLE}",
                        owner=_org(owner),
                        owner_name="" if _org(owner) else owner,
                        departement_id=dep,
                        budget=budget,
                        is_example=True,
                        starts_on=today - timedelta(days=200),
                        ends_on=today + timedelta(days=300),
                    )
                )
                Milestone.objects.create(
                    sheet=sheet,
                    title="Lancement (exemple)",
                    due_on=today - timedelta(days=150),
                    done_on=today - timedelta(days=150),
                )
                Milestone.objects.create(
                    sheet=sheet,
                    title="Premier bilan (exemple)",
                    due_on=today - timedelta(days=10),
                    done_on=None if status in (SheetStatus.LATE, SheetStatus.NOT_STARTED) else today,
                )
                if status != sheet.status:
                    services.change_sheet_status(
                        sheet=sheet, status=status, reason="Situation de démonstration."
                    )
    first = protocol.commitments.get(number=1)
    manual, created = Indicator.objects.get_or_create(
        commitment=first,
        name=f"Entrées en formation sur les métiers en tension{EXAMPLE}",
        defaults={
            "unit": "entrées",
            "definition": "Entrées en formation financées sur les métiers de la liste "
            "régionale des métiers en tension.",
            "baseline_value": Decimal(1000),
            "baseline_on": date(2023, 6, 30),
            "is_example": True,
        },
    )
    if created:
        for months, value in ((9, 1400), (6, 2100), (3, 2600)):
            Measurement.objects.create(
                indicator=manual,
                measured_on=today - timedelta(days=30 * months),
                value=Decimal(value),
                source="Saisie de démonstration (exemple)",
            )
        Target.objects.create(indicator=manual, due_on=today + timedelta(days=90), value=Decimal(3000))
        Target.objects.create(indicator=manual, due_on=today + timedelta(days=450), value=Decimal(5000))
    decisions, created = Indicator.objects.get_or_create(
        commitment=first,
        name=f"Décisions adoptées par les comités pour l'emploi{EXAMPLE}",
        defaults={
            "unit": "décisions",
            "source": Indicator.Source.COMPUTED,
            "query_name": "governance.decisions_adopted",
            "is_example": True,
        },
    )
    if created:
        Target.objects.create(indicator=decisions, due_on=today + timedelta(days=180), value=Decimal(4))
    offers = protocol.commitments.get(number=2)
    Indicator.objects.get_or_create(
        commitment=offers,
        name=f"Offres d'emploi agrégées{EXAMPLE}",
        defaults={
            "unit": "offres",
            "source": Indicator.Source.COMPUTED,
            "query_name": "offers.aggregated",
            "is_example": True,
        },
    )
    Indicator.objects.get_or_create(
        commitment=offers,
        name=f"Embauches issues des opérations de recrutement{EXAMPLE}",
        defaults={
            "unit": "embauches",
            "source": Indicator.Source.COMPUTED,
            "query_name": "companies.recruitment_events_hires",
            "is_example": True,
        },
    )
    mobility = protocol.commitments.get(number=3)
    Indicator.objects.get_or_create(
        commitment=mobility,
        name=f"Montant des aides à la mobilité accordées{EXAMPLE}",
        defaults={
            "unit": "€",
            "source": Indicator.Source.COMPUTED,
            "query_name": "aids.granted_amount",
            "is_example": True,
        },
    )
    lines.append(f"protocol {protocol.slug}: {protocol.commitments.count()} example commitments")
    return lines
