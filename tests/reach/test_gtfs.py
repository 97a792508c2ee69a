import zipfile
from datetime import date, time

import pytest
from django.core.management import CommandError, call_command

from reach.models import TransitFeed, TransitTime
from reach.selectors import trip
from tests.factories import CommuneFactory

# A small line A (rural village) -> B (town) -> C (city), and a second line C -> D, with one morning trip each.
FEED = {
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nSA,Village,49.70,3.60\nSB,Bourg,49.65,3.62\nSC,Ville,49.564,3.62\nSD,Autre,49.50,3.70\nSX,Nowhere,10.0,10.0\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWEEK,1,1,1,1,1,0,0,20260101,20261231\n",
    "calendar_dates.txt": "service_id,date,exception_type\nWEEK,20261225,2\n",
    "trips.txt": "route_id,service_id,trip_id\nR1,WEEK,T1\nR2,WEEK,T2\n",
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,07:10:00,07:10:00,SA,1\nT1,07:25:00,07:26:00,SB,2\nT1,07:40:00,07:40:00,SC,3\n"
        "T2,07:50:00,07:50:00,SC,1\nT2,08:05:00,08:05:00,SD,2\n"
        "T2,08:xx:00,08:10:00,SX,3\n"
    ),
}


def write_feed(tmp_path, files=FEED):
    path = tmp_path / "feed.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


@pytest.fixture
def communes(db):
    return {
        "A": CommuneFactory(code="02300", name="Village", latitude=49.70, longitude=3.60, population=300),
        "B": CommuneFactory(code="02301", name="Bourg", latitude=49.65, longitude=3.62, population=3000),
        "C": CommuneFactory(code="02408", name="Ville", latitude=49.564, longitude=3.62, population=25000),
        "D": CommuneFactory(code="02409", name="Autre", latitude=49.50, longitude=3.70, population=500),
    }


def test_import_computes_door_to_door_times_with_transfers(tmp_path, communes):
    call_command("import_gtfs", write_feed(tmp_path), "--date", "2026-11-26", "--write", verbosity=0)
    feed = TransitFeed.objects.get()
    assert (feed.stops, feed.connections) == (5, 3)  # SX's bad time is rejected, the rest is kept
    assert "stop_times.txt:7" in feed.report["rejected"][0]
    times = {(t.origin_id, t.destination_id): t.minutes for t in TransitTime.objects.all()}
    # Leaving at 7:00 from the village point (stop on the spot): arrive at the city at 7:40.
    assert times[("02300", "02408")] == pytest.approx(40, abs=1)
    # To D with a change in the city (7:40 -> 7:50) arriving 8:05.
    assert times[("02300", "02409")] == pytest.approx(65, abs=1)
    # No trip runs backwards.
    assert ("02408", "02300") not in times
    # The stored time replaces the model's estimate for that pair.
    assert trip(origin="02300", destination="02408").minutes["public_transport"] == pytest.approx(40, abs=1)


def test_no_service_on_an_excepted_day(tmp_path, communes):
    call_command("import_gtfs", write_feed(tmp_path), "--date", "2026-12-25", "--write", verbosity=0)
    assert not TransitTime.objects.exists()


def test_dry_run_stores_nothing(tmp_path, communes):
    call_command("import_gtfs", write_feed(tmp_path), "--date", "2026-11-26", verbosity=0)
    assert not TransitFeed.objects.exists()


def test_a_feed_without_stop_times_is_refused_naming_the_file(tmp_path, communes):
    files = {name: text for name, text in FEED.items() if name != "stop_times.txt"}
    with pytest.raises(CommandError, match=r"feed.zip/stop_times.txt: file missing"):
        call_command("import_gtfs", write_feed(tmp_path, files), "--date", "2026-11-26", verbosity=0)


def test_reimport_replaces_the_feed_times(tmp_path, communes):
    path = write_feed(tmp_path)
    call_command("import_gtfs", path, "--date", "2026-11-26", "--write", verbosity=0)
    call_command("import_gtfs", path, "--date", "2026-11-26", "--write", verbosity=0)
    assert TransitFeed.objects.count() == 1
    assert TransitTime.objects.count() == len(
        set(TransitTime.objects.values_list("origin_id", "destination_id"))
    )
    assert time(7, 0) == TransitFeed.objects.get().window_start
    assert date(2026, 11, 26) == TransitFeed.objects.get().service_date
