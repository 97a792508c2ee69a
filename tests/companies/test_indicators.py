from datetime import date, timedelta

import pytest
from django.utils import timezone

from companies.models import Contact, Operation
from governance import indicators
from tests.companies.factories import EstablishmentFactory
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db
def test_single_solicitation_share_and_hires():
    ft, ml = OrganisationFactory(name="FT"), OrganisationFactory(name="ML")
    user = UserFactory()
    alone = EstablishmentFactory()
    twice = EstablishmentFactory(siret="35600000000048")
    region = alone.commune.region
    on = date(2026, 6, 30)
    for establishment, organisation, day, coordinated in [
        (alone, ft, on - timedelta(days=40), False),
        (alone, ft, on - timedelta(days=10), False),
        (twice, ft, on - timedelta(days=20), False),
        (twice, ml, on - timedelta(days=5), False),  # another partner inside the window, not coordinated
    ]:
        Contact.objects.create(
            establishment=establishment,
            organisation=organisation,
            author=user,
            kind="call",
            date=day,
            purpose="x",
            coordinated_with_referent=coordinated,
        )
    assert indicators.compute("companies.prospected_single_solicitation", region=region, on=on) == 50
    Contact.objects.filter(organisation=ml).update(coordinated_with_referent=True)
    assert indicators.compute("companies.prospected_single_solicitation", region=region, on=on) == 100

    start = timezone.make_aware(timezone.datetime(2026, 5, 2, 9))
    Operation.objects.create(
        kind="job_dating",
        title="x",
        organiser=ft,
        commune=alone.commune,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        hires=4,
        created_by=user,
    )
    assert indicators.compute("companies.recruitment_events_hires", region=region, on=on) == 4
