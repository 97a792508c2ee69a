"""Demo job seekers (fictitious people, marked `is_demo` and shown with a "Démo" badge) followed by the demo
organisations of accounts/demo.py, with a simulated job start and aid requests, so `make run` shows the
advisor's workflow. Demo only: never load in production. Idempotent."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from aids.models import Aid
from jobseekers import services
from jobseekers.models import AidRequest, AidRequestEvent, Consent, FollowUp, JobSeeker, Need
from territories.models import Commune

# (first name, last name, birth date, commune, status, fields, following organisations (first = referent's),
#  referent e-mail, share consent)
PEOPLE = [
    (
        "Jeanne",
        "Démonstration",
        date(1996, 4, 12),
        "80021",  # Amiens
        JobSeeker.Status.CATEGORY_A,
        {
            "allowance": "none",
            "lives_alone": True,
            "children_birth_dates": [],
            "has_driving_licence": False,
            "has_vehicle": False,
            "registration_date": date(2025, 9, 1),
        },
        ["France Travail Amiens Nord"],
        "conseillere@francetravail.demo",
        False,
    ),
    (
        "Karim",
        "Exemple",
        date(2004, 10, 3),
        "80001",  # Abbeville
        JobSeeker.Status.CATEGORY_A,
        {
            "allowance": "none",
            "lives_alone": True,
            "children_birth_dates": [],
            "has_driving_licence": True,
            "has_vehicle": False,
            "registration_date": date(2026, 2, 15),
        },
        ["Mission locale du Grand Amiénois", "France Travail Amiens Nord"],
        "conseillere@missionlocale.demo",
        True,
    ),
    (
        "Lucie",
        "Fictive",
        date(1989, 1, 22),
        "59350",  # Lille
        JobSeeker.Status.CATEGORY_A,
        {
            "allowance": "ass",
            "lives_alone": True,
            "children_birth_dates": ["2019-05-14", "2022-11-02"],
            "has_driving_licence": True,
            "has_vehicle": True,
            "registration_date": date(2024, 6, 1),
            "household_monthly_income": Decimal("1150"),
        },
        ["France Travail Lille Centre"],
        "conseiller@lille.demo",
        False,
    ),
]

# (person's last name, need, aid requests: (aid id, status, amount requested, amount granted))
NEEDS = [
    (
        "Démonstration",
        {
            "kind": Need.Kind.JOB_START,
            "place": "80001",
            "contract_type": Need.ContractType.CDD,
            "contract_months": Decimal("6"),
            "weekly_hours": Decimal("35"),
            "round_trips": 1,
            "description": "Démo : reprise d'emploi en CDD à Abbeville",
        },
        [("france-travail-aide-mobilite", AidRequest.Status.GRANTED, None, None)],
    ),
    (
        "Fictive",
        {
            "kind": Need.Kind.JOB_START,
            "place": "59183",
            "contract_type": Need.ContractType.CDI,
            "weekly_hours": Decimal("30"),
            "description": "Démo : reprise d'emploi en CDI à Dunkerque",
        },
        [("france-travail-aide-garde-enfants", AidRequest.Status.SENT, None, None)],
    ),
]


def load() -> list[str]:
    lines = []
    today = timezone.localdate()
    for (
        first_name,
        last_name,
        birth_date,
        commune_code,
        status,
        fields,
        organisations,
        referent_email,
        consent,
    ) in PEOPLE:
        commune = Commune.objects.filter(pk=commune_code).first()
        orgs = [Organisation.objects.filter(name=name).first() for name in organisations]
        referent = User.objects.filter(email=referent_email).first()
        if commune is None or None in orgs or referent is None:
            lines.append(f"{first_name} {last_name}: skipped (territories or demo accounts not loaded)")
            continue
        record, created = JobSeeker.objects.update_or_create(
            first_name=first_name,
            last_name=last_name,
            is_demo=True,
            defaults={
                "birth_date": birth_date,
                "commune": commune,
                "status": status,
                "email": f"{first_name.lower()}.{last_name.lower()}@exemple.demo",
                **fields,
            },
        )
        if consent and not record.consents.filter(withdrawn_at__isnull=True).exists():
            Consent.objects.create(
                jobseeker=record,
                scope=Consent.Scope.SHARE_RECORD,
                method=Consent.Method.SIGNED_FORM,
                recorded_by=referent,
                organisation=orgs[0],
            )
        for index, organisation in enumerate(orgs):
            FollowUp.objects.get_or_create(
                jobseeker=record,
                organisation=organisation,
                until=None,
                defaults={
                    "since": today - timedelta(days=90),
                    "referent": referent if index == 0 else None,
                    "created_by": referent,
                },
            )
        services.touch(record)
        lines.append(f"job seeker {first_name} {last_name} (demo): {'created' if created else 'up to date'}")
    for last_name, need_fields, requests in NEEDS:
        record = JobSeeker.objects.filter(last_name=last_name, is_demo=True).first()
        place = Commune.objects.filter(pk=need_fields["place"]).first()
        if record is None or place is None:
            continue
        values = {k: v for k, v in need_fields.items() if k != "place"}
        organisation = record.followups.active().first().organisation
        need, _ = Need.objects.update_or_create(
            jobseeker=record,
            description=values.pop("description"),
            defaults={
                **values,
                "place_commune": place,
                "start_date": today + timedelta(days=7),
                "organisation": organisation,
            },
        )
        services.run_simulation(need=need, user=None, organisation=organisation)
        for aid_id, status, _requested, _granted in requests:
            aid = Aid.objects.filter(pk=aid_id).first()
            if aid is None:
                lines.append(
                    f"aid request {aid_id}: skipped (aid catalogue not loaded: reseau-emploi load-reference)"
                )
                continue
            result = need.result_for(aid_id) or {}
            amount = Decimal(str(round(result.get("amount") or aid.amount_max or 100, 2)))
            aid_request, created = AidRequest.objects.get_or_create(
                jobseeker=record,
                aid=aid,
                need=need,
                defaults={
                    "organisation": organisation,
                    "amount_requested": amount,
                    "estimated_amount": amount,
                    "eligibility": result.get("status", ""),
                    "consent_given_on": today,
                    "consent_method": Consent.Method.INTERVIEW,
                    "documents": [{"label": d, "provided": False} for d in aid.documents],
                    "bassin_id": record.commune.bassin_id,
                    "departement_id": record.commune.departement_id,
                    "region_id": record.commune.region_id,
                },
            )
            if created:
                AidRequestEvent.objects.create(
                    request=aid_request, status=AidRequest.Status.TO_SEND, on=today
                )
                steps = [AidRequest.Status.SENT] if status != AidRequest.Status.TO_SEND else []
                if status == AidRequest.Status.GRANTED:
                    steps.append(AidRequest.Status.GRANTED)
                for step in steps:
                    services.change_status(
                        aid_request=aid_request,
                        status=step,
                        on=today,
                        amount_granted=amount,
                        user=None,
                        organisation=organisation,
                    )
            lines.append(
                f"aid request {aid_id} for {record.first_name} {last_name}: "
                f"{'created' if created else 'up to date'} ({aid_request.get_status_display()})"
            )
    return lines
