from django.urls import reverse

from territories.models import Departement
from tests.factories import CommuneFactory


def test_index_shows_the_configured_region(client, fixture_territory, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("territories:index"))

    assert response.status_code == 200
    html = response.content.decode().replace("\xa0", " ")
    assert "<h1>Territoires — Région d&#x27;essai</h1>" in html
    assert 'href="/territoires/departements/96/"' in html
    assert 'href="/territoires/zones-emploi/9801/"' in html
    assert 'href="/territoires/bassins/9802/"' in html
    assert 'href="/territoires/epci/200000001/"' in html
    assert "132 040" in html  # population of the region, French digit grouping
    assert 'data-url="/api/v1/territories/communes"' in html  # the commune autocomplete
    assert 'name="commune_text"' in html
    assert "Autre département d&#x27;essai" not in html  # another region's département
    assert ">Territoires</a>" in html  # menu entry, visible without login


def test_index_without_data_says_what_to_do(client, db, settings):
    settings.REGION_CODE = "98"
    response = client.get(reverse("territories:index"))
    assert response.status_code == 200
    assert "reseau-emploi load-reference" in response.content.decode()


def test_search_results_are_paginated(client, fixture_territory):
    departement = Departement.objects.get(pk="96")
    for number in range(30):
        CommuneFactory(
            code=f"96{100 + number}",
            name=f"Essaiville {number:02d}",
            departement=departement,
            population=1000 + number,
            latitude=46.5,
            longitude=-6.5,
        )

    first = client.get(reverse("territories:communes"), {"q": "essaiville"})
    second = client.get(reverse("territories:communes"), {"q": "essaiville", "page": 2})

    assert first.status_code == second.status_code == 200
    assert "30 communes trouvées — page 1 sur 2" in first.content.decode()
    assert "fr-pagination" in first.content.decode()
    assert "Essaiville 29 (96)" in first.content.decode()  # most populated first
    assert "Essaiville 00 (96)" in second.content.decode()
    assert "?q=essaiville&amp;page=2" in first.content.decode()
    assert 'name="commune_text" value="essaiville"' in first.content.decode()  # the search box keeps the text
    assert "fr-input--error" not in first.content.decode()


def test_picked_or_unambiguous_commune_opens_its_page(client, fixture_territory):
    picked = client.get(
        reverse("territories:communes"), {"commune": "96002", "commune_text": "Dreuil-lès-Villecentre (96)"}
    )
    typed = client.get(reverse("territories:communes"), {"commune": "", "commune_text": "villecentre"})

    assert picked.status_code == typed.status_code == 302
    assert picked["Location"] == "/territoires/communes/96002/"
    assert typed["Location"] == "/territoires/communes/96001/"


def test_typed_text_without_exact_match_lists_results(client, fixture_territory):
    response = client.get(reverse("territories:communes"), {"commune": "", "commune_text": "ville"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Aucune commune ne correspond à « ville »" in html
    assert "Villecentre (96)" in html and "Dreuil-lès-Villecentre (96)" in html


def test_commune_page(client, fixture_territory, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(reverse("territories:commune", args=["96001"]))

    assert response.status_code == 200
    html = response.content.decode().replace("\xa0", " ")
    assert "<h1>Villecentre" in html
    for expected in (
        'href="/territoires/departements/96/"',
        'href="/territoires/epci/200000001/">CA Villecentre Métropole</a>',
        'href="/territoires/zones-emploi/9801/">Villecentre (9801)</a>',
        'href="/territoires/bassins/9801/">VILLECENTRE (9801)</a>',
        "130 000 habitants",
        "96080",
        "46.90000, -6.30000",
    ):
        assert expected in html
    # The nearest communes with their distance.
    assert (
        'href="/territoires/communes/96002/">Dreuil-lès-Villecentre (96)</a></td><td class="fr-cell--right">4,'
        in html
    )
    assert "Saint-Essai" not in html  # about 18 km away: beyond the default 15 km
    assert "1 commune à moins de 15 km de Villecentre" in html


def test_commune_page_radius_can_be_widened(client, fixture_territory):
    html = client.get("/territoires/communes/96001/", {"rayon": "20"}).content.decode().replace("\xa0", " ")
    assert "2 communes à moins de 20 km de Villecentre, à vol d'oiseau, totalisant 2 040 habitants" in html
    assert "Saint-Essai (96)" in html
    assert '<option value="20" selected>20 km</option>' in html
    # A radius outside the choices falls back to the default and says what is wrong.
    invalid = client.get("/territoires/communes/96001/", {"rayon": "500"}).content.decode()
    assert "à moins de 15 km" in invalid and "fr-select-group--error" in invalid


def test_commune_page_of_an_attached_code_redirects(client, fixture_territory):
    assert client.get("/territoires/communes/97901/")["Location"] == "/territoires/communes/97056/"
    assert client.get("/territoires/communes/99999/").status_code == 404


def test_commune_page_lists_attached_codes(client, fixture_territory):
    html = client.get("/territoires/communes/96003/").content.decode()
    assert "Vieux-Essai" in html and "commune déléguée" in html and "96005" in html
    assert "Aucune (commune isolée)" in html


def test_territory_pages(client, fixture_territory, django_assert_max_num_queries):
    for url, heading, communes in (
        ("/territoires/departements/96/", "Département : Département d&#x27;essai (96)", 3),
        ("/territoires/epci/200000001/", "EPCI : CA Villecentre Métropole", 2),
        ("/territoires/zones-emploi/9801/", "Zone d&#x27;emploi : Villecentre (9801)", 3),
        ("/territoires/bassins/9802/", "Bassin d&#x27;emploi France Travail : ESSAI NORD (9802)", 1),
    ):
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f"<h1>{heading}</h1>" in html
        assert f"{communes} commune" in html
    assert client.get("/territoires/zones-emploi/0000/").status_code == 404
