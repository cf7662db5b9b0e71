"""What the public verification pages answer (issue 17): does a code, a file or a fingerprint belong
to an issued document? Read-only; the answer names the document's issuer, number, date and type and
never its content (the summary only to a reader who may open the document)."""

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest

from documents.models import IssuedDocument, IssuedFile

# Requests a visitor (one IP address) may make to the verification pages per minute: enough for a
# person checking a pile of papers, too few to walk through the codes (about 2^45 of them).
RATE_PER_MINUTE = 30


def document_by_code(code: str) -> IssuedDocument | None:
    return IssuedDocument.objects.select_related("organization").filter(code=code).first()


def file_by_hash(digest: str) -> IssuedFile | None:
    """The stored file with this SHA-256, if any (the newest, should two documents share bytes)."""
    return (
        IssuedFile.objects.select_related("document__organization", "signature")
        .filter(sha256=digest)
        .order_by("-pk")
        .first()
    )


def file_of(document: IssuedDocument, digest: str) -> IssuedFile | None:
    """The stored file of ``document`` with this SHA-256 (any format, version or kind: as issued or
    signed), if any."""
    return document.files.select_related("signature").filter(sha256=digest).order_by("-pk").first()


def over_limit(request: HttpRequest) -> bool:
    """Count this request against its IP address; True once the minute's allowance is spent."""
    # The client's address as the sign-in lockout reads it (behind PROXY_COUNT proxies).
    key = f"documents.verify:{get_client_ip_address(request) or ''}"
    if cache.add(key, 1, timeout=60):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=60)
        return False
    return count > RATE_PER_MINUTE
