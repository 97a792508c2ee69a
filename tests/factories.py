"""Factories for the foundation's models; each app's tests add theirs in tests/<app>/factories.py."""

import factory

from accounts.models import Membership, Organisation, Role, User
from rome.models import Appellation, DomaineProfessionnel, Fiche, GrandDomaine
from territories.models import Bassin, Commune, Departement, Region, ZoneEmploi

TEST_PASSWORD = "password-de-test-1"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "32"
    name = "Hauts-de-France"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "80"
    name = "Somme"
    region = factory.SubFactory(RegionFactory)


class ZoneEmploiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZoneEmploi
        django_get_or_create = ["code"]

    code = "3210"
    name = "Amiens"


class BassinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bassin
        django_get_or_create = ["code"]

    code = "3202"
    name = "AMIENS"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"80{n:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    search_name = factory.LazyAttribute(lambda o: __import__("core.text", fromlist=["fold"]).fold(o.name))
    departement = factory.SubFactory(DepartementFactory)
    region = factory.SelfAttribute("departement.region")
    zone_emploi = factory.SubFactory(ZoneEmploiFactory)
    bassin = factory.SubFactory(BassinFactory)
    population = 1000
    postal_codes = "80000"
    latitude = 49.894
    longitude = 2.295


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.FRANCE_TRAVAIL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ADVISOR


def advisor_of(organisation: Organisation, *, role: str = Role.ADVISOR, **user_fields) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


class GrandDomaineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrandDomaine
        django_get_or_create = ["code"]

    code = "J"
    label = "Santé"


class DomaineProfessionnelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DomaineProfessionnel
        django_get_or_create = ["code"]

    code = "J15"
    label = "Soins paramédicaux"
    grand_domaine = factory.SubFactory(GrandDomaineFactory)


class FicheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fiche
        django_get_or_create = ["code"]

    code = "J1501"
    code_ogr = factory.Sequence(lambda n: 900000 + n)
    label = "Aide-soignant / Aide-soignante"
    domaine = factory.SubFactory(DomaineProfessionnelFactory)
    parent_code = factory.SelfAttribute("code")


class AppellationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appellation
        django_get_or_create = ["code_ogr"]

    code_ogr = factory.Sequence(lambda n: 800000 + n)
    label = "Aide-soignant / Aide-soignante"
    short_label = factory.SelfAttribute("label")
    fiche = factory.SubFactory(FicheFactory)
