"""Pages of the site as a whole that need no app: the server-error page."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A database that does not answer is an outage, not a bug: 503 with Retry-After and
    a page saying so (plain: the site's frame needs the database). Django reconnects on the next
    request (CONN_HEALTH_CHECKS), so the app recovers by itself when the database returns."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
