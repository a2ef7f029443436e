"""Reader accounts (newsmag/accounts, django-allauth) end to end, with every email read from a real SMTP
server on loopback: sign up, confirm, sign in by password or by code, reset a staff password, change the
email, export the data, delete the account."""

import json
import re
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Newsletter, Subscriber, Subscription
from comments.models import Comment, ReaderProfile, Recommendation
from tests.factories import CommentFactory, ReaderFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new long passphrase"


def body_of(message):
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def link_in(message, pattern):
    match = re.search(rf"https?://[^\s]+{pattern}[^\s]*", body_of(message))
    assert match, body_of(message)
    return urlsplit(match.group(0)).path


def sign_up(client, *, email="lena@example.org", name="Lena O"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": name},
    )


def confirm(client, message):
    url = link_in(message, "/accounts/confirm-email/")
    page = client.get(url)
    assert page.status_code == 200  # a button to press: a mail scanner's GET confirms nothing
    assert not EmailAddress.objects.filter(verified=True, email__in=message["To"].split(", ")).exists()
    return client.post(url)


def test_sign_up_mails_a_link_that_verifies_the_email_then_the_reader_signs_in(client, mailbox):
    response = sign_up(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="lena@example.org")
    assert user.reader_profile.display_name == "Lena O"
    # Mandatory verification: no sign-in before the link is followed.
    assert client.post(reverse("account_login"), {"login": "lena@example.org", "password": PASSWORD}).url == (
        reverse("account_email_verification_sent")
    )
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "lena@example.org"
    assert message["Subject"].startswith("[Newsmag] ")
    assert confirm(client, message).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(reverse("account_login"), {"login": "lena@example.org", "password": PASSWORD})
    assert response.status_code == 302
    me = client.get(reverse("reader-me")).json()
    assert me == {
        "authenticated": True,
        "name": "Lena O",
        "account_url": reverse("reader-account"),
        "logout_url": reverse("account_logout"),
    }
    assert client.cookies["newsmag_reader"].value == "1"  # the page cache serves this reader too


def test_sign_up_refuses_a_taken_reserved_or_banned_display_name(client, db):
    ReaderFactory(display_name="Carlos")
    from tests.factories import AuthorFactory, ModeratedWordFactory

    AuthorFactory(name="Maria Keller")
    ModeratedWordFactory(phrase="scam", action="reject")
    for name, message in [
        ("carlos", "Another reader already uses this name"),
        ("Moderator", "This name is reserved"),
        ("maria keller", "one of our writers"),
        ("Scam King", "cannot be used"),
        ("x", "2 to 50 characters"),
    ]:
        response = sign_up(client, email=f"{len(name)}{name[:3].lower()}@example.org", name=name)
        assert response.status_code == 200, name
        assert message in response.content.decode(), name
    assert (
        not get_user_model()
        .objects.filter(email__endswith="@example.org")
        .exclude(reader_profile__display_name="Carlos")
        .exists()
    )


def test_sign_in_by_an_emailed_code(client, mailbox):
    ReaderFactory(display_name="Carlos", email="carlos@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": "carlos@example.org"})
    assert response.status_code == 302
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "carlos@example.org"
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body_of(message), re.MULTILINE).group(1)
    wrong = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert wrong.status_code == 200
    assert client.get(reverse("reader-me")).json() == {"authenticated": False}
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("reader-me")).json()["name"] == "Carlos"


def test_admin_login_links_to_a_reset_that_works_for_staff(client, mailbox):
    editor = UserFactory(username="edith", email="edith@newsroom.example", is_staff=True)
    page = client.get(reverse("admin:login"))
    assert f'<a href="{reverse("admin_password_reset")}">Forgotten your' in page.content.decode()
    assert client.get(reverse("admin_password_reset")).url == reverse("account_reset_password")

    client.post(reverse("account_reset_password"), {"email": "edith@newsroom.example"})
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "edith@newsroom.example"
    response = client.get(link_in(message, "/accounts/password/reset/key/"))
    assert response.status_code == 302  # allauth moves the key into the session, then asks for the password
    response = client.post(response.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)

    client.logout()
    admin = client.post(
        reverse("admin:login"),
        {"username": "edith", "password": NEW_PASSWORD, "next": reverse("admin:index")},
    )
    assert admin.status_code == 302
    assert admin.url == reverse("admin:index")


def test_admin_login_is_still_throttled_and_readers_cannot_use_it_with_an_email(client, settings):
    UserFactory(username="edith", email="edith@newsroom.example", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "edith", "password": "wrong"})
    locked = client.post(reverse("admin:login"), {"username": "edith", "password": PASSWORD})
    assert locked.status_code == 429
    # The email backend answers allauth's form only: the admin's username field takes no email address.
    reader = ReaderFactory(email="reader@example.org")
    reader.user.is_staff = True
    reader.user.save()
    response = client.post(reverse("admin:login"), {"username": "reader@example.org", "password": PASSWORD})
    assert response.status_code == 200  # the form again, not signed in


def test_readers_sign_in_form_is_throttled_per_email_and_network(client, settings):
    ReaderFactory(email="carlos@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": "carlos@example.org", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "carlos@example.org", "password": PASSWORD})
    assert response.status_code in (200, 429)  # allauth's limit (the form again) or django-axes' pause
    assert client.get(reverse("reader-me")).json() == {"authenticated": False}


def test_changing_the_email_takes_effect_once_the_new_address_is_verified(client, mailbox):
    reader = ReaderFactory(email="old@example.org")
    client.force_login(reader.user)
    response = client.post(reverse("account_email"), {"email": "new@example.org", "action_add": ""})
    assert response.status_code == 302
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "new@example.org"
    reader.user.refresh_from_db()
    assert reader.user.email == "old@example.org"  # until the new one is confirmed
    confirm(client, message)
    reader.user.refresh_from_db()
    assert reader.user.email == "new@example.org"
    assert list(
        EmailAddress.objects.filter(user=reader.user).values_list("email", "verified", "primary")
    ) == [("new@example.org", True, True)]


def test_export_holds_the_profile_the_emails_and_every_comment_with_its_status(client, article, settings):
    reader = ReaderFactory(display_name="Carlos", email="carlos@example.org")
    CommentFactory(article=article, user=reader.user, name="Carlos", body="Published words")
    CommentFactory(article=article, user=reader.user, name="Carlos", body="Held words", status="pending")
    liked = CommentFactory(article=article, body="Someone else's")
    Recommendation.objects.create(comment=liked, user=reader.user)
    Recommendation.objects.create(comment=liked, token_hash="f" * 64)  # another reader's, not in the export
    daily = Newsletter.objects.create(name="Daily", slug="daily", kind="daily", send_time=time(7))
    subscriber = Subscriber.objects.create(email="carlos@example.org")
    Subscription.objects.create(subscriber=subscriber, newsletter=daily, confirmed_at=timezone.now())
    client.force_login(reader.user)
    response = client.get(reverse("reader-export"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="newsmag-account-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["display_name"] == "Carlos"
    assert data["emails"] == [{"email": "carlos@example.org", "verified": True, "primary": True}]
    assert [(c["text"], c["status"]) for c in data["comments"]] == [
        ("Published words", "approved"),
        ("Held words", "pending"),
    ]
    assert data["comments"][0]["url"] == article.get_absolute_url()
    assert [(r["comment"], r["article"]) for r in data["recommended"]] == [(liked.pk, article.headline)]
    [subscription] = data["newsletters"]
    assert (subscription["email"], subscription["slug"], subscription["suppressed"]) == (
        "carlos@example.org",
        "daily",
        False,
    )
    assert subscription["confirmed_at"] is not None


def test_export_and_account_pages_need_a_sign_in(client):
    for name in ("reader-export", "reader-account", "reader-delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("account_login")), name
    assert client.get(reverse("reader-me")).json() == {"authenticated": False}


def test_deleting_the_account_keeps_published_comments_under_a_neutral_name(client, article, settings):
    reader = ReaderFactory(display_name="Carlos", email="carlos@example.org")
    published = CommentFactory(article=article, user=reader.user, name="Carlos", ip_address="203.0.113.5")
    held = CommentFactory(article=article, user=reader.user, name="Carlos", body="Held", status="pending")
    reply = CommentFactory(article=article, parent=published, body="A reply to Carlos")
    client.post(reverse("account_login"), {"login": "carlos@example.org", "password": PASSWORD})
    # The password again, even just after signing in: nobody at an unlocked screen deletes an account.
    asked = client.get(reverse("reader-delete"))
    assert asked.url.startswith(reverse("account_reauthenticate"))
    assert client.post(asked.url, {"password": "wrong"}).status_code == 200
    assert client.post(asked.url, {"password": PASSWORD}).url == reverse("reader-delete")
    page = client.get(reverse("reader-delete"))
    assert settings.NEWSMAG_DELETED_READER_NAME in page.content.decode()

    refused = client.post(reverse("reader-delete"), {})  # the box is not ticked
    assert refused.status_code == 200
    assert get_user_model().objects.filter(pk=reader.user.pk).exists()
    response = client.post(reverse("reader-delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=reader.user.pk).exists()
    assert not EmailAddress.objects.filter(email="carlos@example.org").exists()
    assert not ReaderProfile.objects.filter(display_name="Carlos").exists()
    assert not Comment.objects.filter(pk=held.pk).exists()
    published.refresh_from_db()
    assert (published.user, published.name, published.ip_address) == (None, "Former reader", None)
    assert "carlos" not in published.email
    assert Comment.objects.get(pk=reply.pk).parent_id == published.pk
    assert client.get(reverse("reader-me")).json() == {"authenticated": False}


def test_deleting_asks_for_the_password_again_after_a_while(client, time_machine, settings):
    reader = ReaderFactory(email="carlos@example.org")
    time_machine.move_to(timezone.now())
    client.force_login(reader.user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("reader-delete")).status_code == 200
    time_machine.move_to(timezone.now() + timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1))
    response = client.post(reverse("reader-delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert get_user_model().objects.filter(pk=reader.user.pk).exists()


def test_staff_cannot_delete_their_account_here(client):
    editor = UserFactory(username="edith", is_staff=True)
    client.force_login(editor)
    assert client.post(reverse("reader-delete"), {"confirm": "on"}).status_code == 403
    assert get_user_model().objects.filter(pk=editor.pk).exists()


def test_purge_removes_sign_ups_never_verified_in_time(db, settings):
    stale = ReaderFactory(verified=False)
    fresh = ReaderFactory(verified=False)
    verified = ReaderFactory()
    staff = UserFactory(username="edith", is_staff=True)
    old = timezone.now() - timedelta(days=settings.NEWSMAG_UNVERIFIED_ACCOUNT_DAYS + 1)
    get_user_model().objects.filter(pk__in=[stale.user.pk, verified.user.pk, staff.pk]).update(
        date_joined=old
    )
    call_command("purge_comment_personal_data")
    remaining = set(get_user_model().objects.values_list("pk", flat=True))
    assert stale.user.pk not in remaining
    assert {fresh.user.pk, verified.user.pk, staff.pk} <= remaining


def test_account_page_changes_the_display_name_everywhere(client, article):
    reader = ReaderFactory(display_name="Carlos")
    comment = CommentFactory(article=article, user=reader.user, name="Carlos")
    client.force_login(reader.user)
    page = client.get(reverse("reader-account"))
    assert page.status_code == 200
    assert "Download my data" in page.content.decode()
    response = client.post(reverse("reader-account"), {"display_name": "Carlos M"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.name == "Carlos M"
    assert ReaderProfile.objects.get(user=reader.user).display_name == "Carlos M"


def test_the_demo_reader_signs_in_and_their_comment_is_in_the_demo_thread(client):
    from newsmag.demo import content as demo_content

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 (idempotent)
    spec = demo_content.DEMO_READER
    comment = Comment.objects.get(user__email=spec["email"])
    assert (comment.name, comment.status) == (spec["display_name"], Comment.Status.APPROVED)
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert spec["comment"][:40] in page
    assert f'<a class="account-link" href="{reverse("account_login")}"' in page
    response = client.post(reverse("account_login"), {"login": spec["email"], "password": spec["password"]})
    assert response.status_code == 302
    assert client.get(reverse("reader-me")).json()["name"] == spec["display_name"]
