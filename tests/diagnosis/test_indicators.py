import datetime as dt

import pytest
from django.utils import timezone

from diagnosis.indicators import recompute_indicators
from diagnosis.models import (
    Dataset,
    FapOccupation,
    HiringProjects,
    Indicator,
    OfferCount,
    RomeFapLink,
    TensionFigure,
    TensionListEntry,
)
from offers.models import Offer, Publication, Source
from tests.factories import BassinFactory, CommuneFactory, DepartementFactory, FicheFactory, ZoneEmploiFactory
from training.models import TrainingSession

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def territory():
    somme, oise = DepartementFactory(code="80", name="Somme"), DepartementFactory(code="60", name="Oise")
    amiens, abbeville = (
        BassinFactory(code="3202", name="AMIENS"),
        BassinFactory(code="3201", name="ABBEVILLE"),
    )
    zone = ZoneEmploiFactory(code="3210", name="Amiens")
    CommuneFactory(code="80021", departement=somme, bassin=amiens, zone_emploi=zone, population=130000)
    CommuneFactory(code="60001", departement=oise, bassin=amiens, zone_emploi=zone, population=500)
    CommuneFactory(code="80001", departement=somme, bassin=abbeville, zone_emploi=zone, population=20000)
    FicheFactory(code="J1501", label="Aide-soignant", parent_code="J1501")
    FicheFactory(code="J1502", label="Auxiliaire de puériculture", parent_code="J1502")


def figures():
    source = Dataset.objects.create(code="x", title="x", producer="x", vintage="x")
    for rome, basin, offers, seekers, klass in (
        ("J1501", "3202", 90, 60, 4),
        ("J1502", "3202", 30, 10, 2),
        ("J1501", "3201", 10, 5, 3),
    ):
        TensionFigure.objects.create(
            key=f"{rome}{basin}",
            dataset=source,
            rome_code=rome,
            bassin_code=basin,
            offers=offers,
            job_seekers=seekers,
            tension_class=klass,
        )
    for rome in ("J1501", "J1502"):
        RomeFapLink.objects.create(key=rome, rome_code=rome, fap_code="V0Z60", dataset=source)
    FapOccupation.objects.create(
        key="2021:V0X60", version="2021", code="V0X60", label="Aides-soignants", equivalent_2009="V0Z60"
    )
    FapOccupation.objects.create(key="2009:V0Z60", version="2009", code="V0Z60", label="Aides-soignants")
    for basin, dep, projects, difficult in (
        ("3202", "80", 100, 70),
        ("3202", "60", 20, None),
        ("3201", "80", 10, 5),
    ):
        HiringProjects.objects.create(
            key=f"{basin}{dep}",
            dataset=source,
            fap_code="V0X60",
            region_code="32",
            departement_code=dep,
            bassin_code=basin,
            bassin_name=basin,
            projects=projects,
            difficult=difficult,
            seasonal=0,
        )
    OfferCount.objects.create(key="o", dataset=source, rome_code="J1501", commune_code="80021", offers=7)
    TensionListEntry.objects.create(
        key="l",
        dataset=source,
        region_name="Hauts-de-France",
        region_code="32",
        fap_code="V0Z60",
        label="Aides-soignants",
    )


def cell(rome, kind, code, okind="rome3"):
    return Indicator.objects.get(
        occupation_kind=okind, occupation_code=rome, territory_kind=kind, territory_code=code
    )


def test_basin_figures_ratios_and_official_class(territory):
    figures()
    recompute_indicators(region_code="32", today=TODAY)
    amiens = cell("J1501", "bassin", "3202")
    assert (amiens.offers, amiens.job_seekers, amiens.offers_per_job_seeker) == (90, 60, 1.5)
    assert amiens.official_class == 4 and amiens.in_official_list
    assert amiens.open_offers == 7
    # the small basin: ratio unpublished (5 job seekers), share unpublished (10 projects)
    abbeville = cell("J1501", "bassin", "3201")
    assert abbeville.offers_per_job_seeker is None and abbeville.share_difficult is None
    assert not abbeville.significant


def test_hiring_projects_roll_up_and_secret_cells_leave_the_share_base(territory):
    figures()
    recompute_indicators(region_code="32", today=TODAY)
    fap = cell("V0X60", "bassin", "3202", okind="fap2021")
    assert fap.hiring_projects == 120  # both département parts of the basin
    assert fap.share_difficult == pytest.approx(70 / 100)  # the part with a secret numerator is left out
    region = cell("V0X60", "region", "32", okind="fap2021")
    assert region.hiring_projects == 130 and region.difficult_projects == 75
    # the basin counts in the département holding most of its population
    assert cell("V0X60", "departement", "80", okind="fap2021").hiring_projects == 130


def test_rome_gets_its_family_share_and_an_apportioned_count(territory):
    figures()
    recompute_indicators(region_code="32", today=TODAY)
    nurse_aide, childcare = cell("J1501", "bassin", "3202"), cell("J1502", "bassin", "3202")
    assert nurse_aide.share_difficult == childcare.share_difficult == pytest.approx(0.7)
    assert nurse_aide.difficult_projects == pytest.approx(70 * 90 / 120)  # by 2021 offers: 90 vs 30
    assert childcare.difficult_projects == pytest.approx(70 * 30 / 120)


def test_training_places_and_coverage_gap(territory):
    figures()
    TrainingSession.objects.create(
        key="csv:1",
        source="csv",
        external_id="1",
        title="DEAS",
        rome_codes="J1501",
        commune_id="80021",
        places=20,
        end_date=TODAY + dt.timedelta(days=30),
    )
    TrainingSession.objects.create(
        key="csv:2",
        source="csv",
        external_id="2",
        title="Passée",
        rome_codes="J1501",
        commune_id="80021",
        places=99,
        end_date=TODAY - dt.timedelta(days=1),
    )
    recompute_indicators(region_code="32", today=TODAY)
    amiens = cell("J1501", "bassin", "3202")
    assert amiens.training_places == 20
    assert amiens.need_estimate == pytest.approx(52.5)
    assert amiens.coverage_gap == pytest.approx(32.5)
    assert cell("J1501", "zone_emploi", "3210").training_places == 20


def test_composite_and_classes(territory):
    figures()
    recompute_indicators(region_code="32", today=TODAY)
    high, low = cell("J1502", "bassin", "3202"), cell("J1501", "bassin", "3202")
    assert high.tension_score > low.tension_score  # 3 offers per job seeker vs 1.5, same difficulty
    assert high.tension_class > low.tension_class


def test_pool_offers_and_time_to_fill(territory):
    figures()
    source = Source.objects.create(name="test", kind=Source.Kind.CSV)
    published = timezone.now() - dt.timedelta(days=30)
    for index, status in enumerate([Offer.Status.CLOSED, Offer.Status.OPEN]):
        offer = Offer.objects.create(
            title="Aide-soignant",
            commune_id="80021",
            rome_code="J1501",
            status=status,
            published_at=published,
        )
        Publication.objects.create(
            title="Aide-soignant",
            source=source,
            external_id=str(index),
            raw="{}",
            content_hash="x",
            last_seen_at=timezone.now(),
            offer=offer,
            closed_at=published + dt.timedelta(days=12) if status == Offer.Status.CLOSED else None,
        )
    recompute_indicators(region_code="32", today=TODAY)
    amiens = cell("J1501", "bassin", "3202")
    assert amiens.pool_offers == 2
    assert amiens.time_to_fill_days == pytest.approx(12)
    assert amiens.share_without_candidates is None  # no publication carries France Travail's flag


def test_share_of_offers_france_travail_flags_as_lacking_candidates(territory):
    figures()
    source = Source.objects.create(name="francetravail", kind=Source.Kind.FRANCE_TRAVAIL)
    for index in range(40):
        offer = Offer.objects.create(
            title="Aide-soignant", commune_id="80021", rome_code="J1501", published_at=timezone.now()
        )
        Publication.objects.create(
            title="Aide-soignant",
            source=source,
            external_id=str(index),
            raw="{}",
            lacks_candidates=index < 10,
            content_hash="x",
            last_seen_at=timezone.now(),
            offer=offer,
        )
    recompute_indicators(region_code="32", today=TODAY)
    assert cell("J1501", "bassin", "3202").share_without_candidates == pytest.approx(0.25)


def test_recompute_replaces_the_table(territory):
    figures()
    first = recompute_indicators(region_code="32", today=TODAY)
    assert recompute_indicators(region_code="32", today=TODAY) == first == Indicator.objects.count()


def test_pool_monthly_series_by_territory_and_occupation(territory):
    from diagnosis.live import pool_monthly

    for day, rome in (
        (dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), "J1501"),
        (dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC), "K2204"),
        (dt.datetime(2026, 4, 2, 10, tzinfo=dt.UTC), "J1501"),
    ):
        Offer.objects.create(
            title="x", commune_id="80021", bassin_code="3202", rome_code=rome, published_at=day
        )
    assert pool_monthly(territory_kind="bassin", territory_code="3202") == [("2026-03", 2), ("2026-04", 1)]
    assert pool_monthly(territory_kind="region", territory_code="32", rome3="J1501") == [
        ("2026-03", 1),
        ("2026-04", 1),
    ]
    assert pool_monthly(territory_kind="bassin", territory_code="3201") == []
