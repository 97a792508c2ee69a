import pytest

from jobseekers.models import Consent
from matching.models import Referral, SearchProfile
from offers.models import Offer
from tests.factories import AppellationFactory, CommuneFactory, FicheFactory, OrganisationFactory, advisor_of
from tests.jobseekers.factories import ConsentFactory, followed_by

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_advisor_matches_a_person_with_offers_and_an_offer_with_people(page, login):
    amiens = CommuneFactory(
        code="80021", name="Amiens", latitude=49.89389, longitude=2.30250, population=133_000
    )
    fiche = FicheFactory(code="J1501", label="Aide-soignant / Aide-soignante")
    appellation = AppellationFactory(code_ogr=11573, label="Aide-soignant / Aide-soignante", fiche=fiche)
    organisation = OrganisationFactory(name="France Travail Amiens Nord")
    advisor = advisor_of(organisation)
    record = followed_by(organisation, first_name="Dominique", last_name="Fictif", commune=amiens)
    ConsentFactory(jobseeker=record, scope=Consent.Scope.PROPOSE_TO_EMPLOYERS)
    profile = SearchProfile.objects.create(jobseeker=record, uses_public_transport=True, walks=True)
    profile.appellations.set([appellation])
    offer = Offer.objects.create(
        title="Aide-soignant de nuit H/F", fiche=fiche, commune=amiens, contract_type="CDI"
    )

    login(advisor)
    page.goto(f"/mise-en-relation/personnes/{record.pk}/offres/")
    card = page.locator("li.match-result", has_text="Aide-soignant de nuit H/F")
    assert "Même métier que celui recherché" in card.inner_text()
    card.get_by_role("button", name="Proposer cette offre").click()
    page.wait_for_url(f"**/mise-en-relation/personnes/{record.pk}/offres/")
    assert "Mise en relation enregistrée" in page.locator("main").inner_text()
    row = page.locator("#mises-en-relation ~ .fr-table tr", has_text="Aide-soignant de nuit H/F")
    row.get_by_label("Nouvel état").select_option("interview")
    row.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert Referral.objects.get().status == Referral.Status.INTERVIEW

    page.goto(f"/mise-en-relation/offres/{offer.pk}/personnes/")
    assert "Dominique Fictif" in page.locator("main table").inner_text()
