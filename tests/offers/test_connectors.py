import io
import json
import os
from datetime import UTC, datetime

import pytest
from django.conf import settings

from core.sync import SourceError
from offers.canonical import CanonicalOffer, RejectedRecord
from offers.connectors import connector, francetravail, jobposting
from offers.connectors import csv as csv_connector

FT_RECORD = {
    "id": "182WVKQ",
    "intitule": "AGENT ENTRETIEN VOIRIE (H/F) ",
    "description": "Offre d'emploi : agent d'entretien.",
    "dateCreation": "2024-10-17T14:31:28.075Z",
    "dateActualisation": "2024-11-18T16:35:27.186Z",
    "lieuTravail": {
        "libelle": "69 - FEYZIN",
        "latitude": 45.674658,
        "longitude": 4.858258,
        "codePostal": "69320",
        "commune": "69276",
    },
    "romeCode": "K2307",
    "romeLibelle": "Ripeur / Ripeuse",
    "appellationlibelle": "Agent / Agente d'entretien du domaine public",
    "entreprise": {"nom": "MAIRIE DE FEYZIN", "entrepriseAdaptee": False, "siret": "21690276800010"},
    "typeContrat": "CDD",
    "typeContratLibelle": "CDD - 12 Mois",
    "natureContrat": "Contrat travail",
    "experienceExige": "E",
    "experienceLibelle": "6 Mois",
    "competences": [{"code": "100017", "libelle": "Règles de sécurité", "exigence": "S"}],
    "salaire": {
        "libelle": "Mensuel de 1766,92 Euros à 1900,00 Euros sur 12 mois",
        "complement1": "Tickets restaurant",
    },
    "dureeTravailLibelle": "35H\nTravail en journée",
    "dureeTravailLibelleConverti": "Temps plein",
    "alternance": False,
    "nombrePostes": 2,
    "qualificationCode": "6",
    "qualificationLibelle": "Employé qualifié",
    "codeNAF": "84.11Z",
    "origineOffre": {
        "origine": "1",
        "urlOrigine": "https://candidat.francetravail.fr/offres/recherche/detail/182WVKQ",
    },
}


def parse_all(parse, data, **kwargs):
    return list(parse(io.BytesIO(data if isinstance(data, bytes) else data.encode("utf-8")), **kwargs))


def test_francetravail_maps_every_field():
    [offer] = parse_all(francetravail.parse, json.dumps([FT_RECORD]))
    assert isinstance(offer, CanonicalOffer)
    assert (offer.source, offer.source_id, offer.title) == (
        "francetravail",
        "182WVKQ",
        "AGENT ENTRETIEN VOIRIE (H/F)",
    )
    assert offer.employer_name == "MAIRIE DE FEYZIN"
    assert (offer.siret, offer.siret_valid, offer.naf) == ("21690276800010", False, "84.11Z")
    assert (offer.commune_code, offer.postal_code, offer.commune_name) == ("69276", "69320", "FEYZIN")
    assert (offer.latitude, offer.longitude) == (45.674658, 4.858258)
    assert (offer.contract_type, offer.contract_label, offer.contract_duration_months) == (
        "CDD",
        "CDD - 12 Mois",
        12,
    )
    assert (offer.working_time, offer.weekly_hours) == ("FULL_TIME", 35.0)
    assert (offer.salary_min, offer.salary_max, offer.salary_period) == (1766.92, 1900.0, "MONTH")
    assert "Tickets restaurant" in offer.salary_text
    assert offer.experience.startswith("Expérience exigée") and offer.experience_months_min == 6
    assert offer.qualification == "Employé qualifié"
    assert offer.published_at == datetime(2024, 10, 17, 14, 31, 28, 75000, tzinfo=UTC)
    assert offer.updated_at == datetime(2024, 11, 18, 16, 35, 27, 186000, tzinfo=UTC)
    assert offer.url.endswith("/182WVKQ")
    assert (offer.rome_code, offer.appellation_label) == (
        "K2307",
        "Agent / Agente d'entretien du domaine public",
    )
    assert offer.positions == 2
    assert offer.skills == ["Règles de sécurité"]
    assert offer.raw == FT_RECORD and offer.line == 1
    assert offer.lacks_candidates is None  # the record does not say


@pytest.mark.parametrize("flag, read", [(True, True), (False, False), ("true", None)])
def test_francetravail_reads_the_lacking_candidates_flag(flag, read):
    [offer] = parse_all(francetravail.parse, json.dumps([{**FT_RECORD, "offresManqueCandidats": flag}]))
    assert offer.lacks_candidates is read


@pytest.mark.parametrize(
    "record, expected",
    [
        ({"typeContrat": "MIS", "typeContratLibelle": "Mission intérimaire - 3 Mois"}, "INTERIM"),
        ({"typeContrat": "SAI"}, "SAISONNIER"),
        ({"typeContrat": "LIB"}, "LIBERAL"),
        ({"typeContrat": "FRA"}, "FRANCHISE"),
        ({"typeContrat": "DDI"}, "CDD"),
        ({"typeContrat": "CDD", "natureContrat": "Contrat apprentissage"}, "ALTERNANCE"),
        ({"typeContrat": "CDI", "alternance": True}, "ALTERNANCE"),
    ],
)
def test_francetravail_contracts(record, expected):
    [offer] = parse_all(francetravail.parse, json.dumps([{"id": "1", "intitule": "x", **record}]))
    assert offer.contract_type == expected


def test_francetravail_accepts_search_response_and_json_lines():
    other = {**FT_RECORD, "id": "OTHER"}
    wrapped = parse_all(
        francetravail.parse, json.dumps({"resultats": [FT_RECORD, other], "filtresPossibles": []})
    )
    assert [o.source_id for o in wrapped] == ["182WVKQ", "OTHER"]
    lines = json.dumps(FT_RECORD) + "\n\n" + json.dumps(other) + "\n"
    assert [(o.source_id, o.line) for o in parse_all(francetravail.parse, lines)] == [
        ("182WVKQ", 1),
        ("OTHER", 3),
    ]


def test_francetravail_rejects_bad_records_with_line_and_reason_and_keeps_the_rest():
    lines = "\n".join(
        [
            json.dumps(FT_RECORD),
            "{not json",
            json.dumps({"intitule": "sans identifiant"}),
            json.dumps({"id": "D", "intitule": "date", "dateCreation": "hier"}),
            json.dumps({"id": "E", "intitule": "", "appellationlibelle": ""}),
            json.dumps({**FT_RECORD, "id": "OK2"}),
        ]
    )
    results = parse_all(francetravail.parse, lines)
    rejected = [(r.line, r.reason.split(":")[0]) for r in results if isinstance(r, RejectedRecord)]
    assert rejected == [
        (2, "invalid JSON"),
        (3, "id"),
        (4, "dateCreation/dateActualisation"),
        (5, "intitule"),
    ]
    assert [r.source_id for r in results if isinstance(r, CanonicalOffer)] == ["182WVKQ", "OK2"]


def test_francetravail_untitled_offer_takes_its_appellation():
    [offer] = parse_all(
        francetravail.parse, json.dumps([{"id": "X", "intitule": "", "appellationlibelle": "Data engineer"}])
    )
    assert offer.title == "Data engineer"


def test_francetravail_invalid_json_array_is_a_clear_error():
    with pytest.raises(SourceError, match="invalid JSON"):
        parse_all(francetravail.parse, '[{"id": "1"},')


POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "identifier": {"@type": "PropertyValue", "name": "jobboard", "value": "JB1"},
    "title": "Vendeuse en boulangerie",
    "description": "<p>Accueil &amp; vente.</p><ul><li>Encaissement</li></ul><p>Type de contrat : CDD 6 mois.</p>",
    "datePosted": "2024-12-27",
    "validThrough": "2025-01-31T23:59:00+01:00",
    "hiringOrganization": {"@type": "Organization", "name": "Fournil d'Amiens", "taxID": "356 000 000 00048"},
    "jobLocation": {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "postalCode": "80000", "addressLocality": "Amiens"},
        "geo": {"latitude": 49.89, "longitude": 2.29},
    },
    "employmentType": ["PART_TIME", "TEMPORARY"],
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {"minValue": 11.88, "maxValue": 12.5, "unitText": "HOUR"},
    },
    "experienceRequirements": {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": 12},
    "occupationalCategory": "D1106 Vente en alimentation",
    "totalJobOpenings": 3,
    "url": "https://jobboard.example/offres/JB1",
}


def test_jobposting_maps_fields():
    [offer] = parse_all(jobposting.parse, json.dumps([POSTING]), source="jobboard")
    assert (offer.source, offer.source_id, offer.title) == ("jobboard", "JB1", "Vendeuse en boulangerie")
    assert offer.description == "Accueil & vente.\n- Encaissement\nType de contrat : CDD 6 mois."
    assert offer.description_html == POSTING["description"]
    assert (offer.employer_name, offer.siret, offer.siret_valid) == (
        "Fournil d'Amiens",
        "35600000000048",
        True,
    )
    assert (offer.postal_code, offer.commune_name, offer.latitude, offer.longitude) == (
        "80000",
        "Amiens",
        49.89,
        2.29,
    )
    assert (offer.working_time, offer.contract_type) == ("PART_TIME", "CDD")  # TEMPORARY + the text's "CDD"
    assert (offer.salary_min, offer.salary_max, offer.salary_period) == (11.88, 12.5, "HOUR")
    assert offer.experience_months_min == 12
    assert offer.rome_code == "D1106" and offer.positions == 3
    assert offer.expires_at.year == 2025 and offer.published_at.tzinfo is not None


@pytest.mark.parametrize(
    "employment, contract, working_time",
    [
        ("FULL_TIME", "", "FULL_TIME"),
        ("PART_TIME", "", "PART_TIME"),
        ("CONTRACTOR", "LIBERAL", None),
        ("TEMPORARY", "", None),  # fixed-term, but which kind the text does not say here
        ("INTERN", "STAGE", None),
        ("SEASONAL", "SAISONNIER", None),
        ("PER_DIEM", "AUTRE", None),
        ("VOLUNTEER", "AUTRE", None),
        ("OTHER", "AUTRE", None),
        (["FULL_TIME", "SEASONAL"], "SAISONNIER", "FULL_TIME"),
        ("PART_TIME, CONTRACTOR", "LIBERAL", "PART_TIME"),
        (["part-time", "Intern"], "STAGE", "PART_TIME"),  # spellings seen on job boards
        ("full time", "", "FULL_TIME"),
    ],
)
def test_jobposting_employment_types(employment, contract, working_time):
    posting = {**POSTING, "employmentType": employment, "description": "Rejoignez-nous."}
    [offer] = parse_all(jobposting.parse, json.dumps(posting))
    assert (offer.contract_type, offer.working_time) == (contract, working_time)


def test_jobposting_from_html_json_ld_blocks(tmp_path):
    graph = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebPage"}, {**POSTING, "identifier": "JB2"}],
    }
    page = f"""<!doctype html><html><head><title>Offre</title>
    <script type="application/ld+json">{json.dumps(POSTING)}</script>
    <script type="application/ld+json">{json.dumps(graph)}</script>
    <script type="application/ld+json">{{ broken json </script>
    </head><body><h1>Vendeuse</h1></body></html>"""
    path = tmp_path / "offre.html"
    path.write_text(page, encoding="utf-8")
    assert [o.source_id for o in jobposting.parse(path)] == ["JB1", "JB2"]
    (tmp_path / "autre.html").write_text(page.replace("JB1", "JB3").replace("JB2", "JB4"), encoding="utf-8")
    assert sorted(o.source_id for o in jobposting.parse(tmp_path)) == ["JB1", "JB2", "JB3", "JB4"]


@pytest.mark.parametrize("readable", ["bytesio", "pipe"])
def test_jobposting_reads_html_from_any_binary_stream(readable):
    """A BytesIO cannot peek and a pipe cannot seek: both are read whole, HTML detected."""
    page = f'<html><head><script type="application/ld+json">{json.dumps(POSTING)}</script></head></html>'
    data = page.encode("utf-8")
    if readable == "bytesio":
        stream = io.BytesIO(data)
    else:
        read_end, write_end = os.pipe()
        os.write(write_end, data)
        os.close(write_end)
        stream = open(read_end, "rb", buffering=0)  # noqa: SIM115 - closed by the connector's caller below
    with stream:
        assert [o.source_id for o in jobposting.parse(stream)] == ["JB1"]
    assert [o.source_id for o in jobposting.parse(io.BytesIO(json.dumps([POSTING]).encode()))] == ["JB1"]


def test_jobposting_rejects_with_index_and_reason():
    records = [
        POSTING,
        {"@type": "Event", "name": "salon"},
        {**POSTING, "identifier": None, "url": None},
        {**POSTING, "identifier": "J9", "datePosted": "31 février"},
    ]
    results = parse_all(jobposting.parse, json.dumps(records))
    assert [(r.line, r.reason.split(":")[0]) for r in results if isinstance(r, RejectedRecord)] == [
        (2, "@type"),
        (3, "identifier"),
        (4, "datePosted/validThrough"),
    ]


MAPPING = {
    "source_id": "reference",
    "title": "intitule",
    "employer_name": "employeur",
    "postal_code": "code_postal",
    "commune_name": "ville",
    "contract_type": "type_contrat",
    "description": "description",
    "published_at": "date_publication",
    "salary_text": "salaire",
    "siret": "siret",
}


def test_csv_semicolon_utf8_with_mapping():
    data = (
        "reference;intitule;employeur;code_postal;ville;type_contrat;description;date_publication;salaire;siret\r\n"
        'RG1;Aide-soignant H/F;EHPAD Les Tilleuls;80000;Amiens;Contrat à durée indéterminée;"Soins.\nSur deux lignes";2024-11-28;Horaire de 12,50 Euros;73282932000074\r\n'
        "RG2;Maçon;BTP Nord;59000;Lille;Intérim;Chantier;28/11/2024;;12345678901234\r\n"
    )
    results = parse_all(csv_connector.parse, data, source="region", mapping=MAPPING)
    first, second = results
    assert (first.source_id, first.title, first.contract_type, first.line) == (
        "RG1",
        "Aide-soignant H/F",
        "CDI",
        2,
    )
    assert first.description == "Soins.\nSur deux lignes"
    assert (first.salary_min, first.salary_period) == (12.5, "HOUR")
    assert (first.siret, first.siret_valid) == ("73282932000074", True)
    assert (second.line, second.contract_type, second.published_at.day) == (4, "INTERIM", 28)
    assert second.siret_valid is False  # kept, flagged
    assert first.raw["reference"] == "RG1"


def test_csv_comma_latin1_identity_columns():
    data = "source_id,title,commune_name,contract_type\nA1,Opératrice de production,Abbeville,Saisonnier\n".encode(
        "latin-1"
    )
    [offer] = parse_all(csv_connector.parse, data)
    assert (offer.title, offer.commune_name, offer.contract_type) == (
        "Opératrice de production",
        "Abbeville",
        "SAISONNIER",
    )


def test_csv_bad_rows_are_rejected_with_their_line():
    data = "source_id;title;published_at;latitude;longitude\nA;Ok;2024-01-02;49.9;2.3\n;Sans id;;;\nC;Date;2024-13-45;;\nD;Coord;;abc;2\nE;Trop;de;valeurs;ici;encore\nF;Ok;;;\n"
    results = parse_all(csv_connector.parse, data)
    assert [(r.line, r.reason.split(":")[0]) for r in results if isinstance(r, RejectedRecord)] == [
        (3, "source_id"),
        (4, "published_at"),
        (5, "latitude/longitude"),
        (6, "6 values for 5 columns"),
    ]
    assert [o.source_id for o in results if isinstance(o, CanonicalOffer)] == ["A", "F"]


def test_csv_mapping_errors_are_explained(tmp_path):
    with pytest.raises(SourceError, match="unknown canonical name"):
        parse_all(csv_connector.parse, "a;b\n", mapping={"titel": "b"})
    with pytest.raises(SourceError, match="missing column"):
        parse_all(
            csv_connector.parse,
            "reference;nom\nx;y\n",
            mapping={"source_id": "reference", "title": "intitule"},
        )
    bad = tmp_path / "mapping.json"
    bad.write_text("{oops", encoding="utf-8")
    with pytest.raises(SourceError, match="not valid JSON"):
        parse_all(csv_connector.parse, "a\n", mapping=bad)


@pytest.mark.real_data
def test_the_three_dev_files_parse_without_rejects():
    folder = settings.DATA_DIR / "offers" / "dedup_dev"
    counts = {}
    for fmt, name, mapping in [
        ("francetravail", "francetravail.json", None),
        ("jobposting", "jobboard.jsonld.json", None),
        ("csv", "region.csv", folder / "region.mapping.json"),
    ]:
        results = list(connector(fmt)(folder / name, mapping=mapping))
        assert not [r for r in results if isinstance(r, RejectedRecord)]
        counts[fmt] = len(results)
    assert counts == {"francetravail": 1424, "jobposting": 348, "csv": 364}
