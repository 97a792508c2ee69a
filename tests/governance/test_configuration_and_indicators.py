from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from governance import indicators, selectors, services
from governance.models import (
    ActionSheet,
    Axis,
    Commitment,
    FollowUpAction,
    Indicator,
    Level,
    MeasureKind,
    Member,
    Milestone,
    Motion,
    Protocol,
    SheetStatus,
    Signatory,
    Stake,
    Target,
)
from governance.protocols import HAUTS_DE_FRANCE_2023, load_protocol
from tests.factories import BassinFactory, DepartementFactory, RegionFactory
from tests.governance.factories import (
    CommitteeFactory,
    MeetingFactory,
    departmental_committee,
    regional_committee,
)

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 10)


def check(region) -> dict[str, bool]:
    return {p.label: p.passed for p in selectors.configuration_check(region=region, on=TODAY)}


def adopted(committee, kind, title="Mesure"):
    meeting = MeetingFactory(committee=committee)
    return Motion.objects.create(
        meeting=meeting,
        title=title,
        kind=kind,
        outcome=Motion.Outcome.ADOPTED,
        decided_at=timezone.make_aware(datetime(2025, 6, 2, 15)),
    )


class TestConfigurationCheck:
    def test_empty_region_fails_every_point(self):
        result = check(RegionFactory())
        assert len(result) == 6 and not any(result.values())

    def test_each_point_passes_in_turn(self):
        region = RegionFactory()
        regional = CommitteeFactory(level=Level.REGIONAL, region=region)
        result = list(check(region).values())
        assert result == [True, False, False, False, False, False]

        regional.delete()
        regional = regional_committee()
        assert list(check(region).values())[:2] == [True, True]

        departmental = departmental_committee(departement=DepartementFactory())
        assert list(check(region).values())[2:4] == [True, False]

        CommitteeFactory(
            level=Level.LOCAL,
            region=region,
            departement=departmental.departement,
            parent=departmental,
            local_scope="bassin",
            bassin=BassinFactory(),
        )
        assert list(check(region).values())[3] is True

        adopted(departmental, MeasureKind.TRAINING)
        assert list(check(region).values())[4:] == [True, False]
        adopted(regional, MeasureKind.COMPANY_SERVICES)
        assert all(check(region).values())

    def test_wrong_co_chair_fails_the_second_point(self):
        region = RegionFactory()
        regional = regional_committee()
        Member.objects.filter(committee=regional, chair="authority").update(capacity="department_president")
        point = selectors.configuration_check(region=region, on=TODAY)[1]
        assert not point.passed and "président du conseil régional" in point.detail

    def test_rejected_or_later_measures_do_not_count(self):
        region = RegionFactory()
        regional = regional_committee()
        motion = adopted(regional, MeasureKind.TRAINING)
        motion.outcome = Motion.Outcome.REJECTED
        motion.save()
        assert list(check(region).values())[4] is False
        motion.outcome = Motion.Outcome.ADOPTED
        motion.decided_at = timezone.make_aware(datetime(2025, 7, 1))
        motion.save()
        assert list(check(region).values())[4] is False

    def test_local_committee_in_a_departement_without_departmental_committee_does_not_count(self):
        region = RegionFactory()
        departmental_committee(departement=DepartementFactory())
        aisne = DepartementFactory(code="02", name="Aisne")
        CommitteeFactory(
            level=Level.LOCAL, region=region, departement=aisne, local_scope="bassin", bassin=BassinFactory()
        )
        assert list(check(region).values())[3] is False


@pytest.fixture
def protocol():
    RegionFactory()
    protocol, _ = load_protocol(HAUTS_DE_FRANCE_2023)
    return protocol


class TestProtocolLoading:
    def test_load_protocol_ships_the_seed_wording(self, protocol):
        assert protocol.signed_on == date(2023, 6, 8) and protocol.signed_at == "Lille"
        assert Stake.objects.filter(protocol=protocol).count() == 4
        assert Axis.objects.filter(protocol=protocol).count() == 3
        assert Signatory.objects.filter(protocol=protocol).count() == 4
        assert (
            protocol.stakes.get(number=3).title
            == "Améliorer la prospection des entreprises et leur accompagnement vers l'emploi"
        )
        assert protocol.commitments.count() == 0  # the 23 commitments are entered in the app

    def test_command_is_dry_by_default_and_idempotent(self, capsys):
        RegionFactory()
        call_command("load_protocol", "hauts-de-france-2023")
        assert not Protocol.objects.exists() and "Simulation" in capsys.readouterr().out
        call_command("load_protocol", "hauts-de-france-2023", write=True)
        stake = Stake.objects.get(number=1)
        stake.title = "modifié"
        stake.save()
        call_command("load_protocol", "hauts-de-france-2023", write=True)
        out = capsys.readouterr().out
        assert "enjeux: 0 créés, 1 mis à jour, 3 inchangés" in out
        assert Protocol.objects.count() == 1 and Stake.objects.count() == 4

    def test_command_explains_missing_territories(self):
        from django.core.management import CommandError

        with pytest.raises(CommandError, match="load-reference"):
            call_command("load_protocol", "hauts-de-france-2023", write=True)


class TestIndicators:
    def test_registry_lists_planned_queries_as_unavailable(self):
        query = indicators.get("offers.duplicate_rate")
        if query.available:  # the offers app registered its own implementation
            return
        assert "offers.Offer" in query.unavailable_reason or "offers" in query.unavailable_reason
        with pytest.raises(indicators.IndicatorUnavailable, match="Pas encore disponible"):
            indicators.compute("offers.duplicate_rate", region=RegionFactory(), on=TODAY)

    def test_unknown_query(self):
        with pytest.raises(indicators.IndicatorUnavailable, match="inconnue"):
            indicators.compute("nope", region=RegionFactory(), on=TODAY)

    def test_decisions_and_measures_are_computed_live(self):
        region = RegionFactory()
        regional = regional_committee()
        adopted(regional, MeasureKind.TRAINING)
        adopted(regional, MeasureKind.COMPANY_SERVICES)
        Motion.objects.create(
            meeting=MeetingFactory(committee=regional),
            title="Rejetée",
            outcome=Motion.Outcome.REJECTED,
            decided_at=timezone.now(),
        )
        adopted(
            CommitteeFactory(level=Level.REGIONAL, region=RegionFactory(code="11", name="IdF")),
            MeasureKind.TRAINING,
        )
        assert indicators.compute("governance.decisions_adopted", region=region, on=TODAY) == 2
        assert indicators.compute("governance.training_measures_adopted", region=region, on=TODAY) == 1
        assert (
            indicators.compute("governance.company_services_measures_adopted", region=region, on=TODAY) == 1
        )
        assert indicators.compute("governance.decisions_adopted", region=region, on=date(2025, 1, 1)) == 0

    def test_follow_up_actions_done_rate(self):
        region = RegionFactory()
        motion = adopted(regional_committee(), MeasureKind.OTHER)
        FollowUpAction.objects.create(
            motion=motion,
            title="a",
            owner_name="x",
            deadline=date(2025, 5, 1),
            status="done",
            done_on=date(2025, 4, 30),
        )
        FollowUpAction.objects.create(motion=motion, title="b", owner_name="x", deadline=date(2025, 5, 1))
        FollowUpAction.objects.create(motion=motion, title="c", owner_name="x", deadline=date(2025, 12, 1))
        assert indicators.compute(
            "governance.follow_up_actions_done_rate", region=region, on=TODAY
        ) == Decimal("50.00")

    def test_action_sheets_done_rate_ignores_abandoned(self, protocol):
        commitment = Commitment.objects.create(
            protocol=protocol, stake=protocol.stakes.first(), number=1, title="E"
        )
        for status in (SheetStatus.DONE, SheetStatus.LATE, SheetStatus.ABANDONED):
            ActionSheet.objects.create(commitment=commitment, title=status, owner_name="x", status=status)
        assert (
            indicators.compute("governance.action_sheets_done_rate", region=protocol.region, on=TODAY) == 50
        )

    def test_computed_indicator_view_and_snapshot(self, protocol):
        commitment = Commitment.objects.create(
            protocol=protocol, stake=protocol.stakes.first(), number=1, title="E"
        )
        indicator = Indicator.objects.create(
            commitment=commitment,
            name="Décisions",
            unit="décisions",
            source=Indicator.Source.COMPUTED,
            query_name="governance.decisions_adopted",
        )
        Target.objects.create(indicator=indicator, due_on=TODAY + timedelta(days=30), value=1)
        view = selectors.indicator_view(indicator, on=TODAY)
        assert view.live_value == 0 and view.series == [(TODAY, Decimal("0.00"))] and view.on_track is False
        adopted(regional_committee(), MeasureKind.TRAINING)
        assert selectors.indicator_view(indicator, on=TODAY).on_track is True
        measurement = services.snapshot_indicator(indicator=indicator, on=TODAY)
        assert measurement.is_computed and measurement.source == "calcul : governance.decisions_adopted"

    def test_planned_indicator_shows_why_instead_of_a_value(self, protocol):
        commitment = Commitment.objects.create(
            protocol=protocol, stake=protocol.stakes.first(), number=1, title="E"
        )
        indicator = Indicator.objects.create(
            commitment=commitment,
            name="Places",
            unit="places",
            source=Indicator.Source.COMPUTED,
            query_name="training.places_in_tension_occupations",
        )
        view = selectors.indicator_view(indicator, on=TODAY)
        if indicators.get("training.places_in_tension_occupations").available:
            return
        assert view.live_value is None and view.series == [] and "Pas encore disponible" in view.unavailable

    def test_manual_values_cannot_be_entered_on_computed_indicators(self, protocol):
        from django.core.exceptions import ValidationError

        commitment = Commitment.objects.create(
            protocol=protocol, stake=protocol.stakes.first(), number=1, title="E"
        )
        indicator = Indicator.objects.create(
            commitment=commitment,
            name="D",
            unit="u",
            source="computed",
            query_name="governance.decisions_adopted",
        )
        with pytest.raises(ValidationError):
            services.record_measurement(indicator=indicator, measured_on=TODAY, value=Decimal(1), source="x")


class TestDashboard:
    def test_progress_by_stake_and_territory_and_lateness(self, protocol):
        stake = protocol.stakes.get(number=4)
        commitment = Commitment.objects.create(protocol=protocol, stake=stake, number=1, title="Mobilité")
        somme = DepartementFactory()
        done = ActionSheet.objects.create(
            commitment=commitment, title="Guichet", owner_name="ML", status="done", departement=somme
        )
        running = ActionSheet.objects.create(
            commitment=commitment,
            title="Aide",
            owner_name="FT",
            status="on_track",
            ends_on=TODAY + timedelta(days=10),
        )
        Milestone.objects.create(sheet=running, title="Bilan", due_on=TODAY - timedelta(days=1))
        Milestone.objects.create(sheet=done, title="Old", due_on=TODAY - timedelta(days=100))
        data = selectors.dashboard(protocol, on=TODAY)
        row = next(r for r in data["by_stake"] if r.label.startswith("Enjeu 4"))
        assert row.total == 2 and row.done_rate == 50
        assert [r.label for r in data["by_territory"]] == ["Échelon régional", str(somme)]
        assert [x["sheet"] for x in data["late_sheets"]] == [running]
        assert "jalon « Bilan »" in data["late_sheets"][0]["reasons"][0]

    def test_status_changes_keep_their_reason(self, protocol):
        from django.core.exceptions import ValidationError

        commitment = Commitment.objects.create(
            protocol=protocol, stake=protocol.stakes.first(), number=1, title="E"
        )
        sheet = services.create_sheet(
            sheet=ActionSheet(commitment=commitment, title="F", owner_name="Région")
        )
        with pytest.raises(ValidationError):
            services.change_sheet_status(sheet=sheet, status=SheetStatus.LATE, reason="  ")
        services.change_sheet_status(
            sheet=sheet, status=SheetStatus.LATE, reason="Recrutement du prestataire"
        )
        history = list(sheet.status_changes.values_list("from_status", "to_status", "reason"))
        assert history[0] == ("not_started", "late", "Recrutement du prestataire")
        assert history[1] == ("", "not_started", "Création de la fiche.")


class TestOfferIndicators:
    def test_aggregated_duplicates_and_rome_share(self):
        from offers.models import Offer, Publication, Source

        region = RegionFactory()
        DepartementFactory()
        source_a = Source.objects.create(name="ft", kind="francetravail")
        source_b = Source.objects.create(name="region", kind="csv")
        published = timezone.make_aware(datetime(2025, 6, 1))

        def offer(title, rome="", dep="80", status="open", publications=(source_a,)):
            item = Offer.objects.create(
                title=title, rome_code=rome, departement_code=dep, status=status, published_at=published
            )
            for i, source in enumerate(publications):
                Publication.objects.create(
                    source=source,
                    external_id=f"{title}-{i}",
                    raw="{}",
                    content_hash="x",
                    last_seen_at=published,
                    offer=item,
                    title=title,
                )
            return item

        offer("Aide-soignant", rome="J1501", publications=(source_a, source_b))
        offer("Soudeur", rome="H2913")
        offer("Vendeur")
        offer("Fermée", status="closed")
        offer("Ailleurs", dep="75")
        assert indicators.compute("offers.aggregated", region=region, on=TODAY) == 3
        assert indicators.compute("offers.duplicate_rate", region=region, on=TODAY) == Decimal("25.00")
        assert indicators.compute("offers.rome_coded_share", region=region, on=TODAY) == Decimal("66.67")
        assert indicators.compute("offers.aggregated", region=region, on=date(2025, 5, 1)) == 0


class TestPlatformIndicators:
    def test_aids_requested_granted_and_amounts_by_basin(self):
        from jobseekers.models import AidRequest
        from tests.jobseekers.factories import AidRequestFactory

        region = RegionFactory()
        amiens = BassinFactory()
        other = BassinFactory(code="3216", name="LILLE")
        AidRequestFactory(status=AidRequest.Status.SENT, sent_on=date(2025, 5, 1))
        AidRequestFactory(
            status=AidRequest.Status.GRANTED,
            sent_on=date(2025, 5, 2),
            decided_on=date(2025, 5, 20),
            amount_granted=Decimal("150.00"),
        )
        AidRequestFactory(
            status=AidRequest.Status.PAID,
            sent_on=date(2025, 5, 3),
            decided_on=date(2025, 5, 21),
            amount_granted=Decimal("200.50"),
        )
        AidRequestFactory(
            status=AidRequest.Status.REFUSED, sent_on=date(2025, 5, 4), decided_on=date(2025, 5, 22)
        )
        AidRequestFactory(status=AidRequest.Status.TO_SEND)
        AidRequestFactory(
            status=AidRequest.Status.GRANTED,
            sent_on=date(2025, 5, 5),
            decided_on=date(2025, 7, 1),
            amount_granted=Decimal("999"),
        )
        assert indicators.compute("aids.requested", region=region, on=TODAY) == 5
        assert indicators.compute("aids.granted", region=region, on=TODAY) == 2
        assert indicators.compute("aids.granted_amount", region=region, on=TODAY) == Decimal("350.50")
        assert indicators.compute("aids.granted_amount", region=region, on=TODAY, bassin=amiens) == Decimal(
            "350.50"
        )
        assert indicators.compute("aids.granted_amount", region=region, on=TODAY, bassin=other) == 0

    def test_query_without_basin_breakdown_says_so(self):
        with pytest.raises(indicators.IndicatorUnavailable, match="par bassin"):
            indicators.compute(
                "governance.decisions_adopted", region=RegionFactory(), on=TODAY, bassin=BassinFactory()
            )

    def test_training_places_in_tension_occupations(self):
        from diagnosis.models import Indicator as Cell
        from tests.factories import CommuneFactory
        from training.models import TrainingSession

        region = RegionFactory()
        commune = CommuneFactory()
        with pytest.raises(indicators.IndicatorUnavailable, match="métiers en tension"):
            indicators.compute("training.places_in_tension_occupations", region=region, on=TODAY)
        Cell.objects.create(
            occupation_kind="rome3",
            occupation_code="J1501",
            occupation_label="Aide-soignant",
            territory_kind="region",
            territory_code="32",
            territory_label="HdF",
            in_official_list=True,
        )
        for key, codes, places, start in (
            ("a", "J1501", 12, date(2025, 3, 1)),
            ("b", "K2111 J1501", 8, date(2025, 6, 1)),
            ("c", "M1607", 20, date(2025, 3, 1)),
            ("d", "J1501", 30, date(2024, 1, 1)),
            ("e", "J1501", 5, date(2025, 9, 1)),
        ):
            TrainingSession.objects.create(
                key=key,
                source="manual",
                external_id=key,
                title=key,
                rome_codes=codes,
                places=places,
                start_date=start,
                commune=commune,
            )
        assert indicators.compute("training.places_in_tension_occupations", region=region, on=TODAY) == 20

    def test_joint_action_lines_adopted_count_and_satisfy_the_training_point(self):
        from diagnosis.models import ActionLine
        from tests.factories import OrganisationFactory

        region = RegionFactory()
        DepartementFactory()

        def line(status, kind="departement", code="80"):
            return ActionLine.objects.create(
                title=f"Ligne {status} {code}",
                occupation_kind="rome3",
                occupation_code="J1501",
                occupation_label="Aide-soignant",
                territory_kind=kind,
                territory_code=code,
                territory_label=code,
                owner=OrganisationFactory(),
                deadline=date(2025, 12, 31),
                target_indicator="training_places",
                target_value=Decimal(10),
                status=status,
            )

        line("draft")
        line("adopted", "bassin", "1101")
        assert (
            indicators.compute("diagnosis.joint_actions_adopted", region=region, on=timezone.localdate()) == 0
        )
        assert check(region)["Au moins une mesure relative à la formation professionnelle adoptée"] is False
        line("in_progress")
        line("adopted", "bassin", "3202")
        assert (
            indicators.compute("diagnosis.joint_actions_adopted", region=region, on=timezone.localdate()) == 2
        )
        point = selectors.configuration_check(region=region, on=timezone.localdate())[4]
        assert point.passed and "ligne d'action conjointe" in point.detail


def test_load_reference_form_loads_the_region_protocol(settings):
    RegionFactory()
    settings.REGION_CODE = "32"
    call_command("load_protocol", write=True)
    assert Protocol.objects.get().slug == "hauts-de-france-2023"
    settings.REGION_CODE = "52"
    call_command("load_protocol", write=True)
    assert Protocol.objects.count() == 1
