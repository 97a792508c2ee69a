"""One vectorised OpenFisca simulation for a whole cohort: each situation is a family (the person, and one
individual per child), inputs are set column by column, never person by person."""

from __future__ import annotations

import functools

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder

from aids.engine.cohort import Cohort
from aids.engine.system import tax_benefit_system

STATUS = {
    "job_seeker": "demandeur_emploi",
    "employee": "salarie",
    "apprentice": "apprenti",
    "student": "etudiant",
    "trainee": "stagiaire_formation",
    "self_employed": "independant",
    "inactive": "inactif",
    "": "inconnu",
}
ALLOWANCE = {"none": "aucune", "are": "are", "ass": "ass", "rsa": "rsa", "other": "autre", "": "aucune"}
NEED = {"interview": "entretien", "training": "formation", "job_start": "reprise_emploi", "": "aucun"}
CONTRACT = {
    "cdi": "cdi",
    "cdd": "cdd",
    "ctt": "ctt",
    "apprenticeship": "apprentissage",
    "professionalisation": "professionnalisation",
    "": "aucun",
}
# OpenFisca-France's contract type for the aide à la mobilité: apprenticeship and professionalisation contracts
# are fixed-term contracts; a training is "formation".
OF_CONTRACT = {
    "cdi": "cdi",
    "cdd": "cdd",
    "ctt": "ctt",
    "apprenticeship": "cdd",
    "professionalisation": "cdd",
}
OF_CONTEXT = {"interview": "recherche_emploi", "job_start": "reprise_emploi", "training": "formation"}


@functools.cache
def smic_net_mensuel(month: str) -> float:
    """Full-time net monthly SMIC of `month`, computed by OpenFisca-France from the gross hourly SMIC."""
    system = tax_benefit_system()
    smic = system.parameters(f"{month}-01").marche_travail.salaire_minimum.smic
    builder = SimulationBuilder()
    builder.set_default_period(month)
    simulation = builder.build_from_dict(
        system, {"salaire_de_base": {month: smic.smic_b_horaire * smic.nb_heures_travail_mensuel}}
    )
    return float(simulation.calculate("salaire_net", month)[0])


def _map(values: np.ndarray, mapping: dict, default: str) -> np.ndarray:
    return np.array([mapping.get(v, default) for v in values], dtype=object)


def build_simulation(cohort: Cohort):
    system = tax_benefit_system()
    n = cohort.size
    child_counts = np.array([len(ages) for ages in cohort.children], dtype=int)
    sizes = 1 + child_counts
    total = int(sizes.sum())
    group = np.repeat(np.arange(n), sizes)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])  # index of each situation's person
    is_person = np.zeros(total, dtype=bool)
    is_person[first] = True

    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("individu", [f"i{i}" for i in range(total)])
    for key, parent_role, child_role in (
        ("famille", "parent", "enfant"),
        ("foyer_fiscal", "declarant", "personne_a_charge"),
        ("menage", "personne_de_reference", "enfant"),
    ):
        entity = builder.declare_entity(key, [f"{key[0]}{i}" for i in range(n)])
        roles = np.where(is_person, parent_role, child_role)
        builder.join_with_persons(entity, group, roles)
    simulation = builder.build(system)
    month = cohort.month

    def person(variable, values, default=0):
        column = np.full(
            total, default, dtype=np.asarray(values).dtype if not isinstance(default, str) else object
        )
        column[first] = values
        simulation.set_input(variable, month, column.astype(str) if column.dtype == object else column)

    c = cohort.columns
    ages = np.zeros(total)
    ages[first] = np.nan_to_num(c["age"], nan=0)
    ages[~is_person] = [age for children in cohort.children for age in children]
    simulation.set_input("age", month, ages.astype(int))

    person("reseau_emploi_statut", _map(c["status"], STATUS, "inconnu"), "inconnu")
    categories = np.array(
        [f"categorie_{cat}" if cat else "pas_de_categorie" for cat in c["category"]], dtype=object
    )
    trainee = c["status"] == "trainee"
    categories[trainee & (c["category"] == 0)] = "categorie_4"
    categories[~np.isin(c["status"], ["job_seeker", "trainee"])] = "pas_de_categorie"
    person("pole_emploi_categorie_demandeur_emploi", categories, "pas_de_categorie")
    person("stagiaire", trainee | ((c["status"] == "job_seeker") & (c["category"] == 4)), False)
    person("contrat_aide", c["category"] == 5, False)
    person("reseau_emploi_anciennete_inscription_mois", np.nan_to_num(c["registered_months"]))
    person("reseau_emploi_type_allocation", _map(c["allowance"], ALLOWANCE, "aucune"), "aucune")
    are = np.where(c["allowance"] == "are", np.nan_to_num(c["allowance_daily"]), 0.0)
    person("allocation_retour_emploi_journaliere", are)
    person("reseau_emploi_en_couple", c["couple"] == 1, False)
    person("reseau_emploi_conjoint_actif", c["partner_working"] == 1, False)
    person("reseau_emploi_rattache_foyer_parents", c["attached"] == 1, False)
    person("reseau_emploi_revenu_fiscal_reference", np.nan_to_num(c["tax_income"]))
    person("reseau_emploi_salaire_net_mensuel", np.nan_to_num(c["monthly_income"]))
    person("reseau_emploi_ressources_nettes_foyer_mensuelles", np.nan_to_num(c["household_income"]))
    person("reseau_emploi_smic_net_mensuel", np.full(n, smic_net_mensuel(month)))
    regions = np.array([int(r) if r.isdigit() else 0 for r in c["region"]], dtype=int)
    person("reseau_emploi_region_residence", regions)
    person("reseau_emploi_permis_b", c["licence"] == 1, False)
    person("reseau_emploi_vehicule", c["vehicle"] == 1, False)
    person("handicap", c["disability"] == 1, False)
    person("reseau_emploi_suivi_mission_locale", c["mission_locale"] == 1, False)

    person("reseau_emploi_besoin", _map(c["need"], NEED, "aucun"), "aucun")
    person("reseau_emploi_type_contrat", _map(c["contract"], CONTRACT, "aucun"), "aucun")
    of_contract = np.where(c["need"] == "training", "formation", _map(c["contract"], OF_CONTRACT, "aucun"))
    person("contrat_de_travail_type", of_contract.astype(object), "aucun")
    person("contexte_activite_pole_emploi", _map(c["need"], OF_CONTEXT, "indetermine"), "indetermine")
    interviews = np.where(c["need"] == "interview", "entretien_embauche", "indeterminee").astype(object)
    person("types_activite_en_recherche_emploi", interviews, "indeterminee")
    person("contrat_de_travail_duree", np.nan_to_num(c["contract_months"]))
    person("duree_formation", np.nan_to_num(c["training_hours"]))
    person("reseau_emploi_heures_hebdomadaires", np.nan_to_num(c["weekly_hours"]))
    funded = c["training_funded"] == 1
    person("reseau_emploi_formation_financee", funded, False)
    person("formation_validee_pole_emploi", funded, False)
    person("formation_financee_ou_cofinancee", funded, False)
    person("lieu_emploi_ou_formation", np.full(n, "metropole_hors_corse", dtype=object), "non_renseigne")
    simulation.set_input("residence", month, np.full(n, "metropole"))
    person("distance_activite_domicile", c["road_km"])
    person("aide_mobilite_duree_trajet", c["round_trip_minutes"])
    person("nombre_allers_retours", c["round_trips"])
    person("repas", c["meals"])
    person("nuitees", c["nights"])
    today = np.full(total, np.datetime64(cohort.day, "D"))
    simulation.set_input("aide_mobilite_date_demande", month, today)
    starts = today.copy()
    starts[first] = c["start_date"]
    simulation.set_input("contrat_de_travail_debut", month, starts)
    simulation.set_input("date_debut_recherche_emploi", month, starts)
    person("reseau_emploi_aide_mobilite_percue_12_mois", c["received_mobility"])
    person("reseau_emploi_aide_garde_enfants_percue_12_mois", c["received_childcare_ft"], False)
    return simulation, first
