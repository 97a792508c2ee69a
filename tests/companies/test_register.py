from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from companies.models import Company, Establishment, validate_siren, validate_siret
from tests.factories import CommuneFactory

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("73282932000074", True),
        ("35600000000048", True),
        ("35600000000049", False),
        ("73282932000075", False),
        ("7328293200007", False),
    ],
)
def test_siret_validation_knows_la_poste(value, valid):
    if valid:
        validate_siret(value)
    else:
        with pytest.raises(ValidationError):
            validate_siret(value)


@pytest.mark.parametrize(
    ("value", "valid"), [("732829320", True), ("356000000", True), ("732829321", False), ("12345678", False)]
)
def test_siren_validation(value, valid):
    if valid:
        validate_siren(value)
    else:
        with pytest.raises(ValidationError):
            validate_siren(value)


@pytest.fixture
def communes(db):
    CommuneFactory(code="80021", name="Amiens")
    CommuneFactory(code="80001", name="Abbeville", latitude=50.10583, longitude=1.835)


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_sirene", *args, stdout=out)
    return out.getvalue()


def test_sirene_extract_import_is_idempotent_and_reports_bad_rows(communes):
    args = [
        str(DATA / "StockEtablissement_extrait.csv"),
        "--companies",
        str(DATA / "StockUniteLegale_extrait.csv"),
    ]
    output = run(*args)
    assert "dry run" in output and not Establishment.objects.exists()

    output = run(*args, "--write")
    assert "3 créés" in output and "1 rejetés" in output
    assert "StockEtablissement_extrait.csv:4: siret" in output
    poste = Establishment.objects.get(siret="35600000000048")
    assert (poste.brand, poste.company.name, poste.address) == (
        "LA POSTE AMIENS GARE",
        "LA POSTE",
        "12 place De La Gare",
    )
    assert poste.commune_id == "80021" and poste.latitude is not None
    closed = Establishment.objects.get(siret="55208131766522")
    assert not closed.is_active and closed.naf == "1071C"
    assert Company.objects.get(siren="732829320").name == "CENTRE HOSPITALIER UNIVERSITAIRE D AMIENS"

    assert "0 créés, 0 mis à jour, 3 inchangés" in run(*args, "--write")


def test_a_file_without_the_official_columns_is_refused(communes, tmp_path):
    path = tmp_path / "etab.csv"
    path.write_text("siret;nom\n73282932000074;x\n")
    with pytest.raises(CommandError, match="etab.csv:1: missing column"):
        run(str(path), "--write")
