from django.urls import path

from territories import views

app_name = "territories"
URL_PREFIX = "territoires/"

urlpatterns = [
    path("", views.index, name="index"),
    path("communes/", views.communes, name="communes"),
    path("communes/<str:code>/", views.commune, name="commune"),
    path("departements/<str:code>/", views.departement, name="departement"),
    path("epci/<str:siren>/", views.epci, name="epci"),
    path("zones-emploi/<str:code>/", views.zone_emploi, name="zone_emploi"),
    path("bassins/<str:code>/", views.bassin, name="bassin"),
]
