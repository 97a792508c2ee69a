import pytest

from offers import services
from tests.offers.factories import CanonicalOfferFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_by_keyword_commune_and_radius_then_open_an_offer(page, communes, fake_coder, fake_dedup):
    ft = SourceFactory(name="francetravail", label="France Travail")
    region = SourceFactory(name="region", label="Plateforme régionale")
    services.import_records(
        source=ft,
        records=[
            CanonicalOfferFactory(source_id="F1", url="https://ft.example/F1"),
            CanonicalOfferFactory(
                source_id="F2", title="Boulanger", employer_name="Fournil de Lille", commune_code="59350"
            ),
        ],
    )
    services.import_records(
        source=region,
        records=[CanonicalOfferFactory(source="region", source_id="R1", url="https://region.example/R1")],
    )

    page.goto("/offres/")
    page.get_by_label("Mots-clés").fill("boulangère")
    page.get_by_role("combobox", name="Commune").fill("amiens")
    page.get_by_role("option", name="Amiens (80)", exact=True).click()
    page.get_by_label("Rayon").select_option("30")
    page.get_by_role("button", name="Rechercher").click()

    page.wait_for_url("**/offres/?*")
    assert page.get_by_role("heading", name="1 offre autour de Amiens").is_visible()
    results = page.get_by_role("table")
    assert "Fournil de Lille" not in results.inner_text()  # Lille is 100 km away
    assert "France Travail, Plateforme régionale" in results.inner_text()
    page.get_by_role("link", name="Boulanger (H/F)").click()

    page.wait_for_url("**/offres/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Boulanger (H/F)"
    publications = page.get_by_role("table").filter(has_text="Où cette offre est publiée")
    rows = publications.locator("tbody tr")
    assert rows.count() == 2
    assert "France Travail" in rows.nth(0).inner_text() and "Plateforme régionale" in rows.nth(1).inner_text()
    assert (
        publications.get_by_role("link", name="Voir").first.get_attribute("href") == "https://ft.example/F1"
    )
