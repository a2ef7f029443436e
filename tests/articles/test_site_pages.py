"""Site pages editors write (About, Privacy...), the footer that lists them, and the 404 page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import roles
from articles.models import RESERVED_SLUGS, Page
from tests.articles.conftest import with_role
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/page/add/"


def make_page(**fields):
    defaults = {"title": "Privacy", "slug": "privacy", "body": "<p>We keep little.</p>"}
    return Page.objects.create(**{**defaults, **fields})


def footer(html):
    return html[html.index('<footer class="site-footer">') :]


def test_a_site_page_is_public_under_pages_and_a_missing_one_is_a_404(client):
    make_page(summary="What we store.", body="<h2>Comments</h2><p>Names and emails.</p>")
    response = client.get("/pages/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Privacy</h1>" in html
    assert "<h2>Comments</h2><p>Names and emails.</p>" in html
    assert '<meta name="description" content="What we store.">' in html
    assert client.get("/pages/nothing-here/").status_code == 404


def test_the_pages_prefix_is_reserved_so_no_section_can_shadow_a_page():
    assert "pages" in RESERVED_SLUGS  # tests/articles/test_sections.py: every routed word is reserved


def test_a_page_body_passes_the_sanitizer_whoever_saves_it():
    page = make_page(
        body='<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x()">link</a></p>'
        '<iframe src="https://evil.example"></iframe><p style="color:red">"Quoted"</p>'
    )
    page.refresh_from_db()
    assert "script" not in page.body
    assert "onclick" not in page.body
    assert "javascript:" not in page.body
    assert "iframe" not in page.body
    assert "style=" not in page.body
    assert "“Quoted”" in page.body  # typographic quotes, as in articles


def test_only_editors_manage_site_pages(client, editor, journalist):
    permissions = {
        group.name: {p.codename for p in group.permissions.all() if p.codename.endswith("_page")}
        for group in Group.objects.prefetch_related("permissions")
    }
    assert permissions[roles.EDITOR] == {f"{action}_page" for action in ("add", "change", "delete", "view")}
    assert permissions[roles.JOURNALIST] == permissions[roles.MODERATOR] == set()

    page = make_page()
    moderator = with_role(roles.MODERATOR, username="moderator")
    for user in (journalist, moderator):
        client.force_login(user)
        assert client.get(ADD_URL).status_code == 403
        assert client.post(ADD_URL, {"title": "X", "slug": "x", "body": "<p>x</p>"}).status_code == 403
        assert client.get(f"/admin/articles/page/{page.pk}/change/").status_code == 403
    assert list(Page.objects.values_list("slug", flat=True)) == ["privacy"]


def test_an_editor_writes_a_page_with_the_body_editor_and_bad_input_is_a_form_error(client, editor):
    client.force_login(editor)
    form = client.get(ADD_URL)
    assert form.status_code == 200
    assert "prose-editor" in form.content.decode()  # the article body editor
    empty = client.post(ADD_URL, {"title": "Terms", "slug": "terms", "body": "<p> </p>", "position": 0})
    assert empty.status_code == 200
    assert "body" in empty.context_data["adminform"].form.errors
    bad_slug = client.post(
        ADD_URL, {"title": "Terms", "slug": "no spaces!", "body": "<p>x</p>", "position": 0}
    )
    assert "slug" in bad_slug.context_data["adminform"].form.errors
    assert not Page.objects.exists()

    saved = client.post(
        ADD_URL,
        {"title": "Terms", "slug": "terms", "body": "<p>Be <b>civil</b>.</p><script>x</script>", "position": 0,
         "in_footer": "on"},
    )  # fmt: skip
    assert saved.status_code == 302
    assert Page.objects.get(slug="terms").body == "<p>Be <b>civil</b>.</p>"


def test_a_page_is_cached_and_an_edit_shows_at_once(client, django_assert_num_queries):
    page = make_page()
    assert "We keep little." in client.get("/pages/privacy/").content.decode()
    with django_assert_num_queries(0):  # the page cache
        assert client.get("/pages/privacy/").status_code == 200
    page.body = "<p>We keep even less.</p>"
    page.save()
    html = client.get("/pages/privacy/").content.decode()
    assert "We keep even less." in html
    assert "We keep little." not in html


def test_the_footer_lists_sections_with_subsections_the_pages_and_the_reader_services(client):
    world = SectionFactory(name="World", slug="world", position=0)
    SectionFactory(name="Europe", slug="europe", parent=world)
    SectionFactory(name="Hidden", slug="hidden", in_navigation=False)
    SectionFactory(name="Culture", slug="culture", position=1)
    make_page()
    make_page(title="Imprint", slug="imprint", position=1)
    make_page(title="Old notice", slug="old-notice", in_footer=False)
    html = footer(client.get("/").content.decode())
    names = re.findall(r'<a href="(/[^"]*)">([^<]+)</a>', html)
    assert ("/world/", "World") in names
    assert ("/europe/", "Europe") in names
    assert html.index(">World<") < html.index(">Europe<") < html.index(">Culture<")
    assert '<ul class="footer-sublist">' in html
    assert "Hidden" not in html
    assert ("/pages/privacy/", "Privacy") in names
    assert ("/pages/imprint/", "Imprint") in names
    assert "Old notice" not in html
    for path in ("/search/", "/archive/", "/corrections/", "/ai-images/", "/feed/"):
        assert path in dict(names)


def test_the_footer_costs_no_query_once_kept_and_a_new_page_shows_in_it(
    client, settings, django_assert_num_queries
):
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 0  # every request builds its page from kept parts
    section = SectionFactory(slug="news")
    ArticleFactory(section=section)
    client.get("/news/")
    with django_assert_num_queries(0):
        client.get("/news/")
    make_page(title="Contact", slug="contact")
    assert "/pages/contact/" in footer(client.get("/news/").content.decode())


def test_the_404_page_offers_search_the_latest_stories_and_the_sections(client):
    section = SectionFactory(name="Culture", slug="culture")
    ArticleFactory(section=section, headline="Night train returns", lead_image=ImageFactory())
    ArticleFactory(section=section, headline="A draft", status="draft", publish_at=None)
    response = client.get("/culture/no-such-story/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<form class="not-found-search" role="search"' in html
    assert 'action="/search/"' in html
    assert "Night train returns" in html
    assert "A draft" not in html
    main = html[html.index("<main") : html.index("</main>")]
    assert 'href="/culture/"' in main
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("path", ["/no-such-section/", "/culture/no-such-story/", "/a/b/c/d/", "/.env"])
def test_repeated_misses_cost_the_database_little(client, settings, path):
    settings.NEWSMAG_PAGE_CACHE_VERSION_SECONDS = 1000  # the content version, read once here
    section = SectionFactory(slug="culture")
    ArticleFactory(section=section)
    assert client.get(path).status_code == 404
    with CaptureQueriesContext(connection) as first_again:
        assert client.get(path).status_code == 404
    with CaptureQueriesContext(connection) as another:
        assert client.get(path.replace("no-such", "other")).status_code == 404
    # A made-up section or path reads nothing; a made-up story in a real section looks for it and its
    # former addresses (a renamed story redirects), and nothing else.
    expected = 2 if path.startswith("/culture/") else 0
    assert len(first_again) == len(another) == expected, [q["sql"] for q in another.captured_queries]


def test_load_demo_writes_the_five_site_pages_once_and_privacy_tells_the_retention(client, settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = list(Page.objects.values_list("slug", "title", "body", "updated_at"))
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Page.objects.values_list("slug", "title", "body", "updated_at")) == first
    assert {row[0] for row in first} == {"about", "contact", "privacy", "terms", "imprint"}
    privacy = client.get("/pages/privacy/").content.decode()
    assert f"deleted {settings.NEWSMAG_COMMENT_PERSONAL_DATA_DAYS} days after you post" in privacy
    assert "no third-party trackers" in privacy
    assert "/pages/imprint/" in footer(client.get("/").content.decode())
