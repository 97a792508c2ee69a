"""Seed the size and working rules of each committee level from the decrees (editable afterwards in the admin)."""

from django.db import migrations

RULES = [
    # level, max appointed members, max if the region has more than six départements, legal reference
    ("national", 48, None, "Art. R5311-4 du code du travail (décret n° 2024-252 du 22 mars 2024) : 48 membres outre le président."),
    ("regional", 29, 36, "Décret n° 2024-560 du 18 juin 2024 (art. R5311-17) : 29 membres nommés, 36 si la région compte plus de six départements."),
    ("departmental", 27, None, "Décret n° 2024-560 du 18 juin 2024 (art. R5311-23) : 27 membres nommés au plus."),
    ("local", 8, None, "Décret n° 2024-560 du 18 juin 2024 (art. R5311-32) : socle de 8 membres nommés ; à ajuster par le préfet selon l'arrêté de composition."),
]


def seed(apps, schema_editor):
    SizeRule = apps.get_model("governance", "SizeRule")
    for level, maximum, large, reference in RULES:
        SizeRule.objects.update_or_create(
            level=level,
            defaults={
                "max_members": maximum,
                "max_members_large_region": large,
                "mandate_years": 3,
                "expiry_warning_days": 90,
                "max_proxies_per_holder": 1,
                "legal_reference": reference,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
