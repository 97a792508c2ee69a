"""Gunicorn settings shipped for production, measured by the load test (bench/load/, docs/benchmarks.md "Load test").

    gunicorn -c deploy/gunicorn.conf.py config.wsgi

Every value can be overridden from the environment (GUNICORN_*). The defaults fit the project's 2-core machines:
requests spend about half their time in Python (templates, OpenFisca: ~30 ms of CPU each) and the rest waiting
for PostgreSQL, so one process per core plus one, each with two threads, keeps both cores busy while a thread
waits for the database (3 x 2, 4 x 2 and 2 x 4 gave the same throughput in the load test).
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
workers = _int("GUNICORN_WORKERS", (os.cpu_count() or 1) + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)
# One pooled PostgreSQL connection per thread is all a process can use at once (settings: DATABASE_POOL_*).
os.environ.setdefault("DATABASE_POOL_MAX_SIZE", str(threads))
os.environ.setdefault("DATABASE_POOL_MIN_SIZE", "1")

timeout = _int("GUNICORN_TIMEOUT", 30)  # a worker silent for longer is killed and replaced
graceful_timeout = 30
# One request per connection, as the reverse proxy uses them by default (nginx opens a connection per upstream
# request): no idle kept-alive connection for a worker to hold, or to drop when it stops.
keepalive = 0
# Recycling workers after N requests (GUNICORN_MAX_REQUESTS, with a 10 % jitter) is off: a gthread worker that
# restarts drops the connections it has accepted but not yet served (the load test lost one request per recycle,
# with or without keep-alive), and the workers' memory stayed flat over the load tests (about 600 MB PSS for the
# master and three workers). Turn it on if a leak shows, knowing that cost.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# Load Django, the URL configuration (every view and API schema) and the OpenFisca tax-benefit system once in the
# master: workers are forked with them in shared memory (copy-on-write), so a new or recycled worker serves its
# first request at once instead of after several seconds of CPU.
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
    from django.urls import get_resolver

    from aids.engine.system import tax_benefit_system

    tax_benefit_system()
    patterns = get_resolver().url_patterns  # imports every app's views and API schemas (seconds of CPU), once
    server.log.info(f"OpenFisca and {len(patterns)} URL patterns loaded in the master, shared by the workers")
    # Nothing the master opened on the database may be inherited by the forked workers: each opens its own.
    for connection in connections.all():
        connection.close()
        if connection.vendor == "postgresql":
            connection.close_pool()
