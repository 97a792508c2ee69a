"""CSV line-length limit (CSV_MAX_LINE_BYTES, core.csvfiles): every CSV reader rejects a longer line with its
file and line, never holds it whole, and goes on with the next lines."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.csvfiles import LimitedLines
from core.sync import SourceError, read_csv
from offers.canonical import CanonicalOffer, RejectedRecord
from offers.connectors import csv as csv_connector

LIMIT = 64


@pytest.fixture
def small_limit(settings):
    settings.CSV_MAX_LINE_BYTES = LIMIT
    yield
    csv.field_size_limit(1024 * 1024)  # the module-wide limit back to the default setting's


def write(tmp_path, text: str, name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_read_csv_rejects_a_long_line_by_name_and_goes_on(tmp_path, small_limit):
    path = write(tmp_path, "code,label\n1,un\n2," + "x" * 200 + "\n3,trois\n")
    results = list(read_csv(path, required=["code"], tolerant=True))
    assert [(line, row["code"]) for line, row in results if isinstance(row, dict)] == [(2, "1"), (4, "3")]
    [(line, error)] = [(line, row) for line, row in results if isinstance(row, SourceError)]
    assert line == 3 and str(error) == f"{path}:3: line longer than 64 bytes (CSV_MAX_LINE_BYTES): skipped"

    with pytest.raises(SourceError, match=r"data.csv:3: line longer than 64 bytes"):
        list(read_csv(path, required=["code"]))  # a reference sync stops on it instead


def test_a_long_last_line_and_a_long_header_are_reported(tmp_path, small_limit):
    path = write(tmp_path, "code,label\n1,un\n2," + "y" * 100)  # no final line break
    assert [line for line, row in read_csv(path, tolerant=True) if isinstance(row, SourceError)] == [3]
    path = write(tmp_path, "code," + "z" * 100 + "\n1,un\n", name="header.csv")
    with pytest.raises(SourceError, match=r"header.csv:1: the header line is too long"):
        list(read_csv(path))


def test_a_quoted_field_larger_than_the_limit_is_refused_by_the_csv_module(tmp_path, small_limit):
    # Each physical line is short, but the quoted field spans them: csv.field_size_limit stops it.
    path = write(tmp_path, 'code,label\n1,"' + "a\n" * 40 + '"\n2,deux\n')
    with pytest.raises(SourceError, match=r"field larger than field limit \(64\)"):
        list(read_csv(path, tolerant=True))


def test_offers_csv_rejects_a_long_line_and_keeps_the_others(small_limit):
    data = "source_id;title\nA1;Boulanger\nA2;" + "Pâtissier " * 30 + "\nA3;Vendeur\n"
    results = list(csv_connector.parse(io.BytesIO(data.encode("cp1252"))))
    assert [r.source_id for r in results if isinstance(r, CanonicalOffer)] == ["A1", "A3"]
    [rejected] = [r for r in results if isinstance(r, RejectedRecord)]
    assert (rejected.line, rejected.reason) == (3, "line longer than 64 bytes (CSV_MAX_LINE_BYTES): skipped")


def test_offers_csv_switches_to_windows_1252_at_the_first_line_that_is_not_utf8(settings):
    data = "source_id;title\nA1;Boulanger\nA2;Pâtissier\n".encode("cp1252")
    results = list(csv_connector.parse(io.BytesIO(data)))
    assert [r.title for r in results] == ["Boulanger", "Pâtissier"]


class CountingStream(io.BytesIO):
    """Records the largest piece handed out, to prove a long line is never read whole."""

    largest = 0

    def readline(self, size=-1):
        data = super().readline(size)
        self.largest = max(self.largest, len(data))
        return data


def test_an_over_long_line_is_never_held_whole():
    stream = CountingStream(b"a,b\n" + b"x" * 5_000_000 + b"\n1,2\n")
    lines = LimitedLines(stream, path="big.csv", encodings=("utf-8",), limit=1000)
    assert list(lines) == ["a,b\n", "\n", "1,2\n"]
    assert lines.take_too_long() == [2]
    assert stream.largest <= 64 * 1024  # chunks of the skipped line, never the 5 MB


cells = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç0123456789 ", max_size=60)


@hypothesis_settings(max_examples=40, deadline=None, derandomize=True)
@given(rows=st.lists(st.tuples(cells, cells), min_size=1, max_size=30), limit=st.integers(16, 80))
def test_every_line_within_the_limit_is_kept_and_every_longer_one_named(tmp_path_factory, rows, limit):
    from django.conf import settings

    path = tmp_path_factory.mktemp("csv") / "rows.csv"
    lines = ["first,second"] + [f"{a},{b}" for a, b in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    previous = settings.CSV_MAX_LINE_BYTES
    settings.CSV_MAX_LINE_BYTES = limit
    try:
        if len(lines[0].encode()) + 1 > limit:
            with pytest.raises(SourceError, match="header line is too long"):
                list(read_csv(path, tolerant=True))
            return
        results = list(read_csv(path, tolerant=True))
    finally:
        settings.CSV_MAX_LINE_BYTES = previous
        csv.field_size_limit(previous)
    expected = []
    for number, (line, (a, b)) in enumerate(zip(lines[1:], rows, strict=True), start=2):
        if len(line.encode()) + 1 > limit:
            expected.append((number, "too long"))
        elif line.strip():
            expected.append((number, (a, b)))
    got = [
        (number, "too long" if isinstance(row, SourceError) else (row["first"], row["second"]))
        for number, row in results
    ]
    assert got == expected


def test_a_gtfs_member_is_read_line_by_line_and_a_long_line_rejected(tmp_path, small_limit):
    import zipfile

    from reach import gtfs

    feed = tmp_path / "feed.zip"
    with zipfile.ZipFile(feed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "stops.txt", "stop_id,stop_lat,stop_lon\nS1,49.9,2.3\nS2," + "9" * 100 + ",2.3\nS3,50.1,1.8\n"
        )
    archive = gtfs._Archive(feed)
    rows = list(archive.rows("stops.txt", ("stop_id", "stop_lat", "stop_lon")))
    assert [(line, row["stop_id"]) for line, row in rows] == [(2, "S1"), (4, "S3")]
    assert archive.rejected == [
        "feed.zip/stops.txt:3: line longer than 64 bytes (CSV_MAX_LINE_BYTES): skipped"
    ]
