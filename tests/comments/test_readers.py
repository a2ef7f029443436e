"""Signed-in readers comment under their account: no name or email typed, trust earned by the account's own
history, and the article page still comes from the page cache (their part is fetched apart)."""

import pytest
from django.urls import reverse

from articles.caching import READER_COOKIE
from comments import posting
from comments.models import Comment
from tests.comments.conftest import READER, form_data, post_url, remember_in_browser
from tests.factories import CommentFactory, ReaderFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_in(client, reader):
    """Sign in through allauth's form, as a browser does (it also sets the reader cookie)."""
    response = client.post(reverse("account_login"), {"login": reader.user.email, "password": PASSWORD})
    assert response.status_code == 302
    return reader


def drop_expired_cookies(client):
    """What a browser does with a cookie sent back with Max-Age=0 (the test client keeps it, empty)."""
    for name in [name for name, morsel in client.cookies.items() if morsel.value == ""]:
        del client.cookies[name]


@pytest.fixture
def carlos(db):
    return ReaderFactory(display_name="Carlos", email="carlos@example.org")


def test_signed_in_reader_comments_under_the_display_name_without_typing_it(client, article, carlos):
    sign_in(client, carlos)
    page = client.get(post_url(article)).content.decode()
    # The comment form, not the footer's newsletter form (which has an email field of its own).
    form = page[page.index("Commenting as") :]
    form = form[: form.index("</form>")]
    assert 'name="name"' not in form
    assert 'name="email"' not in form
    assert "Commenting as <strong>Carlos</strong>" in form
    client.post(post_url(article), form_data(article, name="Someone Else", email="x@example.org"))
    comment = Comment.objects.get()
    assert (comment.user, comment.name, comment.email) == (carlos.user, "Carlos", "carlos@example.org")
    assert comment.status == Comment.Status.PENDING  # the account's first comment waits
    assert comment.moderation_reasons == ["First comment from this commenter (no approved comment yet)."]


def test_the_accounts_history_earns_trust_in_any_browser(client, article, carlos, section):
    CommentFactory(user=carlos.user, name="Carlos", email="carlos@example.org", body="Approved before")
    sign_in(client, carlos)  # a browser that never sent a comment
    client.post(post_url(article), form_data(article, body="Now published at once"))
    assert Comment.objects.get(body="Now published at once").status == Comment.Status.APPROVED


def test_name_and_email_of_a_trusted_reader_typed_by_someone_else_no_longer_skip_moderation(
    client, article, carlos
):
    earlier = CommentFactory(user=carlos.user, name="Carlos", email="carlos@example.org", body="Approved")
    # Even a browser that holds the proof of sending the account's comment: without signing in, the
    # account's history counts for nothing.
    remember_in_browser(client, earlier)
    client.post(post_url(article), form_data(article, name="C. Reyes", email="carlos@example.org"))
    typed = Comment.objects.get(name="C. Reyes")
    assert typed.status == Comment.Status.PENDING
    assert typed.user is None
    # The display name itself is the account's: without signing in it is refused outright.
    response = client.post(post_url(article), form_data(article, name="carlos", email="carlos@example.org"))
    assert response.status_code == 400
    assert str(posting.MESSAGE_READER_NAME) in response.content.decode()
    assert not Comment.objects.filter(name="carlos").exists()


def test_anonymous_trust_still_comes_from_this_browsers_own_anonymous_comments(
    client, article, trusted_reader
):
    client.post(post_url(article), form_data(article))
    assert Comment.objects.get(article=article).status == Comment.Status.APPROVED


def test_without_anonymous_comments_the_form_asks_to_sign_in(client, article, carlos, settings):
    settings.NEWSMAG_COMMENTS_ANONYMOUS = False
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Please <a href=" in page
    assert 'name="name"' not in page  # the comment form's fields (the newsletter form has an email field)
    response = client.post(post_url(article), form_data(article), headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert str(posting.MESSAGE_SIGN_IN) in str(response.json())
    page = client.post(post_url(article), form_data(article)).content.decode()
    assert f'Please <a href="{reverse("account_login")}?next=' in page
    assert not Comment.objects.exists()
    with pytest.raises(posting.CommentRefused):
        posting.submit_comment(article=article, body="Direct call", name="Lena", email="lena@example.com")

    sign_in(client, carlos)
    client.post(post_url(article), form_data(article))
    assert Comment.objects.get().user == carlos.user


def test_a_signed_in_account_without_a_verified_email_cannot_comment(client, article):
    unverified = ReaderFactory(verified=False)
    client.force_login(unverified.user)
    response = client.post(post_url(article), form_data(article))
    assert response.status_code == 400
    assert str(posting.MESSAGE_VERIFY_FIRST) in response.content.decode()
    assert not Comment.objects.exists()


def test_staff_still_comment_under_their_full_name(client, article):
    user = UserFactory(first_name="Erik", last_name="Stone", is_staff=True)
    client.force_login(user)
    client.post(post_url(article), {"body": "Correction noted, thanks."})
    assert Comment.objects.get().name == "Erik Stone"


def test_the_form_token_names_the_signed_in_commenter(client, article, carlos):
    url = reverse("comments:token", kwargs={"article_pk": article.pk})
    anonymous = client.get(url).json()
    assert (anonymous["commenter"], anonymous["anonymous"]) == (None, True)
    sign_in(client, carlos)
    assert client.get(url).json()["commenter"] == "Carlos"


def test_a_signed_in_reader_gets_the_cached_article_page(
    client, article, carlos, django_assert_num_queries, version_read_once
):
    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "MISS"  # stored by an anonymous visit
    sign_in(client, carlos)
    client.get(reverse("reader-account"))  # the sign-in's flash message is shown and gone
    drop_expired_cookies(client)
    assert client.cookies[READER_COOKIE].value == "1"
    with django_assert_num_queries(0):
        page = client.get(url)
    assert page["X-Page-Cache"] == "HIT"
    assert "Carlos" not in page.content.decode()  # nothing personal in the shared copy
    # The personal parts come apart: who is signed in (the header) and the comment form's token and name.
    with django_assert_num_queries(3):  # session, user, display name
        me = client.get(reverse("reader-me"))
    token = reverse("comments:token", kwargs={"article_pk": article.pk})
    with django_assert_num_queries(5):  # article, session, user, display name, verified email
        assert client.get(token).json()["commenter"] == "Carlos"
    assert me.json()["name"] == "Carlos"
    assert "no-store" in me["Cache-Control"]


def test_a_cache_miss_for_a_signed_in_reader_stores_the_public_page(client, article, carlos):
    sign_in(client, carlos)
    client.get(reverse("reader-account"))
    drop_expired_cookies(client)
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "MISS"
    html = first.content.decode()
    assert 'name="email"' in html
    assert "Carlos" not in html
    client.cookies.clear()  # another reader, never signed in
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "HIT"


def test_staff_pages_are_never_cached_even_with_a_reader_cookie_left_behind(client, article):
    editor = UserFactory(username="edith", is_staff=True)
    client.get(article.get_absolute_url())
    client.cookies[READER_COOKIE] = "1"  # left from a reader's session in this browser
    response = client.post(reverse("admin:login"), {"username": "edith", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
    drop_expired_cookies(client)
    assert READER_COOKIE not in client.cookies  # signing in as staff removed it
    assert "X-Page-Cache" not in client.get(article.get_absolute_url())


def test_signing_out_removes_the_reader_cookie(client, carlos):
    sign_in(client, carlos)
    client.post(reverse("account_logout"))
    assert client.cookies[READER_COOKIE].value == ""


def test_reading_public_pages_never_starts_a_session(client, article):
    for url in (
        "/",
        article.get_absolute_url(),
        reverse("comments:token", kwargs={"article_pk": article.pk}),
    ):
        response = client.get(url)
        assert "sessionid" not in response.cookies, url
    assert client.get(reverse("reader-me")).json() == {"authenticated": False}
    assert "sessionid" not in client.cookies


def test_anonymous_reader_form_is_unchanged(client, article):
    client.post(post_url(article), form_data(article))
    comment = Comment.objects.get()
    assert (comment.name, comment.email, comment.user) == (READER["name"], READER["email"], None)


def test_an_administrator_renames_an_unfit_display_name_and_the_comments_follow(client, article, carlos):
    comment = CommentFactory(article=article, user=carlos.user, name="Carlos")
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:comments_readerprofile_change", args=[carlos.pk])
    assert client.get(url).status_code == 200
    ReaderFactory(display_name="Taken")
    refused = client.post(url, {"display_name": "TAKEN"})
    assert refused.status_code == 200  # the form again: the name is another reader's
    response = client.post(url, {"display_name": "Reader 1042"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.name == "Reader 1042"
