"""Copy the offers of a pool built by the pipeline on SQLite into a PostgreSQL database, optionally replicated, to
measure search and load at a size the pipeline cannot build in the time at hand (it imports about 180 offers per
CPU second on these machines: a million offers take hours).

    .venv/bin/python bench/offers_pool_to_postgres.py var/bench/offers_100k.sqlite3 \
        postgres://postgres@127.0.0.1:54329/search_lab --copies 10

The target database is created when missing, migrated, and loaded with the reference data (`load-reference`)
when empty; then its offers are replaced by those of the SQLite pool (COPY), and by `--copies - 1` replicas of them: new ids, positions moved by
up to ±0.01° (about 1 km), publication dates moved back by the replica's number of hours. The replicas keep the
real distribution of the pool (communes, ROME codes, contracts, words), which is what search speed depends on;
they are benchmark data, never to be presented as real offers. Publications are not copied (offer pages show
none); the search vector is computed by PostgreSQL's own trigger, and the GIN index built once at the end.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = [
    "id",
    "title",
    "description",
    "employer_name",
    "siret",
    "siret_valid",
    "naf",
    "latitude",
    "longitude",
    "contract_type",
    "contract_duration_months",
    "working_time",
    "weekly_hours",
    "salary_min",
    "salary_max",
    "salary_period",
    "salary_text",
    "experience",
    "experience_months_min",
    "qualification",
    "published_at",
    "updated_at",
    "expires_at",
    "url",
    "rome_code",
    "positions",
    "rome_confidence",
    "departement_code",
    "bassin_code",
    "status",
    "publication_count",
    "operators",
    "source_names",
    "search_text",
    "rebuilt_at",
    "appellation_id",
    "commune_id",
    "fiche_id",
]
TEXT_COLUMNS = [
    "title",
    "description",
    "employer_name",
    "siret",
    "naf",
    "contract_type",
    "working_time",
    "salary_period",
    "salary_text",
    "experience",
    "qualification",
    "url",
    "rome_code",
    "departement_code",
    "bassin_code",
    "status",
    "source_names",
    "search_text",
]


def create_database_if_missing(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    target = psycopg.conninfo.conninfo_to_dict(database_url)
    name = target["dbname"]
    with psycopg.connect(
        psycopg.conninfo.make_conninfo(database_url, dbname="postgres"), autocommit=True
    ) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", flush=True)


def prepare(database_url: str) -> None:
    create_database_if_missing(database_url)
    env = dict(os.environ, DATABASE_URL=database_url, ALLOW_GENERATED_SECRET_KEY="1")
    env.setdefault("VAR_DIR", str(ROOT / "var" / "bench"))
    cli = str(Path(sys.executable).parent / "reseau-emploi")
    subprocess.run([cli, "migrate", "-v0"], env=env, check=True)
    import psycopg

    with psycopg.connect(database_url) as connection:
        loaded = connection.execute("SELECT EXISTS (SELECT 1 FROM territories_commune)").fetchone()[0]
    if not loaded:
        subprocess.run([cli, "load-reference"], env=env, check=True, stdout=subprocess.DEVNULL)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sqlite", type=Path, help="an offers pool built by the pipeline on SQLite")
    parser.add_argument("database", help="postgres://… target (its offers are replaced)")
    parser.add_argument("--copies", type=int, default=1, help="the pool and copies - 1 replicas of it")
    args = parser.parse_args(argv)
    if not args.sqlite.is_file():
        raise SystemExit(f"{args.sqlite}: no such SQLite pool")
    if args.copies < 1:
        raise SystemExit("--copies: 1 or more")
    import psycopg

    started = time.perf_counter()
    prepare(args.database)
    source = sqlite3.connect(f"file:{args.sqlite}?mode=ro", uri=True)
    max_id = source.execute("SELECT max(id) FROM offers_offer").fetchone()[0] or 0
    step = 10 ** len(str(max_id))  # replica k has ids k * step + id
    columns = ", ".join(COLUMNS)
    with psycopg.connect(args.database, autocommit=True) as target:
        target.execute("TRUNCATE offers_offer CASCADE")
        target.execute("DROP INDEX IF EXISTS offers_offer_search_vector_gin")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in source.execute(f"SELECT {columns} FROM offers_offer"):
            row = list(row)
            row[COLUMNS.index("siret_valid")] = {1: "t", 0: "f", None: None}[
                row[COLUMNS.index("siret_valid")]
            ]
            writer.writerow(row)
        with target.cursor().copy(
            f"COPY offers_offer ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(TEXT_COLUMNS)}))"
        ) as copy:
            copy.write(buffer.getvalue())
        print(f"copied the pool's offers in {time.perf_counter() - started:.0f} s", flush=True)
        replicated = {
            "id": "id + %(offset)s",
            "latitude": "latitude + (random() - 0.5) * 0.02",
            "longitude": "longitude + (random() - 0.5) * 0.02",
            "published_at": "published_at - make_interval(hours => %(copy)s)",
        }
        select = ", ".join(replicated.get(column, column) for column in COLUMNS)
        for copy_number in range(1, args.copies):
            target.execute(
                f"INSERT INTO offers_offer ({columns}) SELECT {select} FROM offers_offer WHERE id < %(step)s",
                {"offset": copy_number * step, "copy": copy_number, "step": step},
            )
            print(f"replica {copy_number} in {time.perf_counter() - started:.0f} s", flush=True)
        target.execute(
            "SELECT setval(pg_get_serial_sequence('offers_offer', 'id'), max(id)) FROM offers_offer"
        )
        target.execute("SET maintenance_work_mem = '1GB'")
        target.execute(
            "CREATE INDEX offers_offer_search_vector_gin ON offers_offer USING gin (search_vector)"
        )
        target.execute("VACUUM ANALYZE offers_offer")
        count = target.execute("SELECT count(*) FROM offers_offer").fetchone()[0]
    print(f"{count} offers in {args.database} after {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
