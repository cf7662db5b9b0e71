"""Forms of the term archives page: which term to archive, the archive to restore."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, Term


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        """ "2020–2025 (01/06/2020 – 31/05/2025)": the cell is the page's."""
        end = f"{obj.end_date:%d/%m/%Y}" if obj.end_date else gettext("running")
        return f"{obj.name} ({obj.start_date:%d/%m/%Y} – {end})"


class MakeForm(forms.Form):
    term = TermChoiceField(
        label=pgettext_lazy("committee term", "Term"),
        queryset=Term.objects.none(),
        empty_label=None,
        help_text=_("A term still running gets a provisional archive, marked as such."),
    )

    def __init__(self, *args: Any, cell: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["term"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Term.objects.filter(
            organization=cell, start_date__lte=timezone.localdate()
        ).order_by("-start_date")
        # Preselected: the newest term that has ended (what the page is mostly for), else the running one.
        ended = field.queryset.filter(end_date__lt=timezone.localdate()).first()
        if ended is not None and not self.is_bound:
            self.initial.setdefault("term", ended.pk)


class RestoreForm(forms.Form):
    file = forms.FileField(
        label=_("Term archive (ZIP)"),
        help_text=_("A ZIP made by this app's Term archives page; every file in it is checked."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = " ".join(
            [
                str(self.fields["file"].help_text),
                gettext("At most %(size)s MB here; a larger archive is restored by the administrator.")
                % {"size": settings.UPLOAD_MAX_MB},
            ]
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": settings.UPLOAD_MAX_MB}
            )
        return upload
