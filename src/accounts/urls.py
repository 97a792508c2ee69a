from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"
URL_PREFIX = "comptes/"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mon-compte/", views.profile, name="profile"),
    path("mon-compte/organisation/", views.switch_organisation, name="switch_organisation"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
]
