"""The account's pages of our own (Django's views serve sign-in and passwords): the personal access
tokens for the API (issue 14)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import LogoutView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import TokenForm
from accounts.models import AccessToken
from core.web import run_service


class SignOutView(LogoutView):
    """Django's sign-out, which also tells the browser to remove what this site saved on the device: the
    pages the service worker kept for reading offline, its registration, local storage (docs/pwa.md).
    The cookies are left: the language chosen stays."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


# The new secret waits in the session for the one page that shows it.
NEW_SECRET_KEY = "accounts.new_token_secret"


@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens and the form for a new one; right after making one, its secret, once."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = run_service(form, lambda: services.create_token(actor=request.user, **form.cleaned_data))
        if made is not None:
            token, secret = made
            request.session[NEW_SECRET_KEY] = [token.pk, secret]
            messages.success(request, _("The token “%(name)s” was created.") % {"name": token.name})
            return redirect("accounts:tokens")
    new_secret = request.session.pop(NEW_SECRET_KEY, None)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": AccessToken.objects.filter(user_id=request.user.pk or 0),
            "new_token_id": new_secret[0] if new_secret else None,
            "new_secret": new_secret[1] if new_secret else None,
            "now": timezone.now(),
        },
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = AccessToken.objects.filter(user_id=request.user.pk or 0, pk=pk).first()
    if token is None:
        raise Http404
    form = TokenForm()
    if run_service(form, lambda: services.revoke_token(actor=request.user, token=token)) is not None:
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    else:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect("accounts:tokens")
