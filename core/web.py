"""Small helpers shared by the HTML views of every app."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from core.errors import DomainError

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch through a permission-aware queryset: what the reader may not see does not exist for them."""
    try:
        return queryset.get(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None


def run_service(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Call a service; turn its refusals into errors on ``form`` (returns None when refused)."""
    try:
        return call()
    except DomainError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error.message))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
    return None


def action_form() -> forms.Form:
    """A valid form with no field, for a button that sends nothing but a confirmation: it carries the
    service's refusal to :func:`form_errors` like any other form."""
    form = forms.Form(data={})
    form.is_valid()
    return form


def form_errors(form: forms.BaseForm) -> str:
    """All of a form's error messages as one sentence for a flash message, each after its field's
    label so the person knows what to correct ("Lý do: Trường này là bắt buộc.")."""
    parts: list[str] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        parts.extend(f"{label}{error}" for error in errors)
    return " ".join(parts)


def submit_and_report(
    request: HttpRequest, form: forms.BaseForm, call: Callable[[dict[str, Any]], object], success: str
) -> bool:
    """For small POST forms that redirect back to their page: validate ``form``, call the service with
    the cleaned data, and tell the person the outcome as a message (the reason when refused)."""
    if form.is_valid() and run_service(form, lambda: call(form.cleaned_data) or True) is not None:
        messages.success(request, success)
        return True
    messages.error(request, form_errors(form))
    return False


# The content types of the spreadsheets the app sends (and the member import accepts).
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file the browser downloads under ``filename`` (an ASCII name: see documents.render.export)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
