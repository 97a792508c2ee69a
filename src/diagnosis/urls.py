from django.urls import path

from diagnosis import views

app_name = "diagnosis"
URL_PREFIX = "diagnostic/"

urlpatterns = [
    path("", views.index, name="index"),
]
