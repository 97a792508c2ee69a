from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from core.sync import SourceError, SyncReport
from diagnosis.check import check_against_official
from diagnosis.models import FapOccupation, HiringProjects, RomeFapLink
from diagnosis.sources.labour import read_tension
from diagnosis.tension import share


def family_difficulty() -> dict[tuple[str, str], float]:
    """Share of difficult BMO 2025 projects of each ROME's FAP families, by (ROME v3, basin)."""
    bridge = defaultdict(list)
    for code, equivalent in (
        FapOccupation.objects.filter(version="2021")
        .exclude(equivalent_2009="")
        .values_list("code", "equivalent_2009")
    ):
        bridge[equivalent].append(code)
    sums = defaultdict(lambda: [0, 0])
    for fap, basin, projects, difficult in (
        HiringProjects.objects.exclude(projects=None)
        .exclude(difficult=None)
        .values_list("fap_code", "bassin_code", "projects", "difficult")
    ):
        sums[(fap, basin)][0] += difficult
        sums[(fap, basin)][1] += projects
    by_rome = defaultdict(set)
    for rome, fap in RomeFapLink.objects.values_list("rome_code", "fap_code"):
        by_rome[rome].update(bridge.get(fap, ()))
    basins = {basin for _fap, basin in sums}
    out = {}
    for rome, faps in by_rome.items():
        for basin in basins:
            difficult = sum(sums[(fap, basin)][0] for fap in faps if (fap, basin) in sums)
            projects = sum(sums[(fap, basin)][1] for fap in faps if (fap, basin) in sums)
            value = share(difficult, projects)
            if value is not None:
                out[(rome, basin)] = value
    return out


class Command(BaseCommand):
    help = "Spearman correlation of our composite with the official 2021 tension classes (overall and per basin)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=None)
        parser.add_argument(
            "--with-bmo",
            action="store_true",
            help="add the BMO 2025 difficulty component (needs sync_labour_bmo and sync_labour_fap)",
        )

    def handle(self, *args, file, with_bmo, **options):
        path = file or settings.DATA_DIR / "labour_market/mobiville/cities-tension-utf8.csv"
        report = SyncReport()
        try:
            rows = list(read_tension(path, dataset_code="check", report=report).values())
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        result = check_against_official(rows, difficulty=family_difficulty() if with_bmo else None)
        region = settings.REGION_CODE
        self.stdout.write(f"overall Spearman rho = {result.overall:.3f} over {result.pairs} cells")
        self.stdout.write(
            f"median per-basin rho (all basins) = {result.basin_median():.3f} "
            f"over {len(result.per_basin)} basins"
        )
        regional = {code: value for code, value in result.per_basin.items() if code.startswith(region)}
        self.stdout.write(f"median per-basin rho (region {region}) = {result.basin_median(region):.3f}")
        for code, (rho, pairs) in regional.items():
            self.stdout.write(f"  basin {code}: rho = {rho:.3f} over {pairs} cells")
