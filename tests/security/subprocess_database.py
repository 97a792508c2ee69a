"""A database that a child process (`reseau-emploi …`) and the test share, for the fault and limit tests.

On PostgreSQL the child connects to the test database itself (the test must be transactional so it sees what
the child commits). SQLite's test database lives in memory, out of a child's reach: it is copied to a file in
`tmp_path` (schema and committed rows, with SQLite's backup API), the child works on the file, and `sync_back`
copies the file over the in-memory database so the test reads the child's result with the ORM.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

PROJECT = Path(__file__).resolve().parents[2]
CLI = str(PROJECT / ".venv" / "bin" / "reseau-emploi")
PYTHON = str(PROJECT / ".venv" / "bin" / "python")
DJANGO_SETUP = (
    "import os, sys; sys.path.insert(0, {src!r}); os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
    "import django; django.setup(); "
).format(src=str(PROJECT / "src"))


@dataclass
class SharedDatabase:
    url: str
    sqlite_file: Path | None

    def env(self, **extra: str) -> dict[str, str]:
        env = {**os.environ, "DATABASE_URL": self.url, "ALLOW_GENERATED_SECRET_KEY": "1", **extra}
        env.pop("DJANGO_SETTINGS_MODULE", None)  # the CLI sets its own
        return env

    def run(self, *args: str, timeout: float = 120, **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [CLI, *args], env=self.env(**extra_env), capture_output=True, text=True, timeout=timeout
        )

    def popen(self, *args: str, **extra_env: str) -> subprocess.Popen:
        return subprocess.Popen(
            [CLI, *args], env=self.env(**extra_env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def python(self, code: str, **extra_env: str) -> subprocess.Popen:
        """A child Python process running `code` after django.setup() (lighter than `reseau-emploi shell`)."""
        return subprocess.Popen(
            [PYTHON, "-c", DJANGO_SETUP + code],
            env=self.env(**extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def sync_back(self) -> None:
        """Make the test's connection see what the child wrote (a no-op on PostgreSQL)."""
        if self.sqlite_file is None:
            return
        connection.ensure_connection()
        with sqlite3.connect(self.sqlite_file) as source:
            source.backup(connection.connection)

    def raw(self) -> sqlite3.Connection | None:
        """A connection of our own to the child's SQLite file (to watch its progress), None on PostgreSQL."""
        return sqlite3.connect(self.sqlite_file, timeout=30) if self.sqlite_file else None


def shared_database(tmp_path: Path) -> SharedDatabase:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
        url = f"postgres://{credentials}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        return SharedDatabase(url=url, sqlite_file=None)
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    return SharedDatabase(url=f"sqlite:///{path}", sqlite_file=path)
