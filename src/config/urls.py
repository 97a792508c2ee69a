from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

from config.api import api
from config.apps_registry import DOMAIN_APPS

admin.site.site_header = "Réseau pour l'emploi — administration"
admin.site.site_title = "Administration"
# A database that cannot be reached answers 503 (French page, or the API's error format), not a bare 500.
handler500 = "core.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# Each domain app with a urls.py is served under its own prefix (URL_PREFIX in that module, else its name).
for app in DOMAIN_APPS:
    if find_spec(f"{app}.urls") is None:
        continue
    module = import_module(f"{app}.urls")
    prefix = getattr(module, "URL_PREFIX", f"{app}/")
    urlpatterns.append(path(prefix, include(f"{app}.urls")))
