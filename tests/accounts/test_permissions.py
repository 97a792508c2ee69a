import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation, Role
from accounts.permissions import acts_for_any, has_role, is_administrator, organisations_of
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, advisor_of


@pytest.mark.django_db
def test_organisations_of_lists_active_memberships_by_role():
    france_travail = OrganisationFactory(name="France Travail Amiens")
    mission_locale = OrganisationFactory(name="Mission locale", kind=Organisation.Kind.MISSION_LOCALE)
    closed = OrganisationFactory(name="Fermée", is_active=False)
    user = advisor_of(france_travail)
    MembershipFactory(user=user, organisation=mission_locale, role=Role.COMMITTEE_MEMBER)
    MembershipFactory(user=user, organisation=closed)

    assert set(organisations_of(user)) == {france_travail, mission_locale}
    assert list(organisations_of(user, roles=[Role.ADVISOR])) == [france_travail]
    assert has_role(user, Role.COMMITTEE_MEMBER, organisation=mission_locale)
    assert not has_role(user, Role.COMMITTEE_MEMBER, organisation=france_travail)


@pytest.mark.django_db
def test_acts_for_any_requires_the_role_in_one_of_the_organisations():
    following = OrganisationFactory(name="Cap emploi")
    other = OrganisationFactory(name="Autre")
    advisor = advisor_of(following)
    outsider = advisor_of(other)
    assert acts_for_any(advisor, [following], roles=[Role.ADVISOR, Role.MANAGER])
    assert not acts_for_any(outsider, [following], roles=[Role.ADVISOR, Role.MANAGER])
    assert not acts_for_any(advisor, [], roles=[Role.ADVISOR])


@pytest.mark.django_db
def test_administrators():
    admin = advisor_of(OrganisationFactory(), role=Role.ADMINISTRATOR)
    assert is_administrator(admin)
    assert is_administrator(UserFactory(is_superuser=True))
    assert not is_administrator(UserFactory())


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("73282932000074", True),  # a real SIRET (Luhn key correct)
        ("35600000000048", True),  # La Poste: fails Luhn, valid by its own rule
        ("73282932000075", False),
        ("1234", False),
    ],
)
def test_organisation_siret_is_validated(siret, valid):
    organisation = Organisation(name="Test", kind=Organisation.Kind.OTHER, siret=siret)
    if valid:
        organisation.full_clean(exclude=["name"])
    else:
        with pytest.raises(ValidationError, match="SIRET"):
            organisation.full_clean(exclude=["name"])
