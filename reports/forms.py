"""Forms of the report pages: starting a report, the secretary's text, the Đảng ủy's remarks."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import QUARTERS

ANNUAL = "nam"


def period_choices() -> list[tuple[str, Any]]:
    return [
        *((str(q), _("Quarter %(quarter)s") % {"quarter": q}) for q in QUARTERS),
        (ANNUAL, _("Whole year (annual summary)")),
    ]


def report_years(today: date) -> list[int]:
    """The years a report may be started for: this one and the four before, newest first."""
    return list(range(today.year, today.year - 5, -1))


class CreateForm(forms.Form):
    def __init__(self, *args: Any, years: list[int], initial_period: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Year"), coerce=int, choices=[(y, y) for y in years]
        )
        # Named like the service's argument, so its refusals land on this field.
        self.fields["quarter"] = forms.ChoiceField(
            label=_("Period"), choices=period_choices(), initial=initial_period or None
        )

    def quarter(self) -> int | None:
        value = self.cleaned_data["quarter"]
        return None if value == ANNUAL else int(value)


class TextForm(forms.Form):
    assessment = forms.CharField(
        label=_("General assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Strengths, shortcomings and their causes, lessons learned. The figures are added by the "
            "application; one paragraph per line."
        ),
    )
    direction = forms.CharField(
        label=_("Tasks for the next period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the cell will do next; one task per line."),
    )


class RemarksForm(forms.Form):
    remarks = forms.CharField(
        label=_("Remarks"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the cell should complete or correct before submitting again."),
    )


class AcknowledgeForm(forms.Form):
    remarks = forms.CharField(
        label=_("Remarks (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The Party committee's comments for the cell, if any."),
    )
