"""The REST API, version 1 (issue 14): ``/api/v1/``, documented at ``/api/v1/docs/``.

Every operation finds its object through the same permission-aware querysets as the pages (what the
caller may not see is a 404), asks the same permission question (a 403 otherwise), and calls the same
service function, whose refusals come back in one shape (api/errors.py). One router per area, in
api/routers/.
"""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.operation import Operation

from api import errors, http
from api.auth import AUTH
from api.routers import account, drafts, meetings, organizations, planning, records, room

DESCRIPTION = """API của chuyende: mọi việc làm được trên trang đều làm được qua API, với cùng quyền hạn và
cùng quy tắc. Xác thực bằng phiên đăng nhập của trình duyệt (kèm CSRF) hoặc mã truy cập cá nhân
(`Authorization: Bearer …`) tạo ở trang tài khoản. Xem docs/api.md."""


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The function's name, as in the route's name (``api-v1:<name>``): ``list_organizations``."""
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """The OpenAPI document, built once per process: it depends on the code only (about 1.5 s and
        330 KB for some hundred operations), and the docs page and every client ask for it."""
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._schemas[key]

    _schemas: dict[Any, Any] = {}


api = Api(
    title="chuyende API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=AUTH,
    throttle=[http.CallerThrottle()],
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
errors.install(api)
# Language, body cap, Idempotency-Key, ETag and Vary around every operation (api/http.py).
http.install(api)

# One router per area, each owning its paths (see the module's docstring).
for area in (organizations, planning, drafts, meetings, room, records, account):
    api.add_router("/", area.router)


def urls() -> list[URLPattern | URLResolver]:
    """The API's URL patterns, each answering 401 itself rather than redirecting to the sign-in page."""
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns
