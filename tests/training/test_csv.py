import datetime as dt

import pytest
from django.core.management import call_command

from tests.factories import CommuneFactory, FicheFactory
from training.models import ApprenticeshipFigure, TrainingSession
from training.selectors import places_by_rome_and_commune
from training.services import import_apprenticeship, import_sessions

pytestmark = pytest.mark.django_db

SESSIONS = (
    "identifiant;intitule;organisme;code_commune;date_debut;date_fin;places;codes_rome;certification\n"
    "S1;Diplôme d'État d'aide-soignant;IFAS Amiens;80021;2026-09-01;2027-06-30;24;J1501;RNCP35830\n"
    "S2;Auxiliaire de puériculture;IFAP;80021;01/09/2026;30/06/2027;12;J1501 J1502;\n"
    "S3;Session mal datée;X;80021;2026-13-01;;10;J1501;\n"
    "S4;Code faux;X;80021;2026-09-01;;10;Z9999;\n"
)


@pytest.fixture
def amiens():
    return CommuneFactory(code="80021", name="Amiens")


def test_sessions_csv_import_counts_errors_and_idempotence(tmp_path, amiens):
    path = tmp_path / "sessions.csv"
    path.write_text(SESSIONS)
    report = import_sessions(path=path, format="csv", write=True)
    assert TrainingSession.objects.count() == 2
    s1 = TrainingSession.objects.get(external_id="S1")
    assert (s1.commune_id, s1.places, s1.certification, s1.certifying) == ("80021", 24, "RNCP35830", True)
    assert TrainingSession.objects.get(external_id="S2").start_date == dt.date(2026, 9, 1)
    assert report.rejected == [
        f"{path}:4 [date_debut]: date « 2026-13-01 » illisible (AAAA-MM-JJ ou JJ/MM/AAAA)",
        f"{path}:5 [codes_rome]: code ROME « Z9999 » invalide",
    ]
    assert not import_sessions(path=path, format="csv", write=True).changed


def test_places_are_split_between_occupations_and_add_apprenticeship(tmp_path, amiens):
    FicheFactory(code="J1501", parent_code="J1501")
    path = tmp_path / "sessions.csv"
    path.write_text(SESSIONS)
    import_sessions(path=path, format="csv", write=True)
    ApprenticeshipFigure.objects.create(
        key="a", year=2026, rome_code="J1501", commune=amiens, commune_code="80021", places=5, contracts=3
    )
    ApprenticeshipFigure.objects.create(
        key="b", year=2025, rome_code="J1501", commune=amiens, commune_code="80021", places=50, contracts=3
    )  # an older year: not counted
    places = places_by_rome_and_commune(today=dt.date(2026, 6, 1))
    assert places[("J1501", "80021")] == 24 + 6 + 5
    assert places[("J1502", "80021")] == 6


APPRENTICESHIP = (
    "annee;code_rome;code_commune;diplome;organisme;places_offertes;contrats_signes\n"
    "2026;J1501;80021;DEAS;CFA Santé;10;7\n"
    "2026;J1501;80021;DEAS;CFA Santé;10;7\n"
    "26;J1501;80021;DEAS;CFA;10;7\n"
    "2026;J1501;80021;BP;CFA;;\n"
)


def test_apprenticeship_csv(tmp_path, amiens, capsys):
    path = tmp_path / "apprentissage.csv"
    path.write_text(APPRENTICESHIP)
    report = import_apprenticeship(path=path, write=True)
    figure = ApprenticeshipFigure.objects.get()
    assert (figure.places, figure.contracts, figure.commune_id) == (10, 7, "80021")
    assert report.rejected == [
        f"{path}:3: ligne en double (2026:J1501:80021:DEAS:CFA Santé)",
        f"{path}:4 [annee]: année « 26 » invalide",
        f"{path}:5 [places_offertes]: ni places ni contrats",
    ]
    call_command("import_apprenticeship", str(path))
    assert "Nothing to change" in capsys.readouterr().out
