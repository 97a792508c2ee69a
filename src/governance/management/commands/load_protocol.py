from django.core.management import BaseCommand, CommandError
from django.db import transaction

from governance.protocols import PROTOCOLS, ProtocolLoadError, load_protocol


class Command(BaseCommand):
    help = (
        "Load a shipped protocol (signatories, stakes, axes) into the database. Idempotent; runs dry unless --write. "
        "Commitments are entered in the app."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", choices=sorted(PROTOCOLS), help="protocol to load")
        parser.add_argument("--write", action="store_true", help="apply the changes (default: dry run)")

    def handle(self, *args, slug, write, **options):
        try:
            with transaction.atomic():
                _, lines = load_protocol(PROTOCOLS[slug])
                for line in lines:
                    self.stdout.write(line)
                if not write:
                    transaction.set_rollback(True)
                    self.stdout.write("Simulation : rien n'a été écrit (ajoutez --write pour appliquer).")
        except ProtocolLoadError as exc:
            raise CommandError(str(exc)) from exc
