from django.contrib import admin

from core.models import ScheduledTaskRun


@admin.register(ScheduledTaskRun)
class ScheduledTaskRunAdmin(admin.ModelAdmin):
    """Read-only: the runs are written by `reseau-emploi run-scheduled-tasks` only."""

    list_display = ["task", "started_at", "finished_at", "status", "outcome"]
    list_filter = ["task", "status"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
