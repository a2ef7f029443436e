"""Safe configuration: outside development, no DATABASE_URL means no database at all, never a silent
embedded server. manage.py (but for its few offline commands), the WSGI and ASGI apps, the Celery worker and
beat stop at once, naming DATABASE_URL and NEWSMAG_EMBEDDED_DB. Each case is a real process."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ENV = {
    "DJANGO_SETTINGS_MODULE": "newsmag.settings",
    "DJANGO_SECRET_KEY": "configuration-test-" + "k" * 40,  # only the database is missing
    "DJANGO_ALLOWED_HOSTS": "news.example.com",
}


def run(args, data_dir, **env):
    """Run `args` with production variables, no DATABASE_URL and the embedded server's data in data_dir."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "NEWSMAG_", "CELERY_")) and k != "DATABASE_URL"
    }
    return subprocess.run(
        args,
        cwd=settings.BASE_DIR,
        env={**base, **ENV, "NEWSMAG_DATA_DIR": str(data_dir), "PYTHONPATH": str(settings.BASE_DIR), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def manage(*args, data_dir, **env):
    return run([sys.executable, "manage.py", *args], data_dir, **env)


def assert_refused(result, data_dir):
    assert result.returncode != 0, result.stdout + result.stderr
    assert "DATABASE_URL" in result.stderr
    assert "NEWSMAG_EMBEDDED_DB=1" in result.stderr
    assert "Traceback" not in result.stderr or "ImproperlyConfigured" in result.stderr
    assert not Path(data_dir, "postgres").exists()  # no embedded server was started


@pytest.mark.parametrize(
    "command",
    [
        ["migrate", "--noinput"],
        ["check", "--deploy"],
        ["load_demo"],
        ["purge_comment_personal_data"],
        ["shell", "-c", "print('ran')"],
        ["runserver", "127.0.0.1:0", "--noreload"],
    ],
)
def test_manage_py_refuses_to_run_without_a_database(command, tmp_path):
    result = manage(*command, data_dir=tmp_path)
    assert_refused(result, tmp_path)
    assert f"manage.py {command[0]}: No database configured" in result.stderr
    assert "ran" not in result.stdout


@pytest.mark.parametrize("module", ["newsmag.wsgi", "newsmag.asgi"])
def test_the_web_app_refuses_to_start_without_a_database(module, tmp_path):
    result = run([sys.executable, "-c", f"import {module}"], tmp_path)
    assert_refused(result, tmp_path)
    assert "ImproperlyConfigured: No database configured" in result.stderr


@pytest.mark.parametrize("program", ["worker", "beat"])
def test_celery_refuses_to_start_without_a_database(program, tmp_path):
    # A broker is given (it is never contacted): the database alone is missing.
    result = run(
        [sys.executable, "-m", "celery", "-A", "newsmag", program],
        tmp_path,
        CELERY_BROKER_URL="redis://127.0.0.1:6379/11",
        CELERY_BEAT_SCHEDULE_FILENAME=str(tmp_path / "beat" / "schedule"),
    )
    assert_refused(result, tmp_path)
    assert "celery: No database configured" in result.stderr


def test_celery_refuses_to_start_without_a_broker(tmp_path):
    result = run(
        [sys.executable, "-m", "celery", "-A", "newsmag", "worker"],
        tmp_path,
        DATABASE_URL="postgres://newsmag@db.invalid:5432/newsmag",
    )
    assert result.returncode != 0
    assert "celery: CELERY_BROKER_URL is unset" in result.stderr


def test_offline_commands_run_without_a_database(tmp_path):
    """Writing migrations (development) and collecting static files (a build step) need no database."""
    migrations = manage("makemigrations", "--check", "--dry-run", data_dir=tmp_path)
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr
    static = manage(
        "collectstatic", "--noinput", "--dry-run", data_dir=tmp_path, DJANGO_STATIC_ROOT=str(tmp_path / "s")
    )
    assert static.returncode == 0, static.stdout + static.stderr
    assert "static files copied" in static.stdout
    assert not Path(tmp_path, "postgres").exists()


SHOW_DATABASE = (
    "from django.conf import settings; from django.db import connection; connection.ensure_connection(); "
    "print(connection.settings_dict['HOST'], settings.DEBUG)"
)


def test_the_embedded_server_runs_when_asked_for(tmp_path):
    """NEWSMAG_EMBEDDED_DB=1 on purpose; DJANGO_DEBUG=1 (`make run`) and the test settings (`make test`
    without DATABASE_URL) imply it."""
    try:
        socket = str(tmp_path / "postgres")  # the embedded server's, in the data directory
        asked = manage(
            "shell", "--no-imports", "-c", SHOW_DATABASE, data_dir=tmp_path, NEWSMAG_EMBEDDED_DB="1"
        )
        assert asked.stdout.split() == [socket, "False"], asked.stderr
        debug = manage("shell", "--no-imports", "-c", SHOW_DATABASE, data_dir=tmp_path, DJANGO_DEBUG="1")
        assert debug.stdout.split() == [socket, "True"], debug.stderr
        tests = manage(
            "shell",
            "--no-imports",
            "-c",
            SHOW_DATABASE,
            data_dir=tmp_path,
            DJANGO_SETTINGS_MODULE="tests.settings",
        )
        assert tests.stdout.split() == [socket, "False"], tests.stderr
    finally:
        stop_embedded_server(tmp_path / "postgres")


def stop_embedded_server(pgdata):
    """The embedded server outlives the commands that started it (by design): stop it (fast shutdown)."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().split()[0])
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + 30
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
