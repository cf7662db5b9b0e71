"""Forms of the draft pages; the rules are in drafts.services."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from drafts.models import Response

DOCX_MIME = "vnd.openxmlformats-officedocument.wordprocessingml.document"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Draft file (Word .docx or PDF)"),
        help_text=_("At most %(size)s MB.") % {"size": settings.UPLOAD_MAX_MB},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,.pdf,application/pdf,application/" + DOCX_MIME}
        ),
    )
    note = forms.CharField(label=_("What changed in this version"), required=False, max_length=500)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EditorForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the draft"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            'Leave an empty line between paragraphs. Start a line with "# " for a heading, '
            '"- " for a list item.'
        ),
    )
    note = forms.CharField(label=_("What changed in this version"), required=False, max_length=500)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    """Confirms an action on the version the person saw (submit, approve)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    include_exempted = forms.BooleanField(label=_("Also send to exempted members"), required=False)


class ReturnForm(forms.Form):
    remarks = forms.CharField(label=_("Remarks for the presenter"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    anchor = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)


class EditCommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Handled as"), choices=Response.Decision.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PaperCommentForm(forms.Form):
    """A comment a member handed in on the printed sheet, typed in by a secretary on their behalf.
    The choices (the members the draft was sent to, the paragraphs) are given by the page."""

    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    anchor = forms.ChoiceField(label=_("Paragraph"), required=False)
    body = forms.CharField(
        label=_("Comment as written on the sheet"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    handed_in_on = forms.DateField(
        label=_("Handed in on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The deadline is judged by this day, not by the day it is typed in."),
    )
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, members: list[Any], paragraphs: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        member, anchor = self.fields["member"], self.fields["anchor"]
        assert isinstance(member, forms.TypedChoiceField) and isinstance(anchor, forms.ChoiceField)
        member.choices = [("", "—"), *((m.pk, m.full_name) for m in members)]
        anchor.choices = [("", _("The whole draft")), *paragraphs]
