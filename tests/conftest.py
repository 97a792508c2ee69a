import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must still let the test touch the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is required for browser tests (scripts/ensure-chromium installs it).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log a user in through the real login form."""

    def do_login(user, password="password-de-test-1"):
        page.goto("/comptes/connexion/")
        page.get_by_label("Adresse électronique").fill(user.email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/connexion/" not in url)
        return page

    return do_login


@pytest.fixture(scope="session")
def reference_data(django_db_setup, django_db_blocker):
    """The real territories and ROME files of DATA_DIR loaded once per test session (per xdist worker).

    Only for plain `django_db` tests: pytest-django runs them before transactional ones (browser tests), whose
    flush would empty the tables.
    """
    from django.core.management import call_command

    with django_db_blocker.unblock():
        for name in ("sync_territories", "sync_rome"):
            call_command(name, write=True, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness costs seconds per test user; tests do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server", "page"} & set(item.fixturenames))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests that use the real reference data after the other database tests, and transactional tests
    last: `reference_data` commits the real files into the test database once, so a test built on a few
    factory-made communes or fiches must not run after it, and a transactional test's flush must not come
    before a test that needs it. (The sort is stable, so pytest-django's own order is kept otherwise.)"""
    items.sort(key=lambda item: (_is_transactional(item), "reference_data" in item.fixturenames))


@pytest.fixture(autouse=True)
def _no_api_rate_limit(settings):
    """Test clients all come from one address; the rate limit has its own test (tests/security)."""
    settings.API_ANON_RATE = ""


@pytest.fixture(autouse=True)
def _search_index(settings, tmp_path_factory):
    """A search index directory of the test's own, and no copy left in the process from another test: test
    databases are rolled back or emptied under it."""
    from offers.search_index.store import reset_process_index

    settings.OFFERS_SEARCH_INDEX_DIR = tmp_path_factory.mktemp("search-index")
    reset_process_index()
    yield
    reset_process_index()
