from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "siret", "is_active"]
    list_filter = ["kind", "is_active", "departements"]
    search_fields = ["name", "siret"]
    filter_horizontal = ["regions", "departements", "zones_emploi", "bassins"]
    autocomplete_fields = ["epcis", "communes"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "siret", "email", "is_active"]}),
        (
            "Territoires couverts",
            {"fields": ["regions", "departements", "epcis", "zones_emploi", "bassins", "communes"]},
        ),
    ]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = [
        "is_staff",
        "is_superuser",
        "is_active",
        "memberships__role",
        "memberships__organisation__kind",
    ]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("ProConnect", {"fields": ["proconnect_sub"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
