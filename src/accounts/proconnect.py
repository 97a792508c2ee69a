"""ProConnect client: the OpenID Connect authorization code flow of the State's federation for public agents.

The flow (https://partenaires.proconnect.gouv.fr, "implémentation technique"):
1. discovery: `{PROCONNECT_BASE_URL}/.well-known/openid-configuration` gives the endpoints and the issuer;
2. the browser goes to `authorization_endpoint` with a random `state` (against CSRF), a random `nonce` (against
   replay, echoed in the ID token) and a PKCE challenge (S256: a stolen code is useless without the verifier);
3. back on our callback, the code is exchanged at `token_endpoint` (client_secret_post, with the PKCE verifier);
4. the ID token's signature is checked against the provider's JWKS (RS256 or ES256 only: `none` and HS* are
   refused), with its issuer, audience, expiry and nonce;
5. `userinfo_endpoint` gives the agent's claims, as a signed JWT (`application/jwt`, checked like the ID token)
   or as plain JSON; its `sub` must be the ID token's;
6. logout goes through `end_session_endpoint` with `id_token_hint`, `state` and `post_logout_redirect_uri`.

Every network call has a timeout; every failure is a `ProConnectError` carrying a French message for the agent
and a short code for the audit log, never an unhandled exception.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import jwt
import requests
from django.conf import settings

# Asymmetric algorithms only: with HS256 the client secret would be the key, and `none` has no signature.
ALLOWED_ALGORITHMS = ("RS256", "ES256")
METADATA_TTL_SECONDS = 3600
CLOCK_LEEWAY_SECONDS = 60
_cache_lock = threading.Lock()
_metadata_cache: dict[str, tuple[float, ProviderMetadata]] = {}
_jwks_cache: dict[str, tuple[float, jwt.PyJWKSet]] = {}


class ProConnectError(Exception):
    """A failed step of the flow: `message` is shown to the agent, `code` goes to the audit log."""

    def __init__(self, message: str, *, code: str, status: int = 502):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


@dataclass(frozen=True)
class Identity:
    """What ProConnect says about the agent, once every check has passed."""

    sub: str
    email: str
    given_name: str
    usual_name: str
    siret: str
    uid: str
    acr: str
    id_token: str
    claims: dict = field(repr=False)


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def is_enabled() -> bool:
    return bool(getattr(settings, "PROCONNECT_ENABLED", False))


def _timeout() -> float:
    return settings.PROCONNECT_TIMEOUT_SECONDS


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _require_secure(name: str, url: object) -> str:
    """Endpoints must be HTTPS; plain HTTP is accepted on the loopback only (the local fake provider)."""
    if not isinstance(url, str) or not url:
        raise ProConnectError(
            f"La configuration publiée par ProConnect n'indique pas « {name} ».", code="discovery_invalid"
        )
    parsed = urlparse(url)
    if parsed.scheme == "https" or (parsed.scheme == "http" and _is_loopback(parsed.hostname or "")):
        return url
    raise ProConnectError(
        f"L'adresse « {name} » publiée par ProConnect n'est pas en HTTPS : connexion refusée.",
        code="discovery_insecure",
    )


def _get(url: str, **kwargs) -> requests.Response:
    try:
        return requests.get(url, timeout=_timeout(), **kwargs)
    except requests.Timeout as exc:
        raise ProConnectError(
            "ProConnect n'a pas répondu à temps. Réessayez dans quelques instants, ou connectez-vous avec "
            "votre mot de passe.",
            code="provider_timeout",
        ) from exc
    except requests.RequestException as exc:
        raise ProConnectError(
            "ProConnect est injoignable pour le moment. Réessayez dans quelques instants, ou connectez-vous "
            "avec votre mot de passe.",
            code="provider_unreachable",
        ) from exc


def _post(url: str, **kwargs) -> requests.Response:
    try:
        return requests.post(url, timeout=_timeout(), **kwargs)
    except requests.Timeout as exc:
        raise ProConnectError(
            "ProConnect n'a pas répondu à temps. Réessayez dans quelques instants.", code="provider_timeout"
        ) from exc
    except requests.RequestException as exc:
        raise ProConnectError(
            "ProConnect est injoignable pour le moment. Réessayez dans quelques instants.",
            code="provider_unreachable",
        ) from exc


def _json(response: requests.Response, what: str) -> dict:
    try:
        document = response.json()
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise ProConnectError(
            f"ProConnect a renvoyé une réponse illisible ({what}).", code=f"{what}_invalid_response"
        )
    return document


def metadata() -> ProviderMetadata:
    """The provider's endpoints, from discovery, cached for an hour per process."""
    base_url = settings.PROCONNECT_BASE_URL
    with _cache_lock:
        cached = _metadata_cache.get(base_url)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    response = _get(f"{base_url}/.well-known/openid-configuration")
    if response.status_code != 200:
        raise ProConnectError(
            f"ProConnect est indisponible (configuration : erreur {response.status_code}). Réessayez plus tard.",
            code="discovery_failed",
        )
    document = _json(response, "discovery")
    found = ProviderMetadata(
        issuer=_require_secure("issuer", document.get("issuer")),
        authorization_endpoint=_require_secure(
            "authorization_endpoint", document.get("authorization_endpoint")
        ),
        token_endpoint=_require_secure("token_endpoint", document.get("token_endpoint")),
        userinfo_endpoint=_require_secure("userinfo_endpoint", document.get("userinfo_endpoint")),
        jwks_uri=_require_secure("jwks_uri", document.get("jwks_uri")),
        end_session_endpoint=(
            _require_secure("end_session_endpoint", document["end_session_endpoint"])
            if document.get("end_session_endpoint")
            else ""
        ),
    )
    with _cache_lock:
        _metadata_cache[base_url] = (time.monotonic() + METADATA_TTL_SECONDS, found)
    return found


def _jwks(provider: ProviderMetadata, *, refresh: bool = False) -> jwt.PyJWKSet:
    with _cache_lock:
        cached = _jwks_cache.get(provider.jwks_uri)
    if not refresh and cached is not None and cached[0] > time.monotonic():
        return cached[1]
    response = _get(provider.jwks_uri)
    if response.status_code != 200:
        raise ProConnectError(
            f"Les clés de signature de ProConnect sont indisponibles (erreur {response.status_code}).",
            code="jwks_failed",
        )
    try:
        key_set = jwt.PyJWKSet.from_dict(_json(response, "jwks"))
    except jwt.PyJWTError as exc:
        raise ProConnectError(
            "Les clés de signature publiées par ProConnect sont illisibles.", code="jwks_invalid"
        ) from exc
    with _cache_lock:
        _jwks_cache[provider.jwks_uri] = (time.monotonic() + METADATA_TTL_SECONDS, key_set)
    return key_set


def _signing_key(provider: ProviderMetadata, *, kid: str | None, alg: str) -> jwt.PyJWK:
    for refresh in (False, True):  # an unknown kid may be a rotated key: fetch the set once more
        keys = [
            key
            for key in _jwks(provider, refresh=refresh).keys
            if key.algorithm_name == alg and (kid is None or key.key_id == kid)
        ]
        if len(keys) == 1:
            return keys[0]
    raise ProConnectError(
        "La réponse de ProConnect est signée par une clé inconnue : connexion refusée.", code="unknown_key"
    )


def _verify_jwt(token: str, *, provider: ProviderMetadata, what: str, required: list[str]) -> dict:
    """Check a JWT signed by the provider: allowed algorithm, known key, signature, iss, aud, exp."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise ProConnectError(
            f"ProConnect a renvoyé un jeton illisible ({what}).", code=f"{what}_malformed"
        ) from exc
    alg = header.get("alg")
    if alg not in ALLOWED_ALGORITHMS:
        raise ProConnectError(
            f"Le jeton renvoyé par ProConnect ({what}) utilise un algorithme refusé ({alg}) : connexion refusée.",
            code=f"{what}_algorithm_refused",
        )
    key = _signing_key(provider, kid=header.get("kid"), alg=alg)
    try:
        return jwt.decode(
            token,
            key=key.key,
            algorithms=[alg],
            audience=settings.PROCONNECT_CLIENT_ID,
            issuer=provider.issuer,
            leeway=CLOCK_LEEWAY_SECONDS,
            options={"require": required},
        )
    except jwt.ExpiredSignatureError as exc:
        raise ProConnectError(
            "La connexion ProConnect a expiré avant d'aboutir. Réessayez.", code=f"{what}_expired", status=400
        ) from exc
    except jwt.InvalidSignatureError as exc:
        raise ProConnectError(
            f"La signature du jeton ProConnect ({what}) est invalide : connexion refusée.",
            code=f"{what}_bad_signature",
        ) from exc
    except (jwt.InvalidAudienceError, jwt.InvalidIssuerError) as exc:
        raise ProConnectError(
            f"Le jeton ProConnect ({what}) n'est pas destiné à ce service : connexion refusée.",
            code=f"{what}_wrong_audience_or_issuer",
        ) from exc
    except jwt.PyJWTError as exc:
        raise ProConnectError(
            f"Le jeton ProConnect ({what}) est invalide : connexion refusée.", code=f"{what}_invalid"
        ) from exc


def _pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_request(*, redirect_uri: str) -> AuthorizationRequest:
    """Where to send the browser to log in, with the secrets to keep in the session until it comes back."""
    provider = metadata()
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)
    params = {
        "response_type": "code",
        "client_id": settings.PROCONNECT_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": settings.PROCONNECT_SCOPES,
        "state": state,
        "nonce": nonce,
        "code_challenge": _pkce_challenge(code_verifier),
        "code_challenge_method": "S256",
    }
    if settings.PROCONNECT_ACR_VALUES:
        params["acr_values"] = settings.PROCONNECT_ACR_VALUES
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    return AuthorizationRequest(
        url=f"{provider.authorization_endpoint}{separator}{urlencode(params)}",
        state=state,
        nonce=nonce,
        code_verifier=code_verifier,
    )


def _text_claim(claims: dict, name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def complete_login(*, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> Identity:
    """Exchange the authorization code and check everything ProConnect returns; the agent's identity."""
    provider = metadata()
    response = _post(
        provider.token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": settings.PROCONNECT_CLIENT_ID,
            "client_secret": settings.PROCONNECT_CLIENT_SECRET,
            "code_verifier": code_verifier,
        },
    )
    if response.status_code != 200:
        raise ProConnectError(
            "ProConnect a refusé le code de connexion (il n'est valable que quelques secondes). Réessayez.",
            code=f"token_refused_{response.status_code}",
        )
    tokens = _json(response, "token")
    id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
    if not isinstance(id_token, str) or not isinstance(access_token, str):
        raise ProConnectError("ProConnect n'a pas renvoyé de jeton d'identité.", code="token_missing")
    id_claims = _verify_jwt(
        id_token, provider=provider, what="id_token", required=["iss", "aud", "exp", "iat", "sub"]
    )
    if not hmac.compare_digest(str(id_claims.get("nonce", "")), nonce):
        raise ProConnectError(
            "La connexion ProConnect ne correspond pas à celle qui a été demandée (nonce) : connexion refusée. "
            "Réessayez.",
            code="nonce_mismatch",
            status=400,
        )
    userinfo = _userinfo(provider=provider, access_token=access_token)
    if str(userinfo.get("sub")) != str(id_claims["sub"]):
        raise ProConnectError(
            "Les informations renvoyées par ProConnect ne concernent pas l'agent connecté : connexion refusée.",
            code="userinfo_sub_mismatch",
        )
    email = _text_claim(userinfo, "email").lower()
    if not email or "@" not in email:
        raise ProConnectError(
            "ProConnect n'a pas transmis d'adresse électronique : impossible de vous identifier.",
            code="email_missing",
            status=403,
        )
    return Identity(
        sub=str(id_claims["sub"]),
        email=email,
        given_name=_text_claim(userinfo, "given_name"),
        usual_name=_text_claim(userinfo, "usual_name") or _text_claim(userinfo, "family_name"),
        siret="".join(ch for ch in _text_claim(userinfo, "siret") if ch.isdigit()),
        uid=_text_claim(userinfo, "uid"),
        acr=_text_claim(id_claims, "acr"),
        id_token=id_token,
        claims=userinfo,
    )


def _userinfo(*, provider: ProviderMetadata, access_token: str) -> dict:
    response = _get(provider.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if response.status_code != 200:
        raise ProConnectError(
            f"ProConnect n'a pas transmis vos informations (erreur {response.status_code}). Réessayez.",
            code=f"userinfo_failed_{response.status_code}",
        )
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type == "application/jwt":
        return _verify_jwt(response.text.strip(), provider=provider, what="userinfo", required=["sub"])
    if content_type == "application/json":
        return _json(response, "userinfo")
    raise ProConnectError(
        "ProConnect a renvoyé vos informations dans un format inattendu.", code="userinfo_unexpected_type"
    )


def logout_url(*, id_token: str, state: str, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser to end the ProConnect session too (None: the provider has no such endpoint)."""
    endpoint = metadata().end_session_endpoint
    if not endpoint:
        return None
    params = {"id_token_hint": id_token, "state": state, "post_logout_redirect_uri": post_logout_redirect_uri}
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(params)}"


def provider_origin() -> str:
    """The scheme and host of the provider, for the CSP's form-action (the logout form redirects there)."""
    parsed = urlparse(settings.PROCONNECT_BASE_URL)
    return f"{parsed.scheme}://{parsed.netloc}"
