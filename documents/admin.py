"""Back office: registers, issued documents and their stored files are read-only, because numbers are
never reused and a file stored at issue never changes."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from documents import services
from documents.models import IssuedDocument, IssuedFile, NumberRegister, Signature, SigningCertificate
from organizations.models import Organization


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(NumberRegister)
class NumberRegisterAdmin(ReadOnlyAdmin):
    list_display = ["organization", "term", "doc_type", "last_number"]
    list_filter = ["doc_type"]
    list_select_related = ["organization", "term__organization"]


class IssuedFileInline(admin.TabularInline):
    model = IssuedFile
    fields = ("format", "version", "kind", "sha256", "size", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["symbol", "title", "summary", "organization", "issued_on", "issued_by", "code"]
    list_filter = ["doc_type"]
    search_fields = ["symbol", "summary", "organization__name", "code"]
    inlines = [IssuedFileInline]
    date_hierarchy = "issued_on"
    list_select_related = ["organization", "issued_by"]
    exclude = ["snapshot"]


class CertificateUploadForm(forms.ModelForm):
    """The administrator's upload: the PKCS#12 file and its passphrase, checked and stored encrypted by
    :func:`documents.services.store_certificate` (a wrong passphrase or an expired certificate is
    refused here, with the reason)."""

    pkcs12 = forms.FileField(
        label=_("PKCS#12 file (.p12, .pfx)"),
        help_text=_(
            "The organisation's private key with its certificate, as the certificate authority issued it."
        ),
    )
    passphrase = forms.CharField(
        label=_("Passphrase"), required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )
    organization = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organization.objects.order_by("name")
    )

    class Meta:
        model = SigningCertificate
        fields: list[str] = []

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, organization = data.get("pkcs12"), data.get("organization")
        if upload is None or organization is None:
            return data
        if upload.size > 1024 * 1024:
            raise ValidationError(_("A PKCS#12 file is a few kilobytes; this one is over 1 MB."))
        try:
            self.instance = services.store_certificate(
                actor=self.actor,
                organization=organization,
                pkcs12_data=upload.read(),
                passphrase=data.get("passphrase") or "",
            )
        except DomainError as error:
            raise ValidationError(str(error.message)) from None
        return data


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    """Upload an organisation's signing certificate; what is stored is shown, never changed (a new
    upload replaces it for signing, the old one stays for the signatures it made)."""

    list_display = [
        "organization",
        "subject",
        "issuer",
        "not_before",
        "not_after",
        "fingerprint",
        "uploaded_at",
    ]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "subject", "fingerprint"]
    readonly_fields = [
        "organization",
        "subject",
        "issuer",
        "serial_number",
        "not_before",
        "not_after",
        "fingerprint",
        "uploaded_by",
        "uploaded_at",
    ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = CertificateUploadForm
            kwargs["fields"] = ["organization", "pkcs12", "passphrase"]
            form = super().get_form(request, obj, change=change, **kwargs)

            class WithActor(form):  # type: ignore[valid-type,misc]
                def __init__(self, *args: Any, **inner: Any) -> None:
                    super().__init__(*args, actor=request.user, **inner)

            return WithActor
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ["organization", "pkcs12", "passphrase"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Stored by the form's clean (the service); nothing more to save."""

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["file", "signer_name", "signed_at", "certificate", "timestamped"]
    list_select_related = ["file__document", "certificate"]
