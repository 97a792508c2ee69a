from django.urls import path

from core import views

app_name = "core"
URL_PREFIX = ""

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
]
