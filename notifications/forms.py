"""The announcement form (thông báo chung)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from notifications import webhooks
from notifications.announcements import targets
from notifications.models import WebhookEvent
from organizations.models import Organization


class AnnouncementForm(forms.Form):
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=_("To the members of"),
        empty_label=None,
        help_text=_("Every current member of the cells at or under it receives it in the app and by e-mail."),
    )
    title = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    link = forms.URLField(
        label=_("Link (optional)"),
        required=False,
        assume_scheme="https",
        help_text=_("A page with more, e.g. the full document."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets(user)

    def clean_link(self) -> str:
        link: str = self.cleaned_data["link"]
        if link and not link.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter an address that starts with https://."))
        return link


class WebhookForm(forms.Form):
    """Register a webhook: where to send, and which events."""

    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "The HTTPS address of the receiving system, e.g. https://cong-thong-tin.example.vn/hook."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Those of this organisation and of every cell under it."),
    )

    def clean_url(self) -> str:
        """Refused here with the other fields' errors, not only by the service once they are right."""
        try:
            return webhooks.check_url(self.cleaned_data["url"])
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from None
