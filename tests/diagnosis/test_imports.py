import bz2

import pytest
from django.core.management import CommandError, call_command

from core.sync import SourceError, run_sync
from diagnosis import imports
from diagnosis.models import (
    Dataset,
    FapOccupation,
    HiringProjects,
    OfferCount,
    RomeFapLink,
    TensionFigure,
    TensionListEntry,
    TensionSeries,
)
from territories.models import CommuneAlias
from tests.factories import CommuneFactory, RegionFactory

pytestmark = pytest.mark.django_db

BMO_HEADER = "annee,Code métier BMO,Nom métier BMO,Famille_met,Lbl_fam_met,REG,NOM_REG,Dept,NomDept,BE25,NOMBE25,met,xmet,smet\n"
BMO_ROWS = (
    "2025,V0X60,Aides-soignants,S,Santé,32,Hauts-de-France,80,Somme,3202,AMIENS,120,84,*\n"
    "2025,V0X60,Aides-soignants,S,Santé,32,Hauts-de-France,80,Somme,3201,ABBEVILLE PONTHIEU,*,*,*\n"
    "2025,V0X60,Aides-soignants,S,Santé,32,Hauts-de-France,60,Oise,3202,AMIENS,10,4,0\n"
    "2025,V0X60,Aides-soignants,S,Santé,32,Hauts-de-France,80,Somme,3203,SANTERRE SOMME,douze,4,0\n"
)


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_bmo_import_counts_secret_cells_and_basin_parts(tmp_path):
    path = write(tmp_path / "bmo.csv", BMO_HEADER + BMO_ROWS)
    report = run_sync(lambda r: imports.sync_bmo(r, path=path), write=True)
    assert HiringProjects.objects.count() == 3  # the bad line is rejected, the others kept
    amiens = HiringProjects.objects.get(key="bmo-2025:V0X60:3202:80")
    assert (amiens.projects, amiens.difficult, amiens.seasonal) == (120, 84, None)  # "*" is unknown, not 0
    assert HiringProjects.objects.get(key="bmo-2025:V0X60:3202:60").projects == 10
    assert HiringProjects.objects.get(bassin_code="3201").projects is None
    assert report.rejected == [
        f"{path}:5 [met]: « douze » n'est ni un nombre entier ni le secret statistique « * »"
    ]
    dataset = Dataset.objects.get(code="bmo-2025")
    assert dataset.vintage == "2025" and dataset.row_count == 3


def test_bmo_import_is_idempotent_and_dry_by_default(tmp_path):
    path = write(tmp_path / "bmo.csv", BMO_HEADER + BMO_ROWS)
    dry = run_sync(lambda r: imports.sync_bmo(r, path=path), write=False)
    assert dry.for_model("projets de recrutement (BMO)").created == 3
    assert HiringProjects.objects.count() == 0
    run_sync(lambda r: imports.sync_bmo(r, path=path), write=True)
    again = run_sync(lambda r: imports.sync_bmo(r, path=path), write=True)
    assert not again.changed


def test_bmo_missing_column_is_a_located_error(tmp_path):
    path = write(tmp_path / "bmo.csv", "annee,Code métier BMO\n2025,A0X40\n")
    with pytest.raises(SourceError, match=r"bmo.csv:1: missing column"):
        run_sync(lambda r: imports.sync_bmo(r, path=path), write=True)


def test_bmo_command_reports_dry_run(tmp_path, capsys):
    path = write(tmp_path / "bmo.csv", BMO_HEADER + BMO_ROWS)
    call_command("sync_labour_bmo", file=path)
    out = capsys.readouterr().out
    assert "projets de recrutement (BMO): 3 created" in out and "dry run" in out
    with pytest.raises(CommandError, match="file not found"):
        call_command("sync_labour_bmo", file=tmp_path / "absent.csv")


TENSION = (
    "annee;ROME;cbassin;oee;defm_abc;ind_tension_d;ind_int_emb_d;ind_main_oeuvre_d;ind_dur_empl_d;"
    "ind_cond_travail_d;ind_mismatch_geo_d;ind_specif_form_empl_d\n"
    "2021;J1501;3202;72,5;37;5;5;3;4;4;4;\n"
    "2021;K2204;3202;10;100,25;1;2;1;1;2;1;1\n"
    "2021;K2204;3201;10;100;7;2;1;1;2;1;1\n"
)


def test_tension_import_reads_decimal_commas_and_rejects_bad_classes(tmp_path):
    path = write(tmp_path / "tension.csv", TENSION)
    report = run_sync(lambda r: imports.sync_tension(r, path=path), write=True)
    row = TensionFigure.objects.get(rome_code="J1501")
    assert (row.offers, row.job_seekers, row.tension_class, row.training_link) == (72.5, 37.0, 5, None)
    assert TensionFigure.objects.get(rome_code="K2204").job_seekers == 100.25
    assert report.rejected == [f"{path}:4 [ind_tension_d]: classe « 7 » hors de 1 à 5"]
    assert not run_sync(lambda r: imports.sync_tension(r, path=path), write=True).changed


def test_open_offers_are_summed_by_region_commune_while_streaming(tmp_path):
    amiens = CommuneFactory(code="80021", name="Amiens")
    CommuneAlias.objects.create(code="80999", commune=amiens, kind=CommuneAlias.Kind.FORMER)
    path = tmp_path / "offres.csv.bz2"
    with bz2.open(path, "wt", encoding="utf-8") as handle:
        handle.write(
            '"commune";"dc_rome_id";"nb_offre";"date_extract"\n'
            ";J1501;5;2021-12-21\n"
            "80021;J1501;3;2021-12-21\n"
            "80999;J1501;2;2021-12-21\n"
            "75056;J1501;40;2021-12-21\n"
            "80021;J1501;x;2021-12-21\n"
        )
    report = run_sync(lambda r: imports.sync_open_offers(r, path=path), write=True)
    assert list(OfferCount.objects.values_list("commune_code", "rome_code", "offers")) == [
        ("80021", "J1501", 5)
    ]
    assert "50 offres lues : 5 dans la région, 40 hors région, 5 sans commune" in report.notes[0]
    assert report.rejected == [f"{path}:6 [nb_offre]: « x » n'est pas un entier"]


def test_open_offers_need_the_region_communes(tmp_path):
    path = write(tmp_path / "offres.csv", '"commune";"dc_rome_id";"nb_offre"\n80021;J1501;3\n')
    with pytest.raises(SourceError, match="chargez d'abord les territoires"):
        run_sync(lambda r: imports.sync_open_offers(r, path=path), write=True)


def test_tension_list_maps_region_names(tmp_path):
    RegionFactory()
    path = write(
        tmp_path / "liste.csv",
        "Region,Famille Professionnelle,Code FAP\nHauts-de-France,Aides-soignants,V0Z60\n"
        "France Entière,Agriculteurs salariés,A0Z40\nAtlantide,Plongeurs,X0Z00\n",
    )
    report = run_sync(lambda r: imports.sync_tension_list(r, path=path), write=True)
    assert set(TensionListEntry.objects.values_list("region_code", "fap_code")) == {
        ("32", "V0Z60"),
        ("", "A0Z40"),
    }
    assert "région « Atlantide » inconnue" in report.rejected[0]


def test_rome_fap_tables_and_bridge(tmp_path):
    labour = tmp_path / "labour_market"
    labour.mkdir()
    write(
        labour / "rome_v3_to_fap2009_flat.csv",
        "fap2009_225,fap2009_libelle,pcs2003,pcs2003_libelle,rome_v3,qualification,rome_v3_libelle\n"
        "V0Z60,Aides-soignants,526a,x,J1501,,Soins d'hygiène\nV1Z80,Infirmiers,431a,x,J1506,,Soins infirmiers\n",
    )
    write(
        labour / "Rome_to_Fap_processed.csv",
        "fap22,famille_pro22,fap87,famille_pro87,rome,rome_label\nV,Santé,V0Z,Aides-soignants,J1501,Soins\n",
    )
    write(
        labour / "dares_nomenclature_fap2021.csv",
        "Code FAP 22;Intitulé FAP 22;Code FAP 86;Intitulé FAP 86;Code FAP 228;Intitulé FAP 228;Code FAP 341;"
        "Intitulé FAP 341\nV;Santé;V0X;Aides-soignants;V0X60;Aides-soignants;V0X60a;x\n"
        "V;Santé;V1X;Infirmiers;V1X80;Infirmiers et sages-femmes;V1X80a;x\n"
        "V;Santé;V5X;Sport;V5X82;Sportifs et animateurs sportifs;V5X82a;x\n",
        encoding="utf-8-sig",
    )
    run_sync(lambda r: imports.sync_rome_fap(r, data_dir=tmp_path), write=True)
    assert set(RomeFapLink.objects.values_list("rome_code", "fap_code")) == {
        ("J1501", "V0Z60"),
        ("J1506", "V1Z80"),
        ("J1501", "V0Z"),
    }
    bridge = dict(FapOccupation.objects.filter(version="2021").values_list("code", "equivalent_2009"))
    # the 87-level group "V0Z" is never a bridge target; an occupation without a close label stays unbridged
    assert bridge == {"V0X60": "V0Z60", "V1X80": "V1Z80", "V5X82": ""}


def test_fap_and_bmo_imports_do_not_rewrite_each_other(tmp_path):
    test_rome_fap_tables_and_bridge(tmp_path)
    path = write(tmp_path / "bmo.csv", BMO_HEADER + BMO_ROWS)
    run_sync(lambda r: imports.sync_bmo(r, path=path), write=True)
    assert FapOccupation.objects.get(key="2021:V0X60").equivalent_2009 == "V0Z60"
    assert not run_sync(lambda r: imports.sync_rome_fap(r, data_dir=tmp_path), write=True).changed
    assert not run_sync(lambda r: imports.sync_bmo(r, path=path), write=True).changed


def test_dares_series(tmp_path):
    path = write(
        tmp_path / "evol.csv", "fap,Tension ,Année\nV0Z60,0.41,2019\nV0Z60,-0.2,2018\nV0Z60,abc,2017\n"
    )
    report = run_sync(lambda r: imports.sync_dares_series(r, path=path), write=True)
    assert sorted(TensionSeries.objects.values_list("year", "zscore")) == [(2018, -0.2), (2019, 0.41)]
    assert report.rejected == [f"{path}:4 [Tension ]: « abc » n'est pas un nombre"]
    assert Dataset.objects.get(code="dares-tensions").vintage == "2011-2019"
