from pathlib import Path

from django.core.management import BaseCommand, CommandError

from core.sync import SourceError
from training.services import import_apprenticeship


class Command(BaseCommand):
    help = "Import apprenticeship places and contracts from a CSV file (layout in docs/diagnosis.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--write", action="store_true", help="apply the changes (default: dry run)")

    def handle(self, *args, file: Path, write: bool, **options):
        try:
            report = import_apprenticeship(path=file, write=write)
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
