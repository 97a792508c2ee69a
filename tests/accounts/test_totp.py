"""TOTP second factor: enrolment, the code step after a password login, recovery codes, lock-out, disabling,
the administrators' obligation and the Django admin."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor, throttle
from accounts.models import Role
from audit.models import AuditEntry
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory, advisor_of

pytestmark = pytest.mark.django_db
CODE_STEP = reverse("accounts:second_factor")


def code_for(device: TOTPDevice, *, step_ahead: int = 0) -> str:
    """The code the agent's app shows (step_ahead=1: the next one, accepted within the tolerance)."""
    return str(
        totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=step_ahead)
    ).zfill(6)


def enrolled_user(**fields):
    user = UserFactory(**fields)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345ef")
    return user, device


def password_login(client, user, next_url=""):
    return client.post(
        reverse("accounts:login") + (f"?next={next_url}" if next_url else ""),
        {"username": user.email, "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )


def test_enrolment_shows_a_qr_code_confirms_with_a_code_and_gives_ten_recovery_codes_once(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:totp_enrol")).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert '<svg width="224" height="224" role="img"' in page
    assert second_factor.secret_for_display(device) in page
    assert (
        client.get(reverse("accounts:totp_enrol"))
        .content.decode()
        .count(second_factor.secret_for_display(device))
    )

    wrong = client.post(reverse("accounts:totp_enrol"), {"code": "000000"})
    assert "Ce code n&#x27;est pas valable" in wrong.content.decode()
    assert not second_factor.is_enrolled(user)

    done = client.post(reverse("accounts:totp_enrol"), {"code": code_for(device)}).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Ils ne seront plus jamais affichés" in done
    assert second_factor.is_enrolled(user) and second_factor.recovery_codes_left(user) == 10
    # Enrolled: the secret is never shown again.
    again = client.get(reverse("accounts:totp_enrol"), follow=True).content.decode()
    assert second_factor.secret_for_display(device) not in again and "déjà activée" in again
    reasons = list(AuditEntry.objects.filter(object_id=str(user.pk)).values_list("action", "reason"))
    assert (AuditEntry.Action.UPDATE, "double authentification activée") in reasons
    assert (AuditEntry.Action.LOGIN_FAILED, "double authentification : code d'activation invalide") in reasons


def test_a_password_login_of_an_enrolled_account_asks_for_the_code_before_anything_else(client):
    user, device = enrolled_user()
    response = password_login(client, user, next_url="/comptes/mon-compte/")
    assert response["Location"] == "/comptes/mon-compte/"
    held = client.get("/comptes/mon-compte/")
    assert held["Location"] == f"{CODE_STEP}?next=%2Fcomptes%2Fmon-compte%2F"
    api = client.get("/api/v1/territories/regions")
    assert api.status_code == 401 and api.json()["error"]["code"] == "second_factor_required"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()

    wrong = client.post(CODE_STEP, {"code": "123456", "next": "/comptes/mon-compte/"})
    assert "Ce code n&#x27;est pas valable" in wrong.content.decode()
    assert AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED).reason == throttle.BAD_CODE_REASON

    right = client.post(CODE_STEP, {"code": code_for(device), "next": "/comptes/mon-compte/"})
    assert right["Location"] == "/comptes/mon-compte/"
    assert client.get("/comptes/mon-compte/").status_code == 200
    assert AuditEntry.objects.get(action=AuditEntry.Action.LOGIN).reason == "mot de passe + code TOTP"


def test_a_code_cannot_be_replayed(client):
    user, device = enrolled_user()
    code = code_for(device)
    password_login(client, user)
    assert client.post(CODE_STEP, {"code": code}).status_code == 302
    client.logout()
    password_login(client, user)
    assert client.post(CODE_STEP, {"code": code}).status_code == 200  # refused: already used


def test_a_recovery_code_works_once(client):
    user, _ = enrolled_user()
    password_login(client, user)
    assert client.post(CODE_STEP, {"code": "ABCD 2345 EF"})["Location"] == "/"
    assert (
        AuditEntry.objects.get(action=AuditEntry.Action.LOGIN).reason == "mot de passe + code de récupération"
    )
    client.logout()
    password_login(client, user)
    assert client.post(CODE_STEP, {"code": "abcd2345ef"}).status_code == 200


def test_wrong_codes_lock_the_account_like_wrong_passwords(client):
    user, device = enrolled_user()
    password_login(client, user)
    for _ in range(throttle.failures_per_account() - 1):
        assert client.post(CODE_STEP, {"code": "000000"}).status_code == 200
    locked = client.post(CODE_STEP, {"code": "000000"}, follow=True)
    assert "il est verrouillé jusqu" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # A right password does not reset the count while the code is still owed, and the lock holds.
    response = password_login(client, user)
    assert response.status_code == 200 and "verrouillé" in response.content.decode()


def test_a_password_success_does_not_reset_the_code_failures(client):
    user, device = enrolled_user()
    for _ in range(2):
        password_login(client, user)
        client.post(CODE_STEP, {"code": "000000"})
        client.post(CODE_STEP, {"code": "000000"})
        client.logout()
    password_login(client, user)
    assert "verrouillé" in client.post(CODE_STEP, {"code": "000000"}, follow=True).content.decode()


def test_disabling_needs_a_valid_code(client):
    user, device = enrolled_user()
    client.force_login(user)
    session = client.session
    session.pop(second_factor.SESSION_KEY)  # the code was given at login
    session.save()
    refused = client.post(reverse("accounts:totp_disable"), {"code": "000000"}, follow=True)
    assert "reste activée" in refused.content.decode() and second_factor.is_enrolled(user)
    done = client.post(reverse("accounts:totp_disable"), {"code": code_for(device)}, follow=True)
    assert "est désactivée" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(reason="double authentification désactivée").count() == 1


def test_administrators_must_enrol_first_when_required(client, settings):
    settings.REQUIRE_TOTP_FOR_ADMINISTRATORS = True
    admin = advisor_of(OrganisationFactory(), role=Role.ADMINISTRATOR)
    advisor = advisor_of(OrganisationFactory())

    client.force_login(advisor)
    assert client.get("/comptes/mon-compte/").status_code == 200
    client.logout()

    client.force_login(admin)
    held = client.get("/offres/")
    assert held["Location"] == f"{reverse('accounts:totp_enrol')}?next=%2Foffres%2F"
    device = second_factor.pending_device(admin)
    client.post(reverse("accounts:totp_enrol"), {"code": code_for(device)})
    assert client.get("/comptes/mon-compte/").status_code == 200
    refused = client.post(
        reverse("accounts:totp_disable"), {"code": code_for(device, step_ahead=1)}, follow=True
    )
    assert "obligatoire pour les administrateurs" in refused.content.decode()
    assert second_factor.is_enrolled(admin)


def test_the_django_admin_requires_the_code_of_an_enrolled_staff_member(client):
    staff, device = enrolled_user(is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": staff.email, "password": TEST_PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="192.0.2.1",
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == f"{CODE_STEP}?next=%2Fadmin%2F"
    assert client.get("/admin/accounts/user/").status_code == 302
    client.post(CODE_STEP, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_the_code_step_is_skipped_for_an_account_without_totp(client):
    user = UserFactory()
    password_login(client, user)
    assert client.get(CODE_STEP)["Location"] == "/"
    assert AuditEntry.objects.get(action=AuditEntry.Action.LOGIN).reason == ""


def test_a_device_removed_by_an_administrator_releases_a_waiting_session(client):
    user, device = enrolled_user()
    password_login(client, user)
    device.delete()
    assert client.get(CODE_STEP)["Location"] == "/"
    assert client.get("/comptes/mon-compte/").status_code == 200
