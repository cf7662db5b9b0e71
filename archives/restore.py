"""Checking a term archive before it is restored for reading (docs/archive.md, "Restore").

An archive is accepted only whole and unchanged: a ZIP whose ``manifest.json`` is of our format, lists
every other member exactly once, and whose every member has the size and SHA-256 the manifest gives.
Anything else is refused with a sentence naming the file at fault. When this installation made the
archive (same archive id, term and time of making), the manifest must also be the one it wrote: an
edit that keeps the hashes consistent (a document's number changed in the manifest) is refused too.
Nothing is ever extracted to disk; members are read in chunks.
"""

import hashlib
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from archives.archive import CHUNK, FORMAT, FORMAT_VERSION, MANIFEST
from archives.models import TermArchive
from core.errors import DomainError

_HEX = re.compile(r"[0-9a-f]{64}")


class ArchiveRefused(DomainError):
    """The archive cannot be restored: the message says why, and which file."""


@dataclass(frozen=True)
class Checked:
    manifest: dict[str, Any]
    sha256: str
    size: int
    made_here: TermArchive | None


def _sha256(stream: IO[bytes]) -> tuple[str, int]:
    stream.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def _safe_path(path: Any) -> bool:
    return (
        isinstance(path, str)
        and bool(path)
        and not path.startswith("/")
        and "\\" not in path
        and ".." not in path.split("/")
    )


# A manifest lists a few thousand files at most: one that unpacks to more is not ours (a ZIP bomb).
MANIFEST_MAX_BYTES = 16 * 1024 * 1024


def _read_manifest(archive: zipfile.ZipFile) -> tuple[dict[str, Any], bytes]:
    try:
        if archive.getinfo(MANIFEST).file_size > MANIFEST_MAX_BYTES:
            raise ArchiveRefused(_("The file manifest.json of the archive is damaged."))
        with archive.open(MANIFEST) as member:
            raw = member.read(MANIFEST_MAX_BYTES + 1)
        if len(raw) > MANIFEST_MAX_BYTES:
            raise ArchiveRefused(_("The file manifest.json of the archive is damaged."))
    except KeyError:
        raise ArchiveRefused(
            _("The archive has no manifest.json: it is not a term archive of this app.")
        ) from None
    except (zipfile.BadZipFile, zlib.error, OSError):
        raise ArchiveRefused(_("The file manifest.json of the archive is damaged.")) from None
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ArchiveRefused(
            _("The file manifest.json of the archive is not valid JSON: it was changed.")
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused(_("The file manifest.json is not the manifest of a term archive of this app."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(
            _("This archive is of format version %(version)s, which this version of the app cannot read.")
            % {"version": manifest.get("format_version")}
        )
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        raise ArchiveRefused(_("The manifest lists no file: it was changed."))
    seen: set[str] = set()
    for entry in files:
        path = entry.get("path") if isinstance(entry, dict) else None
        if (
            not isinstance(path, str)
            or not _safe_path(path)
            or path == MANIFEST
            or not isinstance(entry.get("sha256"), str)
            or not _HEX.fullmatch(entry["sha256"])
            or not isinstance(entry.get("size"), int)
            or isinstance(entry.get("size"), bool)
            or entry["size"] < 0
        ):
            raise ArchiveRefused(
                _("The manifest has an entry that is not complete (%(path)s): it was changed.")
                % {"path": str(path)[:200]}
            )
        if path in seen:
            raise ArchiveRefused(_("The manifest lists %(path)s twice: it was changed.") % {"path": path})
        seen.add(path)
    for key in ("cell", "term"):
        if not isinstance(manifest.get(key), dict) or not isinstance(manifest[key].get("name"), str):
            raise ArchiveRefused(_("The manifest does not say which cell and term the archive is of."))
    return manifest, raw


def _made_here(manifest: dict[str, Any]) -> TermArchive | None:
    info = manifest.get("archive")
    if (
        not isinstance(info, dict)
        or not isinstance(info.get("id"), int)
        or not isinstance(info.get("version"), int)
    ):
        return None
    return (
        TermArchive.objects.filter(
            pk=info["id"], version=info["version"], term__name=manifest["term"]["name"]
        )
        .exclude(sha256="")
        .select_related("term", "organization")
        .first()
    )


def _check_member(archive: zipfile.ZipFile, entry: dict[str, Any]) -> None:
    path = entry["path"]
    changed = ArchiveRefused(
        _("The file %(path)s in the archive has been changed: its SHA-256 is not the one in the manifest.")
        % {"path": path}
    )
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(path) as member:
            for chunk in iter(lambda: member.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                if size > entry["size"]:
                    raise changed
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        # A changed byte breaks the member's CRC or its compression before the hash is even compared.
        raise changed from None
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise changed


def check(stream: IO[bytes]) -> Checked:
    """Check an uploaded archive (a seekable binary file); raises :class:`ArchiveRefused`."""
    sha256, size = _sha256(stream)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        raise ArchiveRefused(_("This file is not a ZIP archive, or it is damaged.")) from None
    with archive:
        manifest, raw = _read_manifest(archive)
        listed = {entry["path"]: entry for entry in manifest["files"]}
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if len(names) != len(set(names)):
            raise ArchiveRefused(_("The archive holds two files of the same name: it was changed."))
        for path in listed:
            if path not in names:
                raise ArchiveRefused(
                    _("The file %(path)s listed in the manifest is missing from the archive.")
                    % {"path": path}
                )
        for name in names:
            if name != MANIFEST and name not in listed:
                raise ArchiveRefused(
                    _("The file %(path)s in the archive is not in its manifest: it was added.")
                    % {"path": name}
                )
        for entry in manifest["files"]:
            _check_member(archive, entry)
    made_here = _made_here(manifest)
    if made_here is not None and made_here.manifest_sha256 != hashlib.sha256(raw).hexdigest():
        raise ArchiveRefused(
            _(
                "The manifest.json of this archive is not the one this installation wrote for version "
                "%(version)s of the archive: it was changed."
            )
            % {"version": made_here.version}
        )
    stream.seek(0)
    return Checked(manifest=manifest, sha256=sha256, size=size, made_here=made_here)


def read_member(stream: IO[bytes], entry: dict[str, Any]) -> bytes:
    """One member of a restored archive, checked again against the manifest as it is read."""
    with zipfile.ZipFile(stream) as archive:
        _check_member(archive, entry)
        return archive.read(entry["path"])
