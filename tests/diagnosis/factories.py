import datetime as dt

import factory

from diagnosis.models import ActionLine, Dataset, Indicator
from tests.factories import OrganisationFactory


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset
        django_get_or_create = ["code"]

    code = "bmo-2025"
    title = "Enquête Besoins en main-d'œuvre (BMO)"
    producer = "France Travail"
    vintage = "2025"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    occupation_kind = "rome3"
    occupation_code = "J1501"
    occupation_label = "Soins d'hygiène, de confort du patient"
    territory_kind = "bassin"
    territory_code = "3202"
    territory_label = "Amiens"
    offers = 120.0
    job_seekers = 80.0
    offers_per_job_seeker = 1.5
    share_difficult = 0.7
    difficult_projects = 40.0
    tension_score = 1.2
    tension_class = 5
    significant = True
    need_estimate = 40.0
    training_places = 16
    coverage_gap = 24.0


class ActionLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionLine

    title = "Ouvrir 24 places de formation d'aide-soignant dans le bassin d'Amiens en 2026"
    occupation_kind = "rome3"
    occupation_code = "J1501"
    occupation_label = "Soins d'hygiène, de confort du patient"
    territory_kind = "bassin"
    territory_code = "3202"
    territory_label = "Amiens (bassin d'emploi)"
    owner = factory.SubFactory(OrganisationFactory)
    deadline = dt.date(2026, 12, 31)
    target_indicator = ActionLine.TargetIndicator.TRAINING_PLACES
    target_value = 40
