"""Body pictures in search (captions and credits) and in the revision diff."""

import pytest

from articles.history import diff, snapshot
from articles.models import Article
from articles.search import newest_matches
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


def found(text):
    run_after_commit_work()  # the vectors are refreshed after commit
    return newest_matches(Article.objects.published(), text)


def test_captions_and_credits_of_body_pictures_are_searchable(section):
    image = ImageFactory(caption="Lighthouse keepers at Skerryvore", credit="Hebridean Photo Agency")
    article = ArticleFactory(section=section, body=f'<p>Text.</p><figure data-image="{image.pk}"></figure>')
    ArticleFactory(section=section)
    assert found("Skerryvore") == [article.pk]
    assert found("Hebridean") == [article.pk]


def test_a_changed_caption_is_found_and_the_old_one_no_longer(section):
    image = ImageFactory(caption="Lighthouse at Skerryvore")
    article = ArticleFactory(section=section, body=f'<figure data-image="{image.pk}"></figure>')
    assert found("Skerryvore") == [article.pk]
    image.caption = "Lighthouse at Ardnamurchan"
    image.save()
    assert found("Ardnamurchan") == [article.pk]
    assert found("Skerryvore") == []


def body_change(before, after):
    article = ArticleFactory(body=before)
    old = snapshot(article)
    article.body = after
    article.save()
    return dict(diff(old, snapshot(article)))["Body"]


def test_the_revision_diff_names_an_added_a_removed_and_a_changed_body_picture():
    quay = ImageFactory(title="Quay at night", credit="People News", source_type="trainedAlgorithmicMedia")
    ferry = ImageFactory(title="Ferry", credit="Elena Marsh")
    added = body_change("<p>Text.</p>", f'<p>Text.</p><figure data-image="{quay.pk}"></figure>')
    assert f"<ins>[Image {quay.pk}: Quay at night (People News/AI-generated image)]</ins>" in added
    removed = body_change(f'<p>Text.</p><figure data-image="{ferry.pk}"></figure>', "<p>Text.</p>")
    assert f"<del>[Image {ferry.pk}: Ferry (Elena Marsh)]</del>" in removed
    changed = body_change(
        f'<figure data-image="{ferry.pk}"></figure>', f'<figure data-image="{quay.pk}"></figure>'
    )
    # Word by word, the shared "[Image" stays: what was there and what is now are still named.
    assert f"<del>{ferry.pk}: Ferry (Elena Marsh)]</del>" in changed
    assert f"<ins>{quay.pk}: Quay at night (People News/AI-generated image)]</ins>" in changed


def test_a_revision_showing_a_picture_since_deleted_still_reads():
    line = body_change('<figure data-image="999999"></figure>', "<p>x</p>")
    assert "<del>[Image 999999: no longer in the library]</del>" in line


def test_the_revision_diff_names_an_added_embed():
    from articles.models import Embed

    video = Embed.objects.create(
        url="https://vimeo.com/76979871", provider="vimeo", title="The New Vimeo Player"
    )
    added = body_change("<p>Text.</p>", f'<p>Text.</p><figure data-embed="{video.pk}"></figure>')
    assert f"<ins>[Embed {video.pk}: The New Vimeo Player]</ins>" in added
