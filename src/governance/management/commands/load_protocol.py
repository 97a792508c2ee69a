from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from governance.protocols import PROTOCOLS, ProtocolLoadError, load_protocol


class Command(BaseCommand):
    help = (
        "Load a shipped protocol (signatories, stakes, axes) into the database. Idempotent; runs dry unless --write. "
        "Without a name, loads the protocols of the configured region (REGION_CODE). Commitments are entered in the "
        "app."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", choices=sorted(PROTOCOLS), help="protocol to load")
        parser.add_argument("--write", action="store_true", help="apply the changes (default: dry run)")

    def handle(self, *args, slug=None, write=False, **options):
        if slug:
            selected = [PROTOCOLS[slug]]
        else:
            selected = [p for p in PROTOCOLS.values() if p.region_code == settings.REGION_CODE]
            if not selected:
                self.stdout.write(f"Aucun protocole livré pour la région {settings.REGION_CODE}.")
        try:
            with transaction.atomic():
                for data in selected:
                    _, lines = load_protocol(data)
                    for line in lines:
                        self.stdout.write(line)
                if not write:
                    transaction.set_rollback(True)
                    self.stdout.write("Simulation : rien n'a été écrit (ajoutez --write pour appliquer).")
        except ProtocolLoadError as exc:
            raise CommandError(str(exc)) from exc
