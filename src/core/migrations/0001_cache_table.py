"""The table of Django's database cache (CACHE_URL=db://…, the default), shared by every worker: created by
`migrate` so a deployment needs no extra step (`createcachetable` skips tables that exist)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
