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
    issue_notice = forms.BooleanField(
        label=_("Issue the notice to the members now"),
        required=False,
        initial=True,
        help_text=_("Untick to prepare it first; you can issue it later from the meeting's page."),
    )

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


class OpenRecordForm(forms.Form):
    """Opening the record; a meeting without a notice needs the box ticked (the confirm step)."""

    confirmed_without_notice = forms.BooleanField(
        label=_("The members were told of this meeting another way: open the record without a notice."),
        required=False,
        widget=forms.CheckboxInput(attrs={"required": True}),
    )


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


class TaskForm(forms.Form):
    """One task of section II: what, who (members of the cell), by when. A row left empty is skipped."""

    description = forms.CharField(
        label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False
    )
    owners = forms.TypedMultipleChoiceField(
        label=_("Owners"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, members: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owners"].choices = [(m.pk, m.full_name) for m in members]  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("description") or "").strip() and not data.get("deadline")


class BaseTaskFormSet(forms.BaseFormSet):
    """The task rows of the resolution form (prefix ``task``); empty rows are left out."""

    def tasks(self) -> list[Any]:
        from meetings.services import TaskInput

        return [
            TaskInput(
                form.cleaned_data["description"].strip(),
                form.cleaned_data["owners"],
                form.cleaned_data["deadline"],
            )
            for form in self.forms
            if not form.is_blank()
        ]


def task_formset(
    data: Any = None, *, members: Any, initial: list[dict[str, Any]] | None = None, extra: int = 0
) -> Any:
    """The task rows bound to ``data`` (a POST) or showing ``initial`` plus ``extra`` empty rows."""
    formset_class = forms.formset_factory(
        TaskForm, formset=BaseTaskFormSet, extra=extra, max_num=100, absolute_max=100
    )
    return formset_class(data, initial=initial, prefix="task", form_kwargs={"members": members})
