"""Who is calling: the browser's session (with its CSRF token on changes) or a personal access token
(``Authorization: Bearer …``). Both lead to the same user, and from there to the same permission checks
as the pages (issue 14, item 2).

A wrong token counts as a failed sign-in (django-axes) under one login of its own, ``TOKEN_LOGIN``,
from the caller's address: after ``AXES_FAILURE_LIMIT`` wrong tokens the address is refused (429) for
``AXES_COOLOFF_TIME``, as the sign-in page refuses a locked-out account.
"""

import math
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from accounts import services as accounts
from accounts.models import AccessToken
from api.errors import Refusal

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The login wrong tokens are counted under: parentheses and spaces are not allowed in usernames, so it
# names no account.
TOKEN_LOGIN = "(api token)"


class LockedOut(Refusal):
    """Too many wrong tokens from this address: refused until the cool-off has passed."""

    def __init__(self) -> None:
        cooloff = settings.AXES_COOLOFF_TIME
        self.retry_after = math.ceil(cooloff.total_seconds())
        super().__init__(
            429,
            "locked_out",
            _(
                "Too many failed attempts (%(limit)s). Access tokens from this address are refused for "
                "%(minutes)s minutes."
            )
            % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": math.ceil(self.retry_after / 60)},
        )


def _locked_out(request: HttpRequest) -> LockedOut:
    # The API answers the lockout itself, in its shape: AxesMiddleware would replace it with the page.
    request.axes_locked_out = False  # type: ignore[attr-defined]
    return LockedOut()


class Session(SessionAuth):
    """The signed-in browser. On an unsafe method the CSRF token is checked, as on the pages; a caller
    who is not signed in is simply not this one (401 rather than a CSRF refusal)."""

    openapi_description = (
        "Phiên đăng nhập của trình duyệt (cookie `sessionid`); POST, PATCH, DELETE cần thêm tiêu đề "
        "`X-CSRFToken` lấy từ cookie `csrftoken`."
    )

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise AuthorizationError(
                message=_("The CSRF token is missing or wrong: reload the page, or use an access token.")
            )
        return request.user


class Token(HttpBearer):
    """A personal access token (accounts.services): found by the digest of its secret, refused when
    revoked, expired or its user disabled; a read token may only call safe methods. Its use is recorded
    (at most once a minute) and its user becomes ``request.user``; ``request.access_token`` tells an
    operation the caller came with a token rather than the session."""

    openapi_description = (
        "Mã truy cập cá nhân, tạo ở trang tài khoản (/tai-khoan/ma-truy-cap/): "
        "`Authorization: Bearer cd_…`. Mã chỉ đọc (`read`) chỉ gọi được GET."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        credentials = {"username": TOKEN_LOGIN}
        if AxesProxyHandler.is_locked(request, credentials):
            raise _locked_out(request)
        now = timezone.now()
        found = accounts.usable_token(token.strip(), now)
        if found is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                raise _locked_out(request)  # this failure reached the limit
            # A wrong token is an answer, not a reason to try the session instead.
            raise AuthenticationError()
        if found.scope == AccessToken.Scope.READ and request.method not in SAFE_METHODS:
            raise AuthorizationError(
                message=_("This access token may only read: make a read-and-write token to change anything.")
            )
        accounts.record_use(found, getattr(request, "axes_ip_address", None), now)
        request.user = found.user
        request.access_token = found  # type: ignore[attr-defined]
        return found.user


AUTH = [Token(), Session()]
