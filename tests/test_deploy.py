"""The deployment path on a clean machine, as far as this machine allows (no container engine runs here):
the sdist built from the checkout, the wheel built from that sdist, installed into a fresh virtualenv in a
folder outside the checkout, then `newsmag check --deploy`, `collectstatic` and `migrate` against a
throwaway PostgreSQL server and a page served by gunicorn with its CSS. The compose file, the Procfile and
the README name the same commands."""

import http.client
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.production_site import needs_postgres_binaries

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY = BASE_DIR / "deploy"
# Not part of what a release is built from (dependencies, local data, build output).
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", ".data", "node_modules", "__pycache__", "*.pyc", "build", "dist", "*.egg-info",
    "media", "staticfiles", "backups", ".pytest_cache", ".ruff_cache", ".import_linter_cache",
)  # fmt: skip
PROCESS_COMMANDS = {  # compose service -> Procfile process
    "migrate": "release",
    "web": "web",
    "worker": "worker",
    "beat": "beat",
}


def sh(args, **kwargs):
    kwargs.setdefault("env", {k: v for k, v in os.environ.items() if k != "PYTHONPATH"})  # not the checkout
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """sdist from a copy of the checkout, then the wheel from the sdist (so the sdist is complete)."""
    root = tmp_path_factory.mktemp("release")
    shutil.copytree(BASE_DIR, root / "src", ignore=NOT_SOURCE, symlinks=True)
    build = [
        sys.executable,
        "-c",
        "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))",
    ]
    sdist = root / "dist" / sh([*build, str(root / "dist")], cwd=root / "src").stdout.split()[-1]
    sh([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
        "--wheel-dir", str(root / "dist"), str(sdist)], cwd=root)  # fmt: skip
    with tarfile.open(sdist) as archive:
        sdist_names = archive.getnames()
    assert any(name.endswith("/templates/base.html") for name in sdist_names)
    return next((root / "dist").glob("newsmag-*.whl"))


def test_the_wheel_carries_the_site_templates_and_static_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "static"):
        for path in (BASE_DIR / folder).rglob("*"):
            if path.is_file():
                assert f"newsmag/site/{path.relative_to(BASE_DIR)}" in names
    assert "articles/migrations/0001_initial.py" in names
    assert not any(name.startswith("tests/") for name in names)
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    assert "newsmag = newsmag.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@needs_postgres_binaries
def test_the_installed_wheel_serves_the_site_outside_the_checkout(wheel, tmp_path, throwaway_postgres):
    venv = tmp_path / "venv"
    sh([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    sh([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
        "--quiet", str(wheel)])  # fmt: skip
    # The dependencies come from this interpreter's site-packages, added as a plain path: its .pth files
    # (the checkout's editable install among them) are not run, so `newsmag` can only be the wheel's.
    site_packages = Path(
        sh([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    )
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    home = tmp_path / "srv"  # the working directory: nothing of the checkout there
    home.mkdir()
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "newsmag.settings",
        "DJANGO_SECRET_KEY": "deploy-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "news.example.com,127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example.com",
        "DJANGO_BEHIND_PROXY": "1",
        "DATABASE_URL": throwaway_postgres.url("newsmag"),
    }

    def run(*args):
        return sh(list(args), cwd=home, env=env)

    where = run(
        str(python), "-c", "import newsmag.settings as s; print(s.__file__, s.SITE_FILES_DIR)"
    ).stdout.split()
    assert where[0].startswith(str(site_packages)), where
    assert where[1] == str(site_packages / "newsmag" / "site")
    check = run(str(venv / "bin" / "newsmag"), "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in check.stdout
    run(str(venv / "bin" / "newsmag"), "collectstatic", "--noinput")
    assert next((home / "staticfiles" / "css").glob("site.*.css"))  # hashed names, beside the working dir
    run(str(venv / "bin" / "newsmag"), "migrate", "--noinput")

    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(python), "-m", "gunicorn", "newsmag.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"],
            cwd=home, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (port := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        status, page = get(int(port.group(1)), "/")
        assert status == 200, page
        stylesheet = re.search(r'<link[^>]+href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
        status, css = get(int(port.group(1)), stylesheet)
        assert status == 200
        assert "--nm-step-0" in css  # the site's own style sheet, with its design tokens
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port, path):
    """One request as the TLS proxy in front would forward it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "news.example.com", "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def procfile():
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_compose_file_runs_the_procfile_commands_with_every_service():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "migrate", "db", "redis", "minio"} <= set(services)
    processes = procfile()
    for service, process in PROCESS_COMMANDS.items():
        command = services[service]["command"]
        assert command == processes[process].replace("$PORT", "8000"), service
        assert services[service]["build"]["dockerfile"] == "deploy/Dockerfile"
        env = services[service]["environment"]
        for variable in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SECRET_KEY"):
            assert env.get(variable), (service, variable)
        assert "@db:" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "deploy" not in services["beat"] or services["beat"]["deploy"].get("replicas", 1) == 1


def test_readme_procfile_and_units_name_the_same_commands():
    readme = (BASE_DIR / "README.md").read_text()
    for command in procfile().values():
        assert command.split(" --", 1)[0] in readme  # the command itself; options may differ
    units = {path.stem: path.read_text() for path in (DEPLOY / "systemd").glob("*.service")}
    assert set(units) == {"newsmag-web", "newsmag-worker", "newsmag-beat"}
    assert "bin/gunicorn newsmag.wsgi" in units["newsmag-web"]
    assert "bin/celery -A newsmag worker" in units["newsmag-worker"]
    assert "bin/celery -A newsmag beat" in units["newsmag-beat"]
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "RUN newsmag collectstatic --noinput" in dockerfile
    assert 'CMD ["gunicorn", "newsmag.wsgi"' in dockerfile
