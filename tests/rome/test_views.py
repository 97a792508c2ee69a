import pytest
from django.urls import reverse


@pytest.mark.usefixtures("small_rome")
def test_index_lists_domains_with_counts_and_the_search_form(client):
    response = client.get(reverse("rome:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 fiches métiers, 29 appellations" in html
    assert 'href="/metiers/domaines/M18/"' in html and "(2 fiches)" in html
    assert 'data-url="/api/v1/rome/appellations"' in html and 'name="appellation_text"' in html
    assert "ROME 4.0 version 60 - 25M09 (extrait de test)" in html
    assert 'src="/static/rome/js/submit-on-select.js"' in html  # a file, not an inline script (CSP)


@pytest.mark.usefixtures("small_rome")
def test_menu_offers_the_rome_to_anonymous_visitors(client):
    assert 'href="/metiers/"' in client.get(reverse("core:home")).content.decode()


@pytest.mark.usefixtures("small_rome")
def test_search_lists_appellations_and_fiches(client):
    response = client.get(reverse("rome:search"), {"q": "aide soignante"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Aide-soignant / Aide-soignante</a>") < html.index(
        "Aide-soignant / Aide-soignante à domicile"
    )
    assert 'href="/metiers/fiches/J1501/"' in html
    assert "la plus proche en premier" in html


@pytest.mark.usefixtures("small_rome")
def test_search_without_results_says_so(client):
    assert (
        "Aucune appellation ne correspond"
        in client.get(reverse("rome:search"), {"q": "zzzzqqq"}).content.decode()
    )


@pytest.mark.usefixtures("small_rome")
def test_search_with_a_chosen_appellation_or_a_code_opens_the_fiche(client):
    response = client.get(
        reverse("rome:search"), {"appellation": "14156", "appellation_text": "Développeur / Développeuse web"}
    )
    assert response["Location"] == "/metiers/fiches/M1855/#appellation-14156"
    assert (
        client.get(reverse("rome:search"), {"appellation_text": "j1501"})["Location"]
        == "/metiers/fiches/J1501/"
    )


@pytest.mark.usefixtures("small_rome")
def test_search_typed_text_without_javascript_shows_results(client):
    response = client.get(reverse("rome:search"), {"appellation": "", "appellation_text": "developpeur web"})
    assert response.status_code == 200 and "Développeur / Développeuse web" in response.content.decode()


@pytest.mark.usefixtures("small_rome")
def test_domaine_page(client):
    response = client.get(reverse("rome:domaine", args=["m18"]))
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "M1855" in html
        and "M1805 — Études et développement informatique" in html
    )
    assert client.get(reverse("rome:domaine", args=["Z99"])).status_code == 404


@pytest.mark.usefixtures("small_rome")
def test_fiche_page_shows_everything(client):
    response = client.get(reverse("rome:fiche", args=["J1501"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Soins d&#x27;hygiène, de confort du patient" in html  # ROME v3 parent label
    assert "Définition" in html and "Accès à l'emploi" in html
    assert "<li>Assure les soins du quotidien, de confort et de bien-être des patients</li>" in html
    assert 'id="appellation-10891"' in html and "appellation principale" in html and "peu usitée" in html
    assert "Savoir-faire" in html and "Savoir-être professionnels" in html and "Savoirs" in html
    assert "cœur de métier" in html
    assert 'href="/metiers/fiches/M1805/"' in html  # mobility out
    assert 'class="fr-breadcrumb"' in html and 'href="/metiers/domaines/J15/"' in html
    web = client.get(reverse("rome:fiche", args=["M1855"])).content.decode()
    assert (
        "Depuis d'autres métiers" in web and 'href="/metiers/fiches/M1805/">M1805</a>' in web
    )  # v3 parent link
    assert client.get(reverse("rome:fiche", args=["Z9999"])).status_code == 404


@pytest.mark.usefixtures("empty_rome")
def test_pages_and_api_say_when_the_rome_is_not_loaded(client):
    assert "Le ROME n'est pas encore chargé" in client.get(reverse("rome:index")).content.decode()
    assert client.get("/api/v1/rome/appellations", {"q": "cariste"}).json() == {"items": [], "count": 0}
