"""The content-security policy in a real browser: the index page of every app, the login form, the admin and the
API documentation load without a single CSP violation (a blocked script or style would break them)."""

import pytest

from accounts.models import Role
from tests.factories import OrganisationFactory, advisor_of

PAGES = [
    "/",
    "/aides/",
    "/entreprises/",
    "/diagnostic/",
    "/gouvernance/",
    "/personnes/",
    "/offres/",
    "/trajets/",
    "/metiers/",
    "/territoires/",
    "/formations/",
    "/comptes/mon-compte/",
    "/api/v1/docs",
]


@pytest.mark.browser
def test_pages_load_without_csp_violations(page, login):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.goto("/admin/login/")
    page.goto("/comptes/connexion/")
    user = advisor_of(OrganisationFactory(name="France Travail CSP"), role=Role.MANAGER)
    login(user)
    statuses = {}
    for url in PAGES:
        response = page.goto(url)
        statuses[url] = response.status if response else None
        page.wait_for_load_state("networkidle")
    assert all(status is not None and status < 500 for status in statuses.values()), statuses
    assert violations == []
    # The listener does catch violations: an injected inline script is refused and reported.
    with page.expect_console_message(
        lambda message: "Content Security Policy" in message.text, timeout=10_000
    ):
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
            " document.body.appendChild(s); }"
        )
    assert page.evaluate("() => window.injected") is None
    assert violations and "script-src" in violations[0]
