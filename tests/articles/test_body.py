"""Story bodies as readers get them: pictures, galleries, pull quotes, fact boxes and notes (articles/body.py)."""

import json
import re

import feedparser
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.body import render_body
from articles.caching import content_state
from articles.images.renditions import build_renditions
from articles.models import Article, Embed
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def body_of(html):
    return html.split('<div class="article-body">', 1)[1].split("</article>", 1)[0]


def json_ld(html):
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)[0]


@pytest.fixture
def photo(db):
    return ImageFactory(title="Harbour at dawn", caption="The harbour at dawn.", credit="People News",
                        creator="Jane Doe", copyright_notice="© People News")  # fmt: skip


def test_a_body_image_is_the_lead_images_responsive_picture_with_its_caption_and_ai_credit(client, section):
    ai = ImageFactory(caption="A bakery window.", credit="People News", source_type="trainedAlgorithmicMedia")
    ai.renditions = build_renditions(ai)
    ai.save()
    article = ArticleFactory(section=section, body=f'<p>Intro.</p><figure data-image="{ai.pk}"></figure>')
    body = body_of(page(client, article))
    figure = re.search(r'<figure class="figure article-figure body-figure body-figure-column">.*?</figure>',
                       body, re.S).group(0)  # fmt: skip
    assert '<source type="image/webp" srcset="' in figure
    assert re.search(r'original-400\.webp 400w, [^"]*original-640\.webp 640w', figure)
    assert 'sizes="(min-width: 768px) 42rem, 100vw"' in figure
    assert 'loading="lazy"' in figure
    assert "fetchpriority" not in figure
    assert re.search(r'<img [^>]*width="[0-9]+" height="[0-9]+"', figure)
    assert 'alt="A blue rectangle"' in figure
    assert "A bakery window." in figure
    assert '<span class="image-credit image-credit-ai">(People News/AI-generated image)</span>' in figure


@pytest.mark.parametrize(
    ("layout", "sizes"),
    [("wide", "(min-width: 1200px) 66rem, 100vw"), ("full", "100vw"), ("column", "(min-width: 768px) 42rem")],
)
def test_each_layout_gets_its_class_and_sizes(client, section, photo, layout, sizes):
    photo.renditions = build_renditions(photo)
    photo.save()
    article = ArticleFactory(
        section=section, body=f'<figure data-image="{photo.pk}" data-layout="{layout}"></figure>'
    )
    body = body_of(page(client, article))
    assert f"body-figure-{layout}" in body
    assert f'sizes="{sizes}' in body


def test_a_caption_override_replaces_the_images_caption_but_never_the_credit(client, section, photo):
    article = ArticleFactory(
        section=section,
        body=f'<figure data-image="{photo.pk}"><figcaption>Boats <em>leaving</em> at six.</figcaption></figure>',
    )
    body = body_of(page(client, article))
    assert "Boats <em>leaving</em> at six." in body
    assert "The harbour at dawn." not in body
    assert "(Jane Doe/People News)" in body


def test_references_to_missing_images_and_embeds_render_nothing(client, section, photo):
    article = ArticleFactory(
        section=section,
        body=f'<p>Before.</p><figure data-image="999999"><figcaption>Lost</figcaption></figure>'
        f'<div data-gallery=""><figure data-image="999998"></figure></div>'
        f'<figure data-embed="45"></figure><p>After.</p><figure data-image="{photo.pk}"></figure>',
    )
    assert not Embed.objects.filter(pk=45).exists()  # an embed that is not there shows nothing
    body = body_of(page(client, article))
    assert "<p>Before.</p><p>After.</p>" in body
    assert "Lost" not in body
    assert "body-gallery" not in body
    assert "data-embed" not in body
    assert body.count("<picture>") == 1


def test_a_gallery_is_a_focusable_labelled_list_of_lazy_pictures(client, section):
    images = [ImageFactory(caption=f"Picture {n}.") for n in range(3)]
    figures = "".join(f'<figure data-image="{image.pk}"></figure>' for image in images)
    article = ArticleFactory(section=section, body=f'<div data-gallery="">{figures}</div>')
    body = body_of(page(client, article))
    gallery = re.search(r'<div class="body-gallery"[^>]*>', body).group(0)
    assert 'role="region"' in gallery
    assert 'tabindex="0"' in gallery
    assert 'aria-label="Gallery 1, 3 pictures' in gallery
    assert body.count('<li class="body-gallery-item">') == 3
    assert body.count('loading="lazy"') == 3
    assert [f"Picture {n}." in body for n in range(3)] == [True] * 3
    assert body.count("(People News)") == 3
    assert "<script" not in body


def test_pull_quotes_fact_boxes_and_notes_get_their_own_markup(client, section):
    article = ArticleFactory(
        section=section,
        body='<blockquote data-pull-quote=""><p>We bake for the night shift.</p><p data-attribution="">Ana'
        '</p></blockquote><aside data-factbox=""><h3>What we know</h3><ul><li>Open at 3am</li></ul></aside>'
        '<aside data-note=""><p>This story was updated.</p></aside>',
    )
    body = body_of(page(client, article))
    assert (
        '<figure class="pull-quote"><blockquote><p>We bake for the night shift.</p></blockquote>'
        '<figcaption class="pull-quote-attribution"><p>Ana</p></figcaption></figure>'
    ) in body
    assert (
        '<aside class="factbox" aria-labelledby="factbox-1"><h3 id="factbox-1" class="factbox-heading">'
        in body
    )
    assert '<aside class="body-note" role="note"><p>This story was updated.</p></aside>' in body
    assert "data-" not in body.split("data-read-beacon", 1)[0]


def test_the_source_tag_still_opens_a_body_that_starts_with_a_picture(section, photo):
    article = ArticleFactory(
        section=section,
        source_label="People News",
        body=f'<figure data-image="{photo.pk}"></figure><p>Text.</p>',
    )
    html = render_body(article)
    assert html.startswith('<p><span class="source-tag">[People News]</span> </p><figure')
    article.body = "<p>Text.</p>"
    assert render_body(article) == '<p><span class="source-tag">[People News]</span> Text.</p>'


def test_all_images_of_a_body_load_in_one_query(section):
    images = [ImageFactory() for _ in range(12)]
    body = "".join(f'<figure data-image="{image.pk}"></figure>' for image in images[:8])
    body += (
        '<div data-gallery="">'
        + "".join(f'<figure data-image="{i.pk}"></figure>' for i in images[8:])
        + "</div>"
    )
    article = Article.objects.get(pk=ArticleFactory(section=section, body=body).pk)
    with CaptureQueriesContext(connection) as queries:
        html = render_body(article)
        render_body(article)
        article.body_images()
    assert len(queries) == 1
    assert html.count("<picture>") == 12


def test_json_ld_lists_the_lead_and_every_body_image_with_their_credits(client, article, photo):
    article.body = f'<p>x</p><figure data-image="{photo.pk}"></figure><figure data-image="{article.lead_image_id}"></figure>'
    article.save()
    images = json_ld(page(client, article))["image"]
    assert [image["caption"] for image in images] == ["A bakery window before dawn.", "The harbour at dawn."]
    assert images[0]["creditText"] == "People News/AI-generated image"
    assert images[0]["digitalSourceType"] == "https://schema.org/TrainedAlgorithmicMediaDigitalSource"
    assert images[1] == images[1] | {
        "@type": "ImageObject",
        "creditText": "Jane Doe/People News",
        "creator": {"@type": "Person", "name": "Jane Doe"},
        "copyrightNotice": "© People News",
        "digitalSourceType": "https://schema.org/DigitalCaptureDigitalSource",
    }


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_items_carry_the_body_figures_with_credits_and_media_for_each_image(client, article, photo, url):
    ai_body = ImageFactory(caption="Drawn by a model.", source_type="trainedAlgorithmicMedia")
    article.body = (f'<p>Intro.</p><figure data-image="{photo.pk}"></figure>'
                    f'<div data-gallery=""><figure data-image="{ai_body.pk}"></figure></div>')  # fmt: skip
    article.save()
    response = client.get(url)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    entry = feed.entries[0]
    content = entry.content[0].value
    assert "[People News]" in content
    assert re.search(r'<img [^>]*src="http://testserver/media/[^"]+\.jpg"', content)
    assert 'alt="A blue rectangle"' in content
    assert re.search(
        r'The harbour at dawn\. \s*<span class="image-credit">\(Jane Doe/People News\)</span>', content
    )
    assert "(People News/AI-generated image)" in content
    assert "<picture" not in content
    assert "srcset" not in content
    media = [item["url"] for item in entry.media_content]
    assert len(media) == 3
    assert all(u.startswith("http://testserver/media/") for u in media)
    assert [c.get("content") for c in entry.media_credit] == [
        "People News/AI-generated image", "Jane Doe/People News", "People News/AI-generated image",
    ]  # fmt: skip


def cold_queries(client, path):
    run_after_commit_work()
    for cache in caches.all():
        cache.clear()
    content_state()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return len(queries), response.content.decode()


def test_feeds_load_the_body_images_of_all_items_at_once(client, section):
    for _n in range(5):
        images = [ImageFactory() for _ in range(3)]
        ArticleFactory(
            section=section, body="".join(f'<figure data-image="{i.pk}"></figure>' for i in images)
        )
    few, _ = cold_queries(client, "/feed/")
    for _n in range(5):
        ArticleFactory(section=section, body=f'<figure data-image="{ImageFactory().pk}"></figure>')
    more, xml = cold_queries(client, "/feed/")
    assert xml.count("<media:content") == 20
    assert more == few


def test_an_embed_in_the_body_is_a_click_to_load_card_on_the_page_a_link_in_feeds_and_a_video_in_json_ld(
    client, section
):
    import feedparser

    video = Embed.objects.create(
        url="https://www.youtube.com/watch?v=aqz-KE-bpKQ", provider="youtube", type=Embed.Type.VIDEO,
        title="Big Buck Bunny", author_name="Blender", html='<iframe src="https://evil.example/"></iframe>',
    )  # fmt: skip
    article = ArticleFactory(section=section, body=f'<p>Watch.</p><figure data-embed="{video.pk}"></figure>')
    html = client.get(article.get_absolute_url()).content.decode()
    body = body_of(html)
    assert "Big Buck Bunny" in body
    assert "Load content from YouTube" in body
    assert "<iframe" not in body  # nothing third-party before the click
    assert "evil.example" not in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))[
        0
    ]
    assert data["video"] == [
        {
            "@type": "VideoObject",
            "name": "Big Buck Bunny",
            "url": video.url,
            "embedUrl": "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
            "author": {"@type": "Person", "name": "Blender"},
        }
    ]
    entry = feedparser.parse(client.get("/feed/").content).entries[0]
    content = entry.content[0].value
    assert f'<a href="{video.url}">Big Buck Bunny</a>' in content
    assert "Load content" not in content
    assert "<script" not in content
