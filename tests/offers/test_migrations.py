"""Migrations that move data: run backwards then forwards on the test database, with rows written through the
models as they were."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_RAW_TEXT = [("offers", "0016_search_vector_lexemes")]
RAW_TEXT = [("offers", "0017_publication_raw_text")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_france_travail_s_lacking_candidates_flag_is_read_from_the_stored_payloads():
    apps = migrate(BEFORE_RAW_TEXT)
    try:
        Source = apps.get_model("offers", "Source")
        Publication = apps.get_model("offers", "Publication")
        source = Source.objects.create(name="francetravail", kind="francetravail")
        payloads = {
            "flagged": {"id": "A", "offresManqueCandidats": True},
            "not-flagged": {"id": "B", "offresManqueCandidats": False},
            "silent": {"id": "C", "intitule": "Boulanger"},
            "not-a-boolean": {"id": "D", "offresManqueCandidats": "oui"},
        }
        for external_id, raw in payloads.items():
            Publication.objects.create(
                source=source, external_id=external_id, raw=raw, content_hash="x", last_seen_at=timezone.now()
            )
    finally:
        apps = migrate(RAW_TEXT)
    Publication = apps.get_model("offers", "Publication")
    rows = {row.external_id: row for row in Publication.objects.all()}
    assert {key: row.lacks_candidates for key, row in rows.items()} == {
        "flagged": True,
        "not-flagged": False,
        "silent": None,
        "not-a-boolean": None,
    }
    assert {key: json.loads(row.raw) for key, row in rows.items()} == payloads  # the payloads, as JSON text
