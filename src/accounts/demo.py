"""Demo partner organisations and accounts (documented in the README). Demo only: never load in production."""

from accounts.models import Membership, Organisation, Role, User
from territories.models import Bassin, Departement, Region

DEMO_PASSWORD = "demo-reseau-emploi-2026"

# (name, kind, SIRET or "", coverage: ("region"|"departement"|"bassin", code))
ORGANISATIONS = [
    ("France Travail Amiens Nord", Organisation.Kind.FRANCE_TRAVAIL, "", ("bassin", "3202")),
    ("France Travail Lille Centre", Organisation.Kind.FRANCE_TRAVAIL, "", ("bassin", "3216")),
    ("Région Hauts-de-France", Organisation.Kind.REGION, "", ("region", "32")),
    ("Préfecture de région Hauts-de-France", Organisation.Kind.PREFECTURE, "", ("region", "32")),
    ("Département de l'Aisne", Organisation.Kind.DEPARTEMENT, "", ("departement", "02")),
    ("Mission locale du Grand Amiénois", Organisation.Kind.MISSION_LOCALE, "", ("bassin", "3202")),
    ("Cap emploi Somme", Organisation.Kind.CAP_EMPLOI, "", ("departement", "80")),
]

# (email, first name, last name, organisation, role, is_staff)
ACCOUNTS = [
    (
        "conseillere@francetravail.demo",
        "Camille",
        "Martin",
        "France Travail Amiens Nord",
        Role.ADVISOR,
        False,
    ),
    ("manager@francetravail.demo", "Nadia", "Benali", "France Travail Amiens Nord", Role.MANAGER, False),
    ("conseiller@lille.demo", "Hugo", "Lefebvre", "France Travail Lille Centre", Role.ADVISOR, False),
    (
        "conseillere@missionlocale.demo",
        "Léa",
        "Dubois",
        "Mission locale du Grand Amiénois",
        Role.ADVISOR,
        False,
    ),
    ("conseiller@capemploi.demo", "Thomas", "Leroy", "Cap emploi Somme", Role.ADVISOR, False),
    ("elu@region.demo", "Claire", "Moreau", "Région Hauts-de-France", Role.COMMITTEE_MEMBER, False),
    (
        "prefecture@etat.demo",
        "Julien",
        "Petit",
        "Préfecture de région Hauts-de-France",
        Role.COMMITTEE_MEMBER,
        False,
    ),
    ("admin@reseau.demo", "Sophie", "Garnier", "Région Hauts-de-France", Role.ADMINISTRATOR, True),
    ("dpo@reseau.demo", "Marc", "Durand", "Région Hauts-de-France", Role.DATA_PROTECTION_OFFICER, False),
]


def load() -> list[str]:
    lines = []
    coverage_models = {"region": Region, "departement": Departement, "bassin": Bassin}
    for name, kind, siret, (level, code) in ORGANISATIONS:
        organisation, created = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "siret": siret}
        )
        territory = coverage_models[level].objects.filter(pk=code).first()
        if territory is not None:
            getattr(organisation, f"{level}s").set([territory])
        lines.append(f"organisation {name}: {'created' if created else 'up to date'}")
    for email, first_name, last_name, organisation_name, role, is_staff in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first_name, last_name=last_name)
        user.is_staff = user.is_superuser = is_staff
        user.save()
        Membership.objects.get_or_create(
            user=user, organisation=Organisation.objects.get(name=organisation_name), role=role
        )
        lines.append(f"account {email} ({role}): {'created' if created else 'up to date'}")
    return lines
