"""The input of the eligibility engine: a person and the concrete need an aid would pay for.

STABLE CONTRACT (used by the simulator, the CLI, the API and the job seekers' records):

    Situation(person=Person(...), need=Need(...), evaluation_date=date | None)

Every field is optional: the engine answers "undetermined" for the aids whose conditions depend on a field left
empty (None), and lists that field among the questions that would decide it. An empty list (children_ages=[])
is an answer ("no child"), None is "not told".

    Person
      birth_date: date | None          age is computed at the evaluation date; or give
      age: int | None                  the age directly (birth_date wins when both are given)
      status: Status | None            job_seeker, employee, apprentice, student, trainee, self_employed, inactive
      job_seeker_category: int | None  France Travail category 1–8 (A=1, B=2, C=3, D=4, E=5, 6–8)
      registration_date: date | None   registration at France Travail (job seekers)
      allowance: Allowance | None      none, are, ass, rsa, other
      allowance_daily_amount: float | None   gross daily ARE (€), for "ARE at or below the minimum" rules
      household: Household | None      single or couple
      children_ages: list[int] | None  ages in years of the children the person has in charge
      monthly_income: float | None     the person's net monthly earned income (€) (salary of the new job for
                                       a job start: the platform fills it from the offer when known)
      household_monthly_income: float | None  net monthly resources of the household (€)
      reference_tax_income: float | None   revenu fiscal de référence of the tax household (€ a year)
      attached_to_parents: bool | None     attached to the parents' tax household (rattaché au foyer fiscal)
      partner_working: bool | None     (couples) the partner works or follows a qualifying training
      residence_commune: str | None    INSEE code of the commune of residence
      driving_licence: bool | None     holds a valid driving licence B
      vehicle: bool | None             has a car or motorbike available
      disability: bool | None          recognised disability (RQTH)
      mission_locale_follow_up: bool | None  followed by a mission locale (PACEA / CEJ)

    Need (the interview, training or job start the aid would help with)
      kind: NeedKind | None            interview, training, job_start
      place_commune: str | None        INSEE code of the commune of the interview / training / job
      offer_id: str | None             a job offer of the regional pool (its commune and contract fill the rest)
      contract_type: ContractType | None   cdi, cdd, ctt (temporary work), apprenticeship, professionalisation
      contract_months: float | None    length of a fixed-term contract, in months
      weekly_hours: float | None       working (or training) hours per week
      training_hours: float | None     total length of a training, in hours
      training_funded: bool | None     the training is validated and (co)funded (France Travail, CPF, Région…)
      start_date: date | None          date of the interview, of the first day of work or training
      round_trips: int | None          number of round trips to pay (default: 1 for an interview)
      meals: int | None                meals away from home
      nights: int | None               nights away from home

    Situation.received_last_12_months: dict[str, float]  aid id -> amount already granted over the last 12
      months (yearly caps, "once a year" rules); filled from the aid requests recorded by advisors.

Distances and travel times between `residence_commune` and the place of the need are computed by the platform
(`aids.distances.travel_between`), never typed by the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    JOB_SEEKER = "job_seeker"
    EMPLOYEE = "employee"
    APPRENTICE = "apprentice"
    STUDENT = "student"
    TRAINEE = "trainee"  # stagiaire de la formation professionnelle
    SELF_EMPLOYED = "self_employed"
    INACTIVE = "inactive"


STATUS_LABELS = {
    Status.JOB_SEEKER: "Demandeur ou demandeuse d'emploi",
    Status.EMPLOYEE: "Salarié ou salariée",
    Status.APPRENTICE: "Apprenti ou apprentie",
    Status.STUDENT: "Étudiant ou étudiante, lycéen ou lycéenne",
    Status.TRAINEE: "Stagiaire de la formation professionnelle",
    Status.SELF_EMPLOYED: "Indépendant ou indépendante",
    Status.INACTIVE: "Sans activité, non inscrit(e) à France Travail",
}


class Allowance(StrEnum):
    NONE = "none"
    ARE = "are"  # allocation d'aide au retour à l'emploi
    ASS = "ass"  # allocation de solidarité spécifique
    RSA = "rsa"
    OTHER = "other"


ALLOWANCE_LABELS = {
    Allowance.NONE: "Aucune allocation",
    Allowance.ARE: "Allocation chômage (ARE)",
    Allowance.ASS: "Allocation de solidarité spécifique (ASS)",
    Allowance.RSA: "Revenu de solidarité active (RSA)",
    Allowance.OTHER: "Autre allocation",
}


class Household(StrEnum):
    SINGLE = "single"
    COUPLE = "couple"


class NeedKind(StrEnum):
    INTERVIEW = "interview"
    TRAINING = "training"
    JOB_START = "job_start"


NEED_LABELS = {
    NeedKind.INTERVIEW: "Un entretien d'embauche",
    NeedKind.TRAINING: "Une entrée en formation",
    NeedKind.JOB_START: "Une reprise d'emploi",
}


class ContractType(StrEnum):
    CDI = "cdi"
    CDD = "cdd"
    CTT = "ctt"  # contrat de travail temporaire (intérim)
    APPRENTICESHIP = "apprenticeship"
    PROFESSIONALISATION = "professionalisation"


CONTRACT_LABELS = {
    ContractType.CDI: "CDI",
    ContractType.CDD: "CDD",
    ContractType.CTT: "Intérim (contrat de travail temporaire)",
    ContractType.APPRENTICESHIP: "Contrat d'apprentissage",
    ContractType.PROFESSIONALISATION: "Contrat de professionnalisation",
}


@dataclass
class Person:
    birth_date: date | None = None
    age: int | None = None
    status: Status | None = None
    job_seeker_category: int | None = None
    registration_date: date | None = None
    allowance: Allowance | None = None
    allowance_daily_amount: float | None = None
    household: Household | None = None
    children_ages: list[int] | None = None
    monthly_income: float | None = None
    household_monthly_income: float | None = None
    reference_tax_income: float | None = None
    attached_to_parents: bool | None = None
    partner_working: bool | None = None
    residence_commune: str | None = None
    driving_licence: bool | None = None
    vehicle: bool | None = None
    disability: bool | None = None
    mission_locale_follow_up: bool | None = None

    def age_on(self, day: date) -> int | None:
        if self.birth_date is not None:
            years = day.year - self.birth_date.year
            return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        return self.age


@dataclass
class Need:
    kind: NeedKind | None = None
    place_commune: str | None = None
    offer_id: str | None = None
    contract_type: ContractType | None = None
    contract_months: float | None = None
    weekly_hours: float | None = None
    training_hours: float | None = None
    training_funded: bool | None = None
    start_date: date | None = None
    round_trips: int | None = None
    meals: int | None = None
    nights: int | None = None


@dataclass
class Situation:
    person: Person = field(default_factory=Person)
    need: Need = field(default_factory=Need)
    evaluation_date: date | None = None  # the rules in force on that day; today when None
    received_last_12_months: dict[str, float] = field(default_factory=dict)

    def on(self) -> date:
        return self.evaluation_date or date.today()


PERSON_FIELDS = tuple(f.name for f in fields(Person))
NEED_FIELDS = tuple(f.name for f in fields(Need))
