from django.core.management import BaseCommand, CommandError

from core.scheduled import TASKS, run_tasks


class Command(BaseCommand):
    help = (
        "Run the daily scheduled tasks (anonymisation of job seekers past retention, audit log purge, closing "
        "expired offers, interrupted imports) and the monthly ones when due (mandate notices). Each outcome is "
        "logged and recorded; exits 1 when a task failed. Schedule it daily (deploy/systemd, docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            metavar="NAME",
            help=f"run only this task (repeatable): {', '.join(task.name for task in TASKS)}",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what each task would do, change nothing"
        )

    def handle(self, *args, only=None, dry_run=False, **options):
        try:
            results = run_tasks(only=only, dry_run=dry_run)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for task, status, outcome in results:
            self.stdout.write(f"{task.name}: {status} — {outcome}")
        failed = [task.name for task, status, _ in results if status == "failed"]
        if failed:
            raise CommandError(f"scheduled task(s) failed: {', '.join(failed)} (see the log above)")
