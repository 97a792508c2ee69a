"""Rewrite the permission matrix tables of docs/security.md from tests/security/access_matrix.py:
`.venv/bin/python -m tests.security.write_access_matrix_docs` (a test fails when they are out of date)."""

import os

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from tests.security.access_matrix import write_docs

    write_docs()
