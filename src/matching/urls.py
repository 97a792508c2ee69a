from django.urls import path

from matching import views

app_name = "matching"
URL_PREFIX = "mise-en-relation/"

urlpatterns = [
    path("personnes/<int:pk>/projet/", views.profile_edit, name="profile"),
    path("personnes/<int:pk>/offres/", views.offers_for_person, name="offers_for_person"),
    path("personnes/<int:pk>/offres/<int:offer_pk>/proposer/", views.propose, name="propose"),
    path(
        "personnes/<int:pk>/mises-en-relation/<int:referral_pk>/",
        views.referral_status,
        name="referral_status",
    ),
    path("offres/<int:pk>/personnes/", views.people_for_offer, name="people_for_offer"),
]
