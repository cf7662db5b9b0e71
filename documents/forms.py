"""Forms of the register and the public verification pages."""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from documents.files import sha256_of
from documents.models import CODE_LENGTH, DocumentType, normalize_code

SHA256 = re.compile(r"[0-9a-f]{64}")


class CodeForm(forms.Form):
    """The code printed under a document (read from the paper or its QR code)."""

    ma = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code printed beside the QR code at the foot of the document."),
    )

    def clean_ma(self) -> str:
        code = normalize_code(self.cleaned_data["ma"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                _("A verification code has %(count)s letters and digits.") % {"count": CODE_LENGTH}
            )
        return code


class FileCheckForm(forms.Form):
    """A copy to compare with the stored files: the file itself (hashed, never kept) or its SHA-256."""

    file = forms.FileField(
        label=_("The file you hold (PDF or DOCX)"),
        required=False,
        help_text=_("It is only read to compute its fingerprint; it is not kept."),
    )
    sha256 = forms.CharField(
        label=_("Or its SHA-256 fingerprint"),
        required=False,
        max_length=80,
        help_text=_("64 hexadecimal characters, e.g. from sha256sum or Get-FileHash."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = " ".join(
            [
                str(self.fields["file"].help_text),
                gettext("At most %(size)s MB.") % {"size": settings.UPLOAD_MAX_MB},
            ]
        )

    def clean_sha256(self) -> str:
        raw = "".join(self.cleaned_data["sha256"].split()).lower()
        if raw and not SHA256.fullmatch(raw):
            raise forms.ValidationError(_("A SHA-256 fingerprint is 64 characters from 0-9 and a-f."))
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            self.add_error(
                "file", _("The file is larger than %(size)s MB.") % {"size": settings.UPLOAD_MAX_MB}
            )
        elif not upload and not data.get("sha256") and not self.errors:
            raise forms.ValidationError(_("Choose the file, or paste its SHA-256 fingerprint."))
        return data

    def digest(self) -> str:
        """The SHA-256 to look up: of the uploaded file (read in chunks), else the one pasted."""
        upload = self.cleaned_data.get("file")
        if upload:
            return sha256_of(upload)
        return str(self.cleaned_data["sha256"])


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label=_("Number, symbol or summary"), required=False, max_length=100)
    loai = forms.ChoiceField(
        label=_("Document type"),
        required=False,
        choices=[("", pgettext_lazy("document type", "All types")), *DocumentType.choices],
    )
    nam = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
