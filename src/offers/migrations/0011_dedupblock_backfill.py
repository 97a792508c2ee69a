"""Fill the sorted title, employer key and SIRET of the dedup blocks written before those columns existed: the
import's prefilters read them (an empty title would even hide a pool publication from every later import).
Every block is rewritten once: a pool of a million publications takes a few minutes."""

from django.db import migrations

CHUNK = 5000


def backfill(apps, schema_editor):
    from offers.dedup.keys import employer_key, title_key

    Publication = apps.get_model("offers", "Publication")
    DedupBlock = apps.get_model("offers", "DedupBlock")
    rows = (
        Publication.objects.filter(pk__in=DedupBlock.objects.values("publication_id"))
        .values_list("pk", "title", "commune_name", "employer_name", "siret", "siret_valid")
        .iterator(chunk_size=CHUNK)
    )
    connection = schema_editor.connection
    sql = f"UPDATE {connection.ops.quote_name(DedupBlock._meta.db_table)} SET title = %s, employer = %s, siret = %s WHERE publication_id = %s"
    batch = []
    with connection.cursor() as cursor:
        for pk, title, commune_name, employer_name, siret, siret_valid in rows:
            sorted_title = " ".join(sorted(title_key(title, commune_name).split()))[:300]
            valid_siret = siret if siret_valid is not False and len(siret or "") == 14 else ""
            batch.append((sorted_title, employer_key(employer_name)[:300], valid_siret, pk))
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


class Migration(migrations.Migration):
    dependencies = [("offers", "0010_dedupblock_employer")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
