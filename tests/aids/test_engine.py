"""The engine's batch mode and its declarative evaluator."""

from datetime import date

import pytest

from aids.engine import simulation as simulation_module
from aids.models import Aid
from aids.selectors import catalogue_for_engine
from aids.services import evaluate, evaluate_many
from aids.situations import Need, Person, Situation
from tests.aids.test_rules import HOME, ON, PLACES, job_seeker, job_start, place_at


@pytest.fixture
def aids(db):
    from aids.distances import communes

    communes._places.update(PLACES)
    return catalogue_for_engine()


def test_a_cohort_is_one_simulation_and_gives_the_same_answers_as_one_by_one(aids, monkeypatch):
    situations = [
        Situation(person=job_seeker(age=age, children_ages=children), need=job_start(km), evaluation_date=ON)
        for age, children, km in [(19, [], 10), (31, [1], 45), (45, [2, 7], 80), (25, None, 30)]
    ]
    calls = []
    build = simulation_module.build_simulation
    monkeypatch.setattr(
        simulation_module, "build_simulation", lambda cohort: calls.append(cohort.size) or build(cohort)
    )
    batch = evaluate_many(situations=situations, aids=aids)
    assert calls == [4]
    for situation, results in zip(situations, batch, strict=True):
        assert [r.as_dict() for r in evaluate(situation=situation, aids=aids)] == [
            r.as_dict() for r in results
        ]


def test_situations_of_different_days_use_the_rules_of_their_day(aids):
    person = job_seeker(household="couple", children_ages=[11])
    before, after = (
        Situation(person=person, need=job_start(), evaluation_date=day) for day in (date(2024, 3, 12), ON)
    )
    results = evaluate_many(situations=[before, after], aids=aids)
    statuses = [{r.aid_id: r.status for r in one}["france-travail-aide-garde-enfants"] for one in results]
    assert statuses == ["not_eligible", "eligible"]


def test_declarative_aid_checks_territory_age_licence_and_leaves_manual_conditions_to_verify(aids):
    lille = Aid(
        id="ville-test-permis",
        label="Aide au permis de la commune",
        institution="Commune",
        theme="mobility_licence",
        rule_kind="declarative",
        commune_codes=[HOME.code],
        amount_max=500,
        declarative_conditions=[
            {"type": "age", "operator": "<=", "value": 25},
            {"type": "driving_licence", "value": False},
        ],
    )
    manual = Aid(
        id="caf-test",
        label="Prêt CAF",
        institution="CAF",
        theme="equipment",
        rule_kind="declarative",
        declarative_conditions=[{"type": "manual", "text": "quotient familial inférieur à 700 €"}],
    )

    def result(person, aid):
        [r] = evaluate(situation=Situation(person=person, need=Need(), evaluation_date=ON), aids=[aid])
        return r

    assert (result(job_seeker(age=25), lille).status, result(job_seeker(age=25), lille).amount) == (
        "eligible",
        500,
    )
    assert result(job_seeker(age=26), lille).status == "not_eligible"
    assert result(job_seeker(residence_commune="75056"), lille).status == "not_eligible"
    unknown = result(job_seeker(age=None), lille)
    assert unknown.status == "undetermined" and [q.field for q in unknown.missing] == ["person.birth_date"]
    to_verify = result(job_seeker(), manual)
    assert to_verify.status == "undetermined"
    assert "À vérifier auprès de l'organisme : quotient familial inférieur à 700 €." in to_verify.reasons


def test_non_cumulable_aids_are_alternatives_of_each_other(aids):
    situation = Situation(
        person=job_seeker(age=22),
        need=Need(kind="job_start", place_commune=place_at(12), contract_type="cdi", start_date=ON),
        evaluation_date=ON,
    )
    results = {r.aid_id: r for r in evaluate(situation=situation, aids=aids)}
    assert results["france-travail-aide-permis-b"].alternatives == ["hauts-de-france-aide-permis"]
    assert results["hauts-de-france-aide-permis"].alternatives == ["france-travail-aide-permis-b"]


def test_person_with_nothing_known_gets_questions_not_errors(aids):
    results = evaluate(situation=Situation(person=Person(), need=Need(), evaluation_date=ON), aids=aids)
    assert {r.status for r in results} <= {"undetermined", "not_eligible"}
    asked = {q.field for r in results for q in r.missing}
    assert {"person.residence_commune", "person.status", "need.kind"} <= asked


def test_a_job_offer_of_the_pool_gives_the_place_contract_and_hours(aids):
    from offers.models import Offer
    from tests.factories import CommuneFactory

    place = CommuneFactory(
        code="80001", name="Abbeville", latitude=HOME.latitude + 0.4, longitude=HOME.longitude
    )
    offer = Offer.objects.create(
        title="Aide-soignant", commune=place, contract_type="CDD", contract_duration_months=4, weekly_hours=30
    )
    situation = Situation(
        person=job_seeker(children_ages=[3]),
        need=Need(kind="job_start", offer_id=str(offer.pk), start_date=ON),
        evaluation_date=ON,
    )
    results = {r.aid_id: r for r in evaluate(situation=situation, aids=aids)}
    assert results["france-travail-aide-mobilite"].status == "eligible"  # 4-month CDD, 2 × 58 km
    assert results["france-travail-aide-garde-enfants"].amount == 416  # 30 hours a week
