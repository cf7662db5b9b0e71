"""Forms for plans, sessions, presenters and registrations. Rules live in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.forms import DateInput
from planning.models import Session, Topic, TopicGroup


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": _("The year must be between 2000 and 2100."),
            "max_value": _("The year must be between 2000 and 2100."),
            "invalid": _("Write the year as four digits, for example 2025."),
        },
    )
    purpose = forms.CharField(
        label=_("Purpose and requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed as section I of the plan."),
    )


def quarter_choices() -> list[tuple[int, str]]:
    """Built when a form is made, so the labels follow the reader's language."""
    return [(q, _("Quarter %(n)s") % {"n": q}) for q in (1, 2, 3, 4)]


def optional_quarter_choices() -> list[tuple[Any, str]]:
    return [("", "—"), *quarter_choices()]


def month_choices() -> list[tuple[Any, str]]:
    return [("", "—")] + [(m, _("Month %(n)s") % {"n": m}) for m in range(1, 13)]


class TopicChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Words instead of Django's "---------": the topic is optional when a title is written.
        kwargs.setdefault("empty_label", _("— Choose a topic from the catalogue —"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.group.name}"


class SessionForm(forms.Form):
    topic = TopicChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    title = forms.CharField(
        label=_("Title"), required=False, max_length=300, help_text=_("Leave empty to use the topic's title.")
    )
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=quarter_choices)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=month_choices,
    )
    planned_date = forms.DateField(label=_("Planned date"), required=False, widget=DateInput())
    planned_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    combined_with_regular = forms.BooleanField(
        label=_("Combined with the regular monthly meeting"), required=False
    )

    def __init__(self, *args: Any, topics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = topics.select_related("group")


class PresentersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Presenters"),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members


class RemarksForm(forms.Form):
    remarks = forms.CharField(label=_("Remarks"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class PostponeForm(ReasonForm):
    new_date = forms.DateField(label=_("New date"), widget=DateInput())


class RegistrationForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the secretary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why this topic suits you, what you would focus on."),
    )


class TopicForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Topic group"), queryset=Topic.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = groups


class AcceptForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False)
    quarter = forms.TypedChoiceField(
        label=_("Or a new session in quarter"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=optional_quarter_choices,
    )

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sessions


class OrientationForm(forms.Form):
    plans_due = forms.DateField(label=_("Cells submit their plans by"), widget=DateInput())
    note = forms.CharField(label=_("Guidance"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics asked for"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, topics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topics"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = topics


class TopicGroupForm(forms.ModelForm):
    class Meta:
        model = TopicGroup
        fields = ["name", "description", "keywords", "order", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "keywords": forms.Textarea(attrs={"rows": 2}),
        }
