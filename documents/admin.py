"""Back office: registers and issued documents are read-only, because numbers are never reused."""

from django.contrib import admin
from django.http import HttpRequest

from documents.models import IssuedDocument, NumberRegister


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(NumberRegister)
class NumberRegisterAdmin(ReadOnlyAdmin):
    list_display = ["organization", "term", "doc_type", "last_number"]
    list_filter = ["doc_type"]
    list_select_related = ["organization", "term__organization"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["symbol", "title", "summary", "organization", "issued_on", "issued_by"]
    list_filter = ["doc_type"]
    search_fields = ["symbol", "summary", "organization__name"]
    date_hierarchy = "issued_on"
    list_select_related = ["organization", "issued_by"]
    exclude = ["snapshot"]
