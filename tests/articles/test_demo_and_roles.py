import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles import roles, workflow
from articles.fronts import home_front
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    BodyImage,
    Container,
    FrontPage,
    FrontRevision,
    Image,
    Pin,
    Section,
    Source,
)
from comments.models import Comment

pytestmark = pytest.mark.django_db


def snapshot():
    models = [
        Section,
        Author,
        Image,
        Article,
        ArticleAuthor,
        Comment,
        Container,
        Pin,
        FrontRevision,
        get_user_model(),
    ]
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in models} | {
        "article rows": sorted(Article.objects.values_list("slug", "status", "publish_at", "updated_at"))
    }


def test_load_demo_builds_the_newsroom_and_is_idempotent(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == first

    assert Section.objects.count() >= 4
    assert Article.objects.published().count() >= 12
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED).exclude(
        pk__in=Article.objects.published()
    )
    assert scheduled.count() == 1
    assert any(image.is_ai_generated for image in Image.objects.all())
    assert Comment.objects.filter(status=Comment.Status.PENDING).exists()
    assert Comment.objects.filter(parent__isnull=False, status=Comment.Status.APPROVED).exists()

    lead = Article.objects.published().get(featured=True)
    html = client.get(lead.get_absolute_url()).content.decode()
    assert "AI-generated image)" in html
    assert "Thank you, Lena!" in html
    assert "Editor’s pick</span>" in html  # Nadia's comment
    assert 'Recommend<span class="comment-recommend-count" data-count="14"> 14<' in html
    assert ">Author</span>" in html


def test_the_demo_home_page_is_curated_and_published_with_the_lead_pinned(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = FrontPage.objects.home()
    assert home.live_revision is not None
    assert home.changed_since is None
    front = home_front()
    sources = [block.source for block in front.blocks]
    assert sources[0] == Source.TOP
    assert front.blocks[0].articles[0].slug == "night-baker-kessling"
    assert sources.count(Source.SECTION) == 2
    assert {Source.TAG, Source.LATEST, Source.MOST_READ} <= set(sources)
    html = client.get("/").content.decode()
    assert "Climate" in html
    assert "Most read" in html


def test_demo_logins_have_their_roles():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = get_user_model().objects
    assert users.get(username="maria").groups.get().name == roles.JOURNALIST
    assert users.get(username="editor").has_perm("articles.publish_article")
    assert not users.get(username="maria").has_perm("articles.publish_article")
    assert users.get(username="moderator").has_perm("comments.can_moderate")
    assert not users.get(username="moderator").has_perm("articles.change_article")


def test_roles_are_created_by_migration_with_least_privilege():
    permissions = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }
    assert permissions[roles.MODERATOR] == {
        "comments.view_comment",
        "comments.change_comment",
        "comments.can_moderate",
    }
    assert "articles.publish_article" in permissions[roles.EDITOR]
    assert "articles.publish_article" not in permissions[roles.JOURNALIST]
    assert "articles.delete_article" not in permissions[roles.JOURNALIST]
    front_models = ("frontpage", "container", "pin", "frontrevision")
    assert not any(name.split("_", 1)[-1] in front_models for name in permissions[roles.JOURNALIST])
    assert {
        "articles.change_frontpage",
        "articles.publish_frontpage",
        "articles.add_container",
        "articles.change_pin",
        "articles.view_frontrevision",
    } <= permissions[roles.EDITOR]
    assert "articles.delete_frontpage" not in permissions[roles.EDITOR]
    assert not any(name.startswith("comments.") for name in permissions[roles.JOURNALIST])


def test_journalist_cannot_publish_or_schedule_from_the_admin_form(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(get_user_model().objects.get(username="maria"))
    html = client.get("/admin/articles/article/add/").content.decode()
    assert 'value="submit"' in html
    assert 'value="publish"' not in html
    assert 'name="status"' not in html
    assert 'name="publish_at_0"' not in html
    published = Article.objects.published().exclude(bylines__author__user__username="maria").first()
    assert client.get(f"/admin/articles/article/{published.pk}/change/").status_code in (302, 403)


def test_journalist_article_gets_their_byline(client, section):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(get_user_model().objects.get(username="maria"))
    response = client.post(
        "/admin/articles/article/add/",
        {
            "headline": "Harbour ferries return",
            "slug": "harbour-ferries-return",
            "body": "<p>Text</p>",
            "section": section.pk,
            "status": "published",
            "publish_at_0": "2020-01-01",
            "publish_at_1": "10:00",
            "comment_policy": "open",
            "_transition": "submit",
            "tags": "ferries",
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="harbour-ferries-return")
    assert article.status == Article.Status.REVIEW
    assert [a.slug for a in article.byline_authors] == ["maria-keller"]


def test_the_demo_night_baker_story_shows_body_pictures_a_gallery_embeds_a_pull_quote_and_a_fact_box(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    story = Article.objects.get(slug="night-baker-kessling")
    assert BodyImage.objects.filter(article=story).count() == 4
    body = client.get(story.get_absolute_url()).content.decode().split('<div class="article-body">', 1)[1]
    wide = body.split('body-figure-wide">', 1)[1].split("</figure>", 1)[0]
    assert "(People News/AI-generated image)" in wide
    assert body.count('<li class="body-gallery-item">') == 3
    assert "(Elena Marsh/People News)" in body
    assert '<figure class="pull-quote">' in body
    assert '<h3 id="factbox-1" class="factbox-heading">What we know</h3>' in body
    assert "Load content from YouTube" in body  # the video and the social post, as click-to-load cards
    assert "Load content from Bluesky" in body
    assert "<iframe" not in body
    assert workflow.publication_problems(story) == []


def test_the_demo_stories_offer_search_engines_pictures_of_1200_px_in_every_ratio(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    html = client.get("/culture/night-baker-kessling/").content.decode()
    data = json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    story = next(item for item in (data if isinstance(data, list) else [data]) if "image" in item)
    images = story["image"]
    assert len(images) >= 3
    assert all(image["width"] >= 1200 for image in images), [(i["width"], i["height"]) for i in images]
