"""scripts/backup-postgres and scripts/restore-check against the throwaway PostgreSQL (skipped on SQLite)."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from jobseekers.models import JobSeeker
from tests.factories import OrganisationFactory, advisor_of
from tests.jobseekers.factories import AidRequestFactory, NeedFactory, followed_by

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="backups are PostgreSQL dumps: run under scripts/with-throwaway-postgres",
)


def _test_database_url() -> str:
    settings = connection.settings_dict
    return f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)  # the data must be committed for pg_dump to see it
def test_a_backup_restores_into_a_fresh_database_with_every_row(tmp_path):
    organisation = OrganisationFactory(name="France Travail Sauvegarde")
    advisor_of(organisation)
    for index in range(3):
        record = followed_by(organisation, last_name=f"Sauvegarde{index}", first_name="Éloïse\nline")
        AidRequestFactory(jobseeker=record, need=NeedFactory(jobseeker=record), organisation=organisation)
    env = os.environ | {"DATABASE_URL": _test_database_url()}

    backup = subprocess.run(
        [SCRIPTS / "backup-postgres", str(tmp_path)], env=env, capture_output=True, text=True, timeout=120
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.exists() and dump.with_name(dump.name + ".sha256").exists()
    counts = dict(line.split() for line in dump.with_name(dump.name + ".counts").read_text().splitlines())
    assert counts["jobseekers_jobseeker"] == str(JobSeeker.objects.count()) == "3"

    check = subprocess.run(
        [SCRIPTS / "restore-check", str(dump), "--source", env["DATABASE_URL"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "every row count matches the dump" in check.stdout
    assert "every row count matches the source database" in check.stdout


@pytest.mark.django_db(transaction=True)
def test_restore_check_fails_on_a_corrupted_dump(tmp_path):
    env = os.environ | {"DATABASE_URL": _test_database_url()}
    backup = subprocess.run(
        [SCRIPTS / "backup-postgres", str(tmp_path)], env=env, capture_output=True, text=True, timeout=120
    )
    dump = Path(backup.stdout.strip())
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    check = subprocess.run(
        [SCRIPTS / "restore-check", str(dump)], env=env, capture_output=True, text=True, timeout=300
    )
    assert check.returncode != 0
    assert "FAILED" in check.stderr or "sha256" in check.stderr.lower()
