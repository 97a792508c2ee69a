"""`reseau-emploi aids evaluate` and the API: same engine, same JSON shape, errors that name the field."""

import json

import pytest
from django.core.management import call_command

from aids.distances import communes
from tests.aids.test_rules import HOME, ON, PLACES, place_at

SITUATIONS = [
    {
        "person": {
            "age": 25,
            "status": "job_seeker",
            "job_seeker_category": 1,
            "registration_date": "2024-01-01",
            "allowance": "none",
            "residence_commune": HOME.code,
            "driving_licence": False,
            "household": "single",
            "children_ages": [],
            "reference_tax_income": 12000,
            "attached_to_parents": False,
            "vehicle": False,
        },
        "need": {
            "kind": "interview",
            "place_commune": None,
            "contract_type": "cdi",
            "start_date": ON.isoformat(),
        },
        "evaluation_date": ON.isoformat(),
    },
    {"person": {"age": 40, "status": "employee"}, "evaluation_date": ON.isoformat()},
]


@pytest.fixture
def situations(db):
    SITUATIONS[0]["need"]["place_commune"] = place_at(40)
    communes._places.update(PLACES)
    return SITUATIONS


def _by_id(aids):
    return {aid["id"]: aid for aid in aids}


def test_cli_evaluates_in_order_and_falls_back_to_the_packaged_catalogue(situations, tmp_path, capsys):
    source, out = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(situations))
    call_command("aids", "evaluate", str(source), str(out))
    result = json.loads(out.read_text())
    assert len(result) == 2
    first, second = _by_id(result[0]["aids"]), _by_id(result[1]["aids"])
    assert first["france-travail-aide-mobilite"]["status"] == "eligible"
    assert first["france-travail-aide-mobilite"]["amount"] == pytest.approx(18.4)
    assert first["hauts-de-france-aide-permis"]["alternatives"] == ["france-travail-aide-permis-b"]
    assert second["france-travail-aide-mobilite"]["status"] == "not_eligible"
    assert second["hauts-de-france-aide-permis"]["status"] == "undetermined"
    assert "person.residence_commune" in second["hauts-de-france-aide-permis"]["missing"]
    for aid in first.values():
        assert set(aid) >= {"id", "status", "amount", "reasons", "missing"}
        assert aid["reasons"]


def test_cli_names_the_situation_the_field_and_the_problem(situations, tmp_path, capsys):
    source, out = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps([situations[1], {"person": {"age": -3, "status": "astronaut"}}]))
    with pytest.raises(SystemExit):
        call_command("aids", "evaluate", str(source), str(out))
    err = capsys.readouterr().err
    assert "situation 1: person.age: must be a whole number, 0 or more" in err
    assert "situation 1: person.status: 'astronaut' is not one of" in err
    result = json.loads(out.read_text())
    assert result[0]["aids"] and result[1]["aids"] == []
    assert {"field": "person.age", "message": "must be a whole number, 0 or more"} in result[1]["errors"]


def test_api_evaluates_one_situation_and_a_batch(situations, client):
    response = client.post("/api/v1/aids/evaluate", situations[0], content_type="application/json")
    assert response.status_code == 200
    assert _by_id(response.json()["aids"])["france-travail-aide-mobilite"]["status"] == "eligible"
    response = client.post(
        "/api/v1/aids/evaluate/batch", {"situations": situations}, content_type="application/json"
    )
    assert response.status_code == 200
    assert len(response.json()) == 2


def test_api_422_names_the_field(client, db):
    response = client.post(
        "/api/v1/aids/evaluate",
        {"person": {"status": "astronaut"}, "need": {"weekly_hours": -1}},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {detail["field"] for detail in response.json()["error"]["details"]}
    assert "body.situation.person.status" in fields
    assert "body.situation.need.weekly_hours" in fields
