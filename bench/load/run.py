"""Load test: start gunicorn with the shipped settings (deploy/gunicorn.conf.py) on 127.0.0.1 against a PostgreSQL
pool, run bench/load/locustfile.py headless for a bounded time, print requests/s, p50/p95/p99 and errors per
endpoint and in all, with the CPU time used by gunicorn, PostgreSQL and locust itself, then stop the server.

    bench/postgres-bench-server start
    .venv/bin/python bench/load/run.py [--users 16] [--run-time 60s] [--workers 4] [--threads 2]
        [--database postgres://postgres@127.0.0.1:54329/reseau_emploi] [--out bench/out/load]

Locust runs on the same 2 cores as the server: its own CPU time is reported so the figures can be read honestly.
Exit status 1 when any request failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_ticks(*, name_prefix: str = "", parent: int | None = None) -> dict[int, int]:
    """CPU clock ticks of the running processes whose name starts with `name_prefix`, or which are `parent` and
    its children."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        pid, ppid = int(stat.parent.name), int(fields[1])
        if (parent is not None and parent in (pid, ppid)) or (name_prefix and name.startswith(name_prefix)):
            ticks[pid] = int(fields[11]) + int(fields[12])
    return ticks


def memory_mb(pids) -> float:
    """Proportional set size (shared pages split between the processes sharing them) of these processes, in MB."""
    total_kb = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total_kb += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return total_kb / 1024


def cpu_seconds_since(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU seconds used between two readings (processes that ended meanwhile are not counted)."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items()) / os.sysconf("SC_CLK_TCK")


def wait_until_up(url: str, server: subprocess.Popen, seconds: int = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped during start-up (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def warm_up(base: str, *, rounds: int) -> None:
    """A few requests of each kind before measuring, so every worker has its caches and connections."""
    for index in range(rounds):
        commune = ("59350", "80021", "62041", "02691")[index % 4]
        for path in (
            f"/offres/?q=vendeur&commune={commune}&radius_km=30",
            f"/api/v1/offers?commune={commune}",
        ):
            with urllib.request.urlopen(base + path, timeout=60) as response:
                response.read()
        with urllib.request.urlopen(base + "/aides/simulateur/", timeout=60) as response:
            response.read()
        situation = {"person": {"age": 30, "status": "job_seeker", "residence_commune": commune}}
        request = urllib.request.Request(
            base + "/api/v1/aids/evaluate",
            data=json.dumps(situation).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()


def report(stats_csv: Path) -> tuple[int, int]:
    """Print the per-endpoint table; (failed requests, requests)."""
    failures = requests = 0
    with stats_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(f"{'endpoint':42} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} ms")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        if name == "all":
            failures, requests = int(row["Failure Count"]), int(row["Request Count"])
        print(
            f"{(row['Type'] + ' ' + name).strip():42} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    return failures, requests


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:54329/reseau_emploi"),
    )
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--run-time", default="60s", help="locust --run-time (bounded: 30s, 2m…)")
    parser.add_argument("--workers", type=int, help="GUNICORN_WORKERS (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "load")
    args = parser.parse_args(argv)
    if not args.database.startswith("postgres"):
        raise SystemExit("--database: the load test runs on PostgreSQL (bench/postgres-bench-server start)")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database,
        ALLOW_GENERATED_SECRET_KEY="1",  # a benchmark server on the loopback, no real secret
        VAR_DIR=str(ROOT / "var" / "bench"),
        DJANGO_DEBUG="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="",
        # One client address sends every request: the per-address API limit would answer 429 after 600 a
        # minute. It stays on (its database counter is part of each request's cost) with a limit out of reach.
        API_ANON_RATE="100000000/m",
    )
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(BIN / "reseau-emploi"), "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    print(
        f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
        f"on {os.cpu_count()} CPUs; {args.users} users for {args.run_time} against {base}",
        flush=True,
    )
    server_log = (args.out / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"{base}/offres/", server)
        warm_up(base, rounds=8 * int(env.get("GUNICORN_WORKERS", "4")))
        print("server up and warm", flush=True)
        cpu_before = children_cpu()
        pg_before, server_before = process_ticks(name_prefix="postgres"), process_ticks(parent=server.pid)
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py"))]
            + ["--headless", "--only-summary", "--host", base, "--users", str(args.users)]
            + ["--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time, "--stop-timeout", "10"]
            + ["--csv", str(args.out / "load"), "--loglevel", "WARNING"],
            cwd=ROOT,
            check=False,
        )
        wall = time.monotonic() - started
        locust_cpu = children_cpu() - cpu_before
        pg_cpu = cpu_seconds_since(pg_before, process_ticks(name_prefix="postgres"))
        server_after = process_ticks(parent=server.pid)
        server_cpu = cpu_seconds_since(server_before, server_after)
        server_memory = memory_mb(server_after)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        server_log.close()
    failures, requests = report(args.out / "load_stats.csv")
    print(
        f"CPU during the {wall:.0f} s run: gunicorn {server_cpu:.0f} s ({1000 * server_cpu / max(1, requests):.0f} ms "
        f"per request; {len(server_after)} processes, {server_memory:.0f} MB PSS), PostgreSQL "
        f"cluster {pg_cpu:.0f} s, locust {locust_cpu:.0f} s; load average after {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    if failures:
        print(f"{failures} failed requests: see {args.out / 'load_failures.csv'}", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
