"""PostgreSQL: a narrow index of the open offers' positions, for the radius prefilter.

When many offers lie within the radius, PostgreSQL builds a bitmap of them from an index on the position and
intersects it with the full-text one: from this index (two columns) rather than from the wide covering
`offer_geo_facets` (nine), that bitmap takes a third less time (269 -> 180 ms for 416,000 offers within 30 km of
Lille on 938,400, under load). SQLite keeps the covering index alone: its planner does not build bitmaps."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS offer_open_lat_lon ON offers_offer (latitude, longitude) WHERE status = 'open'"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS offer_open_lat_lon")


class Migration(migrations.Migration):
    dependencies = [("offers", "0008_offer_search_vector_plain")]

    operations = [migrations.RunPython(forward, backward)]
