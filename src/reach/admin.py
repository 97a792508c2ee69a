from django.contrib import admin

from reach.models import TransitFeed


@admin.register(TransitFeed)
class TransitFeedAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "service_date",
        "window_start",
        "window_end",
        "stops",
        "connections",
        "imported_at",
    ]
    readonly_fields = ["report", "imported_at"]
