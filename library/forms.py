"""Forms of the library's pages. The rules (who, when, which year and quarter) live in the services."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from library.services import NOTE_MAX, REASON_MAX, adoption_years
from organizations.models import Organization


class RegisterForm(forms.Form):
    note = forms.CharField(
        label=_("What the cell wants to show"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For the Party committee: why this session can be a model (its preparation, its method, what "
            "other cells can take from it)."
        ),
    )


class ReasonForm(forms.Form):
    # Not required here: the service's message says what the reason is for.
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


def _quarter_choices() -> list[tuple[int, str]]:
    return [(q, _("Quarter %(n)s") % {"n": q}) for q in (1, 2, 3, 4)]


def _year_choices() -> list[tuple[int, str]]:
    return [(year, str(year)) for year in adoption_years()]


class AdoptForm(forms.Form):
    cell = forms.ModelChoiceField(
        label=_("Cell"),
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a cell you lead in this Party organisation.")},
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        choices=_year_choices,
        error_messages={"invalid_choice": _("Choose this year or next year.")},
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=_quarter_choices,
        error_messages={"invalid_choice": _("Choose a quarter from 1 to 4.")},
    )

    def __init__(self, *args: Any, cells: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cell"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cells
        # Most secretaries lead one cell: nothing to choose.
        if len(cells) == 1:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("cell", cells[0].pk)
