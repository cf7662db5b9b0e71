"""Back office: registers, issued documents and their stored files are read-only, because numbers are
never reused and a file stored at issue never changes."""

from django.contrib import admin
from django.http import HttpRequest

from documents.models import IssuedDocument, IssuedFile, NumberRegister


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


class IssuedFileInline(admin.TabularInline):
    model = IssuedFile
    fields = ("format", "version", "kind", "sha256", "size", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["symbol", "title", "summary", "organization", "issued_on", "issued_by", "code"]
    list_filter = ["doc_type"]
    search_fields = ["symbol", "summary", "organization__name", "code"]
    inlines = [IssuedFileInline]
    date_hierarchy = "issued_on"
    list_select_related = ["organization", "issued_by"]
    exclude = ["snapshot"]
