"""How each OpenFisca-computed aid is explained: its amount variable and its conditions, each with the
situation fields it depends on (a field only matters where `when` says so).

A condition is "unknown" for a person when one of its relevant fields is missing; the aid is then
"undetermined" unless another condition already fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from aids.engine.cohort import Cohort

Relevance = Callable[[Cohort], np.ndarray]


@dataclass(frozen=True)
class Field:
    name: str  # "person.status"
    when: Relevance | None = None  # where the field matters; everywhere when None

    def missing(self, cohort: Cohort) -> np.ndarray:
        missing = ~cohort.known[self.name]
        return missing & self.when(cohort) if self.when else missing


@dataclass(frozen=True)
class Condition:
    variable: str  # boolean OpenFisca variable
    label: str  # French, reads after "Condition remplie :"
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Rule:
    variable: str  # OpenFisca variable: the amount (0 = not eligible), or a boolean for aids in kind
    conditions: tuple[Condition, ...]
    in_kind: bool = False  # a service (a car lent at 1 € a day), no amount
    amount_fields: tuple[Field, ...] = field(default=())  # needed for the amount only


def _job_seeker(c: Cohort) -> np.ndarray:
    return c["status"] == "job_seeker"


def _are(c: Cohort) -> np.ndarray:
    return c["allowance"] == "are"


def _contract_need(c: Cohort) -> np.ndarray:
    return np.isin(c["need"], ["interview", "job_start"])


def _fixed_term(c: Cohort) -> np.ndarray:
    return _contract_need(c) & np.isin(c["contract"], ["cdd", "ctt", "apprenticeship", "professionalisation"])


def _training(c: Cohort) -> np.ndarray:
    return c["need"] == "training"


def _job_start(c: Cohort) -> np.ndarray:
    return c["need"] == "job_start"


def _couple(c: Cohort) -> np.ndarray:
    return c["couple"] == 1


def _not_couple_or_unknown(c: Cohort) -> np.ndarray:
    return c["couple"] != 1


def _not_registered_long_enough_or_unknown(c: Cohort) -> np.ndarray:
    return ~(c["registered_months"] >= 6)


STATUS = Field("person.status")
CATEGORY = Field("person.job_seeker_category", _job_seeker)
ALLOWANCE = (Field("person.allowance"), Field("person.allowance_daily_amount", _are))
AGE = Field("person.birth_date")
RESIDENCE = Field("person.residence_commune")
PLACE = (Field("person.residence_commune"), Field("need.place_commune"))
NEED = Field("need.kind")
CONTRACT = (
    Field("need.contract_type", _contract_need),
    Field("need.contract_months", _fixed_term),
)
LICENCE = Field("person.driving_licence")
CHILDREN = Field("person.children_ages")


RULES: dict[str, Rule] = {
    "reseau_emploi_aide_mobilite": Rule(
        "reseau_emploi_aide_mobilite",
        (
            Condition(
                "reseau_emploi_aide_mobilite_condition_categorie",
                "être inscrit(e) à France Travail en catégorie 1 à 3, 4 « stagiaire de la formation "
                "professionnelle », 5 « contrat aidé » ou 6 à 8",
                (STATUS, CATEGORY),
            ),
            Condition(
                "reseau_emploi_aide_mobilite_condition_ressources",
                "ne pas être indemnisé(e) ou percevoir une allocation au plus égale à l'ARE minimale",
                ALLOWANCE,
            ),
            Condition(
                "reseau_emploi_aide_mobilite_condition_action",
                "un entretien ou une reprise d'emploi en CDI, CDD ou intérim d'au moins 3 mois, ou une formation "
                "validée et financée d'au moins 40 heures",
                (
                    NEED,
                    *CONTRACT,
                    Field("need.training_hours", _training),
                    Field("need.training_funded", _training),
                ),
            ),
            Condition(
                "reseau_emploi_aide_mobilite_condition_distance",
                "un lieu à plus de 60 km aller-retour (ou à plus de 2 heures aller-retour) du domicile",
                PLACE,
            ),
            Condition(
                "reseau_emploi_aide_mobilite_condition_delai",
                "une demande faite au plus tard 7 jours après l'entretien, ou dans le mois qui suit la reprise "
                "d'emploi ou l'entrée en formation",
                (Field("need.start_date"),),
            ),
        ),
    ),
    "reseau_emploi_aide_permis_france_travail": Rule(
        "reseau_emploi_aide_permis_france_travail",
        (
            Condition("reseau_emploi_aide_permis_ft_condition_age", "avoir au moins 18 ans", (AGE,)),
            Condition(
                "reseau_emploi_aide_permis_ft_condition_categorie",
                "être inscrit(e) à France Travail en catégorie A, B, D (formation, CSP) ou en contrat aidé",
                (STATUS, CATEGORY),
            ),
            Condition(
                "reseau_emploi_aide_permis_ft_condition_inscription",
                "être inscrit(e) depuis au moins 6 mois, ou avoir une promesse d'embauche en CDI, CDD ou intérim "
                "d'au moins 3 mois",
                (
                    Field("person.registration_date"),
                    Field("need.kind", _not_registered_long_enough_or_unknown),
                ),
            ),
            Condition(
                "reseau_emploi_aide_permis_ft_condition_ressources",
                "ne pas être indemnisé(e), percevoir un minimum social (RSA, ASS, AAH) ou une ARE au plus égale "
                "à l'ARE minimale",
                ALLOWANCE,
            ),
            Condition("reseau_emploi_condition_sans_permis", "ne pas avoir le permis B", (LICENCE,)),
        ),
    ),
    "reseau_emploi_aide_garde_enfants_france_travail": Rule(
        "reseau_emploi_aide_garde_enfants_france_travail",
        (
            Condition(
                "reseau_emploi_aide_garde_enfants_ft_condition_categorie",
                "être inscrit(e) à France Travail dans une catégorie éligible",
                (STATUS, CATEGORY),
            ),
            Condition(
                "reseau_emploi_aide_garde_enfants_ft_condition_ressources",
                "ne pas être indemnisé(e) ou percevoir une allocation au plus égale à 1,3 fois l'ARE minimale",
                ALLOWANCE,
            ),
            Condition(
                "reseau_emploi_aide_garde_enfants_ft_condition_enfants",
                "avoir la charge d'au moins un enfant de moins de 12 ans",
                (CHILDREN, Field("person.household")),
            ),
            Condition(
                "reseau_emploi_aide_garde_enfants_ft_condition_action",
                "reprendre un emploi (CDI, CDD, intérim) ou entrer en formation d'au moins 40 heures",
                (NEED, *CONTRACT, Field("need.training_hours", _training)),
            ),
            Condition(
                "reseau_emploi_aide_garde_enfants_ft_condition_non_percue",
                "ne pas l'avoir perçue au cours des 12 derniers mois",
            ),
        ),
        amount_fields=(Field("need.weekly_hours"),),
    ),
    "hauts_de_france_aide_permis": Rule(
        "hauts_de_france_aide_permis",
        (
            Condition(
                "hauts_de_france_aide_permis_condition_age",
                "avoir de 18 à 30 ans, ou être parent isolé (sans limite d'âge)",
                (AGE, Field("person.children_ages"), Field("person.household")),
            ),
            Condition(
                "hauts_de_france_aide_permis_condition_statut",
                "être inscrit(e) à France Travail, stagiaire de la formation professionnelle, apprenti(e) ou "
                "suivi(e) par une mission locale",
                (
                    STATUS,
                    Field(
                        "person.mission_locale_follow_up",
                        lambda c: ~np.isin(c["status"], ["job_seeker", "trainee", "apprentice"]),
                    ),
                ),
            ),
            Condition(
                "hauts_de_france_aide_permis_condition_ressources",
                "un revenu fiscal de référence inférieur à 28 200 € (personne fiscalement autonome) ou à "
                "42 250 € (en couple ou rattaché(e) au foyer de ses parents)",
                (
                    Field("person.reference_tax_income"),
                    Field("person.household"),
                    Field("person.attached_to_parents", _not_couple_or_unknown),
                ),
            ),
            Condition("reseau_emploi_condition_sans_permis", "ne pas avoir le permis B", (LICENCE,)),
        ),
    ),
    "hauts_de_france_aide_transport": Rule(
        "hauts_de_france_aide_transport",
        (
            Condition(
                "hauts_de_france_aide_transport_condition_emploi",
                "être salarié(e) en CDI ou en CDD d'au moins un mois, ou apprenti(e) (ou reprendre un tel emploi)",
                (
                    STATUS,
                    Field("need.contract_type"),
                    Field("need.contract_months", lambda c: np.isin(c["contract"], ["cdd", "ctt"])),
                ),
            ),
            Condition(
                "hauts_de_france_aide_transport_condition_vehicule",
                "aller travailler avec sa voiture ou un deux-roues motorisé",
                (Field("person.vehicle"),),
            ),
            Condition(
                "hauts_de_france_aide_transport_condition_distance",
                "au moins 20 km de route entre le domicile et le lieu de travail (1 km en situation de handicap)",
                (*PLACE, Field("person.disability", lambda c: c["road_km"] < 20)),
            ),
            Condition(
                "hauts_de_france_aide_transport_condition_salaire",
                "un salaire net au plus égal à 2 SMIC",
                (Field("person.monthly_income"),),
            ),
        ),
    ),
    "hauts_de_france_en_route_pour_l_emploi": Rule(
        "hauts_de_france_en_route_pour_l_emploi",
        (
            Condition(
                "hauts_de_france_en_route_condition_projet",
                "un emploi ou un stage qui commence : CDI, CDD, intérim ou stage d'au moins un mois, apprentissage",
                (
                    NEED,
                    Field("need.contract_type", _job_start),
                    Field(
                        "need.contract_months",
                        lambda c: _training(c) | (_job_start(c) & np.isin(c["contract"], ["cdd", "ctt"])),
                    ),
                ),
            ),
            Condition("hauts_de_france_en_route_condition_permis", "avoir le permis B", (LICENCE,)),
            Condition(
                "hauts_de_france_en_route_condition_sans_vehicule",
                "ne pas disposer d'un véhicule pour aller travailler",
                (Field("person.vehicle"),),
            ),
        ),
        in_kind=True,
    ),
    "hauts_de_france_aide_garde_enfants": Rule(
        "hauts_de_france_aide_garde_enfants",
        (
            Condition(
                "hauts_de_france_aide_garde_condition_enfant",
                "avoir un enfant de moins de 3 ans",
                (CHILDREN,),
            ),
            Condition(
                "hauts_de_france_aide_garde_condition_activite",
                "travailler ou suivre une formation qualifiante (ainsi que son conjoint pour un couple)",
                (
                    Field("person.household"),
                    Field("person.status", lambda c: ~np.isin(c["need"], ["job_start", "training"])),
                    Field("person.partner_working", _couple),
                ),
            ),
            Condition(
                "hauts_de_france_aide_garde_condition_ressources",
                "des revenus nets du foyer inférieurs à 2 SMIC (parent isolé) ou 3 SMIC (couple)",
                (Field("person.household_monthly_income"), Field("person.household")),
            ),
        ),
    ),
}
