from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with a label that says e-mail works too."""

    username = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        "invalid_login": _(
            "The username/e-mail or password is not correct. After %(limit)s failed attempts "
            "sign-in is locked for a while."
        ),
        "inactive": _("This account is disabled. Ask your cell secretary or the Party committee office."),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class TokenForm(forms.Form):
    """A new personal access token: its name, how long it lives and what it may do."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “The cell's spreadsheet”."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[
            (30, _("30 days")),
            (90, _("90 days")),
            (365, _("365 days")),
        ],
        initial=90,
    )
    scope = forms.ChoiceField(
        label=_("May"),
        choices=[
            ("read", _("Read only")),
            ("write", _("Read and write (everything you may do on the pages)")),
        ],
        initial="read",
    )
