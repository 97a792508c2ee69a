"""Rate-limit counters are shared by every worker process: two processes counting on the same key through the
default cache (the database, core.cache) never hand out the same count; a per-process cache would."""

import uuid

import pytest

from core import ratelimit
from tests.security.subprocess_database import shared_database

HITS = 120
# Each process waits for the other at a barrier (one file each) so that their hits really interleave.
COUNT_HITS = (
    "import pathlib, time; from core.ratelimit import hit; "
    "barrier = pathlib.Path({barrier!r}); (barrier / str(os.getpid())).touch(); "
    "deadline = time.monotonic() + 60\n"
    "while len(list(barrier.iterdir())) < 2 and time.monotonic() < deadline: time.sleep(0.01)\n"
    "print(','.join(str(hit({key!r}, window=3600, now=1_800_000_000.0)) for _ in range({hits})))"
)


def _counts(worker) -> list[int]:
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    return [int(n) for n in out.strip().splitlines()[-1].split(",")]


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_atomic_counter(tmp_path):
    database = shared_database(tmp_path)
    shared_key = f"shared-{uuid.uuid4().hex}"
    local_key = f"local-{uuid.uuid4().hex}"
    barriers = {name: tmp_path / name for name in ("shared", "local")}
    for barrier in barriers.values():
        barrier.mkdir()
    shared = [
        database.python(COUNT_HITS.format(key=shared_key, hits=HITS, barrier=str(barriers["shared"])))
        for _ in range(2)
    ]
    # The same two processes with a per-process cache, to show the assertion below can fail.
    local = [
        database.python(
            COUNT_HITS.format(key=local_key, hits=HITS, barrier=str(barriers["local"])), CACHE_URL="locmem://"
        )
        for _ in range(2)
    ]
    first, second = (_counts(worker) for worker in shared)
    # Every hit of both processes got its own count: none lost, none counted twice.
    assert sorted(first + second) == list(range(1, 2 * HITS + 1))
    assert first == sorted(first) and second == sorted(second)
    first, second = (_counts(worker) for worker in local)
    assert first == second == list(range(1, HITS + 1))


@pytest.mark.django_db
def test_a_window_counts_from_one_and_expires_with_its_window():
    key = f"window-{uuid.uuid4().hex}"
    assert [ratelimit.hit(key, window=60, now=6000.0 + i) for i in range(3)] == [1, 2, 3]
    assert ratelimit.hit(key, window=60, now=6060.0) == 1  # the next minute starts again
    assert ratelimit.window_end(window=60, now=6045.0) == 15.0


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("600/m", (600, 60)), ("10/s", (10, 1)), ("5/15m", (5, 900)), ("1000/d", (1000, 86400))],
)
def test_rates_are_parsed(rate, parsed):
    assert ratelimit.parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["600", "600/x", "many/m", "/m"])
def test_a_bad_rate_says_what_is_expected(rate):
    with pytest.raises(ValueError, match="expected N/s, N/m, N/h or N/d"):
        ratelimit.parse_rate(rate)
