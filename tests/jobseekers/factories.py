"""Factories of the job seekers app. Names are obviously fictitious."""

import html
from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from aids.models import Aid, Periodicity, Theme
from jobseekers.models import AidRequest, AidRequestEvent, Consent, FollowUp, JobSeeker, Need
from tests.factories import CommuneFactory, OrganisationFactory


class JobSeekerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobSeeker

    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Testeur{n}")
    birth_date = date(1995, 6, 15)
    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    phone = "0600000000"
    commune = factory.SubFactory(CommuneFactory)
    status = JobSeeker.Status.CATEGORY_A
    has_driving_licence = True
    has_vehicle = False


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    jobseeker = factory.SubFactory(JobSeekerFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    since = factory.LazyFunction(lambda: date(2025, 1, 1))


def followed_by(organisation, **fields) -> JobSeeker:
    jobseeker = JobSeekerFactory(**fields)
    FollowUpFactory(jobseeker=jobseeker, organisation=organisation)
    return jobseeker


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    jobseeker = factory.SubFactory(JobSeekerFactory)
    scope = Consent.Scope.SHARE_RECORD
    method = Consent.Method.SIGNED_FORM
    given_on = factory.LazyFunction(timezone.localdate)


class AidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aid
        django_get_or_create = ["id"]

    id = factory.Sequence(lambda n: f"aide-test-{n}")
    label = factory.Sequence(lambda n: f"Aide de test {n}")
    institution = "France Travail"
    theme = Theme.MOBILITY_TRAVEL
    periodicity = Periodicity.ONE_OFF
    documents = factory.LazyFunction(lambda: ["Justificatif d'entretien", "Relevé d'identité bancaire"])


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    jobseeker = factory.SubFactory(JobSeekerFactory)
    kind = Need.Kind.JOB_START
    place_commune = factory.SubFactory(CommuneFactory)
    start_date = factory.LazyFunction(timezone.localdate)
    contract_type = Need.ContractType.CDD
    contract_months = Decimal("6")
    weekly_hours = Decimal("35")


class AidRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidRequest

    jobseeker = factory.SubFactory(JobSeekerFactory)
    aid = factory.SubFactory(AidFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    amount_requested = Decimal("100.00")
    consent_given_on = factory.LazyFunction(timezone.localdate)
    consent_method = Consent.Method.INTERVIEW
    bassin = factory.LazyAttribute(lambda o: o.jobseeker.commune.bassin if o.jobseeker.commune else None)
    departement = factory.LazyAttribute(
        lambda o: o.jobseeker.commune.departement if o.jobseeker.commune else None
    )
    region = factory.LazyAttribute(lambda o: o.jobseeker.commune.region if o.jobseeker.commune else None)


class AidRequestEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidRequestEvent

    request = factory.SubFactory(AidRequestFactory)
    status = AidRequest.Status.TO_SEND
    on = factory.LazyFunction(timezone.localdate)


def page_text(response) -> str:
    """The page's HTML with entities decoded, to look for French text (apostrophes are escaped)."""
    return html.unescape(response.content.decode())
