"""A local OpenID Connect provider that behaves like ProConnect, to try and test the login without the real one.

It serves, under `/api/v2` like ProConnect: discovery, a JWKS with an RSA key generated at start, `/authorize`
(a small French form: type any e-mail address, name and SIRET — there is no password, it is a fake), `/token`
(client_secret_post and PKCE S256 checked), `/userinfo` (a signed JWT, `application/jwt`, as ProConnect does)
and `/session/end`. The `sub` is derived from the client and the e-mail address, stable across runs, like the
pairwise identifier ProConnect gives each service.

Run it with `reseau-emploi fake-proconnect --port 8001`; the tests start it in a thread on a free loopback port.
It listens on the loopback only: it signs whatever identity is typed into its form.

The attributes under "misbehaviour" let the tests make it answer like a broken or hostile provider (bad
signature, `alg: none`, wrong nonce, expired token, slow answers).
"""

from __future__ import annotations

import hashlib
import html
import json
import secrets
import threading
import time
from base64 import urlsafe_b64encode
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

PREFIX = "/api/v2"
CODE_LIFETIME_SECONDS = 30
TOKEN_LIFETIME_SECONDS = 60
DEFAULT_CLIENT_ID = "reseau-emploi-local"
DEFAULT_CLIENT_SECRET = "secret-local-du-faux-proconnect-a-ne-pas-utiliser"


@dataclass
class FakeProConnect:
    """The provider's state; `wsgi_app` serves it."""

    base_url: str
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    acr: str = "eidas1"
    # Misbehaviour, for the tests.
    signing: str = "RS256"  # "RS256", "none" (unsigned), "HS256" (secret as key), "foreign-key"
    id_token_overrides: dict = field(default_factory=dict)  # claims replaced in the ID token, e.g. nonce, exp
    sub_overrides: dict = field(default_factory=dict)  # e-mail -> sub to hand out instead of the derived one
    userinfo_as_json: bool = False
    delay_seconds: float = 0.0  # before answering /token and /userinfo
    # Observed, for the tests.
    ended_sessions: list = field(default_factory=list)

    def __post_init__(self):
        self.base_url = self.base_url.rstrip("/")
        self.issuer = f"{self.base_url}{PREFIX}"
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_id = f"fake-proconnect-{secrets.token_hex(4)}"  # a new key each run, like a rotation
        self._codes: dict[str, dict] = {}
        self._access_tokens: dict[str, dict] = {}
        self._lock = threading.Lock()

    # --- helpers ----------------------------------------------------------------------------------------------
    def sub_for(self, email: str) -> str:
        email = email.strip().lower()
        if email in self.sub_overrides:
            return self.sub_overrides[email]
        return hashlib.sha256(f"{self.client_id}:{email}".encode()).hexdigest()

    def jwks(self) -> dict:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.key_id, "use": "sig", "alg": "RS256"}]}

    def sign(self, claims: dict) -> str:
        if self.signing == "none":
            return jwt.encode(claims, key=None, algorithm="none")
        if self.signing == "HS256":
            return jwt.encode(claims, self.client_secret, algorithm="HS256", headers={"kid": self.key_id})
        key = self._key
        if self.signing == "foreign-key":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.key_id})

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/session/end",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "given_name", "usual_name", "siret", "uid"],
            "claims_supported": ["sub", "email", "given_name", "usual_name", "siret", "uid", "acr", "amr"],
            "acr_values_supported": ["eidas1", "eidas2", "eidas3"],
        }

    # --- WSGI -------------------------------------------------------------------------------------------------
    def wsgi_app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        query = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
            form = {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}
        routes = {
            f"{PREFIX}/.well-known/openid-configuration": lambda: _json(self.metadata()),
            f"{PREFIX}/jwks": lambda: _json(self.jwks()),
            f"{PREFIX}/authorize": lambda: self.authorize(method, query, form),
            f"{PREFIX}/token": lambda: self.token(form),
            f"{PREFIX}/userinfo": lambda: self.userinfo(environ.get("HTTP_AUTHORIZATION", "")),
            f"{PREFIX}/session/end": lambda: self.end_session(query),
        }
        handler = routes.get(path)
        status, headers, body = handler() if handler else _json({"error": "not_found"}, "404 Not Found")
        start_response(status, headers)
        return [body]

    def authorize(self, method: str, query: dict, form: dict):
        params = form if method == "POST" else query
        missing = [
            name
            for name in (
                "response_type",
                "client_id",
                "redirect_uri",
                "scope",
                "state",
                "nonce",
                "code_challenge",
            )
            if not params.get(name)
        ]
        if missing:
            return _html(
                f"<p>Paramètres manquants : {html.escape(', '.join(missing))}</p>", "400 Bad Request"
            )
        if params["client_id"] != self.client_id:
            return _html("<p>client_id inconnu.</p>", "400 Bad Request")
        if params.get("code_challenge_method") != "S256":
            return _html("<p>code_challenge_method doit valoir S256.</p>", "400 Bad Request")
        if method == "GET" or not form.get("email"):
            return _html(self._login_form(params))
        code = secrets.token_urlsafe(24)
        email = form["email"].strip().lower()
        with self._lock:
            self._codes[code] = {
                "client_id": params["client_id"],
                "redirect_uri": params["redirect_uri"],
                "nonce": params["nonce"],
                "code_challenge": params["code_challenge"],
                "expires": time.time() + CODE_LIFETIME_SECONDS,
                "identity": {
                    "sub": self.sub_for(email),
                    "email": email,
                    "given_name": form.get("given_name", "").strip(),
                    "usual_name": form.get("usual_name", "").strip(),
                    "siret": form.get("siret", "").strip(),
                    "uid": email,
                },
                "acr": form.get("acr") or params.get("acr_values", "").split(" ")[0] or self.acr,
            }
        separator = "&" if "?" in params["redirect_uri"] else "?"
        location = f"{params['redirect_uri']}{separator}{urlencode({'code': code, 'state': params['state']})}"
        return "302 Found", [("Location", location)], b""

    def _login_form(self, params: dict) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            for name, value in params.items()
            if name not in {"email", "given_name", "usual_name", "siret", "acr"}
        )
        return f"""
<h1>Faux ProConnect (développement)</h1>
<p>Ce fournisseur d'identité de test signe l'identité saisie ci-dessous, sans mot de passe.
Il ne doit jamais servir en production.</p>
<form method="post">
  {hidden}
  <p><label for="email">Adresse électronique</label><br>
     <input id="email" name="email" type="email" required autocomplete="email"></p>
  <p><label for="given_name">Prénom</label><br><input id="given_name" name="given_name" value="Camille"></p>
  <p><label for="usual_name">Nom</label><br><input id="usual_name" name="usual_name" value="Agent"></p>
  <p><label for="siret">SIRET de l'établissement</label><br><input id="siret" name="siret" inputmode="numeric"></p>
  <p><label for="acr">Niveau d'authentification (acr)</label><br>
     <select id="acr" name="acr">
       <option value="eidas1">eidas1 — mot de passe seul</option>
       <option value="eidas2">eidas2 — avec second facteur</option>
     </select></p>
  <p><button type="submit">Se connecter</button></p>
</form>"""

    def token(self, form: dict):
        time.sleep(self.delay_seconds)
        if form.get("grant_type") != "authorization_code":
            return _json({"error": "unsupported_grant_type"}, "400 Bad Request")
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return _json({"error": "invalid_client"}, "401 Unauthorized")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or grant["expires"] < time.time()
            or grant["redirect_uri"] != form.get("redirect_uri")
        ):
            return _json({"error": "invalid_grant"}, "400 Bad Request")
        verifier = form.get("code_verifier", "")
        challenge = urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not secrets.compare_digest(challenge, grant["code_challenge"]):
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, "400 Bad Request")
        now = int(time.time())
        identity = grant["identity"]
        id_claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": identity["sub"],
            "iat": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "auth_time": now,
            "nonce": grant["nonce"],
            "acr": grant["acr"],
            "amr": ["pwd"] if grant["acr"] == "eidas1" else ["pwd", "totp", "mfa"],
            "idp_id": "fake-proconnect",
            **self.id_token_overrides,
        }
        access_token = secrets.token_urlsafe(32)
        with self._lock:
            self._access_tokens[access_token] = {
                "identity": identity,
                "expires": now + TOKEN_LIFETIME_SECONDS,
            }
        return _json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME_SECONDS,
                "id_token": self.sign(id_claims),
            }
        )

    def userinfo(self, authorization: str):
        time.sleep(self.delay_seconds)
        token = authorization.removeprefix("Bearer ").strip()
        with self._lock:
            grant = self._access_tokens.get(token)
        if grant is None or grant["expires"] < time.time():
            return _json({"error": "invalid_token"}, "401 Unauthorized")
        now = int(time.time())
        claims = {**grant["identity"]}
        if self.userinfo_as_json:
            return _json(claims)
        signed = self.sign({**claims, "iss": self.issuer, "aud": self.client_id, "iat": now})
        return "200 OK", [("Content-Type", "application/jwt")], signed.encode()

    def end_session(self, query: dict):
        missing = [
            name for name in ("id_token_hint", "state", "post_logout_redirect_uri") if not query.get(name)
        ]
        if missing:
            return _html(
                f"<p>Paramètres manquants : {html.escape(', '.join(missing))}</p>", "400 Bad Request"
            )
        try:
            claims = jwt.decode(
                query["id_token_hint"],
                self._key.public_key(),
                algorithms=["RS256"],
                audience=self.client_id,
                options={"verify_exp": False},
            )
        except jwt.PyJWTError:
            return _html("<p>id_token_hint invalide.</p>", "400 Bad Request")
        self.ended_sessions.append(claims["sub"])
        separator = "&" if "?" in query["post_logout_redirect_uri"] else "?"
        location = f"{query['post_logout_redirect_uri']}{separator}{urlencode({'state': query['state']})}"
        return "302 Found", [("Location", location)], b""


def _json(document: dict, status: str = "200 OK"):
    return status, [("Content-Type", "application/json")], json.dumps(document).encode()


def _html(body: str, status: str = "200 OK"):
    page = f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Faux ProConnect</title></head><body>{body}</body></html>'
    return status, [("Content-Type", "text/html; charset=utf-8")], page.encode()


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class RunningProvider:
    """A FakeProConnect served in a background thread (for the tests)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, quiet: bool = True, **options):
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError(f"The fake ProConnect listens on the loopback only, not on {host}.")
        handler = _QuietHandler if quiet else WSGIRequestHandler
        self.server = make_server(host, port, self._app, server_class=_ThreadingServer, handler_class=handler)
        self.provider = FakeProConnect(base_url=f"http://{host}:{self.server.server_port}", **options)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _app(self, environ, start_response):
        return self.provider.wsgi_app(environ, start_response)

    @property
    def base_url(self) -> str:
        return self.provider.issuer

    def __enter__(self) -> FakeProConnect:
        self.thread.start()
        return self.provider

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
