"""TOTP second factor (django-otp): enrolment, the code step after login, recovery codes, disabling.

An agent enrols from their account page: a TOTP secret (QR code and text, shown until the first code confirms
it), then 10 single-use recovery codes shown once. After a password login, or a ProConnect login whose ACR does
not already say "multi-factor", the session is held at the code step (`accounts.middleware`) until a code from the
app or a recovery code is given. Wrong codes are failed logins for `accounts.throttle` (same lock-out as
passwords: an attacker who has the password cannot try codes forever).
"""

from __future__ import annotations

import base64
import io
import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import throttle
from accounts.models import User
from accounts.permissions import is_administrator
from audit.models import AuditEntry
from audit.services import record

SESSION_KEY = "second_factor"
LOGIN_METHOD_SESSION_KEY = (
    "login_method"  # "ProConnect" when the first step was ProConnect, for the audit log
)
PENDING = "pending"  # enrolled, code not given yet in this session
ENROL = "enrol"  # administrator who must enrol first
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Application d'authentification"


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_enrol(user: User) -> bool:
    return bool(getattr(settings, "REQUIRE_TOTP_FOR_ADMINISTRATORS", False)) and is_administrator(user)


def session_state(request: HttpRequest) -> str | None:
    session = getattr(request, "session", None)
    if session is None or not request.user.is_authenticated:
        return None
    return session.get(SESSION_KEY)


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """Decide, once per login, whether the session must give a code or enrol before going on."""
    if request is None or not hasattr(request, "session"):
        return
    if is_enrolled(user):
        request.session[SESSION_KEY] = PENDING
    elif must_enrol(user):
        request.session[SESSION_KEY] = ENROL
    else:
        request.session.pop(SESSION_KEY, None)


def settle(request: HttpRequest, *, device=None) -> None:
    """The second factor is proven for this session (a code, a fresh enrolment, or ProConnect's MFA)."""
    request.session.pop(SESSION_KEY, None)
    if device is not None:
        otp_login(request, device)


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).lower()


def matching_device(*, user: User, code: str):
    """The device that accepts this code (the app's TOTP code, or an unused recovery code, then spent)."""
    code = normalise_code(code)
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            if device is not None and device.verify_token(code):
                return device
            return None
        static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if static is not None and static.verify_token(code):
            return static
    return None


def verify_login_code(*, request: HttpRequest, code: str) -> tuple[bool, throttle.Lock | None]:
    """The code step: (accepted, lock). A wrong code counts as a failed login; a locked account is refused."""
    user = request.user
    ip = throttle.client_ip(request)
    lock = throttle.lock_status(email=user.email, ip=ip)
    if lock is not None:
        throttle.record_failure(email=user.email, request=request, reason=throttle.LOCKED_REASON)
        return False, lock
    device = matching_device(user=user, code=code)
    if device is None:
        throttle.record_failure(email=user.email, request=request, reason=throttle.BAD_CODE_REASON)
        return False, throttle.lock_status(email=user.email, ip=ip)
    settle(request, device=device)
    first_step = request.session.get(LOGIN_METHOD_SESSION_KEY, "mot de passe")
    second_step = "code de récupération" if isinstance(device, StaticDevice) else "code TOTP"
    throttle.record_success(user=user, request=request, reason=f"{first_step} + {second_step}")
    return True, None


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress (the same one until confirmed, so a reload keeps the
    QR code the agent may have scanned already)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_enrolment(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with its first code; the recovery codes (to show once), or None if the code is wrong."""
    user = request.user
    code = normalise_code(code)
    if not code.isdigit() or not device.verify_token(code):
        record(
            action=AuditEntry.Action.LOGIN_FAILED,
            obj=user,
            request=request,
            reason="double authentification : code d'activation invalide",
        )
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        static = StaticDevice.objects.create(user=user, name="Codes de récupération", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=token) for token in codes])
    settle(request, device=device)
    record(
        action=AuditEntry.Action.UPDATE,
        obj=user,
        request=request,
        changes={"double_authentification": ["désactivée", "activée"]},
        reason="double authentification activée",
    )
    return codes


def disable(*, request: HttpRequest, code: str) -> tuple[bool, throttle.Lock | None]:
    """Remove the second factor after checking a code (a stolen open session alone cannot remove it)."""
    user = request.user
    ip = throttle.client_ip(request)
    lock = throttle.lock_status(email=user.email, ip=ip)
    if lock is not None:
        throttle.record_failure(email=user.email, request=request, reason=throttle.LOCKED_REASON)
        return False, lock
    if matching_device(user=user, code=code) is None:
        throttle.record_failure(email=user.email, request=request, reason=throttle.BAD_CODE_REASON)
        return False, throttle.lock_status(email=user.email, ip=ip)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    record(
        action=AuditEntry.Action.UPDATE,
        obj=user,
        request=request,
        changes={"double_authentification": ["activée", "désactivée"]},
        reason="double authentification désactivée",
    )
    return True, None


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps where the QR code cannot be scanned."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (no image request, nothing for the CSP to allow)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]
    # A readable size, and a white background so the code scans in the dark theme too.
    return re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        '<svg width="224" height="224" role="img" aria-label="QR code à scanner avec l\'application" '
        'style="background:#fff"',
        svg,
    )
