"""The production server settings we ship: PostgreSQL connection pooling from the environment and the gunicorn
configuration (deploy/gunicorn.conf.py). Settings are read in a fresh interpreter, as a server process would."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PRINT_DATABASE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "from django.db import connection; "
    "pool = connection.pool if db['ENGINE'].endswith('postgresql') else None; "  # built, not opened
    "print(json.dumps({'options': db.get('OPTIONS', {}), 'conn_max_age': db['CONN_MAX_AGE'], "
    "'health_checks': db['CONN_HEALTH_CHECKS'], 'pool_max_size': pool.max_size if pool else None}))"
)


def database_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "GUNICORN_"))}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", ALLOW_GENERATED_SECRET_KEY="1", **env)
    process = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASE],
        cwd=ROOT / "src",
        env=clean,
        capture_output=True,
        text=True,
    )
    return process.returncode, (json.loads(process.stdout) if process.returncode == 0 else process.stderr)


def test_pool_from_environment_replaces_persistent_connections():
    code, db = database_settings(
        DATABASE_URL="postgres://app@127.0.0.1:5432/reseau_emploi",
        DATABASE_POOL_MAX_SIZE="4",
        DATABASE_POOL_TIMEOUT="5",
    )
    assert code == 0, db
    assert db["options"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 5.0}
    assert db["health_checks"]  # Django then has the pool check each connection before handing it out
    assert db["pool_max_size"] == 4  # psycopg accepts the options
    assert db["conn_max_age"] == 0  # Django refuses persistent connections together with a pool


def test_no_pool_unless_asked():
    code, db = database_settings(DATABASE_URL="postgres://app@127.0.0.1:5432/reseau_emploi")
    assert code == 0, db
    assert "pool" not in db["options"] and db["conn_max_age"] == 60


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ({"DATABASE_POOL_MAX_SIZE": "four"}, "must be numbers"),
        ({"DATABASE_POOL_MAX_SIZE": "2", "DATABASE_POOL_MIN_SIZE": "3"}, "must be at least 1 and at least"),
        ({"DATABASE_POOL_MAX_SIZE": "0"}, "must be at least 1"),
    ],
)
def test_bad_pool_sizes_are_named(sizes, message):
    code, error = database_settings(DATABASE_URL="postgres://app@127.0.0.1:5432/reseau_emploi", **sizes)
    assert code != 0
    assert "ImproperlyConfigured" in error and message in error


def gunicorn_settings(monkeypatch, **env):
    # The configuration sets DATABASE_POOL_* in the environment: give it a copy, so nothing leaks to other tests.
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "DATABASE_POOL_"))}
    monkeypatch.setattr(os, "environ", {**environ, **env})
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_defaults_fit_two_cores_and_size_the_pool(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    conf = gunicorn_settings(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8000" and conf["worker_class"] == "gthread"
    assert conf["workers"] >= 2 and conf["threads"] >= 1
    assert conf["preload_app"] is True and conf["max_requests"] == 0  # recycling drops queued requests
    assert os.environ["DATABASE_POOL_MAX_SIZE"] == str(conf["threads"])  # one connection per thread


def test_gunicorn_settings_from_environment(monkeypatch):
    conf = gunicorn_settings(
        monkeypatch,
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="4",
        GUNICORN_BIND="127.0.0.1:9000",
        GUNICORN_MAX_REQUESTS="1000",
    )
    assert (conf["workers"], conf["threads"], conf["bind"]) == (3, 4, "127.0.0.1:9000")
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (1000, 100)
    assert os.environ["DATABASE_POOL_MAX_SIZE"] == "4"
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS='many'"):
        gunicorn_settings(monkeypatch, GUNICORN_WORKERS="many")
