from django.urls import path

from offers import views

app_name = "offers"
URL_PREFIX = "offres/"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("sources/", views.sources, name="sources"),
    path("sources/importer/", views.upload, name="upload"),
    path("sources/<slug:name>/", views.source_detail, name="source"),
    path("imports/<int:pk>/", views.run_detail, name="run"),
    path("rome/", views.reviews, name="reviews"),
    path("rome/<int:pk>/", views.review, name="review"),
]
