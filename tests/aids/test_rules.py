"""Situations with their expected results, written from the official rules (the rule is cited for each case).

Distances are set by placing communes at a chosen road distance (one way) from the home; the engine computes
them (great-circle × ROAD_DETOUR_FACTOR), as in the app.
"""

from dataclasses import replace
from datetime import date

import pytest

from aids.distances import ROAD_DETOUR_FACTOR, Place, communes
from aids.engine.simulation import smic_net_mensuel
from aids.selectors import catalogue_for_engine
from aids.services import evaluate
from aids.situations import Need, Person, Situation
from territories.geo import KM_PER_DEGREE_LATITUDE

ON = date(2025, 3, 12)
HOME = Place("80021", 49.9, 2.3, "80", "32", "200070993")
PARIS = Place("75056", 48.86, 2.35, "75", "11", "200054781")
PLACES = {HOME.code: HOME, PARIS.code: PARIS}

AMOB = "france-travail-aide-mobilite"
PERMIS_FT = "france-travail-aide-permis-b"
AGE = "france-travail-aide-garde-enfants"
PERMIS_HDF = "hauts-de-france-aide-permis"
ATP = "hauts-de-france-aide-transport"
ERE = "hauts-de-france-en-route-pour-l-emploi"
GARDE_HDF = "hauts-de-france-aide-garde-enfants"

# Sources cited by the cases
R_AMOB = "Instruction France Travail DG 2024-7 ; délibération 2022-56 (0,23 €/km, 6,25 €/repas, 31,20 €/nuit)"
R_PERMIS_FT = "service-public.fr F1719"
R_AGE = "Délibération France Travail 2024-35 (AGE) ; délibération 2013-46 (AGEPI)"
R_PERMIS_HDF = "guide-aides.hautsdefrance.fr/dispositif931"
R_ATP = "aides.hautsdefrance.fr ATPS24"
R_ERE = "guide-aides.hautsdefrance.fr dispositif 632"
R_GARDE = "guide-aides.hautsdefrance.fr/dispositif636"


def place_at(km: float) -> str:
    """The code of a commune `km` road kilometres (one way) north of home."""
    code = f"8{int(km * 100):04d}"
    degrees = km / ROAD_DETOUR_FACTOR / KM_PER_DEGREE_LATITUDE
    PLACES[code] = Place(code, HOME.latitude + degrees, HOME.longitude, "80", "32", "")
    return code


def job_seeker(**changes) -> Person:
    base = Person(
        age=28,
        status="job_seeker",
        job_seeker_category=1,
        registration_date=date(2024, 1, 10),
        allowance="none",
        household="single",
        children_ages=[],
        residence_commune=HOME.code,
        driving_licence=False,
        vehicle=False,
        disability=False,
        mission_locale_follow_up=False,
        reference_tax_income=9000,
        attached_to_parents=False,
        household_monthly_income=900,
        monthly_income=1500,
        partner_working=None,
    )
    return replace(base, **changes)


def interview(km: float, **changes) -> Need:
    return replace(
        Need(kind="interview", place_commune=place_at(km), contract_type="cdi", start_date=ON), **changes
    )


def job_start(km: float = 45, **changes) -> Need:
    base = Need(
        kind="job_start", place_commune=place_at(km), contract_type="cdi", weekly_hours=35, start_date=ON
    )
    return replace(base, **changes)


def training(km: float = 45, **changes) -> Need:
    base = Need(
        kind="training",
        place_commune=place_at(km),
        training_hours=200,
        training_funded=True,
        weekly_hours=35,
        start_date=ON,
    )
    return replace(base, **changes)


CASES = [
    # --- Aide à la mobilité (France Travail) ---
    (
        "amob-61km",
        R_AMOB + " : plus de 60 km aller-retour",
        job_seeker(),
        interview(30.5),
        AMOB,
        "eligible",
        14.03,
    ),
    (
        "amob-59km",
        R_AMOB + " : 59 km aller-retour, sous le seuil",
        job_seeker(),
        interview(29.5),
        AMOB,
        "not_eligible",
        0,
    ),
    (
        "amob-cdd-2-months",
        R_AMOB + " : CDD de moins de 3 mois",
        job_seeker(),
        job_start(45, contract_type="cdd", contract_months=2),
        AMOB,
        "not_eligible",
        0,
    ),
    (
        "amob-cdd-3-months-20-trips",
        R_AMOB + " : 0,23 € × 90 km × 20 allers-retours",
        job_seeker(),
        job_start(45, contract_type="cdd", contract_months=3, round_trips=20),
        AMOB,
        "eligible",
        414.0,
    ),
    (
        "amob-meals-nights",
        R_AMOB + " : 0,23 × 80 + 2 repas + 1 nuitée",
        job_seeker(),
        interview(40, meals=2, nights=1),
        AMOB,
        "eligible",
        62.1,
    ),
    (
        "amob-training-39h",
        R_AMOB + " : formation de moins de 40 heures",
        job_seeker(),
        training(45, training_hours=39),
        AMOB,
        "not_eligible",
        0,
    ),
    (
        "amob-training-40h",
        R_AMOB + " : formation financée de 40 heures",
        job_seeker(),
        training(45, training_hours=40),
        AMOB,
        "eligible",
        20.7,
    ),
    (
        "amob-training-unfunded",
        R_AMOB + " : formation non financée",
        job_seeker(),
        training(45, training_funded=False),
        AMOB,
        "not_eligible",
        0,
    ),
    (
        "amob-are-above-minimum",
        R_AMOB + " : ARE au-dessus de l'ARE minimale (31,97 € depuis juillet 2024)",
        job_seeker(allowance="are", allowance_daily_amount=31.98),
        interview(40),
        AMOB,
        "not_eligible",
        0,
    ),
    (
        "amob-are-at-minimum",
        R_AMOB + " : ARE égale à l'ARE minimale",
        job_seeker(allowance="are", allowance_daily_amount=31.97),
        interview(40),
        AMOB,
        "eligible",
        18.4,
    ),
    (
        "amob-yearly-cap",
        R_AMOB + " : plafond annuel de 5 200 € (5 190 € déjà perçus)",
        job_seeker(),
        interview(40),
        AMOB,
        "eligible",
        10.0,
    ),
    (
        "amob-employee",
        R_AMOB + " : réservée aux demandeurs d'emploi",
        job_seeker(status="employee"),
        interview(40),
        AMOB,
        "not_eligible",
        0,
    ),
    (
        "amob-late-request",
        R_AMOB + " : demande plus de 7 jours après l'entretien",
        job_seeker(),
        interview(40, start_date=date(2025, 3, 1)),
        AMOB,
        "not_eligible",
        0,
    ),
    (
        "amob-no-place",
        R_AMOB + " : lieu inconnu, distance à calculer",
        job_seeker(),
        Need(kind="interview", contract_type="cdi", start_date=ON),
        AMOB,
        "undetermined",
        None,
    ),
    # --- Aide au permis B (France Travail) ---
    (
        "permis-ft-17",
        R_PERMIS_FT + " : au moins 18 ans",
        job_seeker(age=17),
        Need(),
        PERMIS_FT,
        "not_eligible",
        0,
    ),
    (
        "permis-ft-18",
        R_PERMIS_FT + " : 18 ans, inscrit depuis plus de 6 mois",
        job_seeker(age=18),
        Need(),
        PERMIS_FT,
        "eligible",
        1200,
    ),
    (
        "permis-ft-5-months",
        R_PERMIS_FT + " : inscrit depuis 5 mois sans promesse d'embauche",
        job_seeker(registration_date=date(2024, 10, 12)),
        Need(kind="training"),
        PERMIS_FT,
        "not_eligible",
        0,
    ),
    (
        "permis-ft-5-months-project-unknown",
        R_PERMIS_FT + " : 5 mois, projet inconnu (une promesse d'embauche ouvrirait la dérogation)",
        job_seeker(registration_date=date(2024, 10, 12)),
        Need(),
        PERMIS_FT,
        "undetermined",
        None,
    ),
    (
        "permis-ft-promise",
        R_PERMIS_FT + " : dérogation, promesse d'embauche en CDI",
        job_seeker(registration_date=date(2025, 1, 12)),
        job_start(10),
        PERMIS_FT,
        "eligible",
        1200,
    ),
    (
        "permis-ft-category-c",
        R_PERMIS_FT + " : catégorie C exclue",
        job_seeker(job_seeker_category=3),
        Need(),
        PERMIS_FT,
        "not_eligible",
        0,
    ),
    (
        "permis-ft-has-licence",
        R_PERMIS_FT + " : déjà titulaire du permis",
        job_seeker(driving_licence=True),
        Need(),
        PERMIS_FT,
        "not_eligible",
        0,
    ),
    (
        "permis-ft-rsa",
        R_PERMIS_FT + " : allocataire du RSA",
        job_seeker(allowance="rsa"),
        Need(),
        PERMIS_FT,
        "eligible",
        1200,
    ),
    (
        "permis-ft-registration-unknown",
        R_PERMIS_FT + " : date d'inscription inconnue",
        job_seeker(registration_date=None),
        Need(),
        PERMIS_FT,
        "undetermined",
        None,
    ),
    # --- Aide à la garde d'enfants (France Travail) ---
    (
        "age-1-child",
        R_AGE + " : 1 enfant, 15 à 35 h",
        job_seeker(children_ages=[5]),
        job_start(),
        AGE,
        "eligible",
        416,
    ),
    (
        "age-2-children",
        R_AGE + " : 2 enfants",
        job_seeker(children_ages=[5, 8]),
        job_start(),
        AGE,
        "eligible",
        478.4,
    ),
    (
        "age-3-children",
        R_AGE + " : 3 enfants et plus",
        job_seeker(children_ages=[1, 5, 8]),
        job_start(),
        AGE,
        "eligible",
        540.8,
    ),
    (
        "age-4-children-part-time",
        R_AGE + " : moins de 15 h par semaine, 3 enfants et plus",
        job_seeker(children_ages=[1, 2, 5, 8]),
        job_start(weekly_hours=10),
        AGE,
        "eligible",
        228.8,
    ),
    (
        "age-child-11",
        R_AGE + " : enfant de 11 ans (moins de 12 ans depuis mai 2024)",
        job_seeker(children_ages=[11]),
        job_start(),
        AGE,
        "eligible",
        416,
    ),
    (
        "age-child-12",
        R_AGE + " : enfant de 12 ans",
        job_seeker(children_ages=[12]),
        job_start(),
        AGE,
        "not_eligible",
        0,
    ),
    (
        "agepi-2024-couple",
        R_AGE + " : mars 2024, AGEPI réservée aux parents isolés",
        job_seeker(household="couple", children_ages=[5]),
        job_start(),
        AGE,
        "not_eligible",
        0,
    ),
    (
        "age-2025-couple",
        R_AGE + " : depuis mai 2024, sans condition d'isolement",
        job_seeker(household="couple", children_ages=[5]),
        job_start(),
        AGE,
        "eligible",
        416,
    ),
    (
        "age-children-unknown",
        R_AGE + " : enfants non renseignés",
        job_seeker(children_ages=None),
        job_start(),
        AGE,
        "undetermined",
        None,
    ),
    (
        "age-already-received",
        R_AGE + " : déjà perçue dans les 12 mois",
        job_seeker(children_ages=[5]),
        job_start(),
        AGE,
        "not_eligible",
        0,
    ),
    # --- Aide au permis de la Région ---
    ("permis-hdf-30", R_PERMIS_HDF + " : 30 ans", job_seeker(age=30), Need(), PERMIS_HDF, "eligible", 1200),
    (
        "permis-hdf-31",
        R_PERMIS_HDF + " : 31 ans, sans enfant",
        job_seeker(age=31),
        Need(),
        PERMIS_HDF,
        "not_eligible",
        0,
    ),
    (
        "permis-hdf-rfr-ceiling",
        R_PERMIS_HDF + " : revenu fiscal égal au plafond de 28 200 €",
        job_seeker(reference_tax_income=28200),
        Need(),
        PERMIS_HDF,
        "not_eligible",
        0,
    ),
    (
        "permis-hdf-rfr-below",
        R_PERMIS_HDF + " : revenu fiscal de 28 199 €",
        job_seeker(reference_tax_income=28199),
        Need(),
        PERMIS_HDF,
        "eligible",
        1200,
    ),
    (
        "permis-hdf-couple-42000",
        R_PERMIS_HDF + " : en couple, 42 000 € < 42 250 €",
        job_seeker(household="couple", reference_tax_income=42000),
        Need(),
        PERMIS_HDF,
        "eligible",
        1200,
    ),
    (
        "permis-hdf-couple-ceiling",
        R_PERMIS_HDF + " : en couple, plafond de 42 250 € atteint",
        job_seeker(household="couple", reference_tax_income=42250),
        Need(),
        PERMIS_HDF,
        "not_eligible",
        0,
    ),
    (
        "permis-hdf-lone-parent-45",
        R_PERMIS_HDF + " : parent isolé de 45 ans",
        job_seeker(age=45, children_ages=[4]),
        Need(),
        PERMIS_HDF,
        "eligible",
        1200,
    ),
    (
        "permis-hdf-employee",
        R_PERMIS_HDF + " : salarié non suivi",
        job_seeker(status="employee"),
        Need(),
        PERMIS_HDF,
        "not_eligible",
        0,
    ),
    (
        "permis-hdf-apprentice",
        R_PERMIS_HDF + " : apprenti, plafond de 1 350 €",
        job_seeker(status="apprentice"),
        Need(),
        PERMIS_HDF,
        "eligible",
        1350,
    ),
    (
        "permis-hdf-paris",
        R_PERMIS_HDF + " : résidence hors Hauts-de-France",
        job_seeker(residence_commune="75056"),
        Need(),
        PERMIS_HDF,
        "not_eligible",
        0,
    ),
    # --- Aide au transport aux particuliers ---
    (
        "atp-20km-2smic",
        R_ATP + " : 20 km, salaire égal à 2 SMIC (inclus)",
        "2smic",
        job_start(20),
        ATP,
        "eligible",
        20,
    ),
    (
        "atp-19km",
        R_ATP + " : 19 km",
        job_seeker(vehicle=True, driving_licence=True),
        job_start(19),
        ATP,
        "not_eligible",
        0,
    ),
    ("atp-no-vehicle", R_ATP + " : sans véhicule", job_seeker(), job_start(30), ATP, "not_eligible", 0),
    (
        "atp-above-2smic",
        R_ATP + " : salaire au-dessus de 2 SMIC",
        "2smic+",
        job_start(30),
        ATP,
        "not_eligible",
        0,
    ),
    (
        "atp-disability-5km",
        R_ATP + " : handicap, 1 km suffit",
        job_seeker(vehicle=True, driving_licence=True, disability=True),
        job_start(5),
        ATP,
        "eligible",
        20,
    ),
    (
        "atp-cdd-2-weeks",
        R_ATP + " : CDD de moins d'un mois",
        job_seeker(vehicle=True, driving_licence=True),
        job_start(30, contract_type="cdd", contract_months=0.5),
        ATP,
        "not_eligible",
        0,
    ),
    # --- En route pour l'emploi ---
    (
        "ere-cdd-2-months",
        R_ERE + " : CDD de 2 mois, permis, sans voiture",
        job_seeker(driving_licence=True),
        job_start(30, contract_type="cdd", contract_months=2),
        ERE,
        "eligible",
        None,
    ),
    (
        "ere-has-car",
        R_ERE + " : a une voiture",
        job_seeker(driving_licence=True, vehicle=True),
        job_start(30),
        ERE,
        "not_eligible",
        0,
    ),
    ("ere-no-licence", R_ERE + " : sans permis", job_seeker(), job_start(30), ERE, "not_eligible", 0),
    # --- Aide régionale à la garde d'enfants ---
    (
        "garde-lone-parent",
        R_GARDE + " : parent isolé, enfant de 2 ans, 30 €",
        job_seeker(children_ages=[2]),
        job_start(),
        GARDE_HDF,
        "eligible",
        30,
    ),
    (
        "garde-couple-2-children",
        R_GARDE + " : couple actif, 2 enfants de moins de 3 ans, 2 × 20 €",
        job_seeker(
            household="couple", partner_working=True, children_ages=[0, 2], household_monthly_income=3500
        ),
        job_start(),
        GARDE_HDF,
        "eligible",
        40,
    ),
    (
        "garde-child-3",
        R_GARDE + " : enfant de 3 ans",
        job_seeker(children_ages=[3]),
        job_start(),
        GARDE_HDF,
        "not_eligible",
        0,
    ),
    (
        "garde-income-too-high",
        R_GARDE + " : parent isolé, revenus au-dessus de 2 SMIC",
        job_seeker(children_ages=[1], household_monthly_income=4000),
        job_start(),
        GARDE_HDF,
        "not_eligible",
        0,
    ),
    (
        "garde-partner-unknown",
        R_GARDE + " : couple, activité du conjoint inconnue",
        job_seeker(household="couple", children_ages=[1]),
        job_start(),
        GARDE_HDF,
        "undetermined",
        None,
    ),
]

RECEIVED = {"amob-yearly-cap": {AMOB: 5190}, "age-already-received": {AGE: 416}}
DATES = {"agepi-2024-couple": date(2024, 3, 12)}


@pytest.fixture
def aids(db):
    communes.clear()
    communes._places.update(PLACES)
    return catalogue_for_engine()


def test_at_least_forty_cases():
    assert len(CASES) >= 40
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("name", "rule", "person", "need", "aid_id", "status", "amount"), CASES, ids=[case[0] for case in CASES]
)
def test_official_rule(aids, name, rule, person, need, aid_id, status, amount):
    on = DATES.get(name, ON)
    if person in ("2smic", "2smic+"):  # salary set from the SMIC in force, computed by OpenFisca-France
        salary = 2 * smic_net_mensuel(f"{on:%Y-%m}") + (0.5 if person == "2smic+" else 0)
        person = job_seeker(
            vehicle=True, driving_licence=True, monthly_income=round(salary, 2) - 0.001 * (person == "2smic")
        )
    situation = Situation(
        person=person, need=need, evaluation_date=on, received_last_12_months=RECEIVED.get(name, {})
    )
    [result] = [r for r in evaluate(situation=situation, aids=aids) if r.aid_id == aid_id]
    assert result.status == status, (rule, result.reasons)
    if amount is None:
        assert result.amount is None
    else:
        assert result.amount == pytest.approx(amount, abs=0.01), rule
    if status == "undetermined":
        assert result.missing, "an undetermined aid says which questions would decide it"
