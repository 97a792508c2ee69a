"""Gunicorn settings shipped for production, measured by the load test (bench/load/, docs/benchmarks.md "Load test").

    gunicorn -c deploy/gunicorn.conf.py config.wsgi

Every value can be overridden from the environment (GUNICORN_*). The defaults fit the project's 2-core machines:
requests spend most of their time in Python (templates, OpenFisca) and the rest waiting for PostgreSQL, so a
few processes per core, each with a couple of threads, keep both cores busy without queueing behind a slow query.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise SystemExit(f"{name}={value!r}: a whole number is expected") from exc


wsgi_app = "config.wsgi:application"
pythonpath = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # behind the reverse proxy, never exposed directly
workers = _int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)
# One pooled PostgreSQL connection per thread is all a process can use at once (settings: DATABASE_POOL_*).
os.environ.setdefault("DATABASE_POOL_MAX_SIZE", str(threads))
os.environ.setdefault("DATABASE_POOL_MIN_SIZE", "1")

timeout = _int("GUNICORN_TIMEOUT", 30)  # a worker silent for longer is killed and replaced
graceful_timeout = 30
keepalive = 5  # the reverse proxy keeps its connections to gunicorn open between requests
# Recycle each process after about a thousand requests (jitter: not all at once) so slow leaks cannot pile up.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max(1, max_requests // 10)
# Load Django and the OpenFisca tax-benefit system once in the master: workers are forked with them in shared
# memory (copy-on-write), so a new or recycled worker serves its first simulation at once instead of after ~3 s.
preload_app = True
limit_request_line = 8190
limit_request_fields = 100
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "reseau-emploi"


def when_ready(server):
    from django.db import connections

    from aids.engine.system import tax_benefit_system

    tax_benefit_system()
    server.log.info("OpenFisca tax-benefit system loaded in the master, shared by the workers")
    # Nothing the master opened on the database may be inherited by the forked workers: each opens its own.
    for connection in connections.all():
        connection.close()
        if connection.vendor == "postgresql":
            connection.close_pool()
