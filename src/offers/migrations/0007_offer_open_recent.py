"""Index of the open offers, most recent first, in the exact order of the search's date sort (published_at DESC
NULLS LAST, id DESC): when many offers match, a date-sorted page or the relevance candidates are read from it
instead of sorting every match (720 -> 3 ms for a page of 20 among 66,000 matches on 1,000,000 offers).

PostgreSQL puts NULLs first in a DESC index unless told; SQLite puts them last and has no NULLS clause in
CREATE INDEX."""

from django.db import migrations

STATEMENTS = {
    "postgresql": "CREATE INDEX IF NOT EXISTS offer_open_recent ON offers_offer "
    "(published_at DESC NULLS LAST, id DESC) WHERE status = 'open'",
    "sqlite": "CREATE INDEX IF NOT EXISTS offer_open_recent ON offers_offer "
    "(published_at DESC, id DESC) WHERE status = 'open'",
}


def forward(apps, schema_editor):
    statement = STATEMENTS.get(schema_editor.connection.vendor)
    if statement:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS offer_open_recent")


class Migration(migrations.Migration):
    dependencies = [("offers", "0006_importrun_interrupted")]

    operations = [migrations.RunPython(forward, backward)]
