"""``Idempotency-Key`` on every POST (issue 14, item 3): a client that did not hear the answer sends the
same request again with the same key and gets the first answer, rather than a second plan or a second
comment.

The key is claimed (a row of :class:`api.models.IdempotencyKey`, unique per user and key) after the
caller is known and the input is valid, before the operation runs, in a transaction of its own; the
answer is stored on the row once the operation has answered. A repeat finds the row: with the same
request it gets the stored answer (``Idempotent-Replayed: true``); with another body, 422; while the
first is still running, 409. A failure of the server (5xx or an exception) gives the key back, so the
client may try again; a claim left unanswered for ten minutes (its process died) is taken over. Keys
are kept ``API_IDEMPOTENCY_HOURS`` (24); ``manage.py purge_idempotency_keys`` deletes older ones.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _

from api.errors import Refusal
from api.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# A claim still unanswered after this long belonged to a process that died mid-request: taken over.
ABANDONED_AFTER = timedelta(minutes=10)


class Replay(Exception):  # not an error: the operation's first answer, given again
    def __init__(self, record: IdempotencyKey):
        self.record = record
        super().__init__(record.key)


def lifetime() -> timedelta:
    return timedelta(hours=settings.API_IDEMPOTENCY_HOURS)


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of the method, the path and the body; for a multipart body (already parsed), of its
    fields and of each file's name and content."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:
        for name in sorted(request.POST):
            digest.update(f"{name}={request.POST.getlist(name)!r}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    return digest.hexdigest()


def _claim(request: HttpRequest, key: str) -> None:
    """Claim ``key`` for this request, or raise what the caller must be answered instead."""
    if len(key) > MAX_KEY_LENGTH:
        raise Refusal(
            400, "idempotency_key_invalid", _("The Idempotency-Key header is longer than 255 characters.")
        )
    print_ = fingerprint(request)
    user_id = request.user.pk or 0  # signed in: claimed after authentication
    for _attempt in range(2):
        try:
            with transaction.atomic():
                request._idempotency_claim = IdempotencyKey.objects.create(  # type: ignore[attr-defined]
                    user_id=user_id, key=key, fingerprint=print_
                )
            return
        except IntegrityError:
            # The key is taken (on PostgreSQL, after the claim holding it was committed or rolled back).
            found = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
            if found is None:
                continue  # given back meanwhile: claim it again
            now = timezone.now()
            if found.created_at < now - lifetime() or (
                found.status is None and found.created_at < now - ABANDONED_AFTER
            ):
                # Past its lifetime (as if purged), or abandoned by a process that died: taken over.
                IdempotencyKey.objects.filter(pk=found.pk, created_at=found.created_at).delete()
                continue
            if found.fingerprint != print_:
                raise Refusal(
                    422,
                    "idempotency_key_reused",
                    _(
                        "This Idempotency-Key was already used for a different request. Use a new key "
                        "for a new request."
                    ),
                ) from None
            if found.status is None:
                raise Refusal(
                    409,
                    "idempotency_key_in_use",
                    _("A request with this Idempotency-Key is still being processed: try again shortly."),
                ) from None
            raise Replay(found) from None
    raise Refusal(
        409,
        "idempotency_key_in_use",
        _("A request with this Idempotency-Key is still being processed: try again shortly."),
    )


def claiming(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Operation decorator (after authentication and validation): claim the POST's key, if it has one."""

    @wraps(view_func)
    def claim_then_run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if request.method == "POST" and key:
            _claim(request, key.strip())
        return view_func(request, *args, **kwargs)

    return claim_then_run


def keep_answer(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Store the answer on the claimed key (a server failure gives the key back)."""
    claimed: IdempotencyKey | None = getattr(request, "_idempotency_claim", None)
    if claimed is None:
        return response
    if response.status_code >= 500 or response.streaming:
        give_back(request)
        return response
    claimed.status = response.status_code
    claimed.content_type = response.get("Content-Type", "")
    claimed.body = response.content
    claimed.save(update_fields=["status", "content_type", "body"])
    return response


def give_back(request: HttpRequest) -> None:
    claimed: IdempotencyKey | None = getattr(request, "_idempotency_claim", None)
    if claimed is not None:
        IdempotencyKey.objects.filter(pk=claimed.pk).delete()
        request._idempotency_claim = None  # type: ignore[attr-defined]


def replayed(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def purge(now: Any = None) -> int:
    """Delete the keys older than their lifetime; the number deleted."""
    now = now or timezone.now()
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=now - lifetime()).delete()
    return deleted
