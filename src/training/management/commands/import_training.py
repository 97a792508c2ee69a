from pathlib import Path

from django.core.management import BaseCommand, CommandError

from core.sync import SourceError
from training.services import FORMATS, import_sessions


class Command(BaseCommand):
    help = "Import training sessions from an LHEO/Intercarif XML file or a CSV file (dry run unless --write)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--write", action="store_true", help="apply the changes (default: dry run)")

    def handle(self, *args, file: Path, format: str, write: bool, **options):
        try:
            report = import_sessions(path=file, format=format, write=write)
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
