"""The Official Account form and the template form (zalo/views.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind
from zalo.models import ZaloAccount


class AccountForm(forms.Form):
    """The account's settings. The secret and the tokens are never shown: left empty, they are kept."""

    name = forms.CharField(label=_("Official Account name"), max_length=120, required=False)
    app_id = forms.CharField(
        label=_("App ID"),
        max_length=40,
        help_text=_("Shown in Zalo for Developers, e.g. 4318290517384729931."),
    )
    secret_key = forms.CharField(
        label=_("Secret key"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored one."),
    )
    access_token = forms.CharField(
        label=_("Access token"),
        max_length=2000,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("From the Official Account's authorisation; leave empty to keep the stored one."),
    )
    refresh_token = forms.CharField(
        label=_("Refresh token"),
        max_length=2000,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Given with the access token; the app replaces both each time it refreshes them."),
    )
    expires_in = forms.IntegerField(
        label=_("Access token lifetime (seconds)"),
        required=False,
        min_value=60,
        max_value=10_000_000,
        help_text=_("As Zalo gave it with the token (expires_in), e.g. 90000."),
    )
    oauth_url = forms.URLField(label=_("OAuth address"), max_length=200, assume_scheme="https")
    business_url = forms.URLField(label=_("ZNS address"), max_length=200, assume_scheme="https")
    openapi_url = forms.URLField(label=_("OA API address"), max_length=200, assume_scheme="https")
    enabled = forms.BooleanField(
        label=_("Send notices through this Official Account"),
        required=False,
        help_text=_("Off: nothing is sent through Zalo."),
    )

    @classmethod
    def initial_for(cls, account: ZaloAccount | None) -> dict[str, object]:
        if account is None:
            blank = ZaloAccount()
            return {
                "oauth_url": blank.oauth_url,
                "business_url": blank.business_url,
                "openapi_url": blank.openapi_url,
            }
        return {
            "name": account.name,
            "app_id": account.app_id,
            "oauth_url": account.oauth_url,
            "business_url": account.business_url,
            "openapi_url": account.openapi_url,
            "enabled": account.enabled,
        }


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of notice"),
        choices=Kind.choices,
        help_text=_("The notices of this kind go to members' Zalo as this template."),
    )
    template_id = forms.RegexField(
        label=_("ZNS template ID"),
        regex=r"^[0-9]{1,30}$",
        error_messages={"invalid": _("A ZNS template ID is a number, e.g. 231577.")},
    )
    params = forms.CharField(
        label=_("Parameters"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: the template's parameter = recipient_name, title, body, url or param:<name>; "
            "e.g. ten_dang_vien = recipient_name."
        ),
    )
