"""Inputs describing the person and the project (interview, training, job start) that OpenFisca-France lacks.

The platform fills them from a `aids.situations.Situation`; distances come from the platform, never the user.
"""

from openfisca_france.model.base import MONTH, Enum, Individu, Variable, set_input_dispatch_by_period

from openfisca_reseau_emploi.enums import BesoinMobilite, StatutPersonne, TypeAllocation, TypeContratProjet


class reseau_emploi_statut(Variable):
    value_type = Enum
    possible_values = StatutPersonne
    default_value = StatutPersonne.inconnu
    entity = Individu
    label = "Statut de la personne (demandeur d'emploi, salarié, apprenti, étudiant, stagiaire…)"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_type_allocation(Variable):
    value_type = Enum
    possible_values = TypeAllocation
    default_value = TypeAllocation.aucune
    entity = Individu
    label = "Allocation perçue (ARE, ASS, RSA…)"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_anciennete_inscription_mois(Variable):
    value_type = float
    entity = Individu
    label = "Ancienneté d'inscription continue comme demandeur d'emploi, en mois"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_besoin(Variable):
    value_type = Enum
    possible_values = BesoinMobilite
    default_value = BesoinMobilite.aucun
    entity = Individu
    label = "Projet pour lequel une aide est demandée"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_type_contrat(Variable):
    value_type = Enum
    possible_values = TypeContratProjet
    default_value = TypeContratProjet.aucun
    entity = Individu
    label = "Contrat de l'emploi visé ou repris"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_heures_hebdomadaires(Variable):
    value_type = float
    entity = Individu
    label = "Heures de travail ou de formation par semaine du projet"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_formation_financee(Variable):
    value_type = bool
    entity = Individu
    label = "La formation est validée et financée ou cofinancée (France Travail, CPF, Région…)"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_region_residence(Variable):
    value_type = int
    entity = Individu
    label = "Code INSEE de la région de résidence, en nombre (32 pour les Hauts-de-France)"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_permis_b(Variable):
    value_type = bool
    entity = Individu
    label = "Titulaire du permis de conduire B"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_vehicule(Variable):
    value_type = bool
    entity = Individu
    label = "Dispose d'une voiture ou d'un deux-roues motorisé"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_suivi_mission_locale(Variable):
    value_type = bool
    entity = Individu
    label = "Suivi par une mission locale (PACEA ou contrat d'engagement jeune)"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_en_couple(Variable):
    value_type = bool
    entity = Individu
    label = "Vit en couple"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_conjoint_actif(Variable):
    value_type = bool
    entity = Individu
    label = "Le conjoint travaille ou suit une formation qualifiante"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_rattache_foyer_parents(Variable):
    value_type = bool
    entity = Individu
    label = "Rattaché(e) au foyer fiscal de ses parents"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_revenu_fiscal_reference(Variable):
    value_type = float
    entity = Individu
    label = "Revenu fiscal de référence du foyer fiscal (€ par an)"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_salaire_net_mensuel(Variable):
    value_type = float
    entity = Individu
    label = "Salaire net mensuel de la personne (€), celui de l'emploi repris le cas échéant"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_ressources_nettes_foyer_mensuelles(Variable):
    value_type = float
    entity = Individu
    label = "Revenus nets mensuels du foyer (€)"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_smic_net_mensuel(Variable):
    value_type = float
    entity = Individu
    label = "SMIC net mensuel à temps plein en vigueur (€), calculé par OpenFisca-France depuis le SMIC brut"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_aide_mobilite_percue_12_mois(Variable):
    value_type = float
    entity = Individu
    label = "Aide à la mobilité de France Travail déjà perçue sur les 12 derniers mois (€)"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period


class reseau_emploi_aide_garde_enfants_percue_12_mois(Variable):
    value_type = bool
    entity = Individu
    label = "L'aide à la garde d'enfants de France Travail a été perçue au cours des 12 derniers mois"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
