from datetime import UTC, datetime

import pytest

from offers.vocab import (
    clean_naf,
    clean_siret,
    contract_from_label,
    contract_from_text,
    duration_months_from_text,
    experience_months,
    html_to_text,
    parse_datetime,
    parse_salary,
    weekly_hours_from_text,
    working_time_from_label,
)


@pytest.mark.parametrize(
    "label, expected",
    [
        ("CDI", "CDI"),
        ("Contrat à durée indéterminée", "CDI"),
        ("Contrat à durée déterminée - 6 Mois", "CDD"),
        ("CDD d'insertion", "CDD"),
        ("MIS", "INTERIM"),
        ("Mission intérimaire - 3 Mois", "INTERIM"),
        ("Intérim", "INTERIM"),
        ("Travail temporaire", "INTERIM"),
        ("Saisonnier", "SAISONNIER"),
        ("Contrat d'apprentissage", "ALTERNANCE"),
        ("Contrat de professionnalisation", "ALTERNANCE"),
        ("Profession libérale", "LIBERAL"),
        ("Franchise", "FRANCHISE"),
        ("Stage", "STAGE"),
        ("CONTRACTOR", "LIBERAL"),
        ("INTERN", "STAGE"),
        ("FULL_TIME", ""),  # working time, not a contract
        ("", ""),
        ("Bénévolat sportif", ""),
    ],
)
def test_contract_vocabulary(label, expected):
    assert contract_from_label(label) == expected


def test_contract_stated_in_text():
    assert contract_from_text("Conditions : Type de contrat : CDD 6 mois.") == "CDD"
    assert contract_from_text("Poste en CDI à Amiens") == "CDI"
    assert contract_from_text("Contrat de 35h par semaine") == ""


@pytest.mark.parametrize(
    "label, expected",
    [
        ("FULL_TIME", "FULL_TIME"),
        ("PART_TIME", "PART_TIME"),
        ("Temps plein", "FULL_TIME"),
        ("Temps partiel", "PART_TIME"),
        ("TEMPORARY", None),
        (None, None),
    ],
)
def test_working_time(label, expected):
    assert working_time_from_label(label) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Annuel de 40000,00 Euros à 50000,00 Euros", (40000, 50000, "YEAR")),
        ("Horaire de 11,65 Euros", (11.65, 11.65, "HOUR")),
        ("Mensuel de 1766,92 Euros sur 12 mois", (1766.92, 1766.92, "MONTH")),
        ("Annuel de 52000.0 Euros à 65000.0 Euros sur 12.0 mois", (52000, 65000, "YEAR")),
        ("Mensuel de 40000.0 Euros à 50000.0 Euros sur 12.0 mois", (40000, 50000, "YEAR")),  # mislabelled
        ("35k€ - 45k€ par an", (35000, 45000, "YEAR")),
        ("entre 30k et 40k brut", (30000, 40000, "YEAR")),
        ("2 000 € brut mensuel", (2000, 2000, "MONTH")),
        ("12€/h", (12, 12, "HOUR")),
        ("1 800 €", (1800, 1800, "MONTH")),  # no period word: inferred from the amount
        ("Selon profil", (None, None, None)),
        ("", (None, None, None)),
    ],
)
def test_salary(text, expected):
    assert parse_salary(text) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("73282932000074", ("73282932000074", True)),
        ("732 829 320 00074", ("73282932000074", True)),
        ("73282932000075", ("73282932000075", False)),  # wrong check digit: kept, flagged
        ("35600000000048", ("35600000000048", True)),  # La Poste: fails Luhn, valid by its own rule
        ("35600000049837", ("35600000049837", True)),
        ("35600000049838", ("35600000049838", False)),
        ("123", ("123", False)),
        ("", ("", None)),
        (None, ("", None)),
    ],
)
def test_siret(value, expected):
    assert clean_siret(value) == expected


def test_small_parsers():
    assert clean_naf("8411z") == "84.11Z" and clean_naf("84.11Z") == "84.11Z" and clean_naf("") == ""
    assert experience_months("Expérience exigée de 3 An(s)") == 36
    assert experience_months("6 Mois") == 6 and experience_months("Débutant accepté") == 0
    assert experience_months("Expérience souhaitée") is None
    assert duration_months_from_text("CDD - 12 Mois") == 12 and duration_months_from_text("CDI") is None
    assert weekly_hours_from_text("35H Travail en journée") == 35 and weekly_hours_from_text("39 H") == 39
    assert parse_datetime("2024-11-28").isoformat() == "2024-11-28T00:00:00+01:00"
    assert parse_datetime("2024-10-17T14:31:28.075Z") == datetime(2024, 10, 17, 14, 31, 28, 75000, tzinfo=UTC)
    assert parse_datetime("28/11/2024").day == 28
    with pytest.raises(ValueError):
        parse_datetime("demain")
    assert html_to_text("<p>Bonjour&nbsp;!</p><p>Vos missions :</p><ul><li>A</li><li>B</li></ul>") == (
        "Bonjour !\nVos missions :\n- A\n- B"
    )
