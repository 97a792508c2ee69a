"""reseau-emploi sync-aids [--write]: the catalogue of aids from the project's YAML files and aides-jeunes."""

from pathlib import Path

from django.core.management.base import BaseCommand

from aids.services import sync_catalogue
from core.sync import run_sync


class Command(BaseCommand):
    help = (
        "Met à jour le catalogue des aides depuis src/aids/catalogue/ et DATA_DIR/aids/aides-jeunes/ "
        "(à blanc par défaut ; --write pour enregistrer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="enregistrer les changements")
        parser.add_argument(
            "--data-dir", type=Path, default=None, help="dossier des données (défaut : DATA_DIR)"
        )

    def handle(self, *args, write=False, data_dir=None, **options):
        report = run_sync(lambda report: sync_catalogue(report=report, data_dir=data_dir), write=write)
        for line in report.lines():
            self.stdout.write(line)
