from django.urls import path

from governance import views

app_name = "governance"
URL_PREFIX = "gouvernance/"

urlpatterns = [
    path("", views.home, name="home"),
    path("comites/nouveau/", views.committee_edit, name="committee_create"),
    path("comites/<int:pk>/", views.committee_detail, name="committee"),
    path("comites/<int:pk>/modifier/", views.committee_edit, name="committee_edit"),
    path("comites/<int:pk>/composition/", views.composition, name="composition"),
    path("comites/<int:committee_pk>/membres/nouveau/", views.member_edit, name="member_create"),
    path("membres/<int:pk>/modifier/", views.member_edit, name="member_edit"),
    path("comites/<int:committee_pk>/reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting"),
    path("reunions/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/ordre-du-jour/", views.agenda_add, name="agenda_add"),
    path("reunions/<int:pk>/documents/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("reunions/<int:pk>/convoquer/", views.invite, name="invite"),
    path("reunions/<int:pk>/invitation.ics", views.meeting_ical, name="ical"),
    path("reunions/<int:pk>/seance/", views.meeting_session, name="session"),
    path("reunions/<int:pk>/presence/", views.attendance_set, name="attendance"),
    path("reunions/<int:pk>/pouvoir/", views.proxy_set, name="proxy"),
    path("reunions/<int:pk>/quorum/", views.quorum_partial, name="quorum"),
    path("reunions/<int:pk>/deliberations/", views.motion_add, name="motion_add"),
    path("reunions/<int:pk>/proces-verbal.pdf", views.minutes_pdf, name="minutes"),
    path("deliberations/<int:pk>/vote/", views.vote, name="vote"),
    path("deliberations/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/etat/", views.action_status, name="action_status"),
    path("configuration/", views.configuration, name="configuration"),
    path("indicateurs/requetes/", views.query_list, name="queries"),
    path("protocoles/<slug:slug>/", views.protocol_detail, name="protocol"),
    path("protocoles/<slug:slug>/publication/", views.protocol_public, name="protocol_public"),
    path("protocoles/<slug:slug>/engagements/nouveau/", views.commitment_edit, name="commitment_create"),
    path("protocoles/<slug:slug>/tableau-de-bord/", views.dashboard, name="dashboard"),
    path("protocoles/<slug:slug>/tableau-de-bord.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("protocoles/<slug:slug>/synthese/", views.public_summary, name="public_summary"),
    path("engagements/<int:pk>/", views.commitment_detail, name="commitment"),
    path("engagements/<int:pk>/modifier/", views.commitment_edit, name="commitment_edit"),
    path("engagements/<int:commitment_pk>/fiches/nouvelle/", views.sheet_edit, name="sheet_create"),
    path("fiches/<int:pk>/", views.sheet_detail, name="sheet"),
    path("fiches/<int:pk>/modifier/", views.sheet_edit, name="sheet_edit"),
    path(
        "engagements/<int:commitment_pk>/indicateurs/nouveau/", views.indicator_edit, name="indicator_create"
    ),
    path("indicateurs/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicateurs/<int:pk>/modifier/", views.indicator_edit, name="indicator_edit"),
]
