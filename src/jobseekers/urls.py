from django.urls import path

from jobseekers import views

app_name = "jobseekers"
URL_PREFIX = "personnes/"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("nouvelle/", views.record_create, name="create"),
    path("demandes/", views.aid_request_list, name="aid_requests"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/aides-mobilisees.csv", views.dashboard_csv, name="dashboard_csv"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/modifier/", views.record_edit, name="edit"),
    path("<int:pk>/suivis/ajouter/", views.followup_add, name="followup_add"),
    path("<int:pk>/suivis/<int:followup_pk>/terminer/", views.followup_end, name="followup_end"),
    path("<int:pk>/consentements/ajouter/", views.consent_add, name="consent_add"),
    path("<int:pk>/consentements/<int:consent_pk>/retirer/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/simulation/", views.need_create, name="need_create"),
    path("<int:pk>/projets/<int:need_pk>/", views.need_detail, name="need"),
    path("<int:pk>/demandes/nouvelle/", views.aid_request_create, name="aid_request_create"),
    path("<int:pk>/demandes/<int:request_pk>/", views.aid_request_detail, name="aid_request"),
    path("<int:pk>/demandes/<int:request_pk>/statut/", views.aid_request_status, name="aid_request_status"),
]
