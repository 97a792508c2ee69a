import pytest
from django.core.exceptions import ValidationError

from governance import rules, services
from governance.models import Attendance, Capacity, Member, Motion, SizeRule
from tests.governance.factories import MeetingFactory, MemberFactory, regional_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    committee = regional_committee()
    for i in range(4):
        MemberFactory(committee=committee, full_name=f"Titulaire {i}")
    MemberFactory(committee=committee, full_name="Opérateur", has_vote=False)
    return MeetingFactory(committee=committee)


def seat(meeting, name) -> Member:
    return meeting.committee.members.get(full_name=name)


def present(meeting, *names):
    for name in names:
        services.set_attendance(meeting=meeting, member=seat(meeting, name), status=Attendance.Status.PRESENT)


class TestQuorum:
    def test_counts_only_voting_titulars(self, meeting):
        state = services.quorum(meeting)
        assert state.voting_seats == 6  # 2 co-chairs + 4 titulars; the operator has no vote
        assert state.required == 3 and not state.reached

    def test_exactly_half_is_enough(self, meeting):
        present(meeting, "Préfet", "Titulaire 0")
        assert not services.quorum(meeting).reached
        present(meeting, "Titulaire 1")
        state = services.quorum(meeting)
        assert state.counted == 3 and state.reached

    def test_odd_number_of_seats_needs_more_than_half(self, meeting):
        MemberFactory(committee=meeting.committee, full_name="Titulaire 4")
        present(meeting, "Préfet", "Titulaire 0", "Titulaire 1")
        state = services.quorum(meeting)
        assert state.voting_seats == 7 and state.required == 4 and not state.reached

    def test_non_voting_member_does_not_count(self, meeting):
        present(meeting, "Préfet", "Titulaire 0", "Opérateur")
        assert services.quorum(meeting).counted == 2

    def test_substitute_sits_for_absent_titular(self, meeting):
        titular = seat(meeting, "Titulaire 0")
        MemberFactory(
            committee=meeting.committee,
            full_name="Suppléant",
            seat=Member.Seat.SUBSTITUTE,
            substitute_for=titular,
        )
        present(meeting, "Préfet", "Titulaire 1", "Suppléant")
        state = services.quorum(meeting)
        assert state.present == 3 and state.reached

    def test_proxies_count_towards_quorum(self, meeting):
        present(meeting, "Préfet", "Titulaire 0")
        services.give_proxy(
            meeting=meeting, giver=seat(meeting, "Titulaire 1"), holder=seat(meeting, "Préfet")
        )
        state = services.quorum(meeting)
        assert (state.present, state.represented, state.reached) == (2, 1, True)

    def test_expired_mandates_do_not_count(self, meeting):
        from datetime import date

        Member.objects.filter(full_name__startswith="Titulaire").update(mandate_end=date(2025, 5, 1))
        assert services.quorum(meeting).voting_seats == 2


class TestProxies:
    def test_one_proxy_per_holder_by_default(self, meeting):
        present(meeting, "Préfet")
        services.give_proxy(
            meeting=meeting, giver=seat(meeting, "Titulaire 0"), holder=seat(meeting, "Préfet")
        )
        with pytest.raises(ValidationError, match="maximum est de 1"):
            services.give_proxy(
                meeting=meeting, giver=seat(meeting, "Titulaire 1"), holder=seat(meeting, "Préfet")
            )
        SizeRule.objects.filter(level="regional").update(max_proxies_per_holder=2)
        services.give_proxy(
            meeting=meeting, giver=seat(meeting, "Titulaire 1"), holder=seat(meeting, "Préfet")
        )

    def test_holder_must_be_present(self, meeting):
        with pytest.raises(ValidationError, match="pas présent"):
            services.give_proxy(
                meeting=meeting, giver=seat(meeting, "Titulaire 0"), holder=seat(meeting, "Titulaire 1")
            )

    def test_present_or_substituted_member_cannot_give_a_proxy(self, meeting):
        present(meeting, "Préfet", "Titulaire 0")
        with pytest.raises(ValidationError, match="présent"):
            services.give_proxy(
                meeting=meeting, giver=seat(meeting, "Titulaire 0"), holder=seat(meeting, "Préfet")
            )
        MemberFactory(
            committee=meeting.committee,
            full_name="Suppléant",
            seat=Member.Seat.SUBSTITUTE,
            substitute_for=seat(meeting, "Titulaire 1"),
        )
        present(meeting, "Suppléant")
        with pytest.raises(ValidationError, match="suppléé"):
            services.give_proxy(
                meeting=meeting, giver=seat(meeting, "Titulaire 1"), holder=seat(meeting, "Préfet")
            )

    def test_holder_cannot_leave_while_holding_a_proxy(self, meeting):
        present(meeting, "Préfet")
        services.give_proxy(
            meeting=meeting, giver=seat(meeting, "Titulaire 0"), holder=seat(meeting, "Préfet")
        )
        with pytest.raises(ValidationError, match="retirez ce pouvoir"):
            services.set_attendance(
                meeting=meeting, member=seat(meeting, "Préfet"), status=Attendance.Status.ABSENT
            )


class TestVotes:
    def test_majority_of_votes_cast_abstentions_excluded(self):
        result = rules.tally(
            {1: "for", 2: "abstain", 3: "abstain", 4: "against", 5: "for"}, state_chair_seat=None
        )
        assert result.adopted and (result.votes_for, result.votes_against, result.abstentions) == (2, 1, 2)

    def test_tie_broken_by_the_state_co_chair(self):
        assert rules.tally({1: "for", 2: "against"}, state_chair_seat=1).adopted
        result = rules.tally({1: "against", 2: "for"}, state_chair_seat=1)
        assert not result.adopted and result.casting_vote_used
        result = rules.tally({1: "abstain", 2: "for", 3: "against"}, state_chair_seat=1)
        assert not result.adopted and not result.casting_vote_used

    def test_no_votes_cast_is_not_an_adoption(self):
        assert not rules.tally({1: "abstain"}, state_chair_seat=1).adopted

    def test_record_vote_with_proxy_and_casting_vote(self, meeting):
        present(meeting, "Préfet", "Présidente", "Titulaire 0")
        services.give_proxy(
            meeting=meeting, giver=seat(meeting, "Titulaire 1"), holder=seat(meeting, "Titulaire 0")
        )
        motion = Motion.objects.create(meeting=meeting, title="Adopter le plan", kind="training")
        ids = {
            name: seat(meeting, name).pk for name in ("Préfet", "Présidente", "Titulaire 0", "Titulaire 1")
        }
        result = services.record_vote(
            motion=motion,
            choices={
                ids["Préfet"]: "for",
                ids["Présidente"]: "against",
                ids["Titulaire 0"]: "against",
                ids["Titulaire 1"]: "for",
            },
        )
        motion.refresh_from_db()
        assert result.casting_vote_used and motion.outcome == Motion.Outcome.ADOPTED
        proxy_ballot = motion.ballots.get(seat_id=ids["Titulaire 1"])
        assert proxy_ballot.cast_by_id == ids["Titulaire 0"]
        with pytest.raises(ValidationError, match="déjà été votée"):
            services.record_vote(motion=motion, choices={ids["Préfet"]: "for"})

    def test_no_vote_without_quorum(self, meeting):
        present(meeting, "Préfet")
        motion = Motion.objects.create(meeting=meeting, title="Adopter")
        with pytest.raises(ValidationError, match="Quorum non atteint"):
            services.record_vote(motion=motion, choices={seat(meeting, "Préfet").pk: "for"})

    def test_seat_neither_present_nor_represented_cannot_vote(self, meeting):
        present(meeting, "Préfet", "Présidente", "Titulaire 0")
        motion = Motion.objects.create(meeting=meeting, title="Adopter")
        with pytest.raises(ValidationError, match="ni présent ni représenté"):
            services.record_vote(motion=motion, choices={seat(meeting, "Titulaire 3").pk: "for"})

    def test_only_adopted_decisions_become_actions(self, meeting):
        from datetime import date

        from governance.models import FollowUpAction

        motion = Motion.objects.create(meeting=meeting, title="Adopter")
        with pytest.raises(ValidationError):
            services.create_follow_up_action(
                motion=motion,
                action=FollowUpAction(title="Faire", owner_name="DREETS", deadline=date(2025, 9, 1)),
            )
        present(meeting, "Préfet", "Présidente", "Titulaire 0")
        services.record_vote(motion=motion, choices={seat(meeting, "Préfet").pk: "for"})
        action = services.create_follow_up_action(
            motion=motion,
            action=FollowUpAction(title="Faire", owner_name="DREETS", deadline=date(2025, 9, 1)),
        )
        assert action.motion == motion


def test_state_chair_capacity_is_prefect(meeting):
    assert services.state_chair(meeting).capacity == Capacity.REGIONAL_PREFECT


def test_notify_mandates_emails_the_people_running_the_committee(capsys):
    from datetime import date, timedelta

    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Role
    from tests.factories import OrganisationFactory, advisor_of

    secretariat = OrganisationFactory()
    committee = regional_committee(secretariat=secretariat)
    manager = advisor_of(secretariat, role=Role.MANAGER, email="secretariat@example.org")
    advisor_of(secretariat, email="conseiller@example.org")  # an advisor of the secretariat is not told
    today = timezone.localdate()
    MemberFactory(
        committee=committee,
        full_name="Bientôt",
        mandate_start=date(2023, 1, 1),
        mandate_end=today + timedelta(days=30),
    )
    MemberFactory(
        committee=committee,
        full_name="Échu",
        mandate_start=date(2022, 1, 1),
        mandate_end=today - timedelta(days=3),
    )
    MemberFactory(
        committee=committee,
        full_name="Tranquille",
        mandate_start=today,
        mandate_end=today + timedelta(days=900),
    )
    Member.objects.filter(committee=committee, chair="state").update(
        mandate_start=date(2024, 1, 1), mandate_end=today + timedelta(days=700)
    )
    Member.objects.filter(committee=committee, chair="authority").update(
        mandate_start=date(2024, 1, 1), mandate_end=today + timedelta(days=700)
    )
    call_command("notify_mandates")
    out = capsys.readouterr().out
    assert "Bientôt" in out and "Échu" in out and "Tranquille" not in out and not mail.outbox
    call_command("notify_mandates", send=True)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [manager.email]
    assert "Échu : mandat échu" in mail.outbox[0].body
