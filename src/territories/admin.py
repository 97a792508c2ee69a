from django.contrib import admin

from territories.models import Bassin, Commune, CommuneAlias, Departement, Epci, Region, ZoneEmploi

# Reference tables come from `reseau-emploi sync-territories`; edits made here are overwritten by the next
# sync, so the admin is for looking things up (and for other admins' autocomplete fields).


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "latitude", "longitude"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["siren", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["siren", "name"]


@admin.register(ZoneEmploi)
class ZoneEmploiAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Bassin)
class BassinAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "departement",
        "epci",
        "zone_emploi",
        "bassin",
        "population",
        "postal_codes",
    ]
    list_filter = ["region", "departement"]
    search_fields = ["code", "name", "search_name", "postal_codes"]
    list_select_related = ["departement", "epci", "zone_emploi", "bassin"]
    autocomplete_fields = ["epci"]
    readonly_fields = ["search_name"]


@admin.register(CommuneAlias)
class CommuneAliasAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "commune"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "commune__name"]
    autocomplete_fields = ["commune"]
