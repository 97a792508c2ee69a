"""A demo recruitment operation in the common calendar (marked "exemple"), so `make run` shows the agenda. The
company register itself comes from SIRENE extracts (`reseau-emploi import-sirene`); none is invented here."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Organisation, User
from companies.models import Operation
from rome.models import Fiche
from territories.models import Commune


def load() -> list[str]:
    organiser = Organisation.objects.filter(name="France Travail Amiens Nord").first()
    author = User.objects.filter(email="conseillere@francetravail.demo").first()
    amiens = Commune.objects.filter(code="80021").first()
    if not (organiser and author and amiens):
        return ["demo operation skipped: demo organisations or Amiens missing"]
    day = timezone.localdate() + timedelta(days=21)
    start = timezone.make_aware(datetime.combine(day, time(9, 30)))
    operation, created = Operation.objects.update_or_create(
        title="Job dating des métiers du soin (exemple)",
        defaults={
            "kind": Operation.Kind.JOB_DATING,
            "description": "Opération de démonstration.",
            "organiser": organiser,
            "commune": amiens,
            "address": "Agence France Travail Amiens Nord",
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "naf_sectors": ["86", "87"],
            "target_public": "Personnes intéressées par les métiers du soin",
            "company_capacity": 10,
            "people_capacity": 40,
            "created_by": author,
        },
    )
    operation.fiches.set(Fiche.objects.filter(code__in=["J1501", "J1301"]))
    return [f"operation {operation.title}: {'created' if created else 'up to date'}"]
