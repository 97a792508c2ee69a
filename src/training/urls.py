from django.urls import path

from training import views

app_name = "training"
URL_PREFIX = "formations/"

urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("nouvelle/", views.session_create, name="session_create"),
    path("<int:pk>/", views.session_detail, name="session"),
]
