import pytest

from tests.factories import BassinFactory, CommuneFactory, DepartementFactory, ZoneEmploiFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_a_commune_with_the_autocomplete_and_open_its_page(page):
    somme = DepartementFactory(code="80", name="Somme")
    zone, bassin = ZoneEmploiFactory(code="3202", name="Amiens"), BassinFactory(code="3202", name="AMIENS")
    CommuneFactory(
        code="80021",
        name="Amiens",
        departement=somme,
        zone_emploi=zone,
        bassin=bassin,
        population=136449,
        postal_codes="80000 80080 80090",
        latitude=49.89871,
        longitude=2.28468,
    )
    CommuneFactory(
        code="80256",
        name="Dreuil-lès-Amiens",
        departement=somme,
        zone_emploi=zone,
        bassin=bassin,
        population=1576,
        postal_codes="80470",
        latitude=49.91568,
        longitude=2.23248,
    )

    page.goto("/territoires/")
    page.get_by_role("combobox", name="Commune").fill("amiens")
    page.get_by_role("option", name="Amiens (80)", exact=True).click()
    page.get_by_role("button", name="Rechercher").click()

    page.wait_for_url("**/territoires/communes/80021/")
    main = page.locator("main").inner_text()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Amiens")
    assert "Zone d'emploi 2020\tAmiens (3202)" in main
    assert "Bassin d'emploi France Travail\tAMIENS (3202)" in main
    assert "Dreuil-lès-Amiens (80)" in main  # among the nearest communes
