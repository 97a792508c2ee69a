from django.contrib import admin

from rome.models import (
    Appellation,
    DomaineProfessionnel,
    Fiche,
    FicheSkill,
    GrandDomaine,
    Mobility,
    RomeImport,
    Skill,
)


@admin.register(GrandDomaine)
class GrandDomaineAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]


@admin.register(DomaineProfessionnel)
class DomaineProfessionnelAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "grand_domaine"]
    list_filter = ["grand_domaine"]
    search_fields = ["code", "label"]


class AppellationInline(admin.TabularInline):
    model = Appellation
    fields = ["code_ogr", "label", "is_principal", "rarely_used"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Fiche)
class FicheAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "parent_code", "domaine", "regulated", "executive"]
    list_filter = ["domaine__grand_domaine", "regulated", "executive"]
    search_fields = ["code", "label", "parent_code", "parent_label", "appellations__label"]
    inlines = [AppellationInline]


@admin.register(Appellation)
class AppellationAdmin(admin.ModelAdmin):
    list_display = ["code_ogr", "label", "fiche", "is_principal", "rarely_used"]
    list_filter = ["is_principal", "rarely_used", "fiche__domaine__grand_domaine"]
    search_fields = ["code_ogr", "label", "short_label", "fiche__code"]
    list_select_related = ["fiche"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["code_ogr", "label", "kind", "category"]
    list_filter = ["kind"]
    search_fields = ["code_ogr", "label", "category"]


@admin.register(FicheSkill)
class FicheSkillAdmin(admin.ModelAdmin):
    list_display = ["fiche", "skill", "is_core", "is_emerging"]
    list_filter = ["is_core", "is_emerging", "skill__kind"]
    search_fields = ["fiche__code", "skill__label"]
    list_select_related = ["fiche", "skill"]
    raw_id_fields = ["fiche", "skill"]


@admin.register(Mobility)
class MobilityAdmin(admin.ModelAdmin):
    list_display = ["source", "target", "order"]
    search_fields = ["source__code", "target__code", "source__label", "target__label"]
    list_select_related = ["source", "target"]
    raw_id_fields = ["source", "target"]


@admin.register(RomeImport)
class RomeImportAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "version"]
    readonly_fields = ["imported_at", "version", "summary"]
