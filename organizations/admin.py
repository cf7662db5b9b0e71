"""Back office. Changes made here are recorded in the audit log like any other."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.audit import log_action
from organizations.models import (
    Exemption,
    Member,
    Membership,
    OfficerAssignment,
    Organization,
    Position,
    Term,
)


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            request.user,
            "core.admin.changed" if change else "core.admin.added",
            obj,
            {"fields": ", ".join(form.changed_data)},
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


class ExemptionInline(admin.TabularInline):
    model = Exemption
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "parent", "place"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["path"]


@admin.register(Member)
class MemberAdmin(AuditedAdmin):
    list_display = ["full_name", "status", "party_card_number", "job_title"]
    list_filter = ["status", "gender"]
    search_fields = ["full_name", "party_card_number", "email"]
    inlines = [MembershipInline, ExemptionInline]
    raw_id_fields = ["user"]


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ["organization", "name", "start_date", "end_date"]
    autocomplete_fields = ["organization"]


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ["member", "role", "term", "start_date", "end_date"]
    list_filter = ["role"]
    raw_id_fields = ["member", "term"]


@admin.register(OfficerAssignment)
class OfficerAssignmentAdmin(AuditedAdmin):
    list_display = ["user", "organization", "title"]
    raw_id_fields = ["user"]
