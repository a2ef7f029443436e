"""The CSRF token never travels in a URL (where logs, history and Referer headers would keep it): no GET
form carries it. The article history's compare form is a GET form beside POST-only Restore buttons."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from articles import history, roles
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


class Forms(HTMLParser):
    """The forms of a page: their attributes and the names of the inputs inside them, and the buttons that
    name a form with form="..."."""

    def __init__(self):
        super().__init__()
        self.forms, self.buttons, self._open = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = {"attrs": attrs, "inputs": {}}
            self.forms.append(self._open)
        elif tag in {"input", "button"} and self._open is not None:
            self._open["inputs"][attrs.get("name")] = attrs.get("value")
        if tag == "button" and "form" in attrs:
            self.buttons.append(attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def forms_of(html):
    parser = Forms()
    parser.feed(html)
    return parser


@pytest.fixture
def editor():
    user = UserFactory(username="desk", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    return user


@pytest.fixture
def edited_article(editor):
    article = ArticleFactory(headline="First headline")
    history.record_revision(article, by=editor, reason="Written")
    article.headline = "Second headline"
    article.save()
    history.record_revision(article, by=editor, reason="Edited")
    return article


def test_the_history_pages_compare_form_carries_no_csrf_token(client, editor, edited_article):
    client.force_login(editor)
    page = forms_of(client.get(reverse("admin:articles_article_history", args=[edited_article.pk])).text)
    [compare] = [form for form in page.forms if form["attrs"].get("method") == "get"]
    assert compare["attrs"]["action"] == reverse("admin:articles_article_compare", args=[edited_article.pk])
    assert {"a", "b"} <= compare["inputs"].keys()
    assert "csrfmiddlewaretoken" not in compare["inputs"]
    [button] = page.buttons  # Restore, for the older revision: the newer one is the article as it is
    [restore] = [form for form in page.forms if form["attrs"].get("id") == button["form"]]
    assert restore["attrs"]["method"] == "post"
    assert "csrfmiddlewaretoken" in restore["inputs"]
    assert button["formaction"].endswith(f"/history/restore/{edited_article.version - 1}/")


def test_restoring_from_the_history_page_passes_the_csrf_check(editor, edited_article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = forms_of(client.get(reverse("admin:articles_article_history", args=[edited_article.pk])).text)
    [button] = page.buttons
    [restore] = [form for form in page.forms if form["attrs"].get("id") == button["form"]]
    response = client.post(
        button["formaction"], {"csrfmiddlewaretoken": restore["inputs"]["csrfmiddlewaretoken"]}
    )
    assert response.status_code == 302
    edited_article.refresh_from_db()
    assert edited_article.headline == "First headline"
    assert client.post(button["formaction"]).status_code == 403  # and without the token it is refused


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
POST = re.compile(r"""\bmethod=["']?post\b""", re.IGNORECASE)


def test_no_template_puts_the_csrf_token_in_a_get_form():
    """Every form in our templates, the admin's overrides included: a form that is not POST (a form
    without `method` is GET) has no {% csrf_token %}."""
    templates = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
    assert any("admin" in template.parts for template in templates)
    checked = 0
    for template in templates:
        for attributes, body in FORM.findall(template.read_text()):
            checked += 1
            if not POST.search(attributes):
                assert "csrf_token" not in body, f"{template}: a GET form with the CSRF token"
    assert checked >= 6
