"""Full-text index of `Offer.search_text` (see offers.search): an FTS5 table kept in step by triggers on SQLite,
a tsvector column ('french' configuration over unaccent'ed text) with a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE offers_offer_fts USING fts5(
        search_text, content='offers_offer', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER offers_offer_fts_insert AFTER INSERT ON offers_offer BEGIN
        INSERT INTO offers_offer_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER offers_offer_fts_delete AFTER DELETE ON offers_offer BEGIN
        INSERT INTO offers_offer_fts(offers_offer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER offers_offer_fts_update AFTER UPDATE OF search_text ON offers_offer BEGIN
        INSERT INTO offers_offer_fts(offers_offer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO offers_offer_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS offers_offer_fts_update",
    "DROP TRIGGER IF EXISTS offers_offer_fts_delete",
    "DROP TRIGGER IF EXISTS offers_offer_fts_insert",
    "DROP TABLE IF EXISTS offers_offer_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is only STABLE; this IMMUTABLE wrapper (fixed dictionary) lets a trigger and queries share it.
    """CREATE OR REPLACE FUNCTION offers_unaccent(text) RETURNS text AS
        $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$ LANGUAGE sql IMMUTABLE PARALLEL SAFE""",
    "ALTER TABLE offers_offer ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION offers_offer_search_vector() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := to_tsvector('french', offers_unaccent(coalesce(NEW.search_text, '')));
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER offers_offer_search_vector BEFORE INSERT OR UPDATE OF search_text ON offers_offer
        FOR EACH ROW EXECUTE FUNCTION offers_offer_search_vector()""",
    "CREATE INDEX offers_offer_search_vector_gin ON offers_offer USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS offers_offer_search_vector_gin",
    "DROP TRIGGER IF EXISTS offers_offer_search_vector ON offers_offer",
    "DROP FUNCTION IF EXISTS offers_offer_search_vector()",
    "ALTER TABLE offers_offer DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS offers_unaccent(text)",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
