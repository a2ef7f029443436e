"""Autosave: the article form's typed text is kept beside the story, offered back, and never changes the
story by itself."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from articles.models import Article, Autosave
from tests.articles.conftest import with_role
from tests.articles.test_workflow import change_url, form_data

AUTOSAVE = "/admin/articles/article/autosave/"


def typed(article=None, **fields):
    data = {"article": article.pk if article else "", "headline": "Ferries return", "body": "<p>Typed</p>"}
    if article is not None:
        data["base_version"] = article.version
    return {**data, **fields}


def test_typing_is_kept_beside_the_story_and_the_story_is_untouched(db, client, journalist, draft):
    client.force_login(journalist)
    story = Article.objects.values(
        *[f.attname for f in Article._meta.concrete_fields if f.name != "search_vector"]
    )
    before = story.get(pk=draft.pk)
    response = client.post(AUTOSAVE, typed(draft, body="<p>Half a sentence<script>x()</script></p>"))
    assert response.status_code == 200
    assert "saved_at" in response.json()
    copy = Autosave.objects.get(user=journalist, article=draft)
    assert copy.data["body"] == "<p>Half a sentence</p>"  # sanitized like a body
    assert copy.base_version == draft.version
    assert story.get(pk=draft.pk) == before
    client.post(AUTOSAVE, typed(draft, body="<p>Half a sentence more</p>"))
    assert Autosave.objects.filter(user=journalist).count() == 1  # one copy per person and story


def test_reopening_the_form_offers_the_kept_text_and_restoring_puts_it_back(db, client, journalist, draft):
    client.force_login(journalist)
    change = f"/admin/articles/article/{draft.pk}/change/"
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        client.post(AUTOSAVE, typed(draft, headline="Ferries return at dawn", body="<p>Lost then found</p>"))
    html = client.get(change).content.decode()
    assert "that was not saved" in html
    restored = client.get(change + "?restore=autosave").content.decode()
    assert 'value="Ferries return at dawn"' in restored
    assert "Lost then found" in restored
    assert "is back in the form" in restored
    assert Article.objects.get(pk=draft.pk).headline == "Ferries return"


def test_saving_the_story_ends_the_offer(db, client, journalist, draft):
    client.force_login(journalist)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        client.post(AUTOSAVE, typed(draft))
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        draft.refresh_from_db()
        draft.save()  # saved elsewhere after the copy was kept: the copy is older than the story
        assert (
            "that was not saved"
            not in client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
        )


def test_a_new_story_is_kept_too_and_offered_on_the_add_form(db, client, journalist):
    client.force_login(journalist)
    client.post(AUTOSAVE, typed(None, headline="A story never saved"))
    assert Autosave.objects.get(user=journalist, article=None).data["headline"] == "A story never saved"
    assert "that was not saved" in client.get("/admin/articles/article/add/").content.decode()
    html = client.get("/admin/articles/article/add/?restore=autosave").content.decode()
    assert 'value="A story never saved"' in html


def test_discarding_removes_the_copy(db, client, journalist, draft):
    client.force_login(journalist)
    client.post(AUTOSAVE, typed(draft))
    response = client.post("/admin/articles/article/autosave/discard/", {"article": draft.pk})
    assert response.status_code == 302
    assert not Autosave.objects.exists()


def test_only_people_who_may_change_the_story_can_keep_text_for_it(db, client, journalist, draft):
    other = with_role("Journalist", username="tom")
    client.force_login(other)
    assert client.post(AUTOSAVE, typed(draft)).status_code in (403, 404)
    moderator = with_role("Moderator", username="mo")
    client.force_login(moderator)
    assert client.post(AUTOSAVE, typed(None)).status_code == 403
    assert not Autosave.objects.exists()


def test_bad_autosave_input_is_a_4xx_and_keeps_nothing(db, client, journalist, draft):
    client.force_login(journalist)
    assert client.get(AUTOSAVE).status_code == 405
    assert client.post(AUTOSAVE, typed(draft, base_version="seven")).status_code == 400
    assert client.post(AUTOSAVE, typed(draft, body="x" * 600_000)).status_code == 400
    assert client.post(AUTOSAVE, {"article": "abc"}).status_code == 404
    assert not Autosave.objects.exists()


def test_restoring_an_old_copy_still_detects_an_edit_conflict(db, client, journalist, editor, draft):
    started = draft.version
    client.force_login(journalist)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        client.post(AUTOSAVE, typed(draft, headline="My headline"))
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        story = Article.objects.get(pk=draft.pk)
        story.dek = "The editor's standfirst"
        story.save()
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        client.post(AUTOSAVE, typed(draft, headline="My headline") | {"base_version": started})
        html = client.get(change_url(draft) + "?restore=autosave").content.decode()
        assert f'name="base_version" value="{started}"' in html
        response = client.post(
            change_url(draft), form_data(draft, headline="My headline", base_version=started)
        )
    assert "Not saved:" in response.content.decode()
    assert Article.objects.get(pk=draft.pk).headline == "Ferries return"


def test_the_form_carries_the_autosave_settings(db, client, journalist, draft, settings):
    settings.NEWSMAG_AUTOSAVE_SECONDS = 3
    client.force_login(journalist)
    html = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert f'data-article="{draft.pk}" data-seconds="3"' in html
    assert "js/admin-autosave.js" in html


def test_autosave_can_be_turned_off(db, client, journalist, draft, settings):
    settings.NEWSMAG_AUTOSAVE_SECONDS = 0
    client.force_login(journalist)
    assert 'id="autosave"' not in client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
