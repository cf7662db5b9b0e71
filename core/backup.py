"""Backup and restore: one archive holding the database, the uploaded files and a manifest.

``write_backup`` makes a ``.tar`` with ``manifest.json`` (when, which database engine, the schema as
the newest migration of each app, and every member file with its size and SHA-256), the database —
``database.pgdump`` (``pg_dump --format=custom``) on PostgreSQL, ``database.sqlite3`` (SQLite's online
backup API, consistent while the app runs) on SQLite — and ``media/`` (the uploads under MEDIA_ROOT).
``restore_backup`` checks every checksum first, then restores into an *empty* database (``pg_restore``,
or the SQLite file copied in place) and an empty MEDIA_ROOT; nothing is overwritten. Rows and files
come back exactly, timestamps to the microsecond (which ``dumpdata``/``loaddata`` do not give).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1


class BackupError(Exception):
    """A backup that cannot be written or restored, with the reason in words."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _schema(alias: str) -> dict[str, str]:
    """The newest applied migration of each app: what a restored database must be migrated from."""
    recorder = MigrationRecorder(connections[alias])
    newest: dict[str, str] = {}
    for app, name in recorder.migration_qs.order_by("app", "name").values_list("app", "name"):
        newest[app] = name
    return newest


def _dump_database(alias: str, folder: Path) -> str:
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        command = [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            db["NAME"],
        ]
        done = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        return target.name
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target.name
    raise BackupError(f"No backup for the {connection.vendor} database engine.")


@dataclass
class Backup:
    path: Path
    files: int
    size: int


def write_backup(output: Path, alias: str = "default") -> Backup:
    """Write the archive to ``output`` (a directory: a dated name is chosen in it)."""
    now = datetime.now(UTC)
    if output.is_dir():
        output = output / f"chuyende-backup-{now:%Y%m%d-%H%M%S}.tar"
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        database = _dump_database(alias, folder)
        members: list[tuple[Path, str]] = [(folder / database, database)]
        if media.exists():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                members.append((path, "media/" + path.relative_to(media).as_posix()))
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": connections[alias].vendor,
            "database": database,
            "schema": _schema(alias),
            "files": {name: {"size": path.stat().st_size, "sha256": _sha256(path)} for path, name in members},
        }
        partial = output.with_suffix(output.suffix + ".part")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            for path, name in members:
                archive.add(path, arcname=name, recursive=False)
        partial.replace(output)  # a half-written archive never has the final name
    return Backup(output, len(members) - 1, output.stat().st_size)


def read_manifest(archive_path: Path) -> dict[str, Any]:
    with tarfile.open(archive_path, "r") as archive:
        member = archive.extractfile("manifest.json")
        if member is None:
            raise BackupError("The archive has no manifest.json.")
        return dict(json.loads(member.read()))


def _is_empty(alias: str) -> bool:
    connection = connections[alias]
    return not connection.introspection.table_names()


def restore_backup(archive_path: Path, alias: str = "default") -> dict[str, Any]:
    """Restore the archive into the empty database ``alias`` and an empty MEDIA_ROOT; every checksum
    is verified before anything is written."""
    manifest = read_manifest(archive_path)
    connection = connections[alias]
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"This backup is of a {manifest['engine']} database, not {connection.vendor}.")
    if not _is_empty(alias):
        raise BackupError("The database is not empty: restore into a new, empty database.")
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        raise BackupError(f"MEDIA_ROOT ({media}) is not empty: restore into an empty folder.")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r") as archive:
        folder = Path(work)
        archive.extractall(folder, filter="data")
        for name, expected in manifest["files"].items():
            path = folder / name
            if not path.is_file() or _sha256(path) != expected["sha256"]:
                raise BackupError(f"{name} is missing or damaged in the archive (checksum).")
        database = folder / manifest["database"]
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            command = [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                db["NAME"],
            ]
            done = subprocess.run([*command, str(database)], env=_pg_env(db), capture_output=True, text=True)
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        else:
            connection.ensure_connection()
            with sqlite3.connect(database) as source:
                source.backup(connection.connection)
        if (folder / "media").exists():
            media.mkdir(parents=True, exist_ok=True)
            for path in sorted((folder / "media").rglob("*")):
                target = media / path.relative_to(folder / "media")
                if path.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
    return manifest
