import pytest
from django.core.cache import cache


@pytest.mark.django_db
def test_the_api_answers_429_in_its_error_format_past_the_rate(client, settings):
    cache.clear()
    settings.API_ANON_RATE = "3/m"
    statuses = [client.get("/api/v1/territories/departements").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/territories/departements")
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1
    # Another address has its own budget; a forged X-Forwarded-For does not help without trusted proxies.
    assert client.get("/api/v1/territories/departements", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/api/v1/territories/departements", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
    cache.clear()
