from django.urls import path

from diagnosis import views

app_name = "diagnosis"
URL_PREFIX = "diagnostic/"

urlpatterns = [
    path("", views.index, name="index"),
    path("recalculer/", views.recompute, name="recompute"),
    path("comparer/territoires/", views.compare, name="compare"),
    path("comparer/metiers/", views.compare_occupations, name="compare_occupations"),
    path("actions/", views.action_list, name="actions"),
    path("actions/nouvelle/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/statut/", views.action_status, name="action_status"),
    path("<slug:kind>/<str:code>/", views.territory_page, name="territory"),
    path("<slug:kind>/<str:code>/rapport.pdf", views.report, name="report"),
    path("<slug:kind>/<str:code>/export/<slug:name>.<str:fmt>", views.export_table, name="export"),
]
