"""Password login hardening: lock-out per account and per address, audit trail, clear French messages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import throttle
from audit.models import AuditEntry
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN_URL = reverse("accounts:login")


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_a_successful_login_is_audited_with_the_address(client):
    user = UserFactory()
    response = attempt(client, user.email, TEST_PASSWORD)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert (entry.actor, entry.object_id, entry.ip_address) == (user, str(user.pk), "203.0.113.7")


def test_a_failed_login_is_audited_and_says_nothing_about_the_account(client):
    user = UserFactory()
    known = attempt(client, user.email, "wrong-password")
    unknown = attempt(client, "nobody@example.org", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert "Saisissez" in known.content.decode() and "Saisissez" in unknown.content.decode()
    failures = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).order_by("at")
    assert [(f.object_id, f.object_repr, f.ip_address) for f in failures] == [
        (str(user.pk), str(user), "203.0.113.7"),
        ("", "nobody@example.org", "203.0.113.7"),
    ]
    assert "wrong-password" not in str(list(failures.values()))  # never the password tried


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    user = UserFactory()
    for _ in range(4):
        assert "verrouillé" not in attempt(client, user.email, "wrong").content.decode()
    fifth = attempt(client, user.email, "wrong").content.decode()
    assert "Trop de tentatives de connexion ont échoué pour ce compte (5 en 15 minutes)" in fifth
    locked = attempt(client, user.email, TEST_PASSWORD)
    assert locked.status_code == 200
    assert "il est verrouillé jusqu&#x27;à" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(reason=throttle.LOCKED_REASON).count() == 1


def test_the_lock_is_per_account_and_lasts_fifteen_minutes(client):
    user, other = UserFactory(), UserFactory()
    for _ in range(5):
        attempt(client, user.email, "wrong", ip="198.51.100.1")
    assert attempt(client, other.email, TEST_PASSWORD, ip="198.51.100.1").status_code == 302
    client.logout()
    # Attempts refused while locked do not extend the lock.
    attempt(client, user.email, "wrong", ip="198.51.100.2")
    AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).update(
        at=timezone.now() - timedelta(minutes=15, seconds=1)
    )
    assert attempt(client, user.email, TEST_PASSWORD).status_code == 302


def test_a_success_resets_the_count(client):
    user = UserFactory()
    for _ in range(4):
        attempt(client, user.email, "wrong")
    assert attempt(client, user.email, TEST_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, user.email, "wrong")
    assert attempt(client, user.email, TEST_PASSWORD).status_code == 302


def test_unknown_addresses_lock_like_real_ones(client):
    for _ in range(5):
        attempt(client, "nobody@example.org", "wrong")
    assert "verrouillé" in attempt(client, "Nobody@Example.org", "wrong").content.decode()


def test_an_address_spraying_passwords_over_many_accounts_is_blocked(client, settings):
    settings.LOGIN_FAILURES_PER_IP = 6
    users = [UserFactory() for _ in range(3)]
    for user in users:
        attempt(client, user.email, "wrong", ip="192.0.2.9")
        attempt(client, user.email, "wrong", ip="192.0.2.9")
    blocked = attempt(client, users[0].email, TEST_PASSWORD, ip="192.0.2.9").content.decode()
    assert "depuis votre adresse réseau" in blocked
    assert attempt(client, users[0].email, TEST_PASSWORD, ip="192.0.2.10").status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(client, settings):
    settings.LOGIN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    user = UserFactory()
    client.post(
        LOGIN_URL,
        {"username": user.email, "password": "wrong"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50",
    )
    assert AuditEntry.objects.get().ip_address == "203.0.113.50"


def test_the_admin_login_form_is_throttled_too(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post(
            reverse("admin:login"), {"username": admin.email, "password": "wrong"}, REMOTE_ADDR="192.0.2.1"
        )
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": admin.email, "password": TEST_PASSWORD},
        REMOTE_ADDR="192.0.2.1",
    )
    assert response.status_code == 200  # the form again, not the redirect of a success
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).count() == 6
