"""One shape for every refusal the API answers (issue 14, item 3).

``{"code": "...", "message": "...", "fields": {"field": ["message", ...]}}``: ``code`` is stable and
meant for programs, ``message`` is the sentence the page would show, in the reader's language, and
``fields`` names what to correct when the input is at fault. The services' refusals
(``core.errors``) become the same messages the pages show, so the page and the API never disagree.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from core.errors import DomainError, InvalidTransition, PermissionDenied


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


# The answers every operation may give besides its own; operations list them in ``response=``.
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


class Refusal(HttpError):
    """A refusal of the API's own (not of a service): its status, its stable ``code`` and its message."""

    def __init__(self, status_code: int, code: str, message: str):
        super().__init__(status_code, message)
        self.code = code


def answer(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": str(message), "fields": fields or {}}, status=status
    )


# Pydantic's messages are English only: the common ones in the reader's language, by the error's type
# (https://docs.pydantic.dev/latest/errors/validation_errors/); the rest keep pydantic's words.
MESSAGES: dict[str, Any] = {
    "missing": _lazy("This field is required."),
    "string_type": _lazy("Enter a text."),
    "string_too_short": _lazy("Enter at least %(min_length)s characters."),
    "string_too_long": _lazy("Enter at most %(max_length)s characters."),
    "string_pattern_mismatch": _lazy("Enter a value in the expected format."),
    "int_type": _lazy("Enter a whole number."),
    "int_parsing": _lazy("Enter a whole number."),
    "int_from_float": _lazy("Enter a whole number."),
    "float_parsing": _lazy("Enter a number."),
    "bool_parsing": _lazy("Enter true or false."),
    "bool_type": _lazy("Enter true or false."),
    "greater_than_equal": _lazy("Enter a value of at least %(ge)s."),
    "less_than_equal": _lazy("Enter a value of at most %(le)s."),
    "greater_than": _lazy("Enter a value greater than %(gt)s."),
    "less_than": _lazy("Enter a value less than %(lt)s."),
    "enum": _lazy("Choose one of: %(expected)s."),
    "literal_error": _lazy("Choose one of: %(expected)s."),
    "date_parsing": _lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": _lazy("Enter a date as YYYY-MM-DD."),
    "date_type": _lazy("Enter a date as YYYY-MM-DD."),
    "time_parsing": _lazy("Enter a time as HH:MM."),
    "time_type": _lazy("Enter a time as HH:MM."),
    "datetime_parsing": _lazy("Enter a date and time in ISO 8601."),
    "datetime_from_date_parsing": _lazy("Enter a date and time in ISO 8601."),
    "list_type": _lazy("Enter a list."),
    "dict_type": _lazy("Enter an object."),
    "model_type": _lazy("Enter an object."),
    "model_attributes_type": _lazy("Enter an object."),
    "json_invalid": _lazy("The body is not valid JSON."),
    "too_long": _lazy("Enter at most %(max_length)s items."),
    "too_short": _lazy("Enter at least %(min_length)s items."),
    "extra_forbidden": _lazy("This field is not expected."),
}


def _message(error: dict[str, Any]) -> str:
    template = MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return str(template) % dict(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def _validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Ninja's validation errors by field: the last part of each error's location names the field."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        name = ".".join(location[-1:]) or "__all__"
        fields.setdefault(name, []).append(_message(error))
    return fields


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every refusal into :class:`ErrorOut`."""

    @api.exception_handler(PermissionDenied)
    def refused(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return answer(api, request, 403, "forbidden", str(error.message))

    @api.exception_handler(InvalidTransition)
    def wrong_state(request: HttpRequest, error: InvalidTransition) -> HttpResponse:
        return answer(api, request, 409, "invalid_state", str(error.message))

    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, error: DomainError) -> HttpResponse:
        fields = {error.field: [str(error.message)]} if error.field else None
        return answer(api, request, 400, "refused", str(error.message), fields)

    @api.exception_handler(DjangoValidationError)
    def invalid(request: HttpRequest, error: DjangoValidationError) -> HttpResponse:
        fields = (
            {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
            if hasattr(error, "error_dict")
            else None
        )
        return answer(api, request, 400, "invalid", " ".join(error.messages), fields)

    @api.exception_handler(ValidationError)
    def malformed(request: HttpRequest, error: ValidationError) -> HttpResponse:
        return answer(
            api,
            request,
            422,
            "validation_error",
            _("The request is not valid: see the fields."),
            _validation_fields(error.errors),
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        response = answer(api, request, 401, "unauthenticated", _("Sign in or send a valid access token."))
        response["WWW-Authenticate"] = 'Bearer realm="chuyende"'
        return response

    @api.exception_handler(AuthorizationError)
    def scope(request: HttpRequest, error: AuthorizationError) -> HttpResponse:
        return answer(api, request, 403, "forbidden", str(error.message))

    @api.exception_handler(DjangoPermissionDenied)
    def denied(request: HttpRequest, error: DjangoPermissionDenied) -> HttpResponse:
        return answer(api, request, 403, "forbidden", _("You may not do this."))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, error: Http404) -> HttpResponse:
        return answer(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(ObjectDoesNotExist)
    def missing_object(request: HttpRequest, error: ObjectDoesNotExist) -> HttpResponse:
        return answer(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, error: Throttled) -> HttpResponse:
        # ninja adds Retry-After (whole seconds) to this answer.
        return answer(
            api, request, 429, "too_many_requests", _("Too many requests: wait a moment, then try again.")
        )

    @api.exception_handler(HttpError)
    def http(request: HttpRequest, error: HttpError) -> HttpResponse:
        code = getattr(error, "code", None) or {413: "too_large", 429: "too_many_requests"}.get(
            error.status_code, "error"
        )
        response = answer(api, request, error.status_code, code, str(error.message))
        if retry_after := getattr(error, "retry_after", None):
            response["Retry-After"] = str(retry_after)
        return response

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, error: SuspiciousOperation) -> HttpResponse:
        # Too many parameters, a malformed multipart body: Django's own refusals of a request, which the
        # pages answer with their HTML 400 page.
        return answer(api, request, 400, "bad_request", _("The request is not valid."))

    @api.exception_handler(MultiPartParserError)
    def unreadable(request: HttpRequest, error: MultiPartParserError) -> HttpResponse:
        # A multipart body Django cannot read, when something reads it before the operation's own parsing
        # (django-axes records a wrong token's failed sign-in with the request's fields).
        return answer(api, request, 400, "bad_request", _("The request is not valid."))

    @api.exception_handler(OverflowError)
    def overflow(request: HttpRequest, error: OverflowError) -> HttpResponse:
        # A number no field bounds (an id in a body, say) too large for SQLite to compare: bad input,
        # answered as such rather than as a server error. The schemas bound the ones they know.
        return answer(api, request, 422, "validation_error", _("A number in the request is too large."))
