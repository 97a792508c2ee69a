from pathlib import Path

from django.core.management import BaseCommand, CommandError

from companies.services import import_sirene
from core.sync import SourceError


class Command(BaseCommand):
    help = (
        "Import establishments from a SIRENE stock extract (official CSV layout of StockEtablissement, optionally "
        "StockUniteLegale for company names). Dry run unless --write; bad rows are reported with their line."
    )

    def add_arguments(self, parser):
        parser.add_argument("establishments", type=Path, help="StockEtablissement_utf8.csv (or an extract)")
        parser.add_argument("--companies", type=Path, help="StockUniteLegale_utf8.csv (or an extract)")
        parser.add_argument("--write", action="store_true")

    def handle(self, *args, establishments: Path, companies: Path | None, write: bool, **options):
        try:
            report = import_sirene(establishments_path=establishments, companies_path=companies, write=write)
        except SourceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"établissements : {report.created} créés, {report.updated} mis à jour, {report.unchanged} inchangés, "
            f"{len(report.rejected)} rejetés"
        )
        for line in report.rejected:
            self.stdout.write(f"rejeté : {line}")
        if not write:
            self.stdout.write("dry run: nothing was written (pass --write to apply)")
        if report.rejected and not (report.created or report.updated or report.unchanged):
            raise CommandError("aucune ligne utilisable")
