"""Public catalogue and simulator pages (no JavaScript needed), catalogue editing by managers with history."""

import pytest
from django.urls import reverse

from accounts.models import Role
from aids.distances import communes
from aids.models import Aid
from tests.aids.test_rules import PLACES
from tests.factories import CommuneFactory, OrganisationFactory, advisor_of


@pytest.fixture
def home(catalogue):
    communes._places.update(PLACES)
    return CommuneFactory(code="80021", name="Amiens", latitude=49.9, longitude=2.3)


def test_catalogue_lists_aids_by_theme_and_filters(client, catalogue):
    response = client.get(reverse("aids:catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mobilité — permis de conduire" in html and "Garde d&#x27;enfants" in html
    response = client.get(reverse("aids:catalogue"), {"theme": "childcare"})
    html = response.content.decode()
    assert "Aide à la garde d&#x27;enfants (AGE, ex-AGEPI)" in html
    assert "Aide au permis de conduire B" not in html


def test_detail_shows_conditions_amount_how_to_apply_and_sources(client, catalogue):
    response = client.get(reverse("aids:detail", args=["france-travail-aide-mobilite"]))
    html = response.content.decode()
    assert "0,23 € par kilomètre" in html
    assert "Comment la demander" in html
    assert "bo-pole-emploi.org" in html
    assert "Dernière vérification : 25 novembre 2026" in html
    assert "Historique" not in html  # only for those who edit


def test_simulator_without_javascript_ends_with_amounts(client, home):
    url = reverse("aids:simulator")
    assert client.get(url).status_code == 200
    steps = [
        {
            "step": 1,
            "birth_date": "1999-05-04",
            "residence_commune": "80021",
            "status": "job_seeker",
            "job_seeker_category": "1",
            "registration_date": "2024-01-02",
            "allowance": "none",
        },
        {
            "step": 2,
            "household": "single",
            "children_ages": "2",
            "household_monthly_income": "900",
            "reference_tax_income": "9000",
            "attached_to_parents": "no",
        },
        {
            "step": 3,
            "kind": "job_start",
            "place_commune": list(PLACES)[0],
            "contract_type": "cdi",
            "weekly_hours": "35",
            "start_date": "2030-01-06",
        },
        {"step": 4, "driving_licence": "no", "vehicle": "no", "monthly_income": "1500"},
    ]
    for data in steps:
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    response = client.get(response["Location"])
    html = response.content.decode()
    assert "Vos aides" in html
    assert "Aide à la garde d&#x27;enfants (AGE, ex-AGEPI)" in html
    assert "Montant estimé : 416,00 €" in html or "Montant estimé : 416.00 €" in html
    assert "Faire la demande" in html


def test_simulator_step_errors_are_shown(client, db):
    response = client.post(reverse("aids:simulator"), {"step": 2, "children_ages": "deux"})
    assert response.status_code == 200
    assert "Écrivez des âges en années" in response.content.decode()


def test_only_managers_edit_the_catalogue_and_history_is_kept(client, catalogue):
    organisation = OrganisationFactory()
    advisor = advisor_of(organisation)
    client.force_login(advisor)
    url = reverse("aids:edit", args=["hauts-de-france-aide-transport"])
    assert client.get(url).status_code == 403
    manager = advisor_of(organisation, role=Role.MANAGER)
    client.force_login(manager)
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(amount_text="20 € par mois (vérifié)", change_reason="vérification", is_published="on")
    for name in (
        "conditions",
        "documents",
        "reference_urls",
        "region_codes",
        "departement_codes",
        "epci_codes",
        "commune_codes",
        "non_cumulable_with",
    ):
        value = form[name].value()
        data[name] = "\n".join(value) if isinstance(value, list) else value or ""
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    aid = Aid.objects.get(pk="hauts-de-france-aide-transport")
    assert aid.amount_text == "20 € par mois (vérifié)" and aid.edited_in_app
    html = client.get(reverse("aids:detail", args=[aid.pk])).content.decode()
    assert "Historique des modifications" in html and "amount_text" in html and "vérification" in html
