"""PostgreSQL only. The offers' `search_vector` becomes a generated column over `search_text` with the 'simple'
configuration, and the large text columns are compressed with lz4.

`search_text` is already folded and stemmed by offers.search, as are the queries: the 'french' configuration
added its own stemming on top ("restaurant" and "restauration" both became "restaur"), so the database search
found other offers than SQLite's FTS5 and the search index, and unaccent had nothing left to remove. A
generated column also saves the per-row trigger: the vector costs 0.07 ms per offer written instead of 0.12 ms
(docs/benchmarks.md). It stays uncompressed in the row, as migration 0008 left it. lz4 compresses payloads and
descriptions (TOAST) several times faster than the default pglz, for the values written from now on. Adding the
generated column rewrites the table once.
"""

from django.db import migrations

FORWARD = [
    "DROP TRIGGER IF EXISTS offers_offer_search_vector ON offers_offer",
    "DROP FUNCTION IF EXISTS offers_offer_search_vector()",
    "DROP INDEX IF EXISTS offers_offer_search_vector_gin",
    "ALTER TABLE offers_offer DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE offers_offer ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED""",
    "ALTER TABLE offers_offer ALTER COLUMN search_vector SET STORAGE PLAIN",  # as migration 0008 made it
    "CREATE INDEX offers_offer_search_vector_gin ON offers_offer USING gin (search_vector)",
    "DROP FUNCTION IF EXISTS offers_unaccent(text)",
    # A server built without lz4 keeps pglz.
    """DO $$ BEGIN
        ALTER TABLE offers_offer ALTER COLUMN description SET COMPRESSION lz4,
            ALTER COLUMN search_text SET COMPRESSION lz4;
        ALTER TABLE offers_publication ALTER COLUMN raw SET COMPRESSION lz4,
            ALTER COLUMN description SET COMPRESSION lz4, ALTER COLUMN description_html SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 compression not supported by this server: pglz kept';
    END $$""",
]
BACKWARD = [
    """DO $$ BEGIN
        ALTER TABLE offers_offer ALTER COLUMN description SET COMPRESSION default,
            ALTER COLUMN search_text SET COMPRESSION default;
        ALTER TABLE offers_publication ALTER COLUMN raw SET COMPRESSION default,
            ALTER COLUMN description SET COMPRESSION default, ALTER COLUMN description_html SET COMPRESSION default;
    END $$""",
    # As migration 0002 made them.
    """CREATE OR REPLACE FUNCTION offers_unaccent(text) RETURNS text AS
        $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$ LANGUAGE sql IMMUTABLE PARALLEL SAFE""",
    "DROP INDEX IF EXISTS offers_offer_search_vector_gin",
    "ALTER TABLE offers_offer DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE offers_offer ADD COLUMN search_vector tsvector",
    "ALTER TABLE offers_offer ALTER COLUMN search_vector SET STORAGE PLAIN",
    """CREATE FUNCTION offers_offer_search_vector() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := to_tsvector('french', offers_unaccent(coalesce(NEW.search_text, '')));
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER offers_offer_search_vector BEFORE INSERT OR UPDATE OF search_text ON offers_offer
        FOR EACH ROW EXECUTE FUNCTION offers_offer_search_vector()""",
    "UPDATE offers_offer SET search_text = search_text",
    "CREATE INDEX offers_offer_search_vector_gin ON offers_offer USING gin (search_vector)",
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
    dependencies = [("offers", "0013_dedupblock_members")]

    operations = [migrations.RunPython(forward, backward)]
