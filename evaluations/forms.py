from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import SessionEvaluation


class EvaluationForm(forms.Form):
    presenter_strengths = forms.CharField(
        label=_("The presenter's strengths"), widget=forms.Textarea(attrs={"rows": 3})
    )
    presenter_weaknesses = forms.CharField(
        label=_("The presenter's weaknesses"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    presenter_rating = forms.ChoiceField(
        label=_("The presenter overall"), choices=SessionEvaluation.Rating.choices, widget=forms.RadioSelect
    )
    result = forms.CharField(label=_("Result of the session"), widget=forms.Textarea(attrs={"rows": 3}))
    lessons = forms.CharField(
        label=_("Lessons learned"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One lesson per line; they are shown to the cell when the next sessions are prepared."),
    )
