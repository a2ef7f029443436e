"""The moderation queue's one-click decisions: Approve, Reject (with a reason) and Spam on each row, each a
CSRF-protected POST through comments.moderation.moderate(), for moderators only."""

import re
from datetime import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from articles import roles
from comments import moderation
from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/?status__exact=pending"
WHEN = datetime.fromisoformat("2026-03-02T09:15:00+01:00")


def decide_url(comment):
    return f"/admin/comments/comment/{comment.pk}/moderate/"


def decision(comment, status, **fields):
    """What the row's form sends: the decision, the state the moderator saw and where to come back to."""
    return {"status": status, "seen": comment.moderation_state, "next": QUEUE, **fields}


@pytest.fixture
def held(article):
    return CommentFactory(
        article=article, name="Pieter", status=Comment.Status.PENDING, body="Is there one in Westhaven?"
    )


@pytest.fixture
def calls(monkeypatch):
    """Every call of the one moderation function, which still does its work."""
    seen = []
    original = moderation.moderate

    def spy(comments, **kwargs):
        seen.append(kwargs)
        return original(comments, **kwargs)

    monkeypatch.setattr(moderation, "moderate", spy)
    return seen


def test_one_click_approve_goes_through_moderate_and_answers_with_the_queue(client, moderator, held, calls):
    client.force_login(moderator)
    with time_machine.travel(WHEN, tick=False):
        response = client.post(decide_url(held), decision(held, "approved"))
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    held.refresh_from_db()
    assert (held.status, held.moderated_by, held.moderated_at) == (Comment.Status.APPROVED, moderator, WHEN)
    assert [call["status"] for call in calls] == [Comment.Status.APPROVED]

    queue = client.get(QUEUE).content.decode()
    assert "Pieter’s comment: approved." in queue
    assert "Is there one in Westhaven?" not in queue


def test_one_click_spam(client, moderator, held, calls):
    client.force_login(moderator)
    client.post(decide_url(held), decision(held, "spam"))
    held.refresh_from_db()
    assert (held.status, held.moderated_by) == (Comment.Status.SPAM, moderator)
    assert held.rejection_reason == ""
    assert [call["status"] for call in calls] == [Comment.Status.SPAM]


def test_reject_stores_the_reason_and_note_and_the_admin_shows_them(client, moderator, held, calls):
    client.force_login(moderator)
    with time_machine.travel(WHEN, tick=False):
        client.post(
            decide_url(held), decision(held, "rejected", reason="off-topic", note="About another story")
        )
    held.refresh_from_db()
    assert (held.status, held.moderated_by, held.moderated_at) == (Comment.Status.REJECTED, moderator, WHEN)
    assert (held.rejection_reason, held.rejection_note) == ("off-topic", "About another story")
    assert calls[0]["rejection_reason"] == "off-topic"

    rejected = client.get("/admin/comments/comment/?status__exact=rejected").content.decode()
    assert (
        '<td class="field-moderated">mod, 03/02/2026 9:15 a.m.'
        '<span class="comment-rejection">Off topic: About another story</span></td>'
    ) in rejected
    change = client.get(f"/admin/comments/comment/{held.pk}/change/").content.decode()
    assert "Off topic: About another story" in change


def test_reject_without_javascript_asks_why_first_and_changes_nothing(client, moderator, held):
    client.force_login(moderator)
    response = client.post(decide_url(held), decision(held, "rejected"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Why reject it?" in page
    assert "Choose why this comment is rejected." not in page  # asked, not scolded
    assert 'name="seen" value="pending -"' in page
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_other_reason_needs_a_note(client, moderator, held):
    client.force_login(moderator)
    response = client.post(decide_url(held), decision(held, "rejected", reason="other"))
    assert "Say why in the note." in response.content.decode()
    held.refresh_from_db()
    assert (held.status, held.rejection_reason) == (Comment.Status.PENDING, "")


def test_an_unknown_reason_is_a_form_error_not_a_500(client, moderator, held):
    client.force_login(moderator)
    response = client.post(decide_url(held), decision(held, "rejected", reason="because"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_an_unknown_decision_is_refused(client, moderator, held):
    client.force_login(moderator)
    response = client.post(decide_url(held), decision(held, "pending"))
    assert response.status_code == 400
    held.refresh_from_db()
    assert held.moderated_at is None


def test_a_later_decision_clears_the_rejection_reason(held, moderator):
    moderation.reject([held], moderator=moderator, reason="abusive", note="Insults")
    moderation.approve([held], moderator=moderator)
    held.refresh_from_db()
    assert (held.status, held.rejection_reason, held.rejection_note) == ("approved", "", "")


def test_the_database_refuses_a_rejection_reason_on_a_published_comment(held):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=held.pk).update(status="approved", rejection_reason="abusive")


def test_csrf_is_required(moderator, held):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = client.post(decide_url(held), decision(held, "approved"))
    assert response.status_code == 403
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_get_does_nothing(client, moderator, held):
    client.force_login(moderator)
    response = client.get(decide_url(held), decision(held, "approved"))
    assert response.status_code == 405
    held.refresh_from_db()
    assert (held.status, held.moderated_at) == (Comment.Status.PENDING, None)


@pytest.mark.parametrize("role", [roles.JOURNALIST, roles.EDITOR])
def test_staff_without_the_moderation_permission_get_403(client, held, role):
    from django.contrib.auth.models import Group

    user = UserFactory(username="someone", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    response = client.post(decide_url(held), decision(held, "approved"))
    assert response.status_code == 403
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_staff_who_may_read_the_queue_but_not_moderate_see_no_buttons(client, held):
    reader = UserFactory(username="auditor", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(reader)
    page = client.get(QUEUE).content.decode()
    assert "Is there one in Westhaven?" in page
    assert f'form="moderate-{held.pk}"' not in page
    assert client.post(decide_url(held), decision(held, "approved")).status_code == 403


def test_the_buttons_submit_forms_outside_the_changelist_form(client, moderator, held):
    """Forms cannot nest: each row's buttons name a form that comes after the changelist's own form."""
    client.force_login(moderator)
    page = client.get(QUEUE).content.decode()
    changelist_form = re.search(r'<form id="changelist-form".*?</form>', page, re.DOTALL)
    assert changelist_form is not None
    for status in ("approved", "rejected", "spam"):
        assert f'form="moderate-{held.pk}" name="status" value="{status}"' in changelist_form.group()
    assert f'id="moderate-{held.pk}"' not in changelist_form.group()
    assert page.index(f'<form id="moderate-{held.pk}"') > changelist_form.end()


def test_a_decision_someone_else_already_took_says_so_and_changes_nothing(client, moderator, held):
    seen = decision(held, "rejected", reason="abusive")  # the queue as this moderator loaded it
    colleague = UserFactory(username="ana", is_staff=True)
    with time_machine.travel(WHEN, tick=False):
        moderation.approve([held], moderator=colleague)
    client.force_login(moderator)
    response = client.post(decide_url(held), seen, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing changed: Pieter’s comment was set to approved by ana at 03/02/2026 9:15 a.m." in page
    held.refresh_from_db()
    assert (held.status, held.moderated_by, held.rejection_reason) == (Comment.Status.APPROVED, colleague, "")


def test_the_same_decision_twice_says_it_was_already_taken(client, moderator, held):
    seen = decision(held, "approved")
    with time_machine.travel(WHEN, tick=False):
        moderation.approve([held], moderator=UserFactory(username="ana", is_staff=True))
    client.force_login(moderator)
    page = client.post(decide_url(held), seen, follow=True).content.decode()
    assert "Nothing changed: Pieter’s comment was already approved by ana at 03/02/2026 9:15 a.m." in page


def test_a_deleted_comment_says_so(client, moderator, held):
    url, data = decide_url(held), decision(held, "approved")
    held.delete()
    client.force_login(moderator)
    page = client.post(url, data, follow=True).content.decode()
    assert "This comment no longer exists: nothing changed." in page


def test_the_script_gets_json_with_the_new_state(client, moderator, held):
    client.force_login(moderator)
    answer = client.post(
        decide_url(held), decision(held, "approved"), headers={"Accept": "application/json"}
    ).json()
    assert answer["changed"] is True
    assert (answer["status"], answer["level"]) == ("approved", "success")
    assert answer["message"] == "Pieter’s comment: approved."
    assert answer["pending"] == 0
    assert answer["seen"].startswith("approved 20")
    missing_reason = client.post(
        decide_url(held),
        decision(held, "rejected"),
        headers={"Accept": "application/json"},
    )
    assert missing_reason.status_code == 400
    assert "reason" in missing_reason.json()["errors"]


def test_next_never_leads_off_the_site(client, moderator, held):
    client.force_login(moderator)
    response = client.post(decide_url(held), decision(held, "approved", next="https://evil.example/"))
    assert response["Location"] == "/admin/comments/comment/"


def test_the_bulk_actions_go_through_moderate_too(client, moderator, held, calls):
    client.force_login(moderator)
    client.post(QUEUE, {"action": "mark_spam", "_selected_action": [held.pk]})
    assert [call["status"] for call in calls] == [Comment.Status.SPAM]


def test_no_demo_comment_waits_without_a_recorded_reason(settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    held = Comment.objects.in_moderation()
    assert held.count() == 2
    for comment in held:
        assert comment.moderation_reasons == ["First comment from this commenter (no approved comment yet)."]
    assert held.get(name="Pieter van Loon").parent.name == "Nadia Rahman"


def test_load_demo_gives_reasons_to_held_comments_of_an_older_demo_then_changes_nothing():
    with time_machine.travel(WHEN):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    Comment.objects.in_moderation().update(moderation_reasons=[])  # as the demo used to store them
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 (days later)
    repaired = sorted(Comment.objects.in_moderation().values_list("name", "moderation_reasons", "created_at"))
    assert [reasons for _, reasons, _ in repaired] == [
        ["First comment from this commenter (no approved comment yet)."]
    ] * 2
    assert all(posted < WHEN.replace(hour=12) for _, _, posted in repaired)  # still dated as first loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    repaired = sorted(Comment.objects.in_moderation().values_list("pk", "name", "moderation_reasons"))
    assert sorted(Comment.objects.in_moderation().values_list("pk", "name", "moderation_reasons")) == repaired


@pytest.mark.django_db(transaction=True)
def test_two_moderators_deciding_at_once_decide_once(article):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    seen = comment.moderation_state
    moderators = [UserFactory(username=name, is_staff=True) for name in ("ana", "ben")]
    barrier = threading.Barrier(2)

    def decide(args):
        moderator, status = args
        barrier.wait()
        try:
            return moderation.moderate([comment], status=status, moderator=moderator, seen=seen)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        changed = list(
            pool.map(decide, zip(moderators, [Comment.Status.APPROVED, Comment.Status.SPAM], strict=True))
        )
    assert sorted(changed) == [0, 1]
    comment.refresh_from_db()
    winner = changed.index(1)
    assert (comment.status, comment.moderated_by) == (
        [Comment.Status.APPROVED, Comment.Status.SPAM][winner],
        moderators[winner],
    )
