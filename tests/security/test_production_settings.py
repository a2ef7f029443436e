"""Production settings: `check --deploy` is clean, and every response carries the security headers."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from articles.embeds.providers import csp_origins
from tests.factories import UserFactory

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "newsmag.settings",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "news.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example.com",
    # `check` does not connect; a DATABASE_URL keeps the embedded server from starting.
    "DATABASE_URL": "postgres://newsmag@db.invalid:5432/newsmag",
}


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSMAG_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_a_weakened_setting():
    """The clean result above means something: turning HSTS off is reported."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_production_refuses_to_serve_without_a_secret_key():
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSMAG_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import newsmag.wsgi"],
        cwd=settings.BASE_DIR,
        env={**base, **PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr
    deploy = manage("check", "--deploy", DJANGO_SECRET_KEY="")
    assert "security.W009" in deploy.stdout + deploy.stderr


def test_offline_commands_need_no_secret_key():
    result = manage("makemigrations", "--check", "--dry-run", DJANGO_SECRET_KEY="")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def assert_security_headers(response):
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(part.split("=", 1) for part in headers["Permissions-Policy"].split(", "))
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= policy.keys()
    assert set(policy.values()) == {"()"}
    csp = dict(
        ([*directive.split(" ", 1), ""])[:2] for directive in headers["Content-Security-Policy"].split("; ")
    )
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp["script-src"]
    return csp


@pytest.mark.django_db
def test_public_pages_send_every_security_header_and_a_strict_csp(client, article):
    for url in [reverse("articles:home"), article.get_absolute_url(), reverse("articles:search") + "?q=x"]:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        csp = assert_security_headers(response)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], url
        # Besides our own: the widget scripts of the enabled embed providers, run only after a click.
        embeds = csp_origins(settings.NEWSMAG_EMBED_DISABLED, settings.NEWSMAG_EMBED_MASTODON_INSTANCES)
        assert csp["script-src"].split() == ["'self'", *embeds["script-src"]]
        assert csp["frame-src"].split() == embeds["frame-src"]
        assert csp["style-src"] == "'self'"


@pytest.mark.django_db
def test_admin_login_sends_the_headers_and_secure_httponly_cookies(client):
    response = client.get(reverse("admin:login"), secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"]
    assert csrf["httponly"]
    UserFactory(username="desk", is_staff=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "desk", "password": "correct horse battery staple"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
@pytest.mark.urls("tests.security.media_urls")
def test_media_files_are_served_with_nosniff_and_the_csp(client):
    """A file served from MEDIA_ROOT by Django gets the same headers: an upload that smuggles HTML
    cannot be sniffed into a page. (In production the proxy serves /media/: see the README.)"""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("uploads/looks-like.jpg", ContentFile(b"<html><script>alert(1)</script>"))
    response = client.get(default_storage.url(name), secure=True)
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "image/jpeg"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
