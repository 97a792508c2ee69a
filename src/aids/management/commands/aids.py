"""reseau-emploi aids evaluate SITUATIONS.json OUT.json

Reads a JSON list of situations (docs/situations.md), writes a JSON list in the same order of
{"aids": [{"id", "label", "status", "amount", "reasons", "missing", …}]}. A situation with errors gets
{"errors": [{"field", "message"}], "aids": []} and is reported on stderr; the others are still evaluated.
"""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Aides à la mobilité et à la levée des freins : évaluation en lot."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate = sub.add_parser("evaluate", help="évaluer une liste de situations (JSON) pour chaque aide")
        evaluate.add_argument("situations", type=Path, help="fichier JSON : liste de situations")
        evaluate.add_argument("output", type=Path, help="fichier JSON de sortie (même ordre)")

    def handle(self, *args, action, **options):
        if action == "evaluate":
            self.evaluate(options["situations"], options["output"])

    def evaluate(self, source: Path, output: Path):
        from aids.selectors import catalogue_for_engine
        from aids.services import evaluate_many
        from aids.situations_json import parse_situations

        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"{source}: file not found") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc
        started = time.perf_counter()
        situations, errors = parse_situations(data)
        if not situations and errors:
            raise CommandError(f"{source}: {errors[0]}")
        for error in errors:
            sys.stderr.write(f"{source}: {error}\n")
        aids = catalogue_for_engine()
        valid = [s for s in situations if s is not None]
        results = iter(evaluate_many(situations=valid, aids=aids))
        by_index = {}
        for error in errors:
            by_index.setdefault(error.index, []).append({"field": error.field, "message": error.message})
        out = []
        for index, situation in enumerate(situations):
            if situation is None:
                out.append({"errors": by_index.get(index, []), "aids": []})
            else:
                out.append({"aids": [result.as_dict() for result in next(results)]})
        output.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stdout.write(
            f"{len(valid)} situation(s) evaluated against {len(aids)} aids in "
            f"{time.perf_counter() - started:.2f} s; {len(situations) - len(valid)} rejected; written to {output}"
        )
        if errors:
            sys.exit(1)
