"""A client-side walk through the fake ProConnect's login (the provider itself: fixture `fake_proconnect`)."""

from urllib.parse import parse_qsl, urlsplit

import requests
from django.urls import reverse


def start(client, next_url: str = ""):
    """Click the button: the redirect to the provider's authorize endpoint."""
    url = reverse("accounts:proconnect_login") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def authorize(authorize_url: str, *, email: str, siret: str = "", acr: str = "eidas1") -> str:
    """What the agent does at the provider: fill in the form; the callback URL it sends the browser back to."""
    endpoint, query = authorize_url.split("?", 1)
    params = dict(parse_qsl(query))
    answer = requests.post(
        endpoint,
        data={
            **params,
            "email": email,
            "given_name": "Léa",
            "usual_name": "Martin",
            "siret": siret,
            "acr": acr,
        },
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def callback(client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def log_in(client, *, email: str, siret: str = "", acr: str = "eidas1", next_url: str = ""):
    return callback(client, authorize(start(client, next_url), email=email, siret=siret, acr=acr))
