import pytest
from django.urls import reverse

from accounts import demo
from accounts.models import Membership, Organisation, User
from accounts.services import SESSION_KEY
from tests.factories import MembershipFactory, OrganisationFactory, advisor_of


@pytest.mark.django_db
def test_profile_lists_memberships_and_switches_the_acting_organisation(client):
    first = OrganisationFactory(name="A — France Travail")
    second = OrganisationFactory(name="B — Mission locale")
    user = advisor_of(first)
    MembershipFactory(user=user, organisation=second)
    client.force_login(user)

    response = client.get(reverse("accounts:profile"))
    assert response.context["current"] == first

    response = client.post(reverse("accounts:switch_organisation"), {"organisation": second.pk})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == second.pk
    assert client.get(reverse("accounts:profile")).context["current"] == second


@pytest.mark.django_db
def test_cannot_act_for_an_organisation_one_does_not_belong_to(client):
    user = advisor_of(OrganisationFactory(name="Mine"))
    other = OrganisationFactory(name="Not mine")
    client.force_login(user)
    response = client.post(reverse("accounts:switch_organisation"), {"organisation": other.pk})
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_organisation_members_are_shown_to_members_only(client):
    organisation = OrganisationFactory(name="Cap emploi Somme")
    member = advisor_of(organisation, last_name="Visible")
    outsider = advisor_of(OrganisationFactory(name="Other"))
    url = reverse("accounts:organisation", args=[organisation.pk])

    client.force_login(member)
    assert "Visible" in client.get(url).content.decode()
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 200
    assert "Visible" not in response.content.decode()


@pytest.mark.django_db
def test_demo_accounts_are_idempotent():
    # Each app tests its own demo module; the whole `load-demo` runs in `make run`.
    demo.load()
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    demo.load()
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert User.objects.get(email="conseillere@francetravail.demo").check_password("demo-reseau-emploi-2026")
