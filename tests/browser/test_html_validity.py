"""Every public page type, as the live server sends it, passes the Nu HTML Checker (vnu.jar) with no error and
no warning (a warning such as "Article lacks heading" is an accessibility defect too). Plain information
messages, such as the checker's note on crispy-forms' `<input ... />`, do not count."""

import http.cookiejar
import json
import re
import subprocess
import urllib.error
import urllib.request
from datetime import timedelta

import time_machine
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article
from articles.preview import preview_url
from tests.browser.conftest import public_pages
from tests.factories import ArticleFactory, CommentFactory


def fetch(opener, url, data=None):
    """(status, HTML) of a GET, or of a POST when `data` is given; error pages included."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode() if data else None)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_every_public_page_type_is_valid_html(site, newsroom, settings, tmp_path, tools_for_checkers, java):
    settings.CSRF_COOKIE_SECURE = (
        False  # urllib, unlike a browser, keeps no Secure cookie on http://localhost
    )
    settings.NEWSMAG_COMMENT_MIN_FORM_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False  # the flash message cookie, too
    first = newsroom["first_comment"]
    for number in range(3):  # four replies: the last folds into "Show 1 more reply"
        CommentFactory(article=newsroom["article"], parent=first, body=f"Reply number {number}.")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    pages = {name: fetch(opener, f"{site}{path}") for name, path in public_pages(newsroom).items()}

    article = newsroom["article"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pages["comment form"][1]).group(1)
    post = f"{site}/comments/post/{article.pk}/"
    pages["comment form with errors"] = fetch(opener, post, {"csrfmiddlewaretoken": token, "body": ""})
    pages["form without its CSRF token"] = fetch(opener, post, {"body": "Hello"})
    comment = {"csrfmiddlewaretoken": token, "name": "Lena", "email": "lena@example.com"}
    comment["body"] = "A lovely story, thank you for it."
    pages["article with the reader's held comment"] = fetch(opener, post, comment)
    assert "awaiting moderation" in pages["article with the reader's held comment"][1]
    assert '<details class="comment-more">' in pages["article"][1]
    pages["page not found"] = fetch(opener, f"{site}/no-such-page/")
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, section=newsroom["culture"])
    preview = f"{site}{preview_url(draft)}"
    pages["preview"] = fetch(opener, preview)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NEWSMAG_PREVIEW_SECONDS + 60)):
        pages["expired preview"] = fetch(opener, preview)
    pages["server error"] = (500, render_to_string("500.html"))

    expected = {"comment form with errors": 400, "form without its CSRF token": 403, "page not found": 404}
    expected |= {"expired preview": 410, "server error": 500}
    files = {}
    for name, (status, html) in pages.items():
        assert status == expected.get(name, 200), f"{name} answered {status}"
        files[name] = tmp_path / f"{re.sub(r'[^a-z]+', '-', name)}.html"
        files[name].write_text(html)

    checked = subprocess.run(
        [
            java,
            "-jar",
            str(tools_for_checkers["vnu"]),
            "--format",
            "json",
            *map(str, files.values()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    names = {f"file:{path}": name for name, path in files.items()}
    errors = [
        f"{names.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] == "error" or m.get("subType") in {"fatal", "warning"}
    ]
    assert errors == [], "\n".join(errors)
    assert checked.returncode == 0, checked.stderr
