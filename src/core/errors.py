"""The server-error handler (`handler500`): a database that cannot be reached answers 503, not 500.

When PostgreSQL restarts, fails over or drops a connection (or SQLite stays locked past its timeout), every page
would otherwise show a bare 500. Here such errors give a French DSFR page (or the API's error format under
/api/) with `Retry-After`, and the broken connection is closed so the worker's next request opens a new one.
Django logs the error itself (logger `django.request`, with the traceback) before calling the handler.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as default_server_error

from core.context_processors import site

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# SQLite raises OperationalError for schema mistakes too ("no such table"): only these mean "not reachable now".
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (or its cause) says the database cannot be reached right now, rather than a bug."""
    while exc is not None:
        if isinstance(exc, InterfaceError):
            return True
        if isinstance(exc, OperationalError):
            cause = exc.__cause__
            if cause is not None and type(cause).__module__.startswith("sqlite3"):
                return any(text in str(exc).lower() for text in _SQLITE_UNAVAILABLE)
            return True
        exc = exc.__cause__
    return False


def close_broken_connections() -> None:
    """Close the connections that no longer answer, so the next request reconnects (Django would only do it at
    the end of the request, and not at all under the test client)."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    message = (
        "La base de données de la plateforme ne répond pas pour le moment. Réessayez dans quelques instants ; "
        "rien de ce que vous avez saisi n'a été enregistré si l'opération n'a pas été confirmée."
    )
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"error": {"status": 503, "code": "database_unavailable", "message": message, "details": []}},
            status=503,
        )
    else:
        # No context processors and no session: they would query the database that just failed.
        html = render_to_string(
            "core/database_unavailable.html",
            {**site(request), "request": request, "message": message, "retry_after": RETRY_AFTER_SECONDS},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: called by Django while it handles an uncaught exception (the exception is current)."""
    exc = sys.exc_info()[1]
    if not is_database_unavailable(exc):
        return default_server_error(request)
    try:
        close_broken_connections()
    except Exception:  # closing is best effort: the answer must still go out
        logger.exception("could not close a broken database connection")
    return database_unavailable_response(request)
