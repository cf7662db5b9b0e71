"""What the archive tests share: documents issued on a day, a past term, the archive opened as a ZIP."""

import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from archives.models import TermArchive
from documents import services as documents
from documents.frame import frame_for
from tests.factories import TermFactory

PAST_START, PAST_END = date(2020, 6, 1), date(2025, 5, 31)


def past_term(organization: Any) -> Any:
    """The term before world's (which starts on 1 June 2025), ended."""
    return TermFactory(organization=organization, name="2020–2025", start_date=PAST_START, end_date=PAST_END)


def issue(organization: Any, doc_type: str, on: date, summary: str = "về sinh hoạt chi bộ") -> Any:
    frame = frame_for(organization, doc_type=doc_type, summary=summary, on=on)
    return documents.issue_document(
        actor=None, organization=organization, doc_type=doc_type, frame=frame, issued_on=on
    )


def path_of(archive: TermArchive) -> Path:
    return Path(settings.MEDIA_ROOT) / archive.file.name


def zip_bytes(archive: TermArchive) -> bytes:
    return path_of(archive).read_bytes()


def manifest_of(content: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return json.loads(z.read("manifest.json"))


def members_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return {name: z.read(name) for name in z.namelist()}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rewrite(content: bytes, *, drop: str = "", replace: dict[str, bytes] | None = None) -> bytes:
    """The archive written again without ``drop`` and with ``replace``'s members changed (the manifest
    left as it was unless replaced)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == drop:
                continue
            target.writestr(info, replace.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def flip_one_byte(content: bytes, member: str) -> bytes:
    """``content`` with one byte in the middle of ``member``'s stored data changed (the ZIP's structure
    intact: what a disk error or a hand edit does)."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        info = z.getinfo(member)
    raw = bytearray(content)
    # The local header: 30 bytes, then the name and the extra field (their lengths at 26 and 28).
    name_len = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    raw[start + info.compress_size // 2] ^= 0x01
    return bytes(raw)
