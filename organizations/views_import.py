"""Member import pages (placeholder until the import service lands in this change)."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound


def member_import(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponseNotFound()


def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    return HttpResponseNotFound()
