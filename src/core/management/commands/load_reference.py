import time
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command, get_commands, load_command_class

from config.apps_registry import DOMAIN_APPS


def reference_sync_commands() -> list[str]:
    """The `sync_*` commands that load reference data, from each app's `reference.py` (SYNC_COMMANDS), in app order."""
    commands = []
    for app in DOMAIN_APPS:
        if find_spec(f"{app}.reference") is not None:
            commands += import_module(f"{app}.reference").SYNC_COMMANDS
    return commands


def _takes_data_dir(name: str) -> bool:
    """Sync commands whose data does not come from DATA_DIR (e.g. packaged catalogues) have no --data-dir."""
    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("reseau-emploi", name)
    return any(action.dest == "data_dir" for action in parser._actions)


class Command(BaseCommand):
    help = "Migrate the database if needed, then load (write) every reference data set from DATA_DIR. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=None, help=f"default: {settings.DATA_DIR}")

    def handle(self, *args, data_dir: Path | None, **options):
        data_dir = data_dir or settings.DATA_DIR
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        for name in reference_sync_commands():
            started = time.perf_counter()
            self.stdout.write(self.style.MIGRATE_HEADING(f"{name} ({data_dir})"))
            options = {"data_dir": data_dir} if _takes_data_dir(name) else {}
            call_command(name, write=True, verbosity=verbosity, stdout=self.stdout, **options)
            self.stdout.write(f"{name} took {time.perf_counter() - started:.1f} s")
