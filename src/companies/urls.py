from django.urls import path

from companies import views

app_name = "companies"
URL_PREFIX = "entreprises/"

urlpatterns = [
    path("", views.index, name="index"),
    path("prospection/", views.targets, name="targets"),
    path("employeurs-a-verifier/", views.links_review, name="links_review"),
    path("etablissements/<str:siret>/", views.establishment_detail, name="establishment"),
    path("etablissements/<str:siret>/fusionner/", views.merge, name="merge"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("operations/nouvelle/", views.operation_create, name="operation_create"),
    path("operations/<int:pk>/", views.operation_detail, name="operation"),
]
