"""The JSON API (/api/v1/), one router per domain app found in `<app>/api.py`.

Errors always have the shape {"error": {"status", "code", "message", "details"}}.
"""

from importlib import import_module
from importlib.util import find_spec

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from config.apps_registry import DOMAIN_APPS
from config.throttling import ApiRateThrottle

api = NinjaAPI(
    title="Réseau pour l'emploi — API",
    version="1",
    description=(
        "API de la plateforme partagée du réseau pour l'emploi : territoires, référentiel ROME 4.0, et les "
        'services métier. Les erreurs ont toujours la forme `{"error": {status, code, message, details}}`.'
    ),
    urls_namespace="api",
    throttle=[ApiRateThrottle()],
)


def error_response(request, *, status: int, code: str, message: str, details=None):
    return api.create_response(
        request,
        {"error": {"status": status, "code": code, "message": message, "details": details or []}},
        status=status,
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    details = [
        {"field": ".".join(str(part) for part in error.get("loc", [])), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return error_response(request, status=422, code="invalid", message="Requête invalide.", details=details)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, status=404, code="not_found", message=str(exc) or "Objet introuvable.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error_response(request, status=401, code="unauthenticated", message="Authentification requise.")


@api.exception_handler(Throttled)
def on_throttled(request, exc: Throttled):
    response = error_response(
        request, status=429, code="throttled", message="Trop de requêtes : réessayez dans quelques instants."
    )
    if exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error_response(request, status=exc.status_code, code="error", message=str(exc))


for app in DOMAIN_APPS:
    if find_spec(f"{app}.api") is None:
        continue
    module = import_module(f"{app}.api")
    api.add_router(getattr(module, "API_PREFIX", f"/{app}/"), module.router)
