"""Django's cache, shared by every worker process and host: the database cache with an atomic `incr`.

The rate-limit counters (`core.ratelimit`) must hold across the web workers of every host. Django's
`DatabaseCache` is shared with no extra infrastructure (its table is created by `migrate`, core's migration
0001), but its `incr` is a read followed by a write, so two workers counting at once lose hits. Here `incr`
locks the row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers), and
keeps the entry's expiry (Django's resets it to the default timeout). On PostgreSQL the increment's commit does
not wait for the WAL flush (`synchronous_commit = off` for that transaction only): a counter lost in a crash
costs nothing.

`CACHE_URL` chooses the cache: `db://TABLE` (default `db://django_cache`) or `locmem://` (per process: one
worker only, or development). Other schemes are refused rather than half supported.
"""

from __future__ import annotations

import base64
import pickle
from urllib.parse import urlsplit

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

DEFAULT_CACHE_URL = "db://django_cache"


def caches_from_url(url: str) -> dict:
    """The CACHES setting for `url` (see the module docstring)."""
    parts = urlsplit(url or DEFAULT_CACHE_URL)
    if parts.scheme == "db":
        table = parts.netloc or parts.path.strip("/")
        if not table.isidentifier():
            raise ImproperlyConfigured(
                f"CACHE_URL={url!r}: expected db://TABLE_NAME, e.g. {DEFAULT_CACHE_URL}"
            )
        # MAX_ENTRIES: each client address has a counter per minute; culling live counters would reset budgets.
        return {
            "default": {
                "BACKEND": "core.cache.DatabaseCache",
                "LOCATION": table,
                "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 4},
            }
        }
    if parts.scheme == "locmem":
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": parts.netloc}
        }
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r}: unsupported scheme {parts.scheme!r}; use db://TABLE (shared, the default) or "
        "locmem:// (one process only)"
    )


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, cache_key = quote_name(self._table), quote_name("cache_key")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A counter lost in a crash costs nothing: do not make every API request wait for a WAL flush.
                cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} FROM {table} WHERE {cache_key} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._converted_expiry(connection, row[1]) < tz_now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s WHERE {cache_key} = %s", [encoded, key]
            )
        return value

    @staticmethod
    def _converted_expiry(connection, expires):
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        ):
            expires = converter(expires, expression, connection)
        return expires
