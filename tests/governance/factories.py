from datetime import date, datetime, timedelta

import factory
from django.utils import timezone

from governance.models import Capacity, College, Committee, Level, Meeting, Member
from tests.factories import DepartementFactory, RegionFactory

START = date(2025, 1, 1)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Comité {n}")
    level = Level.REGIONAL
    region = factory.SubFactory(RegionFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    committee = factory.SubFactory(CommitteeFactory)
    full_name = factory.Sequence(lambda n: f"Membre {n}")
    college = College.STATE
    capacity = Capacity.OTHER
    institution = "Institution"
    seat = Member.Seat.TITULAR
    has_vote = True
    mandate_start = START
    mandate_end = factory.LazyAttribute(lambda o: o.mandate_start + timedelta(days=3 * 365 - 1))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    title = "Séance plénière"
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(datetime(2025, 6, 2, 14, 0)))
    ends_at = factory.LazyFunction(lambda: timezone.make_aware(datetime(2025, 6, 2, 16, 0)))
    location = "Lille"


def regional_committee(**fields) -> Committee:
    """A regional committee with its two lawful co-chairs."""
    committee = CommitteeFactory(level=Level.REGIONAL, region=RegionFactory(), **fields)
    MemberFactory(
        committee=committee, full_name="Préfet", capacity=Capacity.REGIONAL_PREFECT, chair=Member.Chair.STATE
    )
    MemberFactory(
        committee=committee,
        full_name="Présidente",
        college=College.REGION,
        capacity=Capacity.REGIONAL_PRESIDENT,
        chair=Member.Chair.AUTHORITY,
    )
    return committee


def departmental_committee(departement=None, **fields) -> Committee:
    departement = departement or DepartementFactory()
    return CommitteeFactory(
        level=Level.DEPARTMENTAL, region=departement.region, departement=departement, **fields
    )
