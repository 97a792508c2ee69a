"""Password login throttling: lock an account, or an address, after repeated failures.

The counters are the audit log itself: every failed attempt is an `AuditEntry` LOGIN_FAILED (with the address
it came from), every accepted password a LOGIN. Counting them in the database holds across processes and
servers (Django's cache is per process here), needs no second store to keep in step, and leaves the data
protection officer the full trail.

- An account is locked for `LOGIN_LOCKOUT_MINUTES` once it has had `LOGIN_FAILURES_PER_ACCOUNT` failures within
  that many minutes since its last successful login. While locked, even the right password is refused.
- An address is blocked the same way after `LOGIN_FAILURES_PER_IP` failures on any accounts (password spraying).
- Attempts refused because of a lock are logged but do not extend it, so a lock always ends.
- Unknown addresses are counted and locked like real accounts, so the lock-out tells nothing about which
  e-mail addresses have an account.
- Wrong second-factor codes count like wrong passwords; for an account with TOTP the LOGIN entry is written at
  the code step, so a right password alone does not reset the count. ProConnect failures are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.models import AuditEntry

USER_TYPE = User._meta.label_lower
LOCKED_REASON = "verrouillé"
BAD_CREDENTIALS_REASON = "identifiants invalides"
BAD_CODE_REASON = "code de vérification invalide"
# The failures that count towards a lock: wrong passwords and wrong second-factor codes. ProConnect failures are
# logged too but not counted (the password is not at stake, and a provider outage must not lock anyone out).
COUNTED_REASONS = (BAD_CREDENTIALS_REASON, BAD_CODE_REASON)


def failures_per_account() -> int:
    return getattr(settings, "LOGIN_FAILURES_PER_ACCOUNT", 5)


def failures_per_ip() -> int:
    return getattr(settings, "LOGIN_FAILURES_PER_IP", 20)


def lockout() -> timedelta:
    return timedelta(minutes=getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15))


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a reverse proxy the last entry the proxy appended to the
    header named by `LOGIN_CLIENT_IP_HEADER` (the entries before it are written by the client and can lie)."""
    if request is None:
        return None
    header = getattr(settings, "LOGIN_CLIENT_IP_HEADER", "")
    if header:
        forwarded = request.META.get(header, "")
        candidates = [part.strip() for part in forwarded.split(",") if part.strip()]
        if candidates:
            return candidates[-1]
    return request.META.get("REMOTE_ADDR") or None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()[:200]


@dataclass(frozen=True)
class Lock:
    until: datetime
    by_address: bool

    @property
    def message(self) -> str:
        until = timezone.localtime(self.until).strftime("%H h %M")
        if self.by_address:
            return (
                "Trop de tentatives de connexion ont échoué depuis votre adresse réseau. Par sécurité, la "
                f"connexion par mot de passe en est bloquée jusqu'à {until}. Réessayez ensuite, ou contactez "
                "l'administrateur de la plateforme."
            )
        return (
            f"Trop de tentatives de connexion ont échoué pour ce compte ({failures_per_account()} en "
            f"{int(lockout().total_seconds() // 60)} minutes). Par sécurité, il est verrouillé jusqu'à {until}. "
            "Réessayez ensuite, ou contactez l'administrateur de la plateforme si vous avez oublié votre mot "
            "de passe."
        )


def _account_filter(email: str) -> Q:
    user_id = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    if user_id is not None:
        return Q(object_type=USER_TYPE, object_id=str(user_id))
    return Q(object_type=USER_TYPE, object_id="", object_repr=email)


def _counted_failures(since: datetime):
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN_FAILED, at__gte=since, reason__in=COUNTED_REASONS
    )


def lock_status(*, email: str, ip: str | None, now: datetime | None = None) -> Lock | None:
    """The lock that refuses a password login for this account or address right now, if any."""
    now = now or timezone.now()
    since = now - lockout()
    account = _account_filter(normalise_email(email))
    last_success = (
        AuditEntry.objects.filter(account, action=AuditEntry.Action.LOGIN, at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    account_failures = _counted_failures(max(since, last_success) if last_success else since).filter(account)
    limit = failures_per_account()
    times = list(account_failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) >= limit:
        return Lock(until=times[-1] + lockout(), by_address=False)
    if ip:
        limit = failures_per_ip()
        times = list(
            _counted_failures(since)
            .filter(ip_address=ip)
            .order_by("-at")
            .values_list("at", flat=True)[:limit]
        )
        if len(times) >= limit:
            return Lock(until=times[-1] + lockout(), by_address=True)
    return None


def record_failure(*, email: str, request: HttpRequest | None, reason: str = BAD_CREDENTIALS_REASON) -> None:
    email = normalise_email(email)
    user = User.objects.filter(email__iexact=email).first()
    AuditEntry.objects.create(
        action=AuditEntry.Action.LOGIN_FAILED,
        actor=None,
        actor_label=email[:254] or "inconnu",
        object_type=USER_TYPE,
        object_id=str(user.pk) if user else "",
        object_repr=str(user)[:200] if user else email,
        reason=reason,
        ip_address=client_ip(request),
    )


def record_success(*, user: User, request: HttpRequest | None, reason: str = "") -> None:
    AuditEntry.objects.create(
        action=AuditEntry.Action.LOGIN,
        actor=user,
        actor_label=user.email,
        object_type=USER_TYPE,
        object_id=str(user.pk),
        object_repr=str(user)[:200],
        reason=reason[:200],
        ip_address=client_ip(request),
    )


class ThrottledModelBackend(ModelBackend):
    """The model backend behind the lock-out, for every password form (ours and the admin's).

    Calls without a request (management commands, the test client's `login`) are not throttled: they do not
    come from the network.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        if lock_status(email=username, ip=client_ip(request)) is not None:
            record_failure(email=username, request=request, reason=LOCKED_REASON)
            raise PermissionDenied  # stops authenticate() here: no other backend is tried
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(email=username, request=request)
        elif not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            record_success(user=user, request=request)
        # With TOTP the login succeeds at the code step (accounts.second_factor), which records it then: a
        # LOGIN here would reset the failure count and let wrong codes be tried without end.
        return user
