"""`reseau-emploi`: the project's command line, any management command with the right settings.

Subcommand names may use dashes (`load-reference`) or underscores; grouped commands such as
`reseau-emploi offers import …` map to the management command `offers` with its own sub-parsers.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
