import pytest

pytestmark = pytest.mark.usefixtures("small_rome")
API = "/api/v1/rome"


def test_appellation_search_shape_and_order(client):
    response = client.get(f"{API}/appellations", {"q": "developpeur web", "limit": 3})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"items", "count"} and data["count"] == len(data["items"]) == 3
    top = data["items"][0]
    assert top == {
        "code_ogr": 14156,
        "label": "Développeur / Développeuse web",
        "rome_code": "M1855",
        "rome_label": "Développeur / Développeuse web",
        "score": top["score"],
    }
    scores = [item["score"] for item in data["items"]]
    assert scores == sorted(scores, reverse=True) and isinstance(top["score"], float)


def test_appellation_search_default_limit_and_no_match(client):
    assert (
        client.get(f"{API}/appellations", {"q": "aide soignante"}).json()["items"][0]["rome_code"] == "J1501"
    )
    assert client.get(f"{API}/appellations", {"q": "zzzzqqq"}).json() == {"items": [], "count": 0}


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "web", "limit": 0}, {"q": "web", "limit": 51}])
def test_appellation_search_rejects_bad_parameters(client, params):
    response = client.get(f"{API}/appellations", params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (
        error["status"] == 422
        and error["code"] == "invalid"
        and error["details"][0]["field"].startswith("query.")
    )


def test_appellation_detail_and_404(client):
    data = client.get(f"{API}/appellations/10892").json()
    assert data["label"] == "Aide-soignant / Aide-soignante à domicile" and data["rarely_used"] is True
    assert data["fiche"]["code"] == "J1501" and data["fiche"]["grand_domaine"] == {
        "code": "J",
        "label": "Santé",
    }
    response = client.get(f"{API}/appellations/1")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_fiche_list_is_paginated_and_filtered(client):
    data = client.get(f"{API}/fiches", {"limit": 2}).json()
    assert data["count"] == 3 and [f["code"] for f in data["items"]] == ["J1501", "M1805"]
    assert client.get(f"{API}/fiches", {"limit": 2, "offset": 2}).json()["items"][0]["code"] == "M1855"
    assert [f["code"] for f in client.get(f"{API}/fiches", {"domaine": "M18"}).json()["items"]] == [
        "M1805",
        "M1855",
    ]
    assert client.get(f"{API}/fiches", {"grand_domaine": "J"}).json()["count"] == 1
    assert [f["code"] for f in client.get(f"{API}/fiches", {"q": "M18"}).json()["items"]] == [
        "M1805",
        "M1855",
    ]
    assert client.get(f"{API}/fiches", {"q": "developpeuse web"}).json()["items"][0]["code"] == "M1855"


def test_fiche_detail(client):
    data = client.get(f"{API}/fiches/m1855").json()
    assert (data["parent_code"], data["parent_label"]) == ("M1805", "Études et développement informatique")
    assert data["domaine"]["code"] == "M18" and data["grand_domaine"]["code"] == "M"
    assert data["appellations"][0] == {
        "code_ogr": 14156,
        "label": "Développeur / Développeuse web",
        "is_principal": True,
        "rarely_used": False,
    }
    assert set(data["skills"]) == {"savoir_faire", "savoir_etre", "savoir"}
    assert any(skill["is_core"] for skill in data["skills"]["savoir_faire"] + data["skills"]["savoir"])
    assert data["mobilities"] == [
        {"code": "M1805", "label": "Développeur / Développeuse informatique", "order": 1}
    ]
    assert data["incoming_mobilities"][0]["code"] == "M1805"
    j1501 = client.get(f"{API}/fiches/J1501").json()
    assert j1501["skills"]["savoir_etre"][0]["label"] == "Etre à l'écoute, faire preuve d'empathie"
    response = client.get(f"{API}/fiches/Z9999")
    assert response.status_code == 404 and response.json()["error"]["message"] == "Aucune fiche ROME Z9999."


def test_domaines_tree_counts_fiches(client):
    data = client.get(f"{API}/domaines").json()
    assert [gd["code"] for gd in data] == ["J", "M"]
    assert data[1]["domaines"] == [
        {"code": "M18", "label": "Systèmes d'information et de télécommunication", "fiche_count": 2}
    ]


def test_endpoints_are_documented_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    rome = sorted(path for path in paths if path.startswith("/api/v1/rome/"))
    assert rome == [
        "/api/v1/rome/appellations",
        "/api/v1/rome/appellations/{code_ogr}",
        "/api/v1/rome/domaines",
        "/api/v1/rome/fiches",
        "/api/v1/rome/fiches/{code}",
    ]
    assert "limit" in str(paths["/api/v1/rome/appellations"]["get"]["parameters"])
