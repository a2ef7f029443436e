"""The newsroom workflow: roles, transitions, scheduling, preview, revisions, conflicts, corrections."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles import roles, workflow
from articles.models import Article, ArticleEvent, ArticleRevision, Correction
from articles.preview import preview_url
from tests.articles.conftest import with_role
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_data(article, **overrides):
    """The admin change form's POST data for `article`, as a browser would send it."""
    data = {
        "kicker": article.kicker,
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "source_label": article.source_label,
        "body": article.body,
        "byline_text": article.byline_text,
        "section": article.section_id,
        "tags": ", ".join(article.tags.names()),
        "lead_image": article.lead_image_id or "",
        "comment_policy": article.comment_policy,
        "publish_at_0": "",
        "publish_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "base_version": article.version,
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


# Roles -------------------------------------------------------------------------------------------------


def test_grant_role_command_gives_and_takes_a_role():
    user = UserFactory(username="new", is_staff=False)
    call_command("grant_role", "new", "editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user.refresh_from_db()
    assert user.is_staff
    assert user.has_perm("articles.publish_article")
    call_command("grant_role", "new", "Editor", "--remove", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("articles.publish_article")
    with pytest.raises(CommandError, match="Unknown role"):
        call_command("grant_role", "new", "publisher")


def test_journalist_sees_only_their_own_articles(client, journalist, draft):
    other = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, headline="Someone else's draft")
    client.force_login(journalist)
    listing = client.get("/admin/articles/article/").content.decode()
    assert "Ferries return" in listing
    assert "Someone else&#x27;s draft" not in listing
    assert client.get(change_url(other)).status_code == 302  # "does not exist" redirect to the list


def test_journalist_cannot_publish_even_by_forging_the_button(client, journalist, draft):
    client.force_login(journalist)
    client.post(change_url(draft), form_data(draft, _transition="publish", status="published"))
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_journalist_submits_for_review_and_can_no_longer_edit_once_published(
    client, journalist, editor, draft
):
    client.force_login(journalist)
    response = client.post(change_url(draft), form_data(draft, _transition="submit"), follow=True)
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW
    assert "In review" in response.content.decode()
    workflow.publish(draft, by=editor)
    response = client.get(change_url(draft))
    assert 'name="headline"' not in response.content.decode()  # read-only for the journalist now


def test_journalist_cannot_delete_or_touch_sections_or_comments(client, journalist, draft):
    client.force_login(journalist)
    assert client.get(f"/admin/articles/article/{draft.pk}/delete/").status_code == 403
    assert client.get("/admin/articles/section/add/").status_code == 403
    assert client.get("/admin/comments/comment/?status__exact=pending").status_code == 403


def test_moderator_sees_no_article_editing(client):
    client.force_login(with_role(roles.MODERATOR))
    assert client.get("/admin/articles/article/").status_code == 403
    assert client.get("/admin/articles/article/add/").status_code == 403


# Transitions -------------------------------------------------------------------------------------------


def test_every_transition_records_who_and_when(editor, journalist, draft):
    workflow.submit_for_review(draft, by=journalist)
    workflow.request_changes(draft, by=editor, note="Needs a second source")
    workflow.submit_for_review(draft, by=journalist)
    workflow.publish(draft, by=editor)
    workflow.unpublish(draft, by=editor)
    events = list(
        ArticleEvent.objects.filter(article=draft).order_by("pk").values_list("action", "actor__username")
    )
    assert events == [
        ("submitted", "maria"),
        ("changes_requested", "editor"),
        ("submitted", "maria"),
        ("published", "editor"),
        ("unpublished", "editor"),
    ]
    draft.refresh_from_db()
    assert draft.status == Article.Status.UNPUBLISHED
    assert ArticleRevision.objects.filter(article=draft).count() == 5


def test_transitions_refuse_what_does_not_apply(editor, journalist, draft):
    with pytest.raises(workflow.TransitionError):
        workflow.unpublish(draft, by=editor)
    with pytest.raises(workflow.TransitionError):
        workflow.request_changes(draft, by=editor)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        workflow.publish(draft, by=journalist)


def test_article_cannot_go_out_with_an_uncredited_image(editor, draft):
    draft.lead_image = ImageFactory(credit="", creator="")
    draft.save()
    with pytest.raises(workflow.TransitionError, match="no credit"):
        workflow.publish(draft, by=editor)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_editor_schedules_from_the_admin_and_the_article_appears_on_its_own(client, editor, draft):
    start = timezone.now().replace(microsecond=0)
    at = timezone.localtime(start + timedelta(hours=3))
    client.force_login(editor)
    response = client.post(
        change_url(draft),
        form_data(
            draft,
            publish_at_0=at.strftime("%Y-%m-%d"),
            publish_at_1=at.strftime("%H:%M:%S"),
            _transition="publish",
        ),
        follow=True,
    )
    assert "scheduled" in response.content.decode()
    client.logout()
    draft.refresh_from_db()
    assert draft.is_scheduled
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Ferries return" not in client.get("/").content.decode()
    with time_machine.travel(at + timedelta(seconds=1), tick=False):
        assert client.get(draft.get_absolute_url()).status_code == 200
        assert "Ferries return" in client.get("/").content.decode()
        assert "Ferries return" in client.get("/feed/").content.decode()


def test_expired_article_leaves_the_site(client, section):
    article = ArticleFactory(section=section, expires_at=timezone.now() + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get(article.get_absolute_url()).status_code == 404


def test_bulk_publish_action_uses_the_same_rules(client, editor):
    good = ArticleFactory(status=Article.Status.REVIEW, publish_at=None)
    bad = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, lead_image=ImageFactory(credit=""))
    client.force_login(editor)
    client.post(
        "/admin/articles/article/", {"action": "publish_selected", "_selected_action": [good.pk, bad.pk]}
    )
    assert set(Article.objects.published()) == {good}
    assert ArticleEvent.objects.filter(article=good, action="published", actor=editor).exists()


# Preview -----------------------------------------------------------------------------------------------


def test_preview_link_shows_a_draft_uncached_and_noindex(client, draft):
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ferries return" in html
    assert "Preview" in html
    assert 'content="noindex, nofollow"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert 'id="comments"' not in html


def test_preview_link_expires_and_cannot_be_forged(client, draft, settings):
    url = preview_url(draft)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NEWSMAG_PREVIEW_SECONDS + 5)):
        response = client.get(url)
        assert response.status_code == 410
        assert "expired" in response.content.decode()
    assert client.get(url[:-3] + "abc/").status_code == 404
    assert client.get("/preview/1/").status_code == 404


def test_admin_preview_button_redirects_to_a_signed_link(client, editor, draft):
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/{draft.pk}/preview/")
    assert response.status_code == 302
    assert response["Location"].startswith("/preview/")
    save_and_preview = client.post(
        change_url(draft), form_data(draft, headline="Ferries are back", _preview="1")
    )
    assert save_and_preview["Location"].startswith("/preview/")
    assert "Ferries are back" in client.get(save_and_preview["Location"]).content.decode()


# Revisions and conflicts -------------------------------------------------------------------------------


def test_every_admin_save_keeps_a_revision_that_can_be_compared_and_restored(client, editor, draft):
    client.force_login(editor)
    client.post(change_url(draft), form_data(draft, headline="First headline", tags="ferries"))
    draft.refresh_from_db()
    client.post(change_url(draft), form_data(draft, headline="Second headline", body="<p>New text</p>"))
    draft.refresh_from_db()
    versions = list(draft.revisions.order_by("version").values_list("version", flat=True))
    assert len(versions) == 2
    compare = client.get(
        f"/admin/articles/article/{draft.pk}/history/compare/?a={versions[0]}&b={versions[1]}"
    )
    html = compare.content.decode()
    assert "<del>First</del>" in html
    assert "<ins>Second</ins>" in html
    assert "<ins>New text</ins>" in html or "<ins>New</ins>" in html
    history = client.get(f"/admin/articles/article/{draft.pk}/history/").content.decode()
    assert "Erik Stone" in history

    client.post(f"/admin/articles/article/{draft.pk}/history/restore/{versions[0]}/")
    draft.refresh_from_db()
    assert draft.headline == "First headline"
    assert list(draft.tags.names()) == ["ferries"]
    assert draft.status == Article.Status.DRAFT
    assert draft.revisions.count() == 3  # restoring is itself a revision
    assert draft.events.filter(action="restored").exists()


def test_restore_requires_post(client, editor, draft):
    workflow.submit_for_review(draft, by=editor)
    client.force_login(editor)
    assert (
        client.get(f"/admin/articles/article/{draft.pk}/history/restore/{draft.version}/").status_code == 403
    )


def test_second_editor_is_refused_sees_what_changed_and_keeps_their_text(client, editor, draft):
    other_editor = with_role(roles.EDITOR, username="desk", first_name="Dana")
    first, second = client, type(client)()
    first.force_login(editor)
    second.force_login(other_editor)
    assert first.get(change_url(draft)).status_code == second.get(change_url(draft)).status_code == 200
    opened = form_data(draft)  # both opened the same version
    first.post(change_url(draft), {**opened, "headline": "Ferries return to Kessling"})
    response = second.post(change_url(draft), {**opened, "body": "<p>My careful rewrite</p>"})
    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert "Not saved: Erik Stone saved this article" in html
    assert "<ins>to Kessling</ins>" in html
    assert "My careful rewrite" in html  # their text is kept in the form
    draft.refresh_from_db()
    assert draft.headline == "Ferries return to Kessling"
    assert "careful rewrite" not in draft.body
    # Having seen the change, saving again goes through (the form now carries the current version).
    again = second.post(
        change_url(draft),
        {**opened, "headline": "Ferries return to Kessling", "body": "<p>My careful rewrite</p>",
         "base_version": draft.version},
    )  # fmt: skip
    assert again.status_code == 302
    draft.refresh_from_db()
    assert "My careful rewrite" in draft.body


# Corrections, bylines, editor ------------------------------------------------------------------------------


def test_correction_shows_on_the_article_and_the_corrections_page(client, editor):
    article = ArticleFactory(headline="Harbour budget passes", section=SectionFactory(slug="politics"))
    before = article.updated_at
    client.force_login(editor)
    response = client.post(
        change_url(article),
        form_data(
            article,
            **{
                "publish_at_0": timezone.localtime(article.publish_at).strftime("%Y-%m-%d"),
                "publish_at_1": timezone.localtime(article.publish_at).strftime("%H:%M:%S"),
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-text": "An earlier version gave the wrong budget total.",
                "corrections-0-published_at_0": timezone.localtime().strftime("%Y-%m-%d"),
                "corrections-0-published_at_1": timezone.localtime().strftime("%H:%M:%S"),
            },
        ),
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.created_by == editor
    article.refresh_from_db()
    assert article.updated_at > before
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "An earlier version gave the wrong budget total." in page
    assert "Updated" in page
    listing = client.get("/corrections/").content.decode()
    assert "Harbour budget passes" in listing
    assert "wrong budget total" in listing


def test_byline_shows_every_author_in_order_and_the_byline_note(client, section):
    article = ArticleFactory(
        section=section,
        authors=[AuthorFactory(name="Ana Silva"), AuthorFactory(name="Ben Ode")],
        byline_text="Reported by Ana Silva in Kessling",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("Ana Silva</a>") < html.index("Ben Ode</a>")
    assert "Reported by Ana Silva in Kessling" in html


def test_body_from_the_editor_is_sanitized_whatever_the_client_sent(client, editor, draft):
    client.force_login(editor)
    client.post(
        change_url(draft),
        form_data(
            draft,
            body='<h2 onclick="x()">Sub</h2><script>alert(1)</script><p><a href="javascript:x()">y</a></p>',
        ),
    )
    draft.refresh_from_db()
    assert "<h2>Sub</h2>" in draft.body
    assert "script" not in draft.body
    assert "javascript" not in draft.body
    assert "onclick" not in draft.body


def test_article_form_uses_the_rich_text_editor_with_a_hashed_import_map(client, editor, draft):
    client.force_login(editor)
    response = client.get(change_url(draft))
    html = response.content.decode()
    assert "data-django-prose-editor-configurable" in html
    policy = response["Content-Security-Policy"]
    assert "'sha256-" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_article_list_shows_status_badges_and_filters(client, editor, draft, section):
    ArticleFactory(section=section, headline="Live story")
    ArticleFactory(section=section, headline="Later story", publish_at=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    html = client.get("/admin/articles/article/").content.decode()
    assert 'status-draft">Draft' in html
    assert 'status-published">Published' in html
    assert 'status-scheduled">Scheduled' in html
    filtered = client.get("/admin/articles/article/?status__exact=draft").content.decode()
    assert "Ferries return" in filtered
    assert "Live story" not in filtered
