from importlib import import_module
from importlib.util import find_spec

from django.core.management import BaseCommand
from django.db import transaction

from config.apps_registry import DOMAIN_APPS


class Command(BaseCommand):
    help = (
        "Create (or bring back to their documented state) the demo organisations, accounts and example data "
        "described in the README. Each app contributes through its `demo.py` module. Idempotent."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for app in DOMAIN_APPS:
                if find_spec(f"{app}.demo") is None:
                    continue
                for line in import_module(f"{app}.demo").load():
                    self.stdout.write(f"{app}: {line}")
