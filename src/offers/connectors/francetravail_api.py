"""Client of France Travail's "Offres d'emploi v2" API (francetravail.io).

- OAuth2 client credentials (FRANCE_TRAVAIL_CLIENT_ID / FRANCE_TRAVAIL_CLIENT_SECRET), scope
  `api_offresdemploiv2 o2dsoffre`; the token is renewed before it expires and on a 401.
- Search pages through `range=first-last` (at most 150 offers per call); the total comes from the
  `Content-Range: offres 0-149/2345` header (206 Partial Content; 200 when complete; 204 when empty).
- The API serves at most the first 3,150 results of a query (range start ≤ 3,000): a query whose total is
  larger is split — by département first, then by halving its creation-date window, then by ROME grand domaine —
  until each part fits.
- Retries (token and search calls): 429 Too Many Requests waits for `Retry-After` (seconds, at most
  `max_wait`); 500/502/503/504, connection errors and timeouts (connect and read timeouts apart:
  FRANCE_TRAVAIL_CONNECT_TIMEOUT, FRANCE_TRAVAIL_READ_TIMEOUT) wait an exponential backoff (1 s, 2 s, 4 s…, at
  most `max_wait`) plus up to 50 % random jitter, so that many clients do not retry in step; `max_attempts` in
  all. What still fails is listed in the report (département, creation dates, grand domaine, range, last error,
  attempts) and the rest goes on: every page fetched is kept.

`fetch_offers` yields the raw offer dicts (each once, even when two query parts overlap); feed them to
`offers.connectors.francetravail.from_record` or import them with `offers fetch-francetravail`.
"""

from __future__ import annotations

import os
import random as _random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests

TOKEN_URL = "https://entreprise.francetravail.fr/connexion/oauth2/access_token"
SEARCH_URL = "https://api.francetravail.io/partenaire/offresdemploi/v2/offres/search"
SCOPE = "api_offresdemploiv2 o2dsoffre"
PAGE_SIZE = 150
MAX_START = 3000  # the API refuses a range starting after the 3,000th result
RESULT_CAP = MAX_START + PAGE_SIZE
GRANDS_DOMAINES = tuple("ABCDEFGHIJKLMN")
REGION_DEPARTEMENTS = ("02", "59", "60", "62", "80")
_CONTENT_RANGE = re.compile(r"(\d+)-(\d+)/(\d+)")


RETRY_STATUSES = frozenset({500, 502, 503, 504})


class ApiError(Exception):
    pass


@dataclass
class Failure:
    params: dict
    range: str
    error: str

    def describe(self) -> str:
        """The query slice that could not be fetched, for the import report (in French, like the UI)."""
        parts = [f"département {self.params['departement']}"] if self.params.get("departement") else []
        if self.params.get("minCreationDate"):
            parts.append(
                f"offres créées du {self.params['minCreationDate']} au {self.params['maxCreationDate']}"
            )
        if self.params.get("grandDomaine"):
            parts.append(f"grand domaine ROME {self.params['grandDomaine']}")
        parts += [f"{name}={value}" for name, value in sorted(self.params.items()) if name not in _DESCRIBED]
        return f"Non récupéré : {', '.join(parts) or 'toute la recherche'}, résultats {self.range} — {self.error}"


_DESCRIBED = {"departement", "minCreationDate", "maxCreationDate", "grandDomaine"}


@dataclass
class FetchReport:
    requests: int = 0
    pages: int = 0
    offers: int = 0
    duplicates: int = 0
    splits: int = 0
    throttled: int = 0
    retries: int = 0
    failures: list[Failure] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.offers} offers in {self.pages} pages ({self.requests} requests, {self.splits} query splits, "
            f"{self.throttled} throttled, {self.retries} retries, {self.duplicates} duplicates skipped)"
        ]
        out += [failure.describe() for failure in self.failures]
        return out


@dataclass
class Query:
    departement: str | None = None
    min_date: datetime | None = None
    max_date: datetime | None = None
    grand_domaine: str | None = None
    extra: dict = field(default_factory=dict)

    def params(self) -> dict:
        params = dict(self.extra)
        if self.departement:
            params["departement"] = self.departement
        if self.min_date and self.max_date:
            params["minCreationDate"] = self.min_date.strftime("%Y-%m-%dT%H:%M:%SZ")
            params["maxCreationDate"] = self.max_date.strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.grand_domaine:
            params["grandDomaine"] = self.grand_domaine
        return params


class FranceTravailClient:
    def __init__(
        self,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] | None = None,
        random: Callable[[], float] | None = None,
        max_attempts: int = 5,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        backoff: float = 1.0,
        max_wait: float = 120.0,
    ):
        self.client_id = client_id or os.environ.get("FRANCE_TRAVAIL_CLIENT_ID", "")
        self.client_secret = client_secret or os.environ.get("FRANCE_TRAVAIL_CLIENT_SECRET", "")
        if not self.client_id or not self.client_secret:
            raise ApiError(
                "FRANCE_TRAVAIL_CLIENT_ID and FRANCE_TRAVAIL_CLIENT_SECRET must be set (francetravail.io)"
            )
        self.session = session or requests.Session()
        self.sleep = sleep or time.sleep  # injected by the tests: no real waiting
        self.random = random or _random.random
        self.max_attempts = max_attempts
        self.timeout = (
            connect_timeout or float(os.environ.get("FRANCE_TRAVAIL_CONNECT_TIMEOUT", "5")),
            read_timeout or float(os.environ.get("FRANCE_TRAVAIL_READ_TIMEOUT", "30")),
        )
        self.backoff = backoff
        self.max_wait = max_wait
        self._token: str | None = None
        self._token_expires = 0.0
        self.report = FetchReport()

    # -- one call, retried ----------------------------------------------------------------------------------
    def _backoff(self, attempt: int) -> float:
        base = min(self.max_wait, self.backoff * 2 ** (attempt - 1))
        return base + self.random() * base / 2

    def _send(self, method: str, url: str, *, retry_401: bool = False, **kwargs) -> requests.Response:
        """The response of the first attempt that is not worth retrying; raises ApiError once `max_attempts`
        calls failed with a retryable error (429, 500/502/503/504, connection error, timeout)."""
        error = "no attempt"
        for attempt in range(1, self.max_attempts + 1):
            self.report.requests += 1
            try:
                if retry_401:
                    kwargs["headers"] = {
                        **kwargs.get("headers", {}),
                        "Authorization": f"Bearer {self.token()}",
                    }
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except (
                requests.Timeout,
                requests.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                error = f"{type(exc).__name__}: {exc}"
                wait = self._backoff(attempt)
            else:
                if retry_401 and response.status_code == 401 and attempt == 1:
                    self.token(force=True)  # an expired token: renew once, at once
                    continue
                if response.status_code == 429:
                    self.report.throttled += 1
                    error = "429 Too Many Requests"
                    wait = min(
                        self.max_wait,
                        _retry_after(response.headers.get("Retry-After")) or self._backoff(attempt),
                    )
                elif response.status_code in RETRY_STATUSES:
                    error = f"{response.status_code} {response.reason}"
                    wait = self._backoff(attempt)
                else:
                    return response
            if attempt < self.max_attempts:
                self.report.retries += 1
                self.sleep(wait)
        raise ApiError(f"{error} (abandon après {self.max_attempts} tentatives)")

    # -- authentication -----------------------------------------------------------------------------------
    def token(self, *, force: bool = False) -> str:
        if self._token and not force and time.monotonic() < self._token_expires - 60:
            return self._token
        response = self._send(
            "POST",
            TOKEN_URL,
            params={"realm": "/partenaire"},
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "scope": SCOPE,
            },
        )
        if response.status_code != 200:
            raise ApiError(f"authentication refused ({response.status_code}): {response.text[:200]}")
        payload = response.json()
        self._token = payload["access_token"]
        self._token_expires = time.monotonic() + float(payload.get("expires_in", 1499))
        return self._token

    # -- one page -------------------------------------------------------------------------------------------
    def search_page(self, params: dict, first: int, last: int) -> tuple[list[dict], int]:
        """(offers, total) of one range; raises ApiError when the page could not be fetched."""
        response = self._send(
            "GET",
            SEARCH_URL,
            retry_401=True,
            params={**params, "range": f"{first}-{last}"},
            headers={"Accept": "application/json"},
        )
        if response.status_code == 204:
            return [], 0
        if response.status_code not in (200, 206):
            raise ApiError(f"{response.status_code} {response.reason}: {response.text[:300]}")
        try:
            offers = response.json().get("resultats", [])
        except (ValueError, AttributeError) as exc:
            raise ApiError(
                f"{response.status_code} answer that is not a JSON object of results: {exc}"
            ) from exc
        total = _total(response.headers.get("Content-Range"), default=first + len(offers))
        self.report.pages += 1
        return offers, total

    # -- whole queries ------------------------------------------------------------------------------------
    def fetch_query(self, query: Query) -> Iterator[dict]:
        """Every offer of a query, split first when its total exceeds what the API serves."""
        params = query.params()
        try:
            offers, total = self.search_page(params, 0, PAGE_SIZE - 1)
        except ApiError as exc:
            self.report.failures.append(Failure(params, f"0-{PAGE_SIZE - 1}", str(exc)))
            return
        if total > RESULT_CAP and (parts := split(query)):
            self.report.splits += 1
            for part in parts:
                yield from self.fetch_query(part)
            return
        yield from offers
        for first in range(PAGE_SIZE, min(total, RESULT_CAP), PAGE_SIZE):
            last = min(first + PAGE_SIZE, total) - 1
            try:
                page, _ = self.search_page(params, first, last)
            except ApiError as exc:
                self.report.failures.append(Failure(params, f"{first}-{last}", str(exc)))
                continue
            yield from page
        if total > RESULT_CAP:
            self.report.failures.append(
                Failure(
                    params,
                    f"{RESULT_CAP}-{total - 1}",
                    "au-delà des 3 150 résultats que l'API sert, et la recherche ne peut plus être découpée",
                )
            )


def split(query: Query) -> list[Query]:
    """Smaller queries covering the same offers: by creation-date halves (down to one hour), then by ROME grand
    domaine; [] when no further split is possible."""
    if query.min_date and query.max_date and query.max_date - query.min_date > timedelta(hours=1):
        middle = query.min_date + (query.max_date - query.min_date) / 2
        middle = middle.replace(microsecond=0)
        return [
            Query(query.departement, query.min_date, middle, query.grand_domaine, query.extra),
            Query(
                query.departement,
                middle + timedelta(seconds=1),
                query.max_date,
                query.grand_domaine,
                query.extra,
            ),
        ]
    if query.grand_domaine is None:
        return [
            Query(query.departement, query.min_date, query.max_date, gd, query.extra)
            for gd in GRANDS_DOMAINES
        ]
    return []


def fetch_offers(
    client: FranceTravailClient,
    *,
    departements: tuple[str, ...] = REGION_DEPARTEMENTS,
    since: datetime,
    until: datetime,
    extra: dict | None = None,
) -> Iterator[dict]:
    """Every offer created in [since, until] in these départements, each once."""
    seen: set[str] = set()
    for departement in departements:
        for offer in client.fetch_query(Query(departement, since, until, None, dict(extra or {}))):
            identifier = offer.get("id")
            if identifier in seen:
                client.report.duplicates += 1
                continue
            seen.add(identifier)
            client.report.offers += 1
            yield offer


def _total(header: str | None, *, default: int) -> int:
    match = _CONTENT_RANGE.search(header or "")
    return int(match.group(3)) if match else default


def _retry_after(header: str | None) -> float | None:
    """Seconds of a Retry-After header given in seconds (the API's form); None when absent or unreadable."""
    try:
        return max(0.0, float(header))
    except (TypeError, ValueError):
        return None
