from datetime import date, timedelta

import pytest
from django.utils import timezone

from companies import selectors, services
from companies.models import Contact, EmployerLink, Operation, Referent
from offers.models import Offer
from tests.companies.factories import EstablishmentFactory
from tests.factories import BassinFactory, CommuneFactory, FicheFactory, OrganisationFactory, UserFactory
from tests.jobseekers.factories import JobSeekerFactory


@pytest.fixture
def network(db):
    return {
        "ft": OrganisationFactory(name="France Travail Amiens"),
        "ml": OrganisationFactory(name="Mission locale Amiens"),
        "region": OrganisationFactory(name="Région"),
        "user": UserFactory(),
        "establishment": EstablishmentFactory(),
    }


def contact(network, organisation, days_ago, **extra):
    return Contact.objects.create(
        establishment=network["establishment"],
        organisation=organisation,
        author=network["user"],
        kind=Contact.Kind.CALL,
        date=timezone.localdate() - timedelta(days=days_ago),
        purpose="Besoins de recrutement",
        **extra,
    )


@pytest.mark.parametrize(("days_ago", "needs"), [(29, True), (30, True), (31, False)])
def test_the_solicitation_window_is_30_days(network, days_ago, needs):
    contact(network, network["ft"], days_ago)
    check = selectors.solicitation_check(establishment=network["establishment"], organisation=network["ml"])
    assert check.needs_coordination is needs
    if needs:
        assert "France Travail Amiens" in check.message


def test_own_contacts_do_not_block_and_the_window_is_configurable(network, settings):
    contact(network, network["ml"], 3)
    assert not selectors.solicitation_check(
        establishment=network["establishment"], organisation=network["ml"]
    ).needs_coordination
    contact(network, network["ft"], 10)
    settings.SOLICITATION_WINDOW_DAYS = 7
    assert not selectors.solicitation_check(
        establishment=network["establishment"], organisation=network["ml"]
    ).needs_coordination


def test_the_referent_is_asked_to_coordinate_and_may_contact_freely(network):
    establishment = network["establishment"]
    Referent.objects.create(company=establishment.company, organisation=network["region"])
    contact(network, network["ft"], 5)
    check = selectors.solicitation_check(establishment=establishment, organisation=network["ml"])
    assert check.needs_coordination and "Coordonnez-vous avec Région" in check.message
    assert not selectors.solicitation_check(
        establishment=establishment, organisation=network["region"]
    ).needs_coordination


def test_a_basin_referent_wins_over_the_company_wide_one(network):
    establishment = network["establishment"]
    Referent.objects.create(company=establishment.company, organisation=network["region"])
    Referent.objects.create(
        company=establishment.company, organisation=network["ml"], bassin=establishment.commune.bassin
    )
    assert selectors.referent_of(establishment) == network["ml"]


def test_recording_a_contact_inside_the_window_needs_coordination(network):
    contact(network, network["ft"], 2)
    data = {
        "kind": Contact.Kind.VISIT,
        "date": timezone.localdate(),
        "purpose": "Visite",
        "coordinated_with_referent": False,
    }
    with pytest.raises(services.CoordinationRequired):
        services.record_contact(
            establishment=network["establishment"],
            organisation=network["ml"],
            author=network["user"],
            data=data,
        )
    data["coordinated_with_referent"] = True
    services.record_contact(
        establishment=network["establishment"], organisation=network["ml"], author=network["user"], data=data
    )
    assert Contact.objects.count() == 2


def test_a_company_that_asked_not_to_be_contacted_goes_through_the_referent(network):
    contact(network, network["ml"], 3, consent_to_contact=False)
    check = selectors.solicitation_check(establishment=network["establishment"], organisation=network["ml"])
    assert check.needs_coordination and "ne pas être recontactée" in check.message


def operation(organiser, user, commune, start, *, sectors=(), fiches=(), **extra):
    op = Operation.objects.create(
        kind=Operation.Kind.JOB_DATING,
        title=f"Job dating {start:%d/%m}",
        organiser=organiser,
        commune=commune,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        naf_sectors=list(sectors),
        created_by=user,
        **extra,
    )
    op.fiches.set(fiches)
    return op


def test_conflicts_same_basin_shared_sector_or_rome_within_the_window(network, settings):
    amiens = network["establishment"].commune
    elsewhere = CommuneFactory(code="59350", name="Lille", bassin=BassinFactory(code="3216", name="LILLE"))
    soins = FicheFactory(code="J1501")
    start = timezone.now() + timedelta(days=20)
    first = operation(network["ft"], network["user"], amiens, start, sectors=["86"], fiches=[soins])
    close_same_rome = operation(
        network["ml"], network["user"], amiens, start + timedelta(days=5), fiches=[soins]
    )
    close_other_sector = operation(
        network["ml"], network["user"], amiens, start + timedelta(days=2), sectors=["47"]
    )
    far_in_time = operation(network["ml"], network["user"], amiens, start + timedelta(days=8), sectors=["86"])
    other_basin = operation(network["ml"], network["user"], elsewhere, start, sectors=["86"])
    conflicts = selectors.conflicts_for(operation=first)
    assert [c.other for c in conflicts] == [close_same_rome]
    assert "J1501" in conflicts[0].shared[0]
    settings.OPERATION_CONFLICT_DAYS = 10
    assert {c.other for c in selectors.conflicts_for(operation=first)} == {close_same_rome, far_in_time}
    assert close_other_sector and other_basin


def test_registration_respects_capacity(network):
    start = timezone.now() + timedelta(days=3)
    op = operation(
        network["ft"],
        network["user"],
        network["establishment"].commune,
        start,
        people_capacity=1,
        company_capacity=1,
    )
    services.register_company(operation=op, establishment=network["establishment"])
    with pytest.raises(services.OperationFull):
        services.register_company(operation=op, establishment=EstablishmentFactory(siret="35600000000048"))
    first, second = JobSeekerFactory(), JobSeekerFactory()
    services.register_person(operation=op, jobseeker=first, organisation=network["ft"], user=network["user"])
    services.register_person(
        operation=op, jobseeker=first, organisation=network["ft"], user=network["user"]
    )  # no double
    with pytest.raises(services.OperationFull, match="1 places candidats"):
        services.register_person(
            operation=op, jobseeker=second, organisation=network["ft"], user=network["user"]
        )


def test_offer_employers_are_linked_by_siret_then_by_name_in_the_commune(network):
    establishment = network["establishment"]  # "Centre hospitalier de démonstration", Amiens
    amiens = establishment.commune
    other_town = CommuneFactory(code="80001", name="Abbeville")
    by_siret = Offer.objects.create(
        title="Infirmier", siret="73282932000074", siret_valid=True, employer_name="CHU", commune=other_town
    )
    by_name = Offer.objects.create(
        title="ASH", employer_name="CENTRE HOSPITALIER DE DEMONSTRATION SAS", commune=amiens
    )
    fuzzy = Offer.objects.create(title="Brancardier", employer_name="Centre hospitalier démo", commune=amiens)
    wrong_town = Offer.objects.create(
        title="Secrétaire", employer_name="Centre hospitalier de démonstration", commune=other_town
    )
    other_employer = Offer.objects.create(title="Vendeur", employer_name="Boulangerie Dupont", commune=amiens)
    counts = services.link_offers_to_establishments(
        offers=[by_siret, by_name, fuzzy, wrong_town, other_employer]
    )
    links = {link.offer: link for link in EmployerLink.objects.all()}
    assert links[by_siret].method == "siret" and links[by_siret].status == "confirmed"
    assert links[by_name].method == "name" and links[by_name].status == "confirmed"
    assert links[fuzzy].status == "to_review"
    assert wrong_town not in links and other_employer not in links
    assert counts == {"confirmed": 2, "to_review": 1, "unlinked": 2, "kept": 0}


def test_merge_moves_contacts_and_keeps_history(network):
    duplicate = EstablishmentFactory(siret="35600000000048", name="Doublon")
    kept = network["establishment"]
    Contact.objects.create(
        establishment=duplicate,
        organisation=network["ft"],
        author=network["user"],
        kind="call",
        date=date(2026, 1, 5),
        purpose="x",
    )
    merge = services.merge(duplicate=duplicate, kept=kept, reason="même site", user=network["user"])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept and not duplicate.is_active
    assert kept.contacts.count() == 1 and merge.moved["contacts"] == 1
