import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from offers import services
from offers.models import ImportRun, Offer, Publication, RomeReview, Source
from tests.factories import AppellationFactory, FicheFactory, OrganisationFactory, UserFactory, advisor_of
from tests.offers.factories import CanonicalOfferFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(communes, fake_coder, fake_dedup):
    FicheFactory(code="D1102", label="Boulangerie - viennoiserie", parent_code="D1102")
    ft = SourceFactory(name="francetravail", label="France Travail")
    region = SourceFactory(name="region", label="Région")
    services.import_records(
        source=ft,
        records=[
            CanonicalOfferFactory(source_id="F1", url="https://ft.example/F1"),
            CanonicalOfferFactory(
                source_id="F2",
                title="Chargé de mission",
                description="Divers",
                rome_code="",
                employer_name="Agence",
                commune_code="59350",
            ),
        ],
    )
    services.import_records(
        source=region,
        records=[CanonicalOfferFactory(source="region", source_id="R1", url="https://region.example/R1")],
    )
    return Offer.objects.get(publications__external_id="F1")


def test_public_search_page(client, pool):
    response = client.get("/offres/", {"q": "boulangère", "commune": "80021", "radius_km": "30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 offre autour de Amiens" in html
    assert "Boulanger (H/F)" in html and "France Travail, Région" in html and "2 publications" in html
    assert "Chargé de mission" not in html
    assert "CDI (1)" in html  # facet with its count
    assert 'href="?q=boulang%C3%A8re&amp;commune=80021&amp;radius_km=30&amp;contract=CDI"' in html


def test_search_page_without_criteria_lists_the_pool_and_reports_bad_input(client, pool):
    html = client.get("/offres/").content.decode()
    assert "2 offres" in html
    bad = client.get("/offres/", {"commune_text": "Atlantide"})
    assert "Aucune commune ne correspond" in bad.content.decode()


def test_search_page_says_when_more_offers_match_than_were_read(client, pool, monkeypatch, settings):
    from offers import selectors

    settings.OFFERS_SEARCH_INDEX = False  # the database search's bound; the index counts every match
    monkeypatch.setattr(selectors, "MATCHES_READ", 1)
    html = client.get("/offres/").content.decode()
    assert "Plus de 1 offres" in html and "Seules les 1 premières sont affichées" in html


def test_search_page_writes_large_counts_the_french_way(client, pool, monkeypatch):
    from offers import selectors

    real = selectors.search_offers

    def counted(params):
        result = real(params)
        result.total = 64385
        result.facets["contract"][0].count = 12500
        return result

    monkeypatch.setattr(selectors, "search_offers", counted)
    html = client.get("/offres/", {"q": "boulanger"}).content.decode()
    assert "64\xa0385 offres" in html and "(12\xa0500)" in html  # no-break spaces


def test_offer_page_lists_publications_and_why_they_are_grouped(client, pool):
    response = client.get(pool.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Publications (2)" in html
    assert "https://ft.example/F1" in html and "https://region.example/R1" in html
    assert (
        "Pourquoi ces publications sont regroupées" in html
        and "Même employeur" in html
        and "Même intitulé de poste" in html
    )
    assert "D1102 — Boulangerie - viennoiserie" in html
    assert client.get("/offres/999999/").status_code == 404


def test_advisor_pages_need_a_login_and_a_partner_role(client, pool):
    assert client.get("/offres/sources/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/offres/sources/").status_code == 403
    assert client.get("/offres/rome/").status_code == 403


def test_sources_runs_and_report(client, pool):
    organisation = OrganisationFactory(name="France Travail Amiens")
    client.force_login(advisor_of(organisation))
    html = client.get("/offres/sources/").content.decode()
    assert "France Travail" in html and "Région" in html
    run = ImportRun.objects.filter(source__name="francetravail").first()
    assert client.get(f"/offres/sources/{run.source.name}/").status_code == 200
    services.import_records(
        source=run.source,
        records=[
            __import__("offers.canonical", fromlist=["RejectedRecord"]).RejectedRecord(
                7, "intitule: missing title"
            )
        ],
    )
    bad_run = ImportRun.objects.filter(source__name="francetravail").first()
    html = client.get(f"/offres/imports/{bad_run.pk}/").content.decode()
    assert "intitule: missing title" in html and "<td>7</td>" in html


def test_upload_csv_creates_the_source_owned_by_the_advisors_organisation(client, communes, fake_coder):
    organisation = OrganisationFactory(name="Mission locale")
    client.force_login(advisor_of(organisation))
    data = "reference;intitule;ville;code_postal\nML1;Serveur H/F;Amiens;80000\nML2;;Amiens;80000\n".encode(
        "latin-1"
    )
    mapping = json.dumps(
        {"source_id": "reference", "title": "intitule", "commune_name": "ville", "postal_code": "code_postal"}
    ).encode()
    response = client.post(
        "/offres/sources/importer/",
        {
            "new_source": "mission-locale",
            "format": "csv",
            "file": SimpleUploadedFile("offres.csv", data),
            "mapping": SimpleUploadedFile("mapping.json", mapping),
        },
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == f"/offres/imports/{run.pk}/"
    assert (run.created_count, run.rejected_count, run.file_name) == (1, 1, "offres.csv")
    source = Source.objects.get(name="mission-locale")
    assert source.owner == organisation and source.mapping["title"] == "intitule"
    assert Publication.objects.get().commune_id == "80021"


def test_upload_into_another_organisations_source_is_refused(client, communes, fake_coder):
    owner = OrganisationFactory(name="Région")
    source = SourceFactory(name="region", owner=owner, kind="csv")
    client.force_login(advisor_of(OrganisationFactory(name="Autre")))
    response = client.post(
        "/offres/sources/importer/",
        {
            "source": source.pk,
            "format": "csv",
            "file": SimpleUploadedFile("a.csv", b"source_id;title\n1;x\n"),
        },
    )
    assert response.status_code == 400  # not among the sources this advisor may choose
    assert not ImportRun.objects.exists()


def test_upload_reports_a_broken_file(client, communes, fake_coder):
    client.force_login(advisor_of(OrganisationFactory(name="Région"), role=Role.MANAGER))
    response = client.post(
        "/offres/sources/importer/",
        {"new_source": "x", "format": "francetravail", "file": SimpleUploadedFile("a.json", b"[{oops")},
    )
    assert response.status_code == 400 and "invalid JSON" in response.content.decode()


def test_rome_review_list_and_choice(client, pool):
    fiche = FicheFactory(code="K1802", label="Développement local", parent_code="K1802")
    appellation = AppellationFactory(fiche=fiche, label="Chargé / Chargée de mission développement local")
    client.force_login(advisor_of(OrganisationFactory(name="France Travail Amiens")))
    review = RomeReview.objects.get()
    html = client.get("/offres/rome/").content.decode()
    assert "Chargé de mission" in html and "1 offre à coder" in html
    assert client.get(f"/offres/rome/{review.pk}/").status_code == 200
    response = client.post(f"/offres/rome/{review.pk}/", {"appellation": appellation.pk})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.chosen_code) == ("done", "K1802")
    assert Publication.objects.get(external_id="F2").offer.fiche == fiche


def test_search_page_and_api_queries_do_not_grow_with_the_offers_listed(client, pool):
    """No query per listed offer (a field the page shows but the search leaves in the database would add one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(url):
        client.get(url)  # the search index catches up with the changes first (a few queries, once)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = [queries_for("/offres/?sort=date"), queries_for("/api/v1/offers?sort=date")]
    services.import_records(
        source=Source.objects.get(name="region"),
        records=[
            CanonicalOfferFactory(
                source="region", source_id=f"R{n}", title=f"Vendeur {n}", employer_name=f"Boutique {n}"
            )
            for n in range(2, 6)
        ],
    )
    assert Offer.objects.count() == 6
    assert [queries_for("/offres/?sort=date"), queries_for("/api/v1/offers?sort=date")] == before
