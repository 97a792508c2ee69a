from django.contrib import admin

from audit.models import AuditEntry
from audit.selectors import may_review


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "organisation", "action", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type", "organisation"]
    search_fields = ["actor_label", "object_id", "object_repr"]
    date_hierarchy = "at"

    # The journal names the people whose records were read: only the data protection officer reviews it, in the
    # app (/journal/); administrators do not read it, here either.
    def has_module_permission(self, request):
        return may_review(request.user)

    def has_view_permission(self, request, obj=None):
        return may_review(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
