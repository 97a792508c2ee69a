"""Offer connectors under arbitrary and mutated input: every record comes out as an offer or a rejection with its
line and reason; the only error that stops a file is SourceError; valid records are all kept."""

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.sync import SourceError
from offers.canonical import CanonicalOffer, RejectedRecord
from offers.connectors import csv as csv_connector
from offers.connectors import francetravail, jobposting
from tests.offers.test_connectors import FT_RECORD
from tests.security.fuzz import FUZZ, json_values, mutations, utf8_bytes

POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "identifier": {"@type": "PropertyValue", "value": "JP-1"},
    "title": "Aide-soignant (H/F)",
    "description": "<p>Service de gériatrie</p>",
    "datePosted": "2026-10-01",
    "validThrough": "2026-12-31T23:59",
    "employmentType": "FULL_TIME",
    "hiringOrganization": {"@type": "Organization", "name": "CHU Amiens", "sameAs": "https://chu-amiens.fr"},
    "jobLocation": {
        "@type": "Place",
        "address": {"addressLocality": "Amiens", "postalCode": "80000", "addressCountry": "FR"},
        "geo": {"latitude": 49.89, "longitude": 2.29},
    },
    "baseSalary": {"currency": "EUR", "value": {"minValue": 1900, "maxValue": 2300, "unitText": "MONTH"}},
}
HTML_PAGE = (
    "<html><head><title>Offre</title><script type='application/ld+json'>"
    + json.dumps(POSTING)
    + "</script></head><body><h1>Aide-soignant</h1></body></html>"
).encode()
CSV_SAMPLE = (
    b"source_id;title;commune_code;contract_type;published_at;latitude;longitude;positions\n"
    b"A1;Cariste;80021;CDI;2026-10-01;49.9;2.3;2\n"
    b'A2;"Agent, entretien";59350;CDD;2026-10-02;;;1\n'
)


def outcomes(parse, data: bytes, **kwargs) -> list:
    """All the parser yields, or [SourceError] when it refuses the whole file."""
    try:
        results = list(parse(io.BufferedReader(io.BytesIO(data)), **kwargs))
    except SourceError as error:
        assert str(error), "a SourceError says what is wrong"
        return [error]
    for result in results:
        assert isinstance(result, CanonicalOffer | RejectedRecord), result
        if isinstance(result, RejectedRecord):
            assert result.reason and isinstance(result.line, int) and result.line >= 0
    return results


# --- France Travail JSON -----------------------------------------------------------------------------------


@FUZZ
@given(utf8_bytes)
def test_francetravail_survives_arbitrary_text(data):
    outcomes(francetravail.parse, data)


@pytest.mark.parametrize(
    "data",
    [b"\x80", b'[{"id": "1", "intitule": "caf\xe9"}]', b'{"id": "1", "intitule": "a"}\n{"id": "\xff"}\n'],
    ids=["lone-byte", "latin1-array", "latin1-json-line"],
)
@pytest.mark.parametrize(
    "parse", [francetravail.parse, jobposting.parse], ids=["francetravail", "jobposting"]
)
def test_json_connectors_refuse_non_utf8_with_a_source_error(parse, data):
    outcomes(parse, data)


@FUZZ
@given(mutations(json.dumps([FT_RECORD, FT_RECORD | {"id": "X2"}], ensure_ascii=False).encode(), utf8=True))
def test_francetravail_survives_mutated_documents(data):
    outcomes(francetravail.parse, data)


@FUZZ
@given(st.lists(json_values, min_size=1, max_size=6))
def test_francetravail_accounts_for_every_record_of_an_array(records):
    results = outcomes(francetravail.parse, json.dumps(records).encode())
    assert len(results) == len(records)
    assert [r.line for r in results if isinstance(r, RejectedRecord)] == [
        i + 1 for i, r in enumerate(results) if isinstance(r, RejectedRecord)
    ]


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(sorted(FT_RECORD)), json_values, max_size=6), max_size=6))
def test_francetravail_json_lines_with_wrong_field_types_are_rejected_one_by_one(partials):
    records = [FT_RECORD | partial for partial in partials]
    data = "\n".join(json.dumps(record) for record in records).encode()
    results = outcomes(francetravail.parse, data)
    assert len(results) == len(records)


@FUZZ
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=20).filter(str.strip), st.text(max_size=60).filter(str.strip)),
        min_size=1,
        max_size=8,
        unique_by=lambda pair: pair[0].strip(),
    )
)
def test_francetravail_keeps_every_valid_record(pairs):
    records = [FT_RECORD | {"id": id_, "intitule": title} for id_, title in pairs]
    results = outcomes(francetravail.parse, json.dumps(records).encode())
    assert all(isinstance(r, CanonicalOffer) for r in results), results
    assert [r.source_id for r in results] == [id_.strip() for id_, _ in pairs]


# --- JobPosting JSON-LD and HTML ---------------------------------------------------------------------------


@FUZZ
@given(utf8_bytes)
def test_jobposting_survives_arbitrary_text(data):
    outcomes(jobposting.parse, data)


@FUZZ
@given(mutations(json.dumps({"@graph": [POSTING, POSTING | {"identifier": "JP-2"}]}).encode(), utf8=True))
def test_jobposting_survives_mutated_json_ld(data):
    outcomes(jobposting.parse, data)


@FUZZ
@given(mutations(HTML_PAGE, utf8=True))
def test_jobposting_survives_mutated_html_pages(data):
    outcomes(jobposting.parse, data)


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(sorted(POSTING)), json_values, max_size=5), max_size=6))
def test_jobposting_rejects_wrong_field_types_one_by_one(partials):
    records = [POSTING | partial for partial in partials]
    results = outcomes(jobposting.parse, json.dumps(records).encode())
    assert len(results) == len(records)


@FUZZ
@given(st.lists(st.text(min_size=1, max_size=60).filter(str.strip), min_size=1, max_size=6))
def test_jobposting_keeps_every_valid_posting_of_a_page(titles):
    blocks = "".join(
        "<script type='application/ld+json'>"
        + json.dumps(POSTING | {"identifier": f"JP-{i}", "title": title}).replace("</", "<\\/")
        + "</script>"
        for i, title in enumerate(titles)
    )
    results = outcomes(jobposting.parse, f"<html><head>{blocks}</head><body></body></html>".encode())
    assert all(isinstance(r, CanonicalOffer) for r in results), results
    assert [r.source_id for r in results] == [f"JP-{i}" for i in range(len(titles))]


# --- CSV with mapping --------------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=300))
def test_csv_survives_arbitrary_bytes(data):
    outcomes(csv_connector.parse, data)


@FUZZ
@given(mutations(CSV_SAMPLE))
def test_csv_survives_mutated_files(data):
    outcomes(csv_connector.parse, data)


@FUZZ
@given(json_values)
def test_csv_mapping_of_any_shape_is_accepted_or_refused_with_a_source_error(mapping):
    outcomes(csv_connector.parse, CSV_SAMPLE, mapping=mapping)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=15).filter(
                str.strip
            ),
            st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=60).filter(
                str.strip
            ),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda pair: pair[0].strip(),
    ),
    st.sampled_from([",", ";"]),
)
def test_csv_keeps_every_valid_row_with_a_mapping(rows, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Référence", "Intitulé du poste"])
    writer.writerows(rows)
    results = outcomes(
        csv_connector.parse,
        buffer.getvalue().encode(),
        mapping={"source_id": "Référence", "title": "Intitulé du poste"},
    )
    assert all(isinstance(r, CanonicalOffer) for r in results), results
    assert [r.source_id for r in results] == [id_.strip() for id_, _ in rows]
