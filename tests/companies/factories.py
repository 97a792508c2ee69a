import factory

from companies.models import Company, Establishment
from core.text import fold
from tests.factories import CommuneFactory


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ["siren"]

    siren = "732829320"
    name = "Centre hospitalier de démonstration"


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        django_get_or_create = ["siret"]

    siret = "73282932000074"
    company = factory.SubFactory(
        CompanyFactory, siren=factory.LazyAttribute(lambda o: o.factory_parent.siret[:9])
    )
    name = "Centre hospitalier de démonstration"
    search_name = factory.LazyAttribute(lambda o: fold(o.name))
    naf = "8610Z"
    commune = factory.SubFactory(CommuneFactory, code="80021", name="Amiens")
