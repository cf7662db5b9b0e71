"""The announcement form (thông báo chung), the webhook form, and the tables of notification channels."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from notifications import channels, webhooks
from notifications.announcements import targets
from notifications.kinds import Kind, is_urgent
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


CHANNEL_LABELS = {
    channels.EMAIL: _("E-mail"),
    channels.ZALO: "Zalo",
    channels.PUSH: _("Push"),
}


@dataclass
class KindRow:
    """One row of the table: a kind, urgent or not, and its checkbox per channel offered."""

    kind: str
    label: str
    urgent: bool
    cells: list[Any]  # bound fields, in the order of the columns (empty for an urgent kind)


class ChannelTableForm(forms.Form):
    """A table kinds × channels of checkboxes (the app is always on, urgent kinds always everywhere).
    ``offered``: the channels the site sends by; ``table``: the current channels per kind."""

    def __init__(
        self, *args: Any, offered: list[str], table: dict[str, frozenset[str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offered = offered
        for kind in Kind.values:
            if is_urgent(kind):
                continue
            for name in offered:
                label = f"{Kind(kind).label}: {CHANNEL_LABELS[name]}"
                self.fields[f"{kind}-{name}"] = forms.BooleanField(
                    label=label,
                    required=False,
                    initial=name in table.get(kind, frozenset()),
                    # A table cell has no room for a <label>: the name is the kind and the channel.
                    widget=forms.CheckboxInput(attrs={"aria-label": label}),
                )

    def columns(self) -> list[str]:
        return [str(CHANNEL_LABELS[name]) for name in self.offered]

    def rows(self) -> list[KindRow]:
        return [
            KindRow(
                kind,
                str(label),
                is_urgent(kind),
                [] if is_urgent(kind) else [self[f"{kind}-{name}"] for name in self.offered],
            )
            for kind, label in Kind.choices
        ]

    def choices(self) -> dict[str, set[str]]:
        """The channels ticked per kind (what the services take)."""
        return {
            kind: {name for name in self.offered if self.cleaned_data.get(f"{kind}-{name}")}
            for kind in Kind.values
            if not is_urgent(kind)
        }


HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class MemberChannelsForm(ChannelTableForm):
    """A member's channels, quiet hours and digest."""

    quiet_from = forms.TimeField(
        label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_until = forms.TimeField(
        label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    digest = forms.BooleanField(
        label=_("One daily digest instead of single messages"),
        required=False,
        help_text=_("Urgent notices still come at once."),
    )
    digest_hour = forms.TypedChoiceField(label=_("Send the digest at"), choices=HOURS, coerce=int, initial=7)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("quiet_from"), data.get("quiet_until")
        if (start is None) != (end is None) and not self.has_error("quiet_from"):
            self.add_error(
                "quiet_until", _("Enter both the start and the end of the quiet hours, or neither.")
            )
        elif start is not None and start == end:
            self.add_error("quiet_until", _("The quiet hours must start and end at different times."))
        return data
