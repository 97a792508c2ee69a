"""File importers under arbitrary and mutated input: LHEO XML, SIRENE CSV, GTFS, the aids catalogue YAML,
situations JSON and the reference CSV reader. The only error that stops a file is SourceError (or, for the aids
catalogue, a rejection naming the file); rows that cannot be used are named with their line and reason; valid
rows are all kept."""

import csv
import io
import json
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from aids.situations_json import SituationError, parse_situations
from aids.sources import read_catalogue
from companies import sirene
from core.sync import SourceError, read_csv
from reach.gtfs import read_feed
from tests.reach.test_gtfs import FEED
from tests.security.fuzz import FUZZ, json_values, mutations
from training.sources import read_lheo

COMPANIES_DATA = Path(__file__).resolve().parents[1] / "companies" / "data"
CATALOGUE = settings.SRC_DIR / "aids" / "catalogue"
LHEO_SAMPLE = settings.DATA_DIR / "training/anotea__intercarif-data-test.xml"


def in_file(data: bytes, name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / name
    path.write_bytes(data)
    return path


def refused_or(call):
    """call()'s result, or None when it refuses the file with a located SourceError."""
    try:
        return call()
    except SourceError as error:
        assert error.message and error.path
        return None


# --- LHEO XML ------------------------------------------------------------------------------------------------

LHEO_MINIMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<lheo xmlns="http://www.lheo.org/2.2"><offres>
<formation numero="F1"><intitule-formation>Cariste</intitule-formation><domaine-formation>
<code-ROME>N1101</code-ROME></domaine-formation><action numero="A1"><session numero="S1"><periode>
<debut>20261102</debut><fin>20261220</fin></periode></session></action></formation>
<formation numero="F2"><intitule-formation>Soudeur</intitule-formation><action numero="A1"><session numero="S1">
</session></action></formation>
</offres></lheo>"""


@FUZZ
@given(st.binary(max_size=300))
def test_lheo_survives_arbitrary_bytes(data):
    rejected = []
    refused_or(lambda: read_lheo(in_file(data, "x.xml"), rejected=rejected))


@FUZZ
@given(mutations(LHEO_MINIMAL))
def test_lheo_survives_mutated_documents(data):
    rejected = []
    rows = refused_or(lambda: read_lheo(in_file(data, "x.xml"), rejected=rejected))
    assert all(reason.strip() for reason in rejected)
    if rows is not None:
        assert all(row["title"] for row in rows.values())


@pytest.mark.real_data
@FUZZ
@given(st.data())
def test_lheo_survives_mutations_of_the_real_intercarif_sample(data):
    sample = LHEO_SAMPLE.read_bytes()
    mutated = data.draw(mutations(sample, max_edits=3))
    refused_or(lambda: read_lheo(in_file(mutated, "intercarif.xml"), rejected=[]))


@FUZZ
@given(st.lists(st.text(min_size=1, max_size=40).filter(str.strip), min_size=1, max_size=6))
def test_lheo_keeps_every_valid_formation(titles):
    from xml.sax.saxutils import escape

    formations = "".join(
        f'<formation numero="F{i}"><intitule-formation>{escape(title)}</intitule-formation>'
        f'<action numero="A"><session numero="S"/></action></formation>'
        for i, title in enumerate(titles)
    )
    document = f'<lheo xmlns="http://www.lheo.org/2.2"><offres>{formations}</offres></lheo>'
    try:
        document.encode("utf-8")
    except UnicodeEncodeError:
        return
    if any(not c.isprintable() and c not in "\t\n\r" for c in "".join(titles)):
        return  # control characters are not XML: a refusal is right
    rejected = []
    rows = read_lheo(in_file(document.encode(), "ok.xml"), rejected=rejected)
    assert sorted(rows) == sorted(f"lheo:F{i}/A/S" for i in range(len(titles)))
    assert not rejected


ENTITY_ATTACKS = {
    "billion-laughs": """<?xml version="1.0"?><!DOCTYPE lheo [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><lheo><offres><formation numero="F">
<intitule-formation>&d;</intitule-formation></formation></offres></lheo>""",
    "quadratic-blowup": '<?xml version="1.0"?><!DOCTYPE lheo [<!ENTITY x "'
    + "x" * 5000
    + '">]><lheo><offres><formation numero="F"><intitule-formation>'
    + "&x;" * 200
    + "</intitule-formation></formation></offres></lheo>",
    "external-entity": """<?xml version="1.0"?><!DOCTYPE lheo [<!ENTITY s SYSTEM "file:///etc/passwd">]>
<lheo><offres><formation numero="F"><intitule-formation>&s;</intitule-formation></formation></offres></lheo>""",
    "external-parameter-entity": """<?xml version="1.0"?><!DOCTYPE lheo [<!ENTITY % p SYSTEM
"http://127.0.0.1:1/evil.dtd"> %p;]><lheo><offres/></lheo>""",
    "external-dtd": """<?xml version="1.0"?><!DOCTYPE lheo SYSTEM "http://127.0.0.1:1/lheo.dtd">
<lheo><offres><formation numero="F"><intitule-formation>T</intitule-formation></formation></offres></lheo>""",
}


@pytest.mark.parametrize("name", sorted(ENTITY_ATTACKS))
def test_lheo_refuses_entity_expansion_and_external_resources(name):
    rejected = []
    try:
        rows = read_lheo(in_file(ENTITY_ATTACKS[name].encode(), "evil.xml"), rejected=rejected)
    except SourceError as error:
        assert "root:" not in str(error) and "aaaa" not in str(error)
        return
    # Accepted only if nothing external was fetched or expanded: an external DTD is ignored by expat.
    assert all("root:" not in row["title"] and "aaaa" not in row["title"] for row in rows.values())


# --- SIRENE CSV ----------------------------------------------------------------------------------------------


SHORT_ROWS = (
    "a CSV row with fewer values than the header gets None for the missing columns (csv.DictReader's restval) "
    "and the reader then calls str methods on None"
)


def _sirene_lines(name: str, count: int) -> bytes:
    return b"".join((COMPANIES_DATA / name).read_bytes().splitlines(keepends=True)[:count])


@FUZZ
@given(st.data())
def test_sirene_establishments_survive_mutated_files(data):
    mutated = data.draw(mutations(_sirene_lines("StockEtablissement_extrait.csv", 6)))
    path = in_file(mutated, "StockEtablissement.csv")
    rows = refused_or(lambda: list(sirene.establishments(path)))
    for row in rows or []:
        if isinstance(row, tuple):
            line, reason = row
            assert isinstance(line, int) and reason
        else:
            assert len(row.siret) == 14 and row.siren == row.siret[:9]


@FUZZ
@given(st.data())
def test_sirene_companies_survive_mutated_files(data):
    mutated = data.draw(mutations(_sirene_lines("StockUniteLegale_extrait.csv", 6)))
    refused_or(lambda: sirene.companies(in_file(mutated, "StockUniteLegale.csv")))


def test_sirene_names_a_short_establishment_row_with_its_line():
    header, first = _sirene_lines("StockEtablissement_extrait.csv", 2).decode().splitlines()
    path = in_file(f"{header}\n{first.rsplit(',', 5)[0]}\n".encode(), "short.csv")
    rows = refused_or(lambda: list(sirene.establishments(path)))
    assert rows is None or (len(rows) == 1 and isinstance(rows[0], tuple) and rows[0][0] == 2)


def test_sirene_accounts_for_every_establishment_of_the_sample():
    lines = (COMPANIES_DATA / "StockEtablissement_extrait.csv").read_text(encoding="utf-8").splitlines()
    rows = list(sirene.establishments(COMPANIES_DATA / "StockEtablissement_extrait.csv"))
    assert len(rows) == len(lines) - 1
    kept = [row for row in rows if not isinstance(row, tuple)]
    assert kept and all(len(row.siret) == 14 for row in kept)
    assert all(reason for row in rows if isinstance(row, tuple) for reason in row[1:])


# --- GTFS ----------------------------------------------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return in_file(buffer.getvalue(), "feed.zip")


@FUZZ
@given(st.sampled_from(sorted(FEED)), st.data())
def test_gtfs_survives_a_mutated_file_of_the_feed(name, data):
    files = {key: value.encode() for key, value in FEED.items()}
    files[name] = data.draw(mutations(files[name]))
    feed = refused_or(lambda: read_feed(_zip(files), service_date=date(2026, 11, 26)))
    if feed is not None:
        assert all(".txt:" in reason for reason in feed.rejected)
        assert all(dep <= arr for dep, arr, *_ in feed.connections)


@FUZZ
@given(st.binary(max_size=200))
def test_gtfs_refuses_a_corrupt_archive_with_a_source_error(data):
    refused_or(lambda: read_feed(in_file(data, "feed.zip"), service_date=date(2026, 11, 26)))


def test_gtfs_keeps_every_valid_connection():
    feed = read_feed(_zip({k: v.encode() for k, v in FEED.items()}), service_date=date(2026, 11, 26))
    assert len(feed.connections) == 3 and len(feed.rejected) == 1  # the SX call with time 08:xx:00


# --- Aids catalogue (YAML) -----------------------------------------------------------------------------------


def _catalogue_with(name: str, content: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="catalogue-"))
    (folder / name).write_bytes(content)
    return folder


@FUZZ
@given(st.sampled_from(sorted(p.name for p in CATALOGUE.glob("*.yml"))), st.data())
def test_aid_catalogue_rejects_a_mutated_file_by_name_or_keeps_it(name, data):
    mutated = data.draw(mutations((CATALOGUE / name).read_bytes()))
    read = read_catalogue(_catalogue_with(name, mutated))
    assert len(read.rows) + len(read.rejected) == 1
    assert all(
        reason.startswith(str(Path(reason.split(":")[0]))) and name in reason for reason in read.rejected
    )


AID_FIELDS = ("amount_max", "theme", "rule_kind", "conditions", "valid_from", "label", "periodicity")


@FUZZ
@given(
    st.sampled_from(sorted(p.name for p in CATALOGUE.glob("*.yml"))),
    st.dictionaries(
        st.sampled_from(AID_FIELDS),
        json_values | st.dates() | st.floats(allow_nan=True, allow_infinity=True),
        min_size=1,
        max_size=3,
    ),
)
def test_aid_catalogue_fields_of_any_type_are_rejected_by_name(name, changes):
    data = yaml.safe_load((CATALOGUE / name).read_text(encoding="utf-8")) | changes
    read = read_catalogue(_catalogue_with(name, yaml.safe_dump(data, allow_unicode=True).encode()))
    assert len(read.rows) + len(read.rejected) == 1


def test_the_whole_catalogue_is_valid():
    read = read_catalogue(CATALOGUE)
    assert not read.rejected and len(read.rows) == len(list(CATALOGUE.glob("*.yml")))


# --- Situations JSON -----------------------------------------------------------------------------------------

SITUATION = {
    "person": {"birth_date": "1990-05-04", "job_seeker_category": 1},
    "need": {"kind": "interview"},
    "evaluation_date": "2026-11-02",
}


@FUZZ
@given(json_values)
def test_situations_of_any_shape_give_errors_not_exceptions(data):
    situations, errors = parse_situations(data)
    assert all(isinstance(error, SituationError) and str(error) for error in errors)


@FUZZ
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["person", "need", "evaluation_date", "received_last_12_months", "id", "other"]),
            json_values,
            max_size=4,
        ),
        max_size=5,
    )
)
def test_every_situation_is_parsed_or_named_in_an_error(partials):
    items = [SITUATION | partial for partial in partials]
    situations, errors = parse_situations(json.loads(json.dumps(items)))
    assert len(situations) == len(items)
    failed = {index for index, situation in enumerate(situations) if situation is None}
    assert failed == {error.index for error in errors}


# --- Reference CSV reader (core.sync.read_csv) --------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=300))
def test_read_csv_survives_arbitrary_bytes(data):
    path = in_file(data, "ref.csv")
    refused_or(lambda: list(read_csv(path, required=("code",))))


@FUZZ
@given(
    st.lists(
        st.tuples(st.text(max_size=10), st.text(max_size=30)).filter(lambda r: any(c.strip() for c in r)),
        max_size=10,
    )
)
def test_read_csv_keeps_every_row(rows):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["code", "libelle"])
    writer.writerows(rows)
    path = in_file(buffer.getvalue().encode("utf-8", "surrogatepass"), "ref.csv")
    read = refused_or(lambda: list(read_csv(path, required=("code",))))
    if read is None:  # lone surrogates are not UTF-8: refused with its line
        return
    assert [(row["code"], row["libelle"]) for _line, row in read] == [tuple(r) for r in rows]
