"""Enumerations shared by the extension's variables (kept out of the variable files, which OpenFisca loads
as standalone modules)."""

from openfisca_core.indexed_enums import Enum


class StatutPersonne(Enum):
    __order__ = "inconnu demandeur_emploi salarie apprenti etudiant stagiaire_formation independant inactif"
    inconnu = "Statut non renseigné"
    demandeur_emploi = "Demandeur d'emploi"
    salarie = "Salarié"
    apprenti = "Apprenti"
    etudiant = "Étudiant ou lycéen"
    stagiaire_formation = "Stagiaire de la formation professionnelle"
    independant = "Indépendant"
    inactif = "Sans activité"


class TypeAllocation(Enum):
    __order__ = "aucune are ass rsa autre"
    aucune = "Aucune allocation"
    are = "Allocation d'aide au retour à l'emploi"
    ass = "Allocation de solidarité spécifique"
    rsa = "Revenu de solidarité active"
    autre = "Autre allocation"


class BesoinMobilite(Enum):
    __order__ = "aucun entretien formation reprise_emploi"
    aucun = "Aucun projet précisé"
    entretien = "Entretien d'embauche"
    formation = "Entrée en formation"
    reprise_emploi = "Reprise d'emploi"


class TypeContratProjet(Enum):
    __order__ = "aucun cdi cdd ctt apprentissage professionnalisation"
    aucun = "Aucun contrat"
    cdi = "CDI"
    cdd = "CDD"
    ctt = "Contrat de travail temporaire"
    apprentissage = "Contrat d'apprentissage"
    professionnalisation = "Contrat de professionnalisation"
