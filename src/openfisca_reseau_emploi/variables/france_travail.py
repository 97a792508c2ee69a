"""France Travail aids: the conditions of the aide à la mobilité (whose eligibility and parameters come from
OpenFisca-France), the aide au permis B and the aide à la garde d'enfants (AGEPI until 30 April 2024, AGE since).

Each aid has one amount variable (0 when not eligible) and one boolean variable per condition, so the platform can
say which condition passes or fails.
"""

import numpy as np
from openfisca_france.model.base import MONTH, Famille, Individu, Variable, min_, not_, where
from openfisca_france.model.revenus.activite.salarie import TypesCategoriesDemandeurEmploi

from openfisca_reseau_emploi.enums import BesoinMobilite, TypeAllocation, TypeContratProjet

AMOB_REFERENCE = (
    "https://bo-pole-emploi.org/bulletinsofficiels/instruction-dg-n-2024-7-du-7-fevrier-2024-bo-n-2024-10.html"
    "?type=dossiers/2024/bo-n-2024-10-du-16-fevrier-2024"
)
PERMIS_REFERENCE = "https://www.service-public.fr/particuliers/vosdroits/F1719"
AGE_REFERENCE = (
    "http://www.bo-pole-emploi.org/bulletinsofficiels/deliberation-n-2024-35-du-24-avril-2024-bo-n-2024-23.html"
    "?type=dossiers/2024/bo-n-2024-23-du-30-avril-2024"
)


def _contrat_durable(individu, period, duree_minimum_mois):
    """CDI, or a fixed-term contract (CDD, temporary work, apprenticeship, professionalisation) of at least
    `duree_minimum_mois` months."""
    contrat = individu("reseau_emploi_type_contrat", period)
    duree = individu("contrat_de_travail_duree", period)
    duree_determinee = (
        (contrat == TypeContratProjet.cdd)
        + (contrat == TypeContratProjet.ctt)
        + (contrat == TypeContratProjet.apprentissage)
        + (contrat == TypeContratProjet.professionnalisation)
    )
    return (contrat == TypeContratProjet.cdi) + duree_determinee * (duree >= duree_minimum_mois)


def _allocation_sous_plafond(individu, period, parameters, coefficient):
    """Not paid an unemployment allowance above `coefficient` × the minimum daily ARE (RSA, ASS or no allowance
    always pass: they are not allocations chômage in the sense of France Travail's aids)."""
    allocation = individu("reseau_emploi_type_allocation", period)
    journaliere = individu("allocation_retour_emploi_journaliere", period)
    are_minimum = parameters(
        period
    ).chomage.allocations_assurance_chomage.alloc_base.montant_minimum.apres_1979.montant_minimum_hors_mayotte
    # 1e-4 tolerance: the minimum itself is accepted ("inférieur ou égal").
    return not_(allocation == TypeAllocation.are) + (journaliere <= coefficient * are_minimum + 1e-4)


class reseau_emploi_aide_mobilite_condition_categorie(Variable):
    value_type = bool
    entity = Individu
    label = "Aide à la mobilité : inscrit(e) dans une catégorie de demandeur d'emploi éligible"
    definition_period = MONTH
    reference = AMOB_REFERENCE

    def formula(individu, period):
        return individu("aide_mobilite_categories_demandeur_emploi_eligibles", period)


class reseau_emploi_aide_mobilite_condition_ressources(Variable):
    value_type = bool
    entity = Individu
    label = "Aide à la mobilité : non indemnisé(e) ou allocation inférieure ou égale à l'ARE minimale"
    definition_period = MONTH
    reference = AMOB_REFERENCE

    def formula(individu, period):
        return individu("aide_mobilite_ressources_eligibles", period)


class reseau_emploi_aide_mobilite_condition_action(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide à la mobilité : entretien ou reprise d'emploi en CDI ou contrat d'au moins 3 mois, ou formation "
        "validée et financée d'au moins 40 heures"
    )
    definition_period = MONTH
    reference = AMOB_REFERENCE

    def formula(individu, period, parameters):
        amob = parameters(period).prestations_sociales.transport.aide_mobilite
        besoin = individu("reseau_emploi_besoin", period)
        emploi = (besoin == BesoinMobilite.entretien) + (besoin == BesoinMobilite.reprise_emploi)
        formation = (
            (besoin == BesoinMobilite.formation)
            * individu("reseau_emploi_formation_financee", period)
            * (individu("duree_formation", period) >= amob.duree_de_formation_minimum)
        )
        return emploi * _contrat_durable(individu, period, amob.duree_de_contrat_minimum) + formation


class reseau_emploi_aide_mobilite_condition_distance(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide à la mobilité : lieu à plus de 60 km aller-retour ou à plus de 2 heures de trajet aller-retour"
    )
    definition_period = MONTH
    reference = AMOB_REFERENCE

    def formula(individu, period, parameters):
        amob = parameters(period).prestations_sociales.transport.aide_mobilite
        aller_retour_km = individu("distance_activite_domicile", period) * 2
        aller_retour_minutes = individu("aide_mobilite_duree_trajet", period)
        return (aller_retour_km > amob.distance_minimum.metropole) + (
            aller_retour_minutes > amob.duree_trajet_minimum
        )


class reseau_emploi_aide_mobilite_condition_delai(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide à la mobilité : demande au plus tard 7 jours après l'entretien, ou dans le mois qui suit la reprise "
        "d'emploi ou l'entrée en formation"
    )
    definition_period = MONTH
    reference = AMOB_REFERENCE

    def formula(individu, period, parameters):
        amob = parameters(period).prestations_sociales.transport.aide_mobilite
        demande = individu("aide_mobilite_date_demande", period)
        debut = individu("contrat_de_travail_debut", period)
        besoin = individu("reseau_emploi_besoin", period)
        limite_entretien = debut + np.timedelta64(int(amob.delai_max) - 1, "D")
        debut_mois = debut.astype("M8[M]")
        # Same limit as OpenFisca-France: the same day of the next month, or its last day.
        limite_reprise = min_(
            (debut_mois + 1) + (debut - debut_mois), (debut_mois + 2) - np.timedelta64(1, "D")
        ).astype("M8[D]")
        return where(
            besoin == BesoinMobilite.entretien, demande <= limite_entretien, demande <= limite_reprise
        )


class reseau_emploi_aide_mobilite(Variable):
    value_type = float
    entity = Individu
    label = "Aide à la mobilité de France Travail : frais de déplacement, de repas et d'hébergement (€)"
    definition_period = MONTH
    reference = AMOB_REFERENCE
    documentation = """
    Eligibility is OpenFisca-France's `aide_mobilite_eligible`. The amount follows France Travail's instruction
    (0.23 €/km × the kilometres of each round trip, meals, nights, within the yearly cap minus what was already
    received): OpenFisca-France 176's `aide_mobilite` multiplies the one-way distance, half the official figure.
    """

    def formula(individu, period, parameters):
        montants = parameters(period).prestations_sociales.transport.aide_mobilite.montants
        eligible = individu("aide_mobilite_eligible", period)
        aller_retour_km = individu("distance_activite_domicile", period) * 2
        frais = (
            montants.deplacement * aller_retour_km * individu("nombre_allers_retours", period)
            + montants.repas * individu("repas", period)
            + montants.hebergement * individu("nuitees", period)
        )
        reste = np.maximum(
            0, montants.maximum - individu("reseau_emploi_aide_mobilite_percue_12_mois", period)
        )
        return eligible * min_(frais, reste)


class reseau_emploi_aide_permis_ft_condition_age(Variable):
    value_type = bool
    entity = Individu
    label = "Aide au permis B de France Travail : avoir au moins 18 ans"
    definition_period = MONTH
    reference = PERMIS_REFERENCE

    def formula(individu, period, parameters):
        return (
            individu("age", period) >= parameters(period).reseau_emploi.france_travail.aide_permis.age_minimum
        )


class reseau_emploi_aide_permis_ft_condition_categorie(Variable):
    value_type = bool
    entity = Individu
    label = "Aide au permis B de France Travail : inscrit(e) en catégorie A, B, D (formation, CSP) ou contrat aidé"
    definition_period = MONTH
    reference = PERMIS_REFERENCE

    def formula(individu, period):
        categorie = individu("pole_emploi_categorie_demandeur_emploi", period)
        return (
            (categorie == TypesCategoriesDemandeurEmploi.categorie_1)
            + (categorie == TypesCategoriesDemandeurEmploi.categorie_2)
            + (categorie == TypesCategoriesDemandeurEmploi.categorie_4)
            + (categorie == TypesCategoriesDemandeurEmploi.categorie_5)
        )


class reseau_emploi_aide_permis_ft_condition_inscription(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide au permis B de France Travail : inscrit(e) depuis au moins 6 mois, ou promesse d'embauche en CDI, "
        "CDD ou intérim d'au moins 3 mois"
    )
    definition_period = MONTH
    reference = PERMIS_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.france_travail.aide_permis
        anciennete = (
            individu("reseau_emploi_anciennete_inscription_mois", period) >= p.anciennete_inscription_mois
        )
        besoin = individu("reseau_emploi_besoin", period)
        promesse = ((besoin == BesoinMobilite.reprise_emploi) + (besoin == BesoinMobilite.entretien)) * (
            _contrat_durable(individu, period, p.duree_contrat_derogation_mois)
        )
        return anciennete + promesse


class reseau_emploi_aide_permis_ft_condition_ressources(Variable):
    value_type = bool
    entity = Individu
    label = "Aide au permis B de France Travail : non indemnisé(e), minimum social ou ARE au plus égale à l'ARE minimale"
    definition_period = MONTH
    reference = PERMIS_REFERENCE

    def formula(individu, period, parameters):
        return _allocation_sous_plafond(individu, period, parameters, 1)


class reseau_emploi_condition_sans_permis(Variable):
    value_type = bool
    entity = Individu
    label = "Ne pas être titulaire du permis B"
    definition_period = MONTH

    def formula(individu, period):
        return not_(individu("reseau_emploi_permis_b", period))


class reseau_emploi_aide_permis_france_travail(Variable):
    value_type = float
    entity = Individu
    label = "Aide au permis de conduire B de France Travail, montant maximum (€)"
    definition_period = MONTH
    reference = PERMIS_REFERENCE
    documentation = """
    The ceiling is OpenFisca-France's `aide_permis_demandeur_emploi.montant_maximum`. OpenFisca-France 176 excludes
    RSA recipients (`aide_permis_demandeur_emploi_eligibilite_financiere`); service-public.fr F1719 lists the RSA
    among the minimum social benefits that qualify: we follow service-public.fr, France Travail's current text.
    """

    def formula(individu, period, parameters):
        plafond = parameters(
            period
        ).prestations_sociales.transport.permis_de_conduire.aide_permis_demandeur_emploi
        return plafond.montant_maximum * (
            individu("reseau_emploi_aide_permis_ft_condition_age", period)
            * individu("reseau_emploi_aide_permis_ft_condition_categorie", period)
            * individu("reseau_emploi_aide_permis_ft_condition_inscription", period)
            * individu("reseau_emploi_aide_permis_ft_condition_ressources", period)
            * individu("reseau_emploi_condition_sans_permis", period)
        )


class reseau_emploi_nombre_enfants_garde_france_travail(Variable):
    value_type = int
    entity = Famille
    label = "Enfants à charge d'un âge ouvrant droit à l'aide à la garde d'enfants de France Travail"
    definition_period = MONTH
    reference = AGE_REFERENCE

    def formula(famille, period, parameters):
        age_maximum = parameters(period).reseau_emploi.france_travail.aide_garde_enfants.age_enfant_maximum
        ages = famille.members("age", period)
        return famille.sum((ages >= 0) * (ages < age_maximum), role=Famille.ENFANT)


class reseau_emploi_aide_garde_enfants_ft_condition_categorie(Variable):
    value_type = bool
    entity = Individu
    label = "Aide à la garde d'enfants : inscrit(e) dans une catégorie de demandeur d'emploi éligible"
    definition_period = MONTH
    reference = AGE_REFERENCE

    def formula(individu, period):
        return individu("aide_mobilite_categories_demandeur_emploi_eligibles", period)


class reseau_emploi_aide_garde_enfants_ft_condition_ressources(Variable):
    value_type = bool
    entity = Individu
    label = "Aide à la garde d'enfants : non indemnisé(e) ou allocation sous le plafond (ARE minimale × 1,3 depuis mai 2024)"
    definition_period = MONTH
    reference = AGE_REFERENCE

    def formula(individu, period, parameters):
        coefficient = parameters(
            period
        ).reseau_emploi.france_travail.aide_garde_enfants.coefficient_are_minimale
        return _allocation_sous_plafond(individu, period, parameters, coefficient)


class reseau_emploi_aide_garde_enfants_ft_condition_enfants(Variable):
    value_type = bool
    entity = Individu
    label = "Aide à la garde d'enfants : avoir la charge d'un enfant de moins de 12 ans (10 ans et parent isolé avant mai 2024)"
    definition_period = MONTH
    reference = AGE_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.france_travail.aide_garde_enfants
        enfants = individu.famille("reseau_emploi_nombre_enfants_garde_france_travail", period) > 0
        isole = not_(individu("reseau_emploi_en_couple", period))
        return enfants * (isole + not_(p.parent_isole_requis))


class reseau_emploi_aide_garde_enfants_ft_condition_action(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide à la garde d'enfants : reprise d'emploi (CDI, CDD, intérim) ou formation d'au moins 40 heures"
    )
    definition_period = MONTH
    reference = AGE_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.france_travail.aide_garde_enfants
        besoin = individu("reseau_emploi_besoin", period)
        reprise = (besoin == BesoinMobilite.reprise_emploi) * _contrat_durable(
            individu, period, p.duree_contrat_minimum_mois
        )
        formation = (besoin == BesoinMobilite.formation) * (
            individu("duree_formation", period) >= p.duree_formation_minimum_heures
        )
        return reprise + formation


class reseau_emploi_aide_garde_enfants_ft_condition_non_percue(Variable):
    value_type = bool
    entity = Individu
    label = "Aide à la garde d'enfants : ne pas l'avoir perçue au cours des 12 derniers mois"
    definition_period = MONTH
    reference = AGE_REFERENCE

    def formula(individu, period):
        return not_(individu("reseau_emploi_aide_garde_enfants_percue_12_mois", period))


class reseau_emploi_aide_garde_enfants_france_travail(Variable):
    value_type = float
    entity = Individu
    label = "Aide à la garde d'enfants de France Travail (AGEPI puis AGE), montant forfaitaire (€)"
    definition_period = MONTH
    reference = AGE_REFERENCE
    documentation = """
    Amounts are OpenFisca-France's AGEPI scales (by number of children, below or from 15 hours a week), unchanged
    by the 2024 reform; the conditions that changed on 1 May 2024 (children under 12, no lone-parent condition,
    allowance up to 1.3 × the minimum ARE) are dated parameters of this extension.
    """

    def formula(individu, period, parameters):
        agepi = parameters(
            period
        ).prestations_sociales.prestations_familiales.education_presence_parentale.agepi
        enfants = individu.famille("reseau_emploi_nombre_enfants_garde_france_travail", period)
        heures = individu("reseau_emploi_heures_hebdomadaires", period)
        montants = agepi.montants.hors_mayotte
        montant = where(
            heures >= agepi.intensite_hebdomadaire_seuil,
            montants.maximum.calc(enfants),
            montants.minimum.calc(enfants),
        )
        eligible = (
            individu("reseau_emploi_aide_garde_enfants_ft_condition_categorie", period)
            * individu("reseau_emploi_aide_garde_enfants_ft_condition_ressources", period)
            * individu("reseau_emploi_aide_garde_enfants_ft_condition_enfants", period)
            * individu("reseau_emploi_aide_garde_enfants_ft_condition_action", period)
            * individu("reseau_emploi_aide_garde_enfants_ft_condition_non_percue", period)
        )
        return eligible * montant
