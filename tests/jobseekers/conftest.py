from dataclasses import dataclass

import pytest

from accounts.models import Organisation, Role, User
from aids import services as aids_services
from aids.models import Aid
from aids.results import ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED, AidResult, Question
from jobseekers.models import AidRequest, JobSeeker, Need
from tests.factories import OrganisationFactory, UserFactory, advisor_of
from tests.jobseekers.factories import AidFactory, AidRequestFactory, NeedFactory, followed_by


@dataclass
class World:
    following: Organisation
    other: Organisation
    record: JobSeeker
    need: Need
    aid: Aid
    aid_request: AidRequest
    advisor: User
    manager: User
    other_advisor: User
    committee_member: User
    staff: User
    no_role: User


@pytest.fixture
def world(db) -> World:
    following = OrganisationFactory(name="France Travail Test")
    other = OrganisationFactory(name="Mission locale Test", kind=Organisation.Kind.MISSION_LOCALE)
    record = followed_by(following, first_name="Dominique", last_name="Fictif")
    aid = AidFactory(id="aide-mobilite-test", label="Aide à la mobilité (test)")
    need = NeedFactory(jobseeker=record)
    aid_request = AidRequestFactory(jobseeker=record, aid=aid, need=need, organisation=following)
    staff = UserFactory(is_staff=True, is_superuser=True)
    from tests.factories import MembershipFactory

    MembershipFactory(user=staff, organisation=following, role=Role.ADMINISTRATOR)
    return World(
        following=following,
        other=other,
        record=record,
        need=need,
        aid=aid,
        aid_request=aid_request,
        advisor=advisor_of(following),
        manager=advisor_of(following, role=Role.MANAGER),
        other_advisor=advisor_of(other),
        committee_member=advisor_of(following, role=Role.COMMITTEE_MEMBER),
        staff=staff,
        no_role=UserFactory(),
    )


@pytest.fixture
def fake_engine(monkeypatch):
    """Replace the aid engine by a fixed answer (the engine itself is tested in tests/aids): eligible to the
    first aid given, undetermined to the second, not eligible to the rest."""
    calls = []

    def install(aids: list[Aid], amount: float = 123.45):
        def evaluate(*, situation, **kwargs):
            calls.append(situation)
            results = []
            for index, aid in enumerate(aids):
                status = [ELIGIBLE, UNDETERMINED][index] if index < 2 else NOT_ELIGIBLE
                results.append(
                    AidResult(
                        aid_id=aid.pk,
                        label=aid.label,
                        institution=aid.institution,
                        status=status,
                        amount=amount if status == ELIGIBLE else None,
                        periodicity=aid.periodicity,
                        reasons=[f"Raison de test pour {aid.label}"],
                        missing=[Question("person.vehicle", "La personne a-t-elle un véhicule ?")]
                        if status == UNDETERMINED
                        else [],
                    )
                )
            return results

        monkeypatch.setattr(aids_services, "evaluate", evaluate)
        return calls

    return install


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
