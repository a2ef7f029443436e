"""Every sitemap validates against its XML Schema, as search engines' validators check it.

The `<urlset>` sitemaps are checked against the official sitemaps.org `sitemap.xsd`, taken from the npm
package `sitemap` (pinned in package.json). Its wildcard for extension elements is strict, so the Google
News sitemap must also satisfy a schema for the `news:` namespace; that one and the sitemap index schema
are ours (`schemas/`), written from the published protocol, because the official files are not on any
registry this project can reach.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.conftest import INSTALL_NPM, NODE_MODULES, require
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SITEMAP_XSD = NODE_MODULES / "sitemap" / "schema" / "sitemap.xsd"


@pytest.fixture(scope="module")
def schemas():
    """name -> lxml XMLSchema: "urlset" (sitemap.xsd with the News extension) and "sitemapindex"."""
    require(SITEMAP_XSD, "The official sitemap.xsd (npm package sitemap)", INSTALL_NPM)
    etree = pytest.importorskip("lxml.etree", reason='lxml validates the schemas: `pip install -e ".[dev]"`')
    # One schema document importing both namespaces, so the strict wildcard finds the news: elements.
    combined = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="{SITEMAP_XSD.as_uri()}"/>
      <xsd:import namespace="http://www.google.com/schemas/sitemap-news/0.9"
                  schemaLocation="{(SCHEMAS / "news.xsd").as_uri()}"/>
    </xsd:schema>"""
    return {
        "urlset": etree.XMLSchema(etree.fromstring(combined)),
        "sitemapindex": etree.XMLSchema(etree.parse(str(SCHEMAS / "siteindex.xsd"))),
    }


def assert_valid(schemas, client, url, root):
    from lxml import etree

    response = client.get(url)
    assert response.status_code == 200, url
    document = etree.fromstring(response.content)
    assert etree.QName(document).localname == root, url
    schema = schemas[root]
    assert schema.validate(document), f"{url} breaks its schema: {schema.error_log}"
    return document


@pytest.fixture
def newsroom(django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        world = SectionFactory(name="World", slug="world")
        SectionFactory(name="Empty", slug="empty")  # no articles yet: no lastmod, still valid
        author = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
        fresh = ArticleFactory(
            section=world,
            headline="Ferries & trams <back> on time",
            authors=[author],
            tags=["transport", "harbour"],
            publish_at=now - timedelta(hours=2),
        )
        ArticleFactory(section=world, headline="Last week's story", publish_at=now - timedelta(days=7))
        ArticleFactory(section=world, headline="Draft", status="draft")
    return fresh


def test_the_index_and_every_sitemap_it_names_are_valid(schemas, client, newsroom):
    index = assert_valid(schemas, client, "/sitemap.xml", "sitemapindex")
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    named = [loc.text.removeprefix("http://testserver") for loc in index.iter(f"{namespace}loc")]
    assert {"/sitemap-articles.xml", "/sitemap-sections.xml", "/sitemap-tags.xml"} <= set(named)
    urls = 0
    for url in named:
        urls += len(assert_valid(schemas, client, url, "urlset"))
    assert urls == 2 + 2 + 2 + 1  # two published articles, two sections, two tags, one author


@pytest.mark.parametrize("language_code", ["en", "en-gb", "pt-br", "zh-hant"])
def test_the_news_sitemap_is_valid_with_its_extension(schemas, client, newsroom, settings, language_code):
    settings.LANGUAGE_CODE = language_code  # Django's locale codes become Google's ISO 639 ones
    document = assert_valid(schemas, client, "/news-sitemap.xml", "urlset")
    assert len(document) == 1  # only the story of the last 48 hours


def test_the_schemas_reject_what_google_would(schemas):
    """The validation has teeth: a News entry without a title, or with a locale as language, fails."""
    from lxml import etree

    def news(language, title):
        return etree.fromstring(
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://example.com/a</loc>'
            f"<news:news><news:publication><news:name>Newsmag</news:name><news:language>{language}"
            "</news:language></news:publication><news:publication_date>2026-11-28T10:00:00+01:00"
            f"</news:publication_date>{title}</news:news></url></urlset>"
        )

    assert schemas["urlset"].validate(news("en", "<news:title>Ferries</news:title>"))
    assert not schemas["urlset"].validate(news("en", ""))
    assert not schemas["urlset"].validate(news("en-us", "<news:title>Ferries</news:title>"))
    relative = etree.fromstring(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/sitemap-a.xml</loc>'
        "</sitemap></sitemapindex>"
    )
    assert not schemas["sitemapindex"].validate(relative)
