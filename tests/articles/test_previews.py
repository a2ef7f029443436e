"""Preview links are bound to the story's state: any change, unpublishing, deletion or a revocation ends them."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles import history, workflow
from articles.models import Article, ArticleEvent
from articles.preview import SALT, preview_url, revoke_previews
from tests.articles.test_workflow import change_url, form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    """Whoever the link was sent to: not logged in."""
    return type(client)()


def button_link(client, article):
    """A fresh link, as the admin's Preview button gives it."""
    response = client.get(f"/admin/articles/article/{article.pk}/preview/")
    assert response.status_code == 302
    return response["Location"]


def revoke_url(article):
    return f"/admin/articles/article/{article.pk}/preview/revoke/"


def assert_no_longer_works(response):
    assert response.status_code == 410
    html = response.content.decode()
    assert "This preview link no longer works" in html
    assert "ask the person who sent it to you for a new link" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_unpublishing_ends_every_earlier_preview_link(reader, editor):
    article = ArticleFactory(headline="Harbour deal signed")
    url = preview_url(article)
    assert reader.get(url).status_code == 200
    workflow.unpublish(article, by=editor)
    assert_no_longer_works(reader.get(url))


def test_a_new_save_ends_earlier_links_and_the_next_link_shows_the_new_text(client, reader, editor, draft):
    client.force_login(editor)
    before = button_link(client, draft)
    assert "Ferries return" in reader.get(before).content.decode()
    assert client.post(change_url(draft), form_data(draft, headline="Ferries are back")).status_code == 302
    assert_no_longer_works(reader.get(before))
    after = reader.get(button_link(client, draft))
    assert after.status_code == 200
    assert "Ferries are back" in after.content.decode()


def test_restoring_a_revision_ends_earlier_preview_links(client, reader, editor, draft):
    client.force_login(editor)
    client.post(change_url(draft), form_data(draft, headline="Second headline"))
    draft.refresh_from_db()
    url = button_link(client, draft)
    first = draft.revisions.order_by("version").first()
    history.restore(first, by=editor)
    assert_no_longer_works(reader.get(url))


def test_the_revoke_button_ends_every_earlier_link_and_shows_in_the_history(client, reader, editor, draft):
    client.force_login(editor)
    page = client.get(change_url(draft)).content.decode()
    assert f'action="{revoke_url(draft)}"' in page
    assert "Revoke preview links" in page
    links = [button_link(client, draft), button_link(client, draft)]
    assert [reader.get(link).status_code for link in links] == [200, 200]
    draft.refresh_from_db()
    version, revisions = draft.version, draft.revisions.count()

    response = client.post(revoke_url(draft), follow=True)
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert "has stopped working" in response.content.decode()
    for link in links:
        assert_no_longer_works(reader.get(link))
    assert reader.get(button_link(client, draft)).status_code == 200  # a link made afterwards works

    draft.refresh_from_db()
    assert draft.version == version  # not a save: nobody editing the story meets an edit conflict
    assert draft.revisions.count() == revisions
    assert ArticleEvent.objects.filter(article=draft, action="previews_revoked", actor=editor).count() == 1
    history_page = client.get(f"/admin/articles/article/{draft.pk}/history/").content.decode()
    assert "revoked preview links" in history_page


def test_revoking_preview_links_needs_a_post(client, editor, draft):
    client.force_login(editor)
    assert client.get(revoke_url(draft)).status_code == 405
    assert not ArticleEvent.objects.filter(action="previews_revoked").exists()


def test_deleting_the_story_ends_its_preview_links(reader, draft):
    url = preview_url(draft)
    draft.delete()
    assert_no_longer_works(reader.get(url))


def test_a_fresh_link_keeps_working_while_nothing_changes(client, reader, editor, draft):
    client.force_login(editor)
    assert (
        client.get(change_url(draft)).status_code == 200
    )  # opening the form keeps a revision, saves nothing
    url = button_link(client, draft)
    client.get(f"/admin/articles/article/{draft.pk}/history/")
    assert client.get(change_url(draft)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        for _ in range(3):
            response = reader.get(url)
            assert response.status_code == 200
            assert "Ferries return" in response.content.decode()


def test_journalists_cannot_revoke_preview_links(client, reader, editor, journalist, draft):
    others = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, headline="Someone else's story")
    links = [preview_url(draft), preview_url(others)]
    client.force_login(journalist)
    assert "Revoke preview links" not in client.get(change_url(draft)).content.decode()
    assert client.post(revoke_url(draft)).status_code == 403  # their own story: editors only
    assert client.post(revoke_url(others)).status_code == 404  # a story they cannot even see
    with pytest.raises(PermissionDenied):
        revoke_previews(others, by=journalist)
    assert [reader.get(link).status_code for link in links] == [200, 200]
    assert not ArticleEvent.objects.filter(action="previews_revoked").exists()


def test_a_link_signed_before_links_were_bound_to_the_story_says_to_ask_for_a_new_one(reader, draft):
    legacy = signing.dumps(draft.pk, salt=SALT, compress=True)  # the old format: the article's id alone
    assert_no_longer_works(reader.get(f"/preview/{legacy}/"))


def test_an_expired_link_still_says_it_expired_and_forged_ones_stay_unknown(reader, draft, settings):
    url = preview_url(draft)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NEWSMAG_PREVIEW_SECONDS + 5)):
        response = reader.get(url)
    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()
    assert "for a new link" in response.content.decode()
    forged = signing.dumps([draft.pk, draft.version, draft.status, 0], salt="another salt", compress=True)
    assert reader.get(f"/preview/{forged}/").status_code == 404


def test_the_preview_says_until_when_its_link_works(client, draft):
    made = timezone.localtime().replace(microsecond=0)
    with time_machine.travel(made, tick=False):
        url = preview_url(draft)
    ends = timezone.localtime(made + timedelta(days=1))
    assert f"This link works until {ends:%-d %B %Y, %H:%M}" in client.get(url).content.decode()


def test_a_journalist_keeps_save_and_preview_once_the_story_waits_for_review(client, journalist, draft):
    workflow.submit_for_review(draft, by=journalist)
    client.force_login(journalist)
    html = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert 'name="_preview"' in html
