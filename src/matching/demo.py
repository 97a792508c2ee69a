"""Demo search profiles for the demo job seekers (jobseekers/demo.py), chosen to meet the demo offers of the pool
(offers/demo.py: real offers, mostly IT jobs around Lille). Demo only. Idempotent."""

from jobseekers.models import Consent, JobSeeker
from matching.models import SearchProfile
from rome.models import Appellation

# (first name, last name, appellation OGR codes, modes, max minutes)
PROFILES = [
    ("Jeanne", "Démonstration", [14156, 14153], {"uses_public_transport": True, "walks": True}, 45),
    (
        "Karim",
        "Exemple",
        [10576, 10571],
        {"uses_public_transport": True, "uses_bike": True, "walks": True},
        40,
    ),
    (
        "Lucie",
        "Fictive",
        [489087, 510561],
        {"uses_car": True, "uses_public_transport": True, "walks": True},
        50,
    ),
]
MODE_FIELDS = ["uses_car", "uses_two_wheeler", "uses_public_transport", "uses_bike", "walks"]


def load() -> list[str]:
    lines = []
    for first_name, last_name, codes, modes, max_minutes in PROFILES:
        record = JobSeeker.objects.filter(first_name=first_name, last_name=last_name, is_demo=True).first()
        if record is None:
            continue
        profile, created = SearchProfile.objects.update_or_create(
            jobseeker=record,
            defaults={
                **{name: modes.get(name, False) for name in MODE_FIELDS},
                "max_commute_minutes": max_minutes,
            },
        )
        profile.appellations.set(Appellation.objects.filter(code_ogr__in=codes))
        if not record.consents.filter(
            scope=Consent.Scope.PROPOSE_TO_EMPLOYERS, withdrawn_at__isnull=True
        ).exists():
            Consent.objects.create(
                jobseeker=record,
                scope=Consent.Scope.PROPOSE_TO_EMPLOYERS,
                method=Consent.Method.SIGNED_FORM,
                organisation=record.followups.first().organisation if record.followups.exists() else None,
            )
        lines.append(f"search profile of {first_name} {last_name}: {'created' if created else 'up to date'}")
    return lines
