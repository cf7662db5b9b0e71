"""Forms for the organisation pages. Validation of rules happens in the services; forms only shape input."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.web import XLSX_CONTENT_TYPE
from organizations.models import Exemption, Member, Position, Term
from organizations.services import MEMBER_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = list(MEMBER_FIELDS)
        widgets = {
            "date_of_birth": DateInput(),
            "admission_date": DateInput(),
            "official_date": DateInput(),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }


class NewMemberForm(MemberForm):
    joined_on = forms.DateField(
        label=_("In this cell since"), widget=DateInput(), initial=timezone.localdate, required=True
    )


class ExemptionForm(forms.ModelForm):
    class Meta:
        model = Exemption
        fields = ["start_date", "end_date", "reason"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class EndForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["name", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class PositionForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    role = forms.ChoiceField(label=_("Position"), choices=Position.Role.choices)
    start_date = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    """A member list to import (organizations.importing checks its size, type and rows): the page's and the
    API's."""

    file = forms.FileField(
        label=_("Member list (XLSX or CSV)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,.csv,{XLSX_CONTENT_TYPE},text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext("At most %(size)s MB.") % {"size": settings.UPLOAD_MAX_MB}
