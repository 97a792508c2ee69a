from django.urls import path

from aids import views

URL_PREFIX = "aides/"
app_name = "aids"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("simulateur/", views.simulator, name="simulator"),
    path("simulateur/resultats/", views.results, name="results"),
    path("nouvelle/", views.edit, name="create"),
    path("<slug:aid_id>/", views.detail, name="detail"),
    path("<slug:aid_id>/modifier/", views.edit, name="edit"),
]
