"""ProConnect login against the local fake provider: the flow, the account policy, and every refusal."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import proconnect, throttle
from accounts.models import Membership, User
from accounts.proconnect_views import ID_TOKEN_SESSION_KEY
from audit.models import AuditEntry
from tests.accounts.proconnect_helpers import authorize, callback, log_in, start
from tests.factories import OrganisationFactory, UserFactory, advisor_of

pytestmark = pytest.mark.django_db


def failures():
    return list(
        AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).values_list("reason", flat=True)
    )


def test_an_agent_with_an_account_logs_in_and_the_sub_is_recorded(client, fake_proconnect):
    user = advisor_of(OrganisationFactory(), email="lea.martin@francetravail.fr")

    authorize_url = start(client)
    params = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(fake_proconnect.issuer + "/authorize?")
    assert params["scope"] == ["openid email given_name usual_name siret uid"]
    assert params["code_challenge_method"] == ["S256"] and len(params["state"][0]) >= 32
    response = callback(client, authorize(authorize_url, email="Lea.Martin@francetravail.fr"))

    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.proconnect_sub == fake_proconnect.sub_for("lea.martin@francetravail.fr")
    assert client.session[ID_TOKEN_SESSION_KEY]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert (entry.actor, entry.reason) == (user, "ProConnect (acr eidas1)")


def test_the_next_page_is_kept_through_the_round_trip(client, fake_proconnect):
    advisor_of(OrganisationFactory(), email="lea@francetravail.fr")
    response = log_in(client, email="lea@francetravail.fr", next_url="/comptes/mon-compte/")
    assert response["Location"] == "/comptes/mon-compte/"
    assert log_in(client, email="lea@francetravail.fr", next_url="https://evil.example/")["Location"] == "/"


def test_later_logins_match_by_sub_even_if_the_address_changed(client, fake_proconnect):
    user = advisor_of(OrganisationFactory(), email="ancienne@francetravail.fr")
    user.proconnect_sub = fake_proconnect.sub_for("nouvelle@francetravail.fr")
    user.save()
    log_in(client, email="nouvelle@francetravail.fr")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert User.objects.count() == 1


def test_an_unknown_agent_gets_an_account_without_any_role(client, fake_proconnect):
    OrganisationFactory(name="Mission locale de Lens", siret="13002526500013", email="ml@lens.fr")
    response = log_in(client, email="nouvel.agent@ml-lens.fr", siret="130 025 265 00013")
    assert response["Location"] == reverse("accounts:proconnect_welcome")

    user = User.objects.get(email="nouvel.agent@ml-lens.fr")
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Léa", "Martin", False)
    assert not Membership.objects.filter(user=user).exists()  # never granted automatically
    page = client.get(response["Location"]).content.decode()
    assert "Votre compte est créé" in page
    assert "Demandez à un responsable de votre structure de vous rattacher" in page
    assert "Mission locale de Lens" in page and "ml@lens.fr" in page
    created = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_id=str(user.pk))
    assert created.changes["siret ProConnect"] == [None, "13002526500013"]


def test_an_unknown_siret_says_no_organisation_matches(client, fake_proconnect):
    OrganisationFactory(siret="13002526500013")
    page = client.get(log_in(client, email="x@ministere.gouv.fr", siret="11000201100044")["Location"])
    assert "Aucune organisation du réseau ne correspond" in page.content.decode()


def test_another_sub_claiming_a_linked_account_is_refused(client, fake_proconnect):
    user = advisor_of(OrganisationFactory(), email="lea@francetravail.fr", proconnect_sub="sub-de-depart")
    response = log_in(client, email="lea@francetravail.fr")
    assert response.status_code == 403
    assert "déjà lié à une autre identité ProConnect" in response.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert (entry.reason, entry.object_id) == ("ProConnect : sub_mismatch", str(user.pk))


def test_an_inactive_account_is_refused(client, fake_proconnect):
    advisor_of(OrganisationFactory(), email="parti@francetravail.fr", is_active=False)
    response = log_in(client, email="parti@francetravail.fr")
    assert response.status_code == 403 and "désactivé" in response.content.decode()


def test_the_allowed_email_domains_are_enforced(client, fake_proconnect, settings):
    settings.PROCONNECT_ALLOWED_EMAIL_DOMAINS = ["francetravail.fr"]
    response = log_in(client, email="agent@gmail.com")
    assert response.status_code == 403 and "« @gmail.com » ne sont pas admises" in response.content.decode()
    assert not User.objects.exists()


def test_a_wrong_or_replayed_state_is_refused(client, fake_proconnect):
    advisor_of(OrganisationFactory(), email="lea@francetravail.fr")
    callback_url = authorize(start(client), email="lea@francetravail.fr")
    forged = callback_url.replace("state=", "state=x")
    response = callback(client, forged)
    assert response.status_code == 400
    assert "ne correspond à aucune connexion en cours" in response.content.decode()
    assert callback(client, callback_url).status_code == 302  # the real one still works once…
    client.logout()
    assert callback(client, callback_url).status_code == 400  # …and never again
    assert failures() == ["ProConnect : state_mismatch", "ProConnect : state_mismatch"]


def test_an_error_returned_by_the_provider_is_shown(client, fake_proconnect):
    start(client)
    response = client.get(
        reverse("accounts:proconnect_callback") + "?error=access_denied&error_description=Refus&state=abc"
    )
    assert response.status_code == 400 and "« Refus »" in response.content.decode()


@pytest.mark.parametrize(
    ("misbehaviour", "status", "code", "message"),
    [
        ({"id_token_overrides": {"nonce": "autre"}}, 400, "nonce_mismatch", "(nonce)"),
        ({"id_token_overrides": {"exp": int(time.time()) - 3600}}, 400, "id_token_expired", "a expiré"),
        ({"id_token_overrides": {"aud": "un-autre-service"}}, 502, "id_token_wrong_audience_or_issuer", ""),
        (
            {"id_token_overrides": {"iss": "https://faux.example"}},
            502,
            "id_token_wrong_audience_or_issuer",
            "",
        ),
        ({"signing": "foreign-key"}, 502, "id_token_bad_signature", "signature"),
        ({"signing": "none"}, 502, "id_token_algorithm_refused", "algorithme refusé (none)"),
        ({"signing": "HS256"}, 502, "id_token_algorithm_refused", "algorithme refusé (HS256)"),
    ],
)
def test_an_id_token_that_does_not_check_out_is_refused(
    client, fake_proconnect, misbehaviour, status, code, message
):
    advisor_of(OrganisationFactory(), email="lea@francetravail.fr")
    for name, value in misbehaviour.items():
        setattr(fake_proconnect, name, value)
    response = log_in(client, email="lea@francetravail.fr")
    assert response.status_code == status
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert failures() == [f"ProConnect : {code}"]


def test_userinfo_as_plain_json_is_accepted(client, fake_proconnect):
    fake_proconnect.userinfo_as_json = True
    advisor_of(OrganisationFactory(), email="lea@francetravail.fr")
    assert log_in(client, email="lea@francetravail.fr").status_code == 302
    assert "_auth_user_id" in client.session


def test_a_provider_that_is_down_gives_a_clear_page(client, fake_proconnect, settings):
    settings.PROCONNECT_BASE_URL = "http://127.0.0.1:9/api/v2"  # discard port: nothing listens
    proconnect._metadata_cache.clear()
    response = client.get(reverse("accounts:proconnect_login"))
    assert response.status_code == 502
    assert "ProConnect est injoignable pour le moment" in response.content.decode()
    assert failures() == ["ProConnect : provider_unreachable"]


def test_a_slow_provider_times_out_with_a_clear_page(client, fake_proconnect, settings):
    advisor_of(OrganisationFactory(), email="lea@francetravail.fr")
    callback_url = authorize(start(client), email="lea@francetravail.fr")
    settings.PROCONNECT_TIMEOUT_SECONDS = 0.2
    fake_proconnect.delay_seconds = 1
    response = callback(client, callback_url)
    assert response.status_code == 502
    assert "pas répondu à temps" in response.content.decode()
    assert failures() == ["ProConnect : provider_timeout"]


def test_proconnect_failures_do_not_lock_the_password_login(client, fake_proconnect):
    user = UserFactory(email="lea@francetravail.fr", proconnect_sub="sub-de-depart")
    for _ in range(throttle.failures_per_account() + 1):
        log_in(client, email="lea@francetravail.fr")
    assert throttle.lock_status(email=user.email, ip="127.0.0.1") is None


def test_logout_ends_the_proconnect_session_too(client, fake_proconnect):
    advisor_of(OrganisationFactory(), email="lea@francetravail.fr")
    log_in(client, email="lea@francetravail.fr")
    id_token = client.session[ID_TOKEN_SESSION_KEY]

    response = client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
    end_session, query = response["Location"].split("?", 1)
    params = {key: values[0] for key, values in parse_qs(query).items()}
    assert end_session == f"{fake_proconnect.issuer}/session/end"
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver" + reverse(
        "accounts:proconnect_logout_callback"
    )
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert fake_proconnect.ended_sessions == [fake_proconnect.sub_for("lea@francetravail.fr")]
    home = callback(client, back.headers["Location"])
    assert home.status_code == 302
    page = client.get(home["Location"]).content.decode()
    assert "Vous êtes déconnecté de la plateforme et de ProConnect." in page


def test_a_logout_return_with_a_wrong_state_is_flagged(client, fake_proconnect):
    response = client.get(reverse("accounts:proconnect_logout_callback") + "?state=forged", follow=True)
    assert "n&#x27;a pas pu être vérifié" in response.content.decode()


def test_a_password_session_logs_out_locally_only(client, fake_proconnect):
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:logout"))["Location"] == "/"


def test_an_enrolled_account_still_gives_its_code_unless_the_acr_says_mfa(client, fake_proconnect):
    user = advisor_of(OrganisationFactory(), email="admin@region.fr")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    log_in(client, email="admin@region.fr", acr="eidas1")
    assert client.get("/")["Location"].startswith(reverse("accounts:second_factor"))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()  # recorded at the code step

    client.logout()
    log_in(client, email="admin@region.fr", acr="eidas2")
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.get(action=AuditEntry.Action.LOGIN).reason == "ProConnect (acr eidas2)"


def test_when_disabled_there_is_no_button_and_the_urls_are_404(client, settings):
    settings.PROCONNECT_ENABLED = False
    assert "ProConnect" not in client.get(reverse("accounts:login")).content.decode()
    for name in ("proconnect_login", "proconnect_callback", "proconnect_logout_callback"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 404


def test_when_enabled_the_login_page_shows_the_dsfr_button(client, fake_proconnect):
    page = client.get(reverse("accounts:login") + "?next=/offres/").content.decode()
    assert '<a class="fr-connect" href="/comptes/proconnect/connexion/?next=/offres/">' in page
    assert "Qu’est-ce que ProConnect ?" in page
    csp = client.get(reverse("accounts:login")).headers["Content-Security-Policy"]
    assert f"form-action 'self' {fake_proconnect.base_url}" in csp
