"""Bad input: every hostile or broken submission gets a clear error or a safe rendering, never a 500."""

import unicodedata

import pytest
from django.test import Client

from comments.models import Comment
from comments.text import MAX_COMBINING_MARKS, clean_body, clean_line, render_comment
from tests.comments.conftest import form_data, post_url
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


# Oversize


def test_an_oversize_comment_is_refused_with_the_text_kept(client, article):
    response = client.post(post_url(article), form_data(article, body="word " * 1000))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value has at most 3000 characters (it has 4999)." in html
    assert "Your text has been kept." in html
    assert not Comment.objects.exists()


def test_an_oversize_name_is_refused(client, article):
    response = client.post(post_url(article), form_data(article, name="N" * 500))
    assert response.status_code == 400
    assert "Ensure this value has at most 80 characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_huge_request_is_refused_without_a_server_error(client, article):
    response = client.post(post_url(article), form_data(article, body="x" * 3_000_000))
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("field", ["name", "body", "email"])
def test_null_characters_are_refused(client, article, field):
    response = client.post(post_url(article), form_data(article, **{field: "Hello\x00there"}))
    assert response.status_code == 400
    assert not Comment.objects.exists()


# Unicode abuse


def test_rtl_overrides_and_zero_width_characters_are_removed(client, article):
    client.post(
        post_url(article),
        form_data(
            article,
            name="Le\u200bna\u202e Ortiz",
            body="Open \u202egpj.exe\u202c or zero\u200b\u200bwidth\ufeff",
        ),
    )
    comment = Comment.objects.get()
    assert comment.name == "Lena Ortiz"
    assert comment.body == "Open gpj.exe or zerowidth"


def test_a_combining_mark_flood_is_cut_down(client, article):
    zalgo = "Z" + "\u0336\u0301\u0316" * 40 + "algo"
    client.post(post_url(article), form_data(article, body=f"Hello {zalgo}"))
    body = Comment.objects.get().body
    marks = [char for char in body if unicodedata.combining(char)]
    assert body.startswith("Hello ")
    assert body.endswith("algo")
    assert len(marks) <= MAX_COMBINING_MARKS


def test_a_comment_made_only_of_invisible_characters_is_refused(client, article):
    response = client.post(post_url(article), form_data(article, body="\u200b\u202e\u2060 \ufeff"))
    assert response.status_code == 400
    assert "Write something before posting." in response.content.decode()


def test_a_name_made_only_of_invisible_characters_is_refused(client, article):
    response = client.post(post_url(article), form_data(article, name="\u200b\u200d\u202e"))
    assert response.status_code == 400
    assert "Enter your name." in response.content.decode()
    assert not Comment.objects.exists()


def test_real_writing_systems_survive_normalization():
    persian = "می\u200cخواهم"  # the zero-width non-joiner is part of the spelling
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # an emoji family joined by ZWJ
    vietnamese = "Tiếng Việt"
    arabic = "مرحبا بالعالم"
    for text in (persian, family, vietnamese, arabic):
        assert clean_body(text) == text
        assert clean_line(text) == text


def test_blank_lines_and_spaces_are_collapsed():
    assert clean_body("  First\r\n\r\n\r\n\r\nSecond   line\t here  ") == "First\n\nSecond line here"


# HTML and script


def test_html_and_script_in_every_field_render_inert(client, article, trusted_reader):
    response = client.post(
        post_url(article),
        form_data(
            article, name=f"Eve{SCRIPT}", body=f"Hi {SCRIPT}", website=SCRIPT, parent=SCRIPT, issued=SCRIPT
        ),
    )
    assert response.status_code == 400  # the forged parent is refused, the rest is shown back escaped
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert not Comment.objects.filter(article=article).exists()


def test_stored_html_is_shown_as_text_on_the_article_the_reply_page_and_the_queue(client, article):
    comment = CommentFactory(article=article, name=f"Eve{SCRIPT}", body=f"Hi {SCRIPT}")
    CommentFactory(article=article, parent=comment, status=Comment.Status.PENDING, body="Reply")
    pages = [article.get_absolute_url(), f"/comments/{comment.pk}/reply/"]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in [
        "/admin/comments/comment/?status__exact=pending",
        f"/admin/comments/comment/{comment.pk}/change/",
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html


def test_links_in_comments_are_nofollow_ugc_and_escaped():
    html = render_comment('See https://example.com/?q="><script> and www.example.org. Mail me@example.com')
    assert '<a href="https://example.com/?q=" rel="nofollow ugc noopener">https://example.com/?q=</a>' in html
    assert "&quot;&gt;&lt;script&gt;" in html
    assert '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>.' in html
    assert "mailto:" not in html


def test_script_urls_are_never_linked():
    html = render_comment("javascript:alert(1) data:text/html,<b>x</b>")
    assert "<a" not in html
    assert "&lt;b&gt;" in html


def test_published_links_carry_the_ugc_rel_on_the_article_page(client, article):
    CommentFactory(article=article, body="Source: https://example.org/report")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/report" rel="nofollow ugc noopener">' in html


# CSRF


def test_a_comment_without_a_csrf_token_gets_a_clear_403_page(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(article), form_data(article))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "reload the page" in html
    assert not Comment.objects.exists()


def test_a_report_without_a_csrf_token_is_refused(article):
    comment = CommentFactory(article=article)
    response = Client(enforce_csrf_checks=True).post(f"/comments/{comment.pk}/report/")
    assert response.status_code == 403
    assert not comment.reports.exists()


def test_with_the_token_fetched_for_the_cached_page_the_comment_goes_through(article):
    client = Client(enforce_csrf_checks=True)
    client.get(article.get_absolute_url())
    assert "csrftoken" not in client.cookies  # the article page itself stays the same for everyone
    token = client.get(f"/comments/token/{article.pk}/").json()["csrf"]
    response = client.post(post_url(article), form_data(article, csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


# Replies


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM])
def test_replies_to_unpublished_comments_are_refused(client, article, status):
    parent = CommentFactory(article=article, status=status)
    response = client.post(post_url(article), form_data(article, parent=parent.pk))
    assert response.status_code == 400
    assert "You can only reply to a published comment on this article." in response.content.decode()
    assert Comment.objects.count() == 1


def test_replies_to_another_articles_comments_are_refused_with_a_clear_message(client, article, section):
    other = CommentFactory(article=ArticleFactory(section=section))
    response = client.post(post_url(article), form_data(article, parent=other.pk))
    assert response.status_code == 400
    assert "You can only reply to a published comment on this article." in response.content.decode()


@pytest.mark.parametrize("parent", ["abc", "-1", "1.5", "99999999999999999999999", "٣", "0"])
def test_a_garbled_parent_is_refused(client, article, parent):
    response = client.post(post_url(article), form_data(article, parent=parent))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_reply_page_of_an_unpublished_comment_is_404(client, article):
    parent = CommentFactory(article=article, status=Comment.Status.REJECTED)
    assert client.get(f"/comments/{parent.pk}/reply/").status_code == 404


def test_very_deep_reply_chains_are_stored_without_error(client, article):
    parent = None
    for _ in range(12):
        parent = CommentFactory(article=article, parent=parent)
    assert parent.depth == 10
    response = client.post(post_url(article), form_data(article, parent=parent.pk))
    assert response.status_code == 302
    assert Comment.objects.get(parent=parent).depth == 10


def test_staff_without_an_email_can_still_comment(client, article):
    client.force_login(UserFactory(username="nomail", email="", is_staff=True))
    client.post(post_url(article), {"body": "A note from the desk."})
    assert Comment.objects.get().email == "nomail@staff.invalid"
