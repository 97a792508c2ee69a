from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from governance import services
from governance.models import Capacity, College, Committee, Level, Member, SizeRule
from tests.factories import BassinFactory, CommuneFactory, DepartementFactory, RegionFactory
from tests.governance.factories import START, CommitteeFactory, MemberFactory, departmental_committee

pytestmark = pytest.mark.django_db


def new_member(committee, **fields):
    defaults = {
        "full_name": "Nouveau membre",
        "college": College.STATE,
        "institution": "Préfecture",
        "mandate_start": START,
    }
    return Member(committee=committee, **{**defaults, **fields})


def messages_of(exc_info) -> str:
    return " ".join(exc_info.value.messages)


class TestCoPresidency:
    def test_regional_state_chair_must_be_the_regional_prefect(self):
        committee = CommitteeFactory(level=Level.REGIONAL)
        with pytest.raises(ValidationError) as exc:
            services.save_member(
                new_member(committee, chair=Member.Chair.STATE, capacity=Capacity.DEPARTMENT_PREFECT)
            )
        assert "préfet de région" in messages_of(exc)
        services.save_member(
            new_member(committee, chair=Member.Chair.STATE, capacity=Capacity.REGIONAL_PREFECT)
        )

    def test_regional_authority_chair_must_be_the_regional_president(self):
        committee = CommitteeFactory(level=Level.REGIONAL)
        with pytest.raises(ValidationError) as exc:
            services.save_member(
                new_member(committee, chair=Member.Chair.AUTHORITY, capacity=Capacity.DEPARTMENT_PRESIDENT)
            )
        assert "président du conseil régional" in messages_of(exc)
        services.save_member(
            new_member(committee, chair=Member.Chair.AUTHORITY, capacity=Capacity.REGIONAL_PRESIDENT)
        )

    def test_departmental_chairs_are_prefect_and_department_president(self):
        committee = departmental_committee()
        with pytest.raises(ValidationError) as exc:
            services.save_member(
                new_member(committee, chair=Member.Chair.STATE, capacity=Capacity.REGIONAL_PREFECT)
            )
        assert "préfet de département" in messages_of(exc)
        with pytest.raises(ValidationError) as exc:
            services.save_member(
                new_member(committee, chair=Member.Chair.AUTHORITY, capacity=Capacity.REGIONAL_PRESIDENT)
            )
        assert "président du conseil départemental" in messages_of(exc)
        services.save_member(
            new_member(committee, chair=Member.Chair.STATE, capacity=Capacity.DEPARTMENT_PREFECT)
        )
        services.save_member(
            new_member(
                committee,
                chair=Member.Chair.AUTHORITY,
                capacity=Capacity.DEPARTMENT_PRESIDENT,
                full_name="Président CD",
            )
        )
        with pytest.raises(ValidationError) as exc:
            services.save_member(
                new_member(
                    committee,
                    chair=Member.Chair.AUTHORITY,
                    capacity=Capacity.DEPARTMENT_PRESIDENT,
                    full_name="Second",
                )
            )
        assert "déjà son coprésident" in messages_of(exc)

    def test_local_state_chair_may_be_a_sub_prefect_designated_by_an_act(self):
        committee = CommitteeFactory(level=Level.LOCAL, departement=DepartementFactory())
        with pytest.raises(ValidationError) as exc:
            services.save_member(
                new_member(committee, chair=Member.Chair.STATE, capacity=Capacity.SUB_PREFECT)
            )
        assert "acte" in messages_of(exc)
        services.save_member(
            new_member(
                committee,
                chair=Member.Chair.STATE,
                capacity=Capacity.SUB_PREFECT,
                designation_reference="Arrêté du 1er juillet 2024",
            )
        )

    def test_local_committee_accepts_several_designated_authority_chairs(self):
        committee = CommitteeFactory(level=Level.LOCAL, departement=DepartementFactory())
        for name in ("Maire", "Présidente de l'EPCI"):
            services.save_member(
                new_member(
                    committee,
                    full_name=name,
                    chair=Member.Chair.AUTHORITY,
                    capacity=Capacity.DESIGNATED_AUTHORITY,
                    designation_reference="Arrêté",
                )
            )
        with pytest.raises(ValidationError) as exc:
            services.save_member(
                new_member(
                    committee,
                    chair=Member.Chair.AUTHORITY,
                    capacity=Capacity.DEPARTMENT_PRESIDENT,
                    designation_reference="Arrêté",
                )
            )
        assert "représentant d'une collectivité désigné par le préfet" in messages_of(exc)

    def test_only_one_state_co_chair(self):
        committee = CommitteeFactory(level=Level.REGIONAL)
        services.save_member(
            new_member(committee, chair=Member.Chair.STATE, capacity=Capacity.REGIONAL_PREFECT)
        )
        with pytest.raises(ValidationError) as exc:
            services.save_member(
                new_member(
                    committee, full_name="Autre", chair=Member.Chair.STATE, capacity=Capacity.REGIONAL_PREFECT
                )
            )
        assert "déjà un coprésident pour l'État" in messages_of(exc)

    def test_national_committee_has_no_authority_co_chair(self):
        committee = CommitteeFactory(level=Level.NATIONAL, region=None)
        with pytest.raises(ValidationError) as exc:
            services.save_member(new_member(committee, chair=Member.Chair.AUTHORITY, capacity=Capacity.OTHER))
        assert "comité national" in messages_of(exc)
        services.save_member(new_member(committee, chair=Member.Chair.STATE, capacity=Capacity.MINISTER))


class TestSizeAndMandates:
    def test_mandate_defaults_to_three_years(self):
        member = services.save_member(new_member(CommitteeFactory(), mandate_start=date(2024, 7, 1)))
        assert member.mandate_end == date(2027, 6, 30)

    def test_maximum_size_is_a_configurable_rule(self):
        SizeRule.objects.filter(level=Level.LOCAL).update(max_members=2)
        committee = CommitteeFactory(level=Level.LOCAL, departement=DepartementFactory())
        services.save_member(new_member(committee, full_name="A"))
        services.save_member(new_member(committee, full_name="B"))
        with pytest.raises(ValidationError) as exc:
            services.save_member(new_member(committee, full_name="C"))
        assert "maximum pour un comité local est de 2" in messages_of(exc)
        # co-chairs and substitutes do not count; members whose mandate has ended neither
        services.save_member(
            new_member(
                committee,
                full_name="Sous-préfet",
                chair=Member.Chair.STATE,
                capacity=Capacity.SUB_PREFECT,
                designation_reference="Arrêté",
            )
        )
        services.save_member(
            new_member(
                committee,
                full_name="Suppléant",
                seat=Member.Seat.SUBSTITUTE,
                substitute_for=committee.members.get(full_name="A"),
            )
        )
        services.save_member(
            new_member(committee, full_name="Plus tard", mandate_start=START + timedelta(days=3 * 366))
        )

    def test_regional_maximum_grows_with_more_than_six_departements(self):
        region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
        committee = CommitteeFactory(level=Level.REGIONAL, region=region)
        assert services.max_members(committee) == 29
        for code in ("01", "03", "07", "15", "26", "38", "42"):
            DepartementFactory(code=code, name=f"Dép {code}", region=region)
        assert services.max_members(committee) == 36

    def test_expiry_warning(self):
        member = MemberFactory(mandate_start=date(2023, 1, 1), mandate_end=date(2025, 12, 31))
        assert services.expiry_state(member, on=date(2025, 6, 1)) == "current"
        assert services.expiry_state(member, on=date(2025, 11, 1)) == "expiring"
        assert services.expiry_state(member, on=date(2026, 1, 1)) == "expired"
        assert services.expiry_state(member, on=date(2022, 12, 31)) == "future"

    def test_substitute_needs_a_titular_of_the_same_committee(self):
        committee = CommitteeFactory()
        with pytest.raises(ValidationError):
            services.save_member(new_member(committee, seat=Member.Seat.SUBSTITUTE))
        other = MemberFactory()
        with pytest.raises(ValidationError):
            services.save_member(new_member(committee, seat=Member.Seat.SUBSTITUTE, substitute_for=other))

    def test_member_needs_an_institution(self):
        with pytest.raises(ValidationError) as exc:
            services.save_member(new_member(CommitteeFactory(), institution=""))
        assert "institution" in messages_of(exc)


class TestCommitteeTerritory:
    def test_local_committee_is_attached_to_one_local_territory(self):
        departement = DepartementFactory()
        committee = Committee(name="CLE", level=Level.LOCAL, departement=departement)
        with pytest.raises(ValidationError) as exc:
            services.save_committee(committee)
        assert "ressort" in messages_of(exc)
        committee.local_scope = Committee.LocalScope.BASSIN
        with pytest.raises(ValidationError):
            services.save_committee(committee)
        committee.bassin = BassinFactory()
        saved = services.save_committee(committee)
        assert saved.region_id == departement.region_id

    def test_custom_set_of_communes_stays_in_the_departement(self):
        somme = DepartementFactory()
        aisne = DepartementFactory(code="02", name="Aisne")
        committee = Committee(
            name="CLE", level=Level.LOCAL, departement=somme, local_scope=Committee.LocalScope.COMMUNES
        )
        with pytest.raises(ValidationError):
            services.save_committee(committee, communes=[CommuneFactory(code="02001", departement=aisne)])
        saved = services.save_committee(committee, communes=[CommuneFactory(departement=somme)])
        assert saved.communes.count() == 1

    def test_departmental_is_attached_to_the_regional_committee_automatically(self):
        regional = CommitteeFactory(level=Level.REGIONAL)
        departmental = services.save_committee(
            Committee(name="CDE", level=Level.DEPARTMENTAL, departement=DepartementFactory())
        )
        assert departmental.parent == regional
