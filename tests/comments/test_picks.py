"""Editor's and author's picks: who may pick (least privilege), one function for every entry point, the
"Picks" tab and its badge."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from articles import roles
from comments import picks
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(article):
    """A journalist on the article's byline."""
    user = UserFactory(username="maria", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.JOURNALIST))
    author = article.byline_authors[0]
    author.user = user
    author.save()
    return user


@pytest.fixture
def other_journalist(db):
    user = UserFactory(username="jonas", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.JOURNALIST))
    return user


@pytest.fixture
def thread(article):
    first = CommentFactory(article=article, name="Lena Ortiz", body="Fast loading and a professional look!")
    reply = CommentFactory(article=article, parent=first, name="Tom Becker", body="Same here.")
    other = CommentFactory(article=article, name="Greg Hall", body="Now I want to go back at 2 a.m.")
    return first, reply, other


def pick_url(comment):
    return f"/comments/{comment.pk}/pick/"


def test_a_moderator_marks_an_editors_pick_from_the_article_page(client, moderator, article, thread):
    _first, _reply, other = thread
    client.force_login(moderator)
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="comment-pick-form"') == 3
    answer = client.post(pick_url(other))
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"#comment-{other.pk}")
    other.refresh_from_db()
    assert (other.pick, other.picked_by, other.picked_at is not None) == ("editor", moderator, True)


def test_picks_show_first_under_their_own_tab_with_a_badge(client, moderator, article, thread):
    _first, reply, other = thread
    picks.set_pick([other, reply], user=moderator)
    html = client.get(article.get_absolute_url()).content.decode()
    labels = re.findall(r'class="comment-sort-option" href="[^"]+" rel="nofollow"[^>]*>([^<]+)<', html)
    assert labels == ["Picks (2)", "Oldest", "Newest", "Most recommended"]
    assert html.count('<span class="badge comment-pick-badge">Editor’s pick</span>') == 2
    assert "comment-pick-form" not in html  # readers get no pick buttons
    tab = client.get(article.get_absolute_url() + "?sort=picks").content.decode()
    shown = [int(pk) for pk in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', tab)]
    assert shown == [reply.pk, other.pk]  # the picks alone, oldest first, a reply on its own
    assert f'In reply to Lena Ortiz · <a href="{article.get_absolute_url()}#comment-{reply.pk}">' in tab
    assert re.search(r'\?sort=picks#comments" rel="nofollow" aria-current="true">Picks \(2\)<', tab)


def test_without_picks_the_picks_tab_is_the_default_order(client, article, thread):
    html = client.get(article.get_absolute_url() + "?sort=picks").content.decode()
    assert "Picks (" not in html
    assert len(re.findall(r'<li class="comment[^"]*" id="comment-', html)) == 3


def test_the_articles_author_marks_an_authors_pick_on_their_own_story(client, maria, article, thread):
    first, _reply, _other = thread
    client.force_login(maria)
    assert "Mark as Author’s pick" in client.get(article.get_absolute_url()).content.decode()
    client.post(pick_url(first))
    first.refresh_from_db()
    assert first.pick == "author"
    assert "Author’s pick</span>" in client.get(article.get_absolute_url()).content.decode()
    client.post(pick_url(first), {"picked": "0"})
    first.refresh_from_db()
    assert first.pick == ""


def test_a_journalist_cannot_pick_on_someone_elses_story(client, other_journalist, article, thread):
    first, _reply, _other = thread
    client.force_login(other_journalist)
    assert "comment-pick-form" not in client.get(article.get_absolute_url()).content.decode()
    answer = client.post(pick_url(first))
    assert answer.status_code == 403
    assert "Only moderators and the article’s author" in answer.content.decode()
    first.refresh_from_db()
    assert first.pick == ""
    with pytest.raises(PermissionDenied):
        picks.set_pick([first], user=other_journalist)


def test_an_author_picks_only_on_their_own_stories_and_keeps_an_editors_pick(
    maria, moderator, article, thread
):
    first, _reply, other = thread
    elsewhere = CommentFactory(article=ArticleFactory(section=article.section))
    with pytest.raises(PermissionDenied):  # nothing changes, not even on her own story
        picks.set_pick([first, elsewhere], user=maria)
    assert not Comment.objects.exclude(pick="").exists()
    picks.set_pick([other], user=moderator)
    assert picks.set_pick([other], user=maria) == 0  # not turned into hers
    assert picks.set_pick([other], user=maria, picked=False) == 0  # nor removed by her
    other.refresh_from_db()
    assert other.pick == "editor"
    assert picks.set_pick([other], user=moderator, picked=False) == 1


def test_readers_and_editors_without_the_moderator_role_cannot_pick(client, editor, article, thread):
    first, _reply, _other = thread
    assert client.post(pick_url(first)).status_code == 403  # no login (the CSRF check is off in tests)
    with pytest.raises(PermissionDenied):
        picks.set_pick([first], user=UserFactory(username="reader"))
    with pytest.raises(PermissionDenied):
        picks.set_pick([first], user=editor)


def test_a_held_comment_is_not_picked(moderator, article):
    held = CommentFactory(article=article, status=Comment.Status.PENDING)
    assert picks.set_pick([held], user=moderator) == 0
    held.refresh_from_db()
    assert held.pick == ""


def test_moderators_pick_from_the_queue_through_the_same_function(client, moderator, article, thread):
    first, _reply, other = thread
    client.force_login(moderator)
    changelist = "/admin/comments/comment/?status__exact=approved"
    answer = client.post(changelist, {"action": "mark_pick", "_selected_action": [first.pk, other.pk]})
    assert answer.status_code == 302
    assert sorted(Comment.objects.filter(pick="editor").values_list("pk", flat=True)) == sorted(
        [first.pk, other.pk]
    )
    client.post(changelist, {"action": "remove_pick", "_selected_action": [first.pk]})
    assert list(Comment.objects.exclude(pick="").values_list("pk", flat=True)) == [other.pk]
    listing = client.get("/admin/comments/comment/?pick__exact=editor").content.decode()
    assert f"/admin/comments/comment/{other.pk}/change/" in listing
    assert f"/admin/comments/comment/{first.pk}/change/" not in listing
    assert "<strong>Editor’s pick</strong>" in listing


def test_a_pick_retires_the_kept_thread(client, moderator, article, thread, version_read_once):
    _first, _reply, other = thread
    assert "comment-pick-badge" not in client.get(article.get_absolute_url()).content.decode()
    picks.set_pick([other], user=moderator)
    assert "comment-pick-badge" in client.get(article.get_absolute_url()).content.decode()
