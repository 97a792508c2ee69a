"""Aids of the Région Hauts-de-France for people who look for, start or keep a job: aide au permis, aide au
transport aux particuliers, En route pour l'emploi (a car at 1 € a day), aide à la garde d'enfants."""

from openfisca_france.model.base import MONTH, Famille, Individu, Variable, not_, where

from openfisca_reseau_emploi.enums import BesoinMobilite, StatutPersonne, TypeContratProjet

HAUTS_DE_FRANCE = 32
PERMIS_REFERENCE = "https://guide-aides.hautsdefrance.fr/dispositif931"
TRANSPORT_REFERENCE = "https://aides.hautsdefrance.fr/sub/tiers/aides/details/?sigle=ATPS24"
EN_ROUTE_REFERENCE = "https://guide-aides.hautsdefrance.fr/spip.php?page=dispositif&id_dispositif=632"
GARDE_REFERENCE = "https://guide-aides.hautsdefrance.fr/dispositif636"


def _contrat_de_travail(individu, period, duree_minimum_mois):
    """CDI, apprenticeship or professionalisation contract, or a CDD / temporary contract of at least
    `duree_minimum_mois` months."""
    contrat = individu("reseau_emploi_type_contrat", period)
    duree = individu("contrat_de_travail_duree", period)
    return (
        (contrat == TypeContratProjet.cdi)
        + (contrat == TypeContratProjet.apprentissage)
        + (contrat == TypeContratProjet.professionnalisation)
        + ((contrat == TypeContratProjet.cdd) + (contrat == TypeContratProjet.ctt))
        * (duree >= duree_minimum_mois)
    )


class hauts_de_france_condition_residence(Variable):
    value_type = bool
    entity = Individu
    label = "Résider en Hauts-de-France"
    definition_period = MONTH

    def formula(individu, period):
        return individu("reseau_emploi_region_residence", period) == HAUTS_DE_FRANCE


class reseau_emploi_parent_isole(Variable):
    value_type = bool
    entity = Individu
    label = "Élève seul(e) au moins un enfant"
    definition_period = MONTH

    def formula(individu, period):
        enfants = individu.famille("nb_enfants_famille_reseau_emploi", period) > 0
        return enfants * not_(individu("reseau_emploi_en_couple", period))


class nb_enfants_famille_reseau_emploi(Variable):
    value_type = int
    entity = Famille
    label = "Enfants à charge de la famille"
    definition_period = MONTH

    def formula(famille, period):
        return famille.nb_persons(role=Famille.ENFANT)


class hauts_de_france_aide_permis_condition_age(Variable):
    value_type = bool
    entity = Individu
    label = "Aide régionale au permis : avoir de 18 à 30 ans, ou être parent isolé (sans limite d'âge)"
    definition_period = MONTH
    reference = PERMIS_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.aide_permis
        age = individu("age", period)
        adulte = age >= p.age_minimum
        return adulte * ((age <= p.age_maximum) + individu("reseau_emploi_parent_isole", period))


class hauts_de_france_aide_permis_condition_statut(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide régionale au permis : inscrit(e) à France Travail, stagiaire de la formation professionnelle, "
        "apprenti(e) ou suivi(e) par une mission locale (PACEA, CEJ)"
    )
    definition_period = MONTH
    reference = PERMIS_REFERENCE

    def formula(individu, period):
        statut = individu("reseau_emploi_statut", period)
        return (
            (statut == StatutPersonne.demandeur_emploi)
            + (statut == StatutPersonne.stagiaire_formation)
            + (statut == StatutPersonne.apprenti)
            + individu("reseau_emploi_suivi_mission_locale", period)
        )


class hauts_de_france_aide_permis_condition_ressources(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide régionale au permis : revenu fiscal de référence inférieur à 28 200 € (personne fiscalement "
        "autonome) ou à 42 250 € (en couple ou rattaché(e) au foyer de ses parents)"
    )
    definition_period = MONTH
    reference = PERMIS_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.aide_permis
        foyer = individu("reseau_emploi_en_couple", period) + individu(
            "reseau_emploi_rattache_foyer_parents", period
        )
        plafond = where(foyer, p.plafond_rfr_foyer, p.plafond_rfr_autonome)
        return individu("reseau_emploi_revenu_fiscal_reference", period) < plafond


class hauts_de_france_aide_permis(Variable):
    value_type = float
    entity = Individu
    label = "Aide régionale au permis de conduire, montant maximum (€) : 90 % du devis dans cette limite"
    definition_period = MONTH
    reference = PERMIS_REFERENCE

    def formula_2021_07_01(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.aide_permis
        apprenti = individu("reseau_emploi_statut", period) == StatutPersonne.apprenti
        eligible = (
            individu("hauts_de_france_condition_residence", period)
            * individu("hauts_de_france_aide_permis_condition_age", period)
            * individu("hauts_de_france_aide_permis_condition_statut", period)
            * individu("hauts_de_france_aide_permis_condition_ressources", period)
            * individu("reseau_emploi_condition_sans_permis", period)
        )
        return eligible * where(apprenti, p.montant_maximum_apprenti, p.montant_maximum)


class hauts_de_france_aide_transport_condition_emploi(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide au transport : être salarié(e) en CDI ou en CDD d'au moins un mois, ou apprenti(e) "
        "(ou reprendre un tel emploi)"
    )
    definition_period = MONTH
    reference = TRANSPORT_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.aide_transport
        statut = individu("reseau_emploi_statut", period)
        reprise = individu("reseau_emploi_besoin", period) == BesoinMobilite.reprise_emploi
        en_poste = (statut == StatutPersonne.salarie) + (statut == StatutPersonne.apprenti)
        return (en_poste + reprise) * _contrat_de_travail(individu, period, p.duree_contrat_minimum_mois)


class hauts_de_france_aide_transport_condition_vehicule(Variable):
    value_type = bool
    entity = Individu
    label = "Aide au transport : aller travailler avec son véhicule (voiture ou deux-roues motorisé)"
    definition_period = MONTH
    reference = TRANSPORT_REFERENCE

    def formula(individu, period):
        return individu("reseau_emploi_vehicule", period)


class hauts_de_france_aide_transport_condition_distance(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide au transport : au moins 20 km de route entre le domicile et le lieu de travail "
        "(1 km en situation de handicap)"
    )
    definition_period = MONTH
    reference = TRANSPORT_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.aide_transport
        minimum = where(individu("handicap", period), p.distance_minimum_handicap_km, p.distance_minimum_km)
        return individu("distance_activite_domicile", period) >= minimum


class hauts_de_france_aide_transport_condition_salaire(Variable):
    value_type = bool
    entity = Individu
    label = "Aide au transport : salaire net inférieur ou égal à 2 SMIC"
    definition_period = MONTH
    reference = TRANSPORT_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.aide_transport
        plafond = p.plafond_salaire_smic * individu("reseau_emploi_smic_net_mensuel", period)
        return individu("reseau_emploi_salaire_net_mensuel", period) <= plafond


class hauts_de_france_aide_transport(Variable):
    value_type = float
    entity = Individu
    label = "Aide au transport aux particuliers de la Région Hauts-de-France (€ par mois)"
    definition_period = MONTH
    reference = TRANSPORT_REFERENCE

    def formula_2016_03_01(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.aide_transport
        eligible = (
            individu("hauts_de_france_condition_residence", period)
            * individu("hauts_de_france_aide_transport_condition_emploi", period)
            * individu("hauts_de_france_aide_transport_condition_vehicule", period)
            * individu("hauts_de_france_aide_transport_condition_distance", period)
            * individu("hauts_de_france_aide_transport_condition_salaire", period)
        )
        return eligible * p.montant_mensuel


class hauts_de_france_en_route_condition_projet(Variable):
    value_type = bool
    entity = Individu
    label = (
        "En route pour l'emploi : un emploi ou un stage qui commence (CDI, CDD, intérim ou stage d'au moins "
        "un mois, apprentissage, alternance)"
    )
    definition_period = MONTH
    reference = EN_ROUTE_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.en_route_pour_l_emploi
        besoin = individu("reseau_emploi_besoin", period)
        emploi = (besoin == BesoinMobilite.reprise_emploi) * _contrat_de_travail(
            individu, period, p.duree_contrat_minimum_mois
        )
        stage = (besoin == BesoinMobilite.formation) * (
            individu("contrat_de_travail_duree", period) >= p.duree_contrat_minimum_mois
        )
        return emploi + stage


class hauts_de_france_en_route_condition_permis(Variable):
    value_type = bool
    entity = Individu
    label = "En route pour l'emploi : être titulaire du permis B"
    definition_period = MONTH
    reference = EN_ROUTE_REFERENCE

    def formula(individu, period):
        return individu("reseau_emploi_permis_b", period)


class hauts_de_france_en_route_condition_sans_vehicule(Variable):
    value_type = bool
    entity = Individu
    label = "En route pour l'emploi : ne pas disposer d'un véhicule pour aller travailler"
    definition_period = MONTH
    reference = EN_ROUTE_REFERENCE

    def formula(individu, period):
        return not_(individu("reseau_emploi_vehicule", period))


class hauts_de_france_en_route_pour_l_emploi(Variable):
    value_type = bool
    entity = Individu
    label = "En route pour l'emploi : prêt d'un véhicule de la Région à 1 € par jour travaillé"
    definition_period = MONTH
    reference = EN_ROUTE_REFERENCE

    def formula_2017_01_01(individu, period):
        return (
            individu("hauts_de_france_condition_residence", period)
            * individu("hauts_de_france_en_route_condition_projet", period)
            * individu("hauts_de_france_en_route_condition_permis", period)
            * individu("hauts_de_france_en_route_condition_sans_vehicule", period)
        )


class hauts_de_france_nombre_enfants_moins_3_ans(Variable):
    value_type = int
    entity = Famille
    label = "Enfants à charge de moins de 3 ans"
    definition_period = MONTH
    reference = GARDE_REFERENCE

    def formula(famille, period, parameters):
        age_maximum = parameters(period).reseau_emploi.hauts_de_france.aide_garde_enfants.age_enfant_maximum
        ages = famille.members("age", period)
        return famille.sum((ages >= 0) * (ages < age_maximum), role=Famille.ENFANT)


class hauts_de_france_aide_garde_condition_enfant(Variable):
    value_type = bool
    entity = Individu
    label = "Aide régionale à la garde d'enfants : avoir un enfant de moins de 3 ans"
    definition_period = MONTH
    reference = GARDE_REFERENCE

    def formula(individu, period):
        return individu.famille("hauts_de_france_nombre_enfants_moins_3_ans", period) > 0


class hauts_de_france_aide_garde_condition_activite(Variable):
    value_type = bool
    entity = Individu
    label = (
        "Aide régionale à la garde d'enfants : travailler ou suivre une formation qualifiante, "
        "ainsi que son conjoint pour un couple"
    )
    definition_period = MONTH
    reference = GARDE_REFERENCE

    def formula(individu, period):
        statut = individu("reseau_emploi_statut", period)
        besoin = individu("reseau_emploi_besoin", period)
        actif = (
            (statut == StatutPersonne.salarie)
            + (statut == StatutPersonne.apprenti)
            + (statut == StatutPersonne.stagiaire_formation)
            + (statut == StatutPersonne.independant)
            + (besoin == BesoinMobilite.reprise_emploi)
            + (besoin == BesoinMobilite.formation)
        )
        couple = individu("reseau_emploi_en_couple", period)
        return actif * (not_(couple) + individu("reseau_emploi_conjoint_actif", period))


class hauts_de_france_aide_garde_condition_ressources(Variable):
    value_type = bool
    entity = Individu
    label = "Aide régionale à la garde d'enfants : revenus nets du foyer inférieurs à 2 SMIC (parent isolé) ou 3 SMIC (couple)"
    definition_period = MONTH
    reference = GARDE_REFERENCE

    def formula(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.aide_garde_enfants
        smic = individu("reseau_emploi_smic_net_mensuel", period)
        plafond = where(
            individu("reseau_emploi_en_couple", period), p.plafond_smic_couple, p.plafond_smic_parent_isole
        )
        return individu("reseau_emploi_ressources_nettes_foyer_mensuelles", period) < plafond * smic


class hauts_de_france_aide_garde_enfants(Variable):
    value_type = float
    entity = Individu
    label = "Aide régionale à la garde d'enfants de moins de 3 ans (€ par mois)"
    definition_period = MONTH
    reference = GARDE_REFERENCE

    def formula_2017_03_01(individu, period, parameters):
        p = parameters(period).reseau_emploi.hauts_de_france.aide_garde_enfants
        enfants = individu.famille("hauts_de_france_nombre_enfants_moins_3_ans", period)
        par_enfant = where(
            individu("reseau_emploi_en_couple", period),
            p.montant_par_enfant_couple,
            p.montant_par_enfant_parent_isole,
        )
        eligible = (
            individu("hauts_de_france_condition_residence", period)
            * individu("hauts_de_france_aide_garde_condition_enfant", period)
            * individu("hauts_de_france_aide_garde_condition_activite", period)
            * individu("hauts_de_france_aide_garde_condition_ressources", period)
        )
        return eligible * enfants * par_enfant
