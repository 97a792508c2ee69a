"""The change log of offers for the search index (offers.search_index): triggers record the id of every offer
inserted, updated or deleted, whatever code writes it (the import's COPY, bulk updates, the admin), and
`SearchDatabase` names this database.

PostgreSQL logs once per statement from its transition tables (a COPY of 2,000 offers is one insert of 2,000
log rows) with the writing transaction's id; SQLite has no statement triggers and logs row by row."""

import uuid

from django.db import migrations, models

POSTGRESQL = [
    # Each trigger names its transition table (new rows, or old rows for a delete) changed_offers.
    """CREATE FUNCTION offers_log_search_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO offers_searchchange (offer_id, txid)
        SELECT id, pg_current_xact_id()::text::bigint FROM changed_offers;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER offers_offer_log_insert AFTER INSERT ON offers_offer REFERENCING NEW TABLE AS changed_offers"
    " FOR EACH STATEMENT EXECUTE FUNCTION offers_log_search_change()",
    "CREATE TRIGGER offers_offer_log_update AFTER UPDATE ON offers_offer REFERENCING NEW TABLE AS changed_offers"
    " FOR EACH STATEMENT EXECUTE FUNCTION offers_log_search_change()",
    "CREATE TRIGGER offers_offer_log_delete AFTER DELETE ON offers_offer REFERENCING OLD TABLE AS changed_offers"
    " FOR EACH STATEMENT EXECUTE FUNCTION offers_log_search_change()",
]
SQLITE = [
    f"CREATE TRIGGER offers_offer_log_{event.lower()} AFTER {event} ON offers_offer BEGIN"
    f" INSERT INTO offers_searchchange (offer_id) VALUES ({row}.id); END"
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
]
DROP = {
    "postgresql": [
        *(f"DROP TRIGGER IF EXISTS offers_offer_log_{event} ON offers_offer" for event in ("insert", "update", "delete")),
        "DROP FUNCTION IF EXISTS offers_log_search_change()",
    ],
    "sqlite": [f"DROP TRIGGER IF EXISTS offers_offer_log_{event}" for event in ("insert", "update", "delete")],
}


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)
    apps.get_model("offers", "SearchDatabase").objects.using(schema_editor.connection.alias).create()


def backward(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("offers", "0011_dedupblock_backfill")]

    operations = [
        migrations.CreateModel(
            name="SearchDatabase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, unique=True)),
            ],
        ),
        migrations.CreateModel(
            name="SearchChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("offer_id", models.BigIntegerField()),
                ("txid", models.BigIntegerField(null=True)),
            ],
            options={"indexes": [models.Index(fields=["txid"], name="searchchange_txid")]},
        ),
        migrations.RunPython(forward, backward),
    ]
