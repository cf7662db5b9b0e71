import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import Meeting, Resolution, Speech
from planning.models import Session


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    session = forms.ModelChoiceField(
        label=_("Thematic session"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_("For a thematic session, alone or with the monthly meeting."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=pgettext_lazy("where a meeting is held", "Place"), max_length=200)

    def __init__(self, *args: Any, sessions: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if sessions is not None:
            self.fields["session"].queryset = sessions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in (Meeting.Kind.THEMATIC, Meeting.Kind.COMBINED) and not data.get("session"):
            self.add_error("session", _("Choose the thematic session held at this meeting."))
        return data


class SpeechForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Speaker"), coerce=int, required=False, empty_value=None)
    speaker_name = forms.CharField(label=_("Or a guest's name"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Speech.Kind.choices, initial=Speech.Kind.SPEECH)
    summary = forms.CharField(label=_("What was said, in short"), widget=forms.Textarea(attrs={"rows": 3}))
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, members: list[Any] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *((m.pk, m.full_name) for m in members)]  # type: ignore[attr-defined]


class VoteForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How the vote was taken"), choices=Meeting.VoteMode.choices, initial=Meeting.VoteMode.COUNTS
    )
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False)
    against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    other = forms.IntegerField(label=_("Other opinion"), min_value=0, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class TaskDoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500, required=False)


class ResolutionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=Resolution.Kind.choices)
    results = forms.CharField(label=_("I. Results"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    shortcomings = forms.CharField(
        label=_("Shortcomings"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    implementation = forms.CharField(
        label=_("III. Implementation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Leave empty for the usual wording."),
    )


def parse_tasks(data: Any) -> tuple[list[Any], list[str]]:
    """The task rows of the resolution form (task-N-description, task-N-owners, task-N-deadline);
    empty rows are skipped. Returns (tasks, errors)."""
    from meetings.services import TaskInput

    tasks: list[TaskInput] = []
    errors: list[str] = []
    indexes = sorted(
        {int(match[1]) for key in data if (match := re.fullmatch(r"task-([0-9]{1,4})-[a-z]+", key))}
    )
    for index in indexes:
        description = (data.get(f"task-{index}-description") or "").strip()
        owners_raw = data.getlist(f"task-{index}-owners") if hasattr(data, "getlist") else []
        deadline_raw = (data.get(f"task-{index}-deadline") or "").strip()
        if not description and not deadline_raw:
            continue
        owners = []
        for value in owners_raw:
            if re.fullmatch(r"[0-9]{1,9}", value):
                owners.append(int(value))
            else:
                errors.append(str(_("Task %(n)s: choose the owners from the list.") % {"n": len(tasks) + 1}))
        deadline = None
        if deadline_raw:
            try:
                deadline = date.fromisoformat(deadline_raw)
            except ValueError:
                errors.append(str(_("Task %(n)s: the deadline is not a date.") % {"n": len(tasks) + 1}))
        tasks.append(TaskInput(description, owners, deadline))
    return tasks, errors
