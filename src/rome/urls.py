from django.urls import path

from rome import views

app_name = "rome"
URL_PREFIX = "metiers/"

urlpatterns = [
    path("", views.index, name="index"),
    path("recherche/", views.search, name="search"),
    path("domaines/<str:code>/", views.domaine, name="domaine"),
    path("fiches/<str:code>/", views.fiche, name="fiche"),
]
