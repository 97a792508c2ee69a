"""PostgreSQL: keep each offer's search vector uncompressed in its row, and move the long texts (description,
search text) out of the row sooner.

A search tests the vector of every offer it reads when the planner walks an index or the table instead of the GIN
index (many matches, most recent first): decompressing it was most of that test's cost (6.4 µs an offer against
1.6 µs uncompressed, measured on 40,000 offers). The vector of `search_text` stays well under a page: that text
is bounded (title, employer, labels, commune, 1,000 characters of description; offers.search). Applies to the offers
written from now on (an import rewrites the offers it touches)."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE offers_offer ALTER COLUMN search_vector SET STORAGE PLAIN",
    "ALTER TABLE offers_offer SET (toast_tuple_target = 512)",
]
BACKWARD = [
    "ALTER TABLE offers_offer ALTER COLUMN search_vector SET STORAGE EXTENDED",
    "ALTER TABLE offers_offer RESET (toast_tuple_target)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("offers", "0007_offer_open_recent")]

    operations = [migrations.RunPython(forward, backward)]
