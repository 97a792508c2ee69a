from django.contrib import admin

from governance.models import (
    ActionSheet,
    Commitment,
    Committee,
    Indicator,
    Meeting,
    Member,
    Motion,
    Protocol,
    SizeRule,
    Stake,
)


@admin.register(SizeRule)
class SizeRuleAdmin(admin.ModelAdmin):
    list_display = [
        "level",
        "max_members",
        "max_members_large_region",
        "mandate_years",
        "expiry_warning_days",
        "max_proxies_per_holder",
    ]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "departement", "is_example"]
    list_filter = ["level", "is_example"]
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "committee", "college", "seat", "chair", "mandate_start", "mandate_end"]
    list_filter = ["college", "seat", "chair"]
    search_fields = ["full_name", "committee__name"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "starts_at", "status"]


@admin.register(Motion)
class MotionAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "kind", "outcome", "votes_for", "votes_against", "abstentions"]
    readonly_fields = [
        "votes_for",
        "votes_against",
        "abstentions",
        "casting_vote_used",
        "outcome",
        "decided_at",
    ]


@admin.register(Protocol)
class ProtocolAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "signed_on", "public_summary"]


admin.site.register([Stake, Commitment, ActionSheet, Indicator])
