"""The blocking keys' index covers the members' fields: an import reads whole blocks from the index alone instead
of one table page per member (docs/offers.md "Deduplication wiring")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("offers", "0012_search_change_log")]

    operations = [
        migrations.AddIndex(
            model_name="dedupblock",
            index=models.Index(
                fields=["key", "publication", "title", "employer", "siret"], name="dedupblock_members"
            ),
        ),
        migrations.RemoveIndex(model_name="dedupblock", name="dedupblock_key"),
    ]
