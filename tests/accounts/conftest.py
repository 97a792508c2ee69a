import pytest

from accounts.fake_proconnect import RunningProvider


@pytest.fixture
def fake_proconnect(settings):
    """The fake ProConnect on a free loopback port, and the settings that point the app at it."""
    with RunningProvider() as provider:
        settings.PROCONNECT_ENABLED = True
        settings.PROCONNECT_BASE_URL = provider.issuer
        settings.PROCONNECT_CLIENT_ID = provider.client_id
        settings.PROCONNECT_CLIENT_SECRET = provider.client_secret
        settings.PROCONNECT_TIMEOUT_SECONDS = 2
        yield provider
