"""The ``zhaoshang`` command: manage.py with the platform's default settings.

``zhaoshang demo`` starts the demo, ``zhaoshang verify-audit`` checks the audit hash chains;
every Django management command is available (``zhaoshang migrate``, ``zhaoshang shell`` ...).
Command names may be written with dashes: ``verify-audit`` runs ``verify_audit``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings.base")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line  # deferred: once the settings module is set

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
