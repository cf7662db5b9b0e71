from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from api.main import api, urls

app_name = api.urls_namespace


@csrf_exempt
@login_not_required
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /api/v1/ (a mistyped path, an id that is not a number): the API's own
    404 in its error shape, not the site's HTML page."""
    return api.create_response(
        request, {"code": "not_found", "message": _("Not found."), "fields": {}}, status=404
    )


urlpatterns = [*urls(), re_path(r"^(?P<rest>[\s\S]*)$", unknown)]
