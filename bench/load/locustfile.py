"""Load test of the public offer search (page and API) and the aids simulator (page and API), for
bench/load/run (which starts gunicorn on 127.0.0.1 with the shipped settings). Every request is varied from a
seeded generator: keyword, commune of the region (30 km), contract and date filters, sort, page; situations of
job seekers of different ages, allowances and places.

Run it only against a server on the loopback interface: the host is checked before the first request.
"""

from __future__ import annotations

import datetime
import ipaddress
import random
import urllib.parse

from locust import HttpUser, between, events, task

KEYWORDS = [
    "boulanger",
    "aide soignant",
    "developpeur",
    "comptable",
    "vendeur",
    "cariste",
    "infirmier",
    "chauffeur",
    "serveur",
    "agent entretien",
    "magasinier",
    "assistant administratif",
    "",  # no keyword: everything around the commune
]
# INSEE codes of the region's main towns (Lille, Roubaix, Tourcoing, Dunkerque, Valenciennes, Douai, Maubeuge,
# Cambrai, Calais, Boulogne-sur-Mer, Arras, Lens, Béthune, Amiens, Abbeville, Beauvais, Compiègne, Creil,
# Saint-Quentin, Laon, Soissons).
COMMUNES = [
    "59350",
    "59512",
    "59599",
    "59183",
    "59606",
    "59178",
    "59392",
    "59122",
    "62193",
    "62160",
    "62041",
    "62498",
    "62119",
    "80021",
    "80001",
    "60057",
    "60159",
    "60175",
    "02691",
    "02408",
    "02722",
]
CONTRACTS = [[], ["CDI"], ["CDD"], ["CDI", "CDD"], ["INTERIM"]]
ALLOWANCES = ["none", "are", "ass", "rsa"]
NEEDS = ["interview", "training", "job_start"]


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urllib.parse.urlsplit(environment.host or "").hostname or ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise SystemExit(
            f"--host {environment.host!r}: the load test only runs against the loopback interface"
        )


def search_params(rng: random.Random) -> list[tuple[str, str]]:
    params = [("commune", rng.choice(COMMUNES)), ("radius_km", "30")]
    keyword = rng.choice(KEYWORDS)
    if keyword:
        params.append(("q", keyword))
    params += [("contract", contract) for contract in rng.choice(CONTRACTS)]
    if rng.random() < 0.4:
        params.append(("published_within_days", rng.choice(["7", "30"])))
    params.append(("sort", rng.choice(["relevance", "relevance", "date", "distance"])))
    return params


def situation(rng: random.Random) -> dict:
    today = datetime.date.today()
    return {
        "person": {
            "age": rng.randint(17, 62),
            "status": "job_seeker",
            "job_seeker_category": 1,
            "registration_date": (today - datetime.timedelta(days=rng.randint(10, 900))).isoformat(),
            "allowance": rng.choice(ALLOWANCES),
            "residence_commune": rng.choice(COMMUNES),
            "driving_licence": rng.random() < 0.6,
            "vehicle": rng.random() < 0.4,
            "household": rng.choice(["single", "couple"]),
            "children_ages": rng.choice([[], [4], [2, 7]]),
            "reference_tax_income": rng.choice([0, 8000, 15000, 26000]),
        },
        "need": {
            "kind": rng.choice(NEEDS),
            "place_commune": rng.choice(COMMUNES),
            "contract_type": rng.choice(["cdi", "cdd", "apprenticeship"]),
            "contract_months": rng.choice([3, 6, 12]),
            "start_date": (today + datetime.timedelta(days=rng.randint(1, 30))).isoformat(),
        },
    }


class Visitor(HttpUser):
    """A visitor of the public pages and a partner's application calling the API, interleaved."""

    wait_time = between(0.05, 0.3)

    def on_start(self):
        self.rng = random.Random(id(self))

    @task(4)
    def search_page(self):
        params = search_params(self.rng)
        if self.rng.random() < 0.2:
            params.append(("page", "2"))
        self.client.get("/offres/", params=params, name="/offres/ (search page)")

    @task(4)
    def search_api(self):
        params = search_params(self.rng)
        params.append(("limit", "20"))
        self.client.get("/api/v1/offers", params=params, name="/api/v1/offers")

    @task(2)
    def simulator_api(self):
        self.client.post("/api/v1/aids/evaluate", json=situation(self.rng), name="/api/v1/aids/evaluate")

    @task(1)
    def simulator_page(self):
        self.client.get("/aides/simulateur/", name="/aides/simulateur/ (simulator page)")
