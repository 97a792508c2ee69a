"""The workflow with the real aid engine and the project's catalogue (no fake): the simulation of a job start
45 km away answers the France Travail aide à la mobilité with its amount."""

from datetime import date

import pytest
from django.urls import reverse

from aids.distances import ROAD_DETOUR_FACTOR, communes
from aids.models import Aid
from aids.sources import read_catalogue
from territories.geo import KM_PER_DEGREE_LATITUDE
from tests.factories import CommuneFactory
from tests.jobseekers.factories import page_text


@pytest.fixture
def catalogue(db):
    communes.clear()
    for aid_id, values in read_catalogue().rows.items():
        Aid.objects.create(id=aid_id, **values)
    yield
    communes.clear()


def test_job_start_far_away_makes_the_mobility_aid_eligible(client, world, catalogue):
    home = world.record.commune
    work = CommuneFactory(
        code="80999",
        name="Lieu de travail",
        latitude=home.latitude + 45 / ROAD_DETOUR_FACTOR / KM_PER_DEGREE_LATITUDE,
        longitude=home.longitude,
    )
    record = world.record
    record.registration_date, record.allowance, record.birth_date = date(2025, 1, 1), "none", date(1990, 1, 1)
    record.save()
    client.force_login(world.advisor)
    response = client.post(
        reverse("jobseekers:need_create", args=[record.pk]),
        {"kind": "job_start", "place_commune": work.pk, "start_date": "2026-12-01", "contract_type": "cdi"},
    )
    need = record.needs.latest("pk")
    mobility = need.result_for("france-travail-aide-mobilite")
    assert mobility["status"] == "eligible"
    assert mobility["amount"] == pytest.approx(0.23 * 90, abs=0.5)  # 45 km each way, one round trip
    page = page_text(client.get(response["Location"]))
    assert "Aide à la mobilité (frais de déplacement, de repas et d'hébergement)" in page
