"""Security headers on every response, and Django's deployment check on a production-like configuration."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.django_db
def test_pages_carry_a_csp_with_a_fresh_nonce_used_by_the_dsfr_scripts(client):
    first = client.get(reverse("accounts:login"))
    second = client.get(reverse("accounts:login"))
    csp = first.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert nonce != re.search(r"'nonce-([^']+)'", second.headers["Content-Security-Policy"]).group(1)
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    html = first.content.decode()
    assert html.count(f'nonce="{nonce}"') == 2  # the DSFR's module and nomodule scripts
    assert first.headers["Permissions-Policy"].startswith("accelerometer=()")
    assert "camera=()" in first.headers["Permissions-Policy"]
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Referrer-Policy"] == "same-origin"
    assert first.headers["X-Frame-Options"] == "DENY"
    assert first.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_api_and_a_logged_in_page_carry_the_headers_too(client):
    client.force_login(UserFactory())
    for url in ("/api/v1/openapi.json", reverse("accounts:profile")):
        response = client.get(url)
        assert response.status_code == 200
        assert "Content-Security-Policy" in response.headers and "Permissions-Policy" in response.headers


@pytest.mark.django_db
def test_report_only_mode(client, settings):
    settings.CSP_REPORT_ONLY = True
    settings.CSP_REPORT_URI = "/csp-report/"
    response = client.get(reverse("accounts:login"))
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["Content-Security-Policy-Report-Only"].endswith("report-uri /csp-report/")


def _inline_script_offenders() -> list[str]:
    """Templates whose inline scripts or event handlers the CSP blocks (no nonce on the <script> tag)."""
    offenders = []
    for template in sorted(SRC.glob("*/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attributes = match.group(1)
            if "src=" in attributes or "nonce=" in attributes or "application/json" in attributes:
                continue
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{template.relative_to(SRC)}:{line} inline <script> without nonce")
        for match in re.finditer(r"\son(click|change|submit|input|load|keyup|keydown)=", text):
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{template.relative_to(SRC)}:{line} inline on{match.group(1)} handler")
    return offenders


def test_no_template_has_an_inline_script_the_csp_would_block():
    assert _inline_script_offenders() == []


def _check_deploy(**extra_env) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "ALLOW_GENERATED"))
    }
    env |= {
        "DJANGO_SECRET_KEY": "k3J9-Qw8_zX2!vB7nM4#pL6$rT1&yU5*hG0(eD3)sA9@cF2^jK8~oI4+wE7-qR1",
        "DATABASE_URL": "postgres://reseau@127.0.0.1:1/reseau",
        "DJANGO_ALLOWED_HOSTS": "example.org",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "-m", "config.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env | {"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_for_a_production_configuration_only_asks_for_the_preload_list():
    """With a real key, a server database and a host name, `check --deploy` has one warning left: HSTS preload,
    a lasting commitment for the whole domain, opt-in with DJANGO_HSTS_PRELOAD=1 (docs/security.md)."""
    result = _check_deploy()
    assert re.findall(r"security\.W\d+", result.stderr) == ["security.W021"], result.stderr
