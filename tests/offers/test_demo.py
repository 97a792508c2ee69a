import pytest

from offers import demo
from offers.models import Offer, Publication, Source
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.real_data, pytest.mark.django_db]


def test_demo_loads_the_three_dev_files_as_demo_sources_once(reference_data, fake_coder):
    OrganisationFactory(name="France Travail Lille Centre")
    lines = demo.load()
    assert lines[0] == "source francetravail: read 1424, created 1424, updated 0, unchanged 0, rejected 0"
    assert Publication.objects.count() == 1424 + 364 + 348
    assert Offer.objects.count() < Publication.objects.count()  # the same jobs across sources are grouped
    ft = Source.objects.get(name="francetravail")
    assert ft.is_demo and ft.owner.name == "France Travail Lille Centre"
    assert Source.objects.get(name="jobboard").owner is None
    assert all("created 0" in line and "updated 0" in line for line in demo.load())  # idempotent
