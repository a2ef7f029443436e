"""No control character reaches a reader: none is stored, and no feed or sitemap can ever write one.

A vertical tab pasted from a word processor or a unit separator in a file's IPTC caption is harmless in a
form, but XML 1.0 forbids it: one such character used to make every feed listing the story answer 500.
"""

import re

import feedparser
import pytest
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from lxml import etree
from taggit.forms import TagField
from taggit.models import Tag

from articles.feeds import CleanFeedMixin
from articles.models import Article, Author, Correction, Image, Section
from articles.text import clean_text
from comments.models import Comment
from comments.text import clean_body, clean_line
from tests.articles.test_images import image_form, jpeg, upload, with_iptc
from tests.factories import ArticleFactory, CommentFactory, ImageFactory, UserFactory
from tests.security.hostile import hostile_story

pytestmark = pytest.mark.django_db

# A word processor's vertical tab, a unit separator and, for good measure, more C0 and C1 controls and a
# noncharacter (XML forbids U+FFFF too).
DIRTY = "Harbour\x0bnews\x1f \x01\x08\x7f\x9b\uffff"
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
MODELS = (Article, Author, Section, Correction, Image, Tag, Comment)


def text_fields(model):
    """The CharFields and TextFields a writer fills in (choices are fixed values, checked by constraints)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def test_clean_text_turns_breaks_into_newlines_drops_other_controls_and_keeps_real_text():
    assert clean_text("a\x0bb\x0cc\x1cd\x85e") == "a\nb\nc\nd\ne"
    assert clean_text("a\x00b\x1fc\x7fd\x9fe\x08f\uffffg\ufffeh") == "abcdefgh"
    kept = "tab\tnew\nline\r\n, Grüße, 東京, emoji 🙂, “quotes” – dashes"
    assert clean_text(kept) == kept
    assert clean_text("one\x0bline\r\n\ntwo", one_line=True) == "one line two"
    assert clean_text(None) is None
    assert clean_text(7) == 7


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_text_field_readers_see_is_stored_without_control_characters(model):
    article = ArticleFactory()
    instance = {
        Article: lambda: article,
        Author: lambda: Author.objects.create(name="x", slug="x"),
        Section: lambda: article.section,
        Correction: lambda: Correction.objects.create(article=article, text="x"),
        Image: lambda: ImageFactory(),
        Tag: lambda: Tag.objects.create(name="x", slug="x"),
        Comment: lambda: CommentFactory(article=article),
    }[model]()
    fields = text_fields(model)
    for field in fields:
        setattr(instance, field.attname, f"{field.name}{DIRTY}"[: field.max_length])
    instance.save()

    instance.refresh_from_db()
    for field in fields:
        value = getattr(instance, field.attname)
        assert not CONTROL.search(value), (field.name, value)
        if field.max_length is None or field.max_length >= len(field.name) + 20:
            # One-line fields get a space for the line break, text fields a newline.
            expected = " " if isinstance(field, models.CharField) else "\n"
            assert value.startswith(f"{field.name}Harbour{expected}news"), (field.name, value)


def test_an_iptc_caption_and_credit_with_control_characters_are_stored_clean(client):
    from django.contrib.auth.models import Group

    from articles import roles

    editor = UserFactory(username="picture-desk", is_staff=True)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    client.force_login(editor)
    data = with_iptc(jpeg(), {(2, 110): b"People\x0bNews\x1f", (2, 120): b"Dockers\x0bat dawn\x1f"})
    response = client.post("/admin/articles/image/add/", image_form(file=upload(data), alt_text="Dockers"))
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert (image.credit, image.caption) == ("People News", "Dockers\nat dawn")


def test_tags_typed_with_control_characters_are_found_again_not_duplicated():
    first, second = ArticleFactory(), ArticleFactory()
    first.tags.set(TagField().clean("harbour\x0bnews\x1f, ferries"))
    second.tags.set(TagField().clean("Harbour\x0bNews, ferries"))  # the same tags, typed again
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["ferries", "harbour news"]
    assert sorted(second.tags.values_list("name", flat=True)) == ["ferries", "harbour news"]


def test_comments_clean_their_text_with_the_same_rule():
    assert clean_body("First\x0bsecond\x1f line") == "First\nsecond line"
    assert clean_line("Jane\x0bDoe\x1f") == "Jane Doe"


def every_text_field_updated_without_a_save(article):
    """Put DIRTY back into every text field readers see with QuerySet.update(), which sends no signal: rows
    written before the rule, or by raw SQL, look like this."""
    image, section, tag = article.lead_image, article.section, article.tags.get()
    rows = [
        (Article, article.pk),
        (Image, image.pk),
        (Section, section.pk),
        (Author, article.byline_authors[0].pk),
        (Tag, tag.pk),
        *((Correction, pk) for pk in article.corrections.values_list("pk", flat=True)),
    ]
    for model, pk in rows:
        values = {
            field.attname: f"Zebra {DIRTY} {field.name}"[: field.max_length]
            for field in text_fields(model)
            if not field.unique and not isinstance(field, models.SlugField)
        }
        if model is Section or model is Tag:
            values["name"] = f"Zebra {DIRTY} {model.__name__}"
        model.objects.filter(pk=pk).update(**values)


def xml_documents(article):
    section, tag, author = article.section, article.tags.get(), article.byline_authors[0]
    feeds = [
        "/feed/",
        "/feed/atom/",
        f"/{section.slug}/feed/",
        f"/{section.slug}/feed/atom/",
        f"/tag/{tag.slug}/feed/",
        f"/tag/{tag.slug}/feed/atom/",
        f"/author/{author.slug}/feed/",
        f"/author/{author.slug}/feed/atom/",
    ]
    sitemaps = [f"/sitemap-{name}.xml" for name in ("articles", "sections", "tags", "authors")]
    return feeds, ["/sitemap.xml", *sitemaps, "/news-sitemap.xml"]


@pytest.mark.parametrize("saved", [True, False], ids=["saved", "written-without-a-save"])
def test_every_feed_and_sitemap_is_xml_whatever_the_rows_hold(client, saved):
    article, _ = hostile_story(DIRTY, key="ctl")
    if not saved:
        every_text_field_updated_without_a_save(article)
        assert CONTROL.search(Image.objects.get(pk=article.lead_image_id).caption)
    feeds, sitemaps = xml_documents(article)
    for url in feeds + sitemaps:
        response = client.get(url)
        assert response.status_code == 200, url
        etree.fromstring(response.content)  # strict: raises on a single control character
        assert not CONTROL.search(response.content.decode()), url
        if url in feeds:
            feed = feedparser.parse(response.content)
            assert not feed.bozo, (url, feed.bozo_exception)
            [entry] = feed.entries
            assert entry.title.startswith("Zebra Harbour"), (url, entry.title)
            # The item carries the standfirst and the image's alt text, caption and credit, all cleaned.
            assert entry.summary.count("Harbour") >= 4, (url, entry.summary)
    news = etree.fromstring(client.get("/news-sitemap.xml").content)
    title = news.find(".//{http://www.google.com/schemas/sitemap-news/0.9}title").text
    assert title.startswith("Zebra Harbour")


def test_every_feed_class_writes_through_a_clean_generator():
    def feeds(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from feeds(pattern)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "__wrapped__", pattern.callback)
                if hasattr(view, "feed_type"):
                    yield view

    found = list(feeds(get_resolver()))
    assert len(found) == 9  # site, section, tag, author (RSS and Atom each) and a live story's updates
    assert all(issubclass(feed.feed_type, CleanFeedMixin) for feed in found)


def test_pages_show_no_control_character(client):
    article, _ = hostile_story(DIRTY, key="ctl")
    pages = [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        article.byline_authors[0].get_absolute_url(),
        f"/tag/{article.tags.get().slug}/",
        "/corrections/",
        "/ai-images/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Harbour" in html, url
        assert not CONTROL.search(html), (url, CONTROL.search(html))
