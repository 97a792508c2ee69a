from django.urls import path

from accounts import proconnect_views, two_factor_views, views

app_name = "accounts"
URL_PREFIX = "comptes/"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/verification/", two_factor_views.code_step, name="second_factor"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("proconnect/connexion/", proconnect_views.login, name="proconnect_login"),
    path("proconnect/retour/", proconnect_views.callback, name="proconnect_callback"),
    path("proconnect/bienvenue/", proconnect_views.welcome, name="proconnect_welcome"),
    path("proconnect/deconnexion/", proconnect_views.logout_callback, name="proconnect_logout_callback"),
    path("mon-compte/double-authentification/", two_factor_views.enrol, name="totp_enrol"),
    path("mon-compte/double-authentification/desactiver/", two_factor_views.disable, name="totp_disable"),
    path("mon-compte/", views.profile, name="profile"),
    path("mon-compte/organisation/", views.switch_organisation, name="switch_organisation"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
]
