from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import Attendance


class OpenBallotForm(forms.Form):
    subject = forms.CharField(
        label=_("Put to the vote"),
        max_length=300,
        help_text=_("The session's resolution, or the motion in a few words."),
    )
    secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        help_text=_("Only the counts are kept; each voter gets a receipt to check their vote was counted."),
    )
    motion = forms.BooleanField(
        label=_("Another content, not the record's vote"),
        required=False,
        help_text=_(
            "For example approving the minutes or a proposal: its result is printed in the minutes after "
            "the vote on the resolution, which stays as recorded."
        ),
    )


class CastForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Attendance.Vote.choices, widget=forms.RadioSelect
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=12,
        help_text=_("The 6 digits shown on the secretary's phone or the room screen."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SpeakForm(forms.Form):
    about = forms.CharField(
        label=_("About (optional)"),
        max_length=200,
        required=False,
        help_text=_("A paragraph of the draft or an agenda line."),
    )
