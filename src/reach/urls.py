from django.urls import path

from reach import views

app_name = "reach"
URL_PREFIX = "trajets/"

urlpatterns = [path("", views.index, name="index")]
