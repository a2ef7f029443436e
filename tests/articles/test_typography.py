"""Typographic punctuation on save, and the source tag a pasted body brings along."""

import pytest

from articles.forms import leading_source_tag
from articles.models import Article
from articles.typography import smarten, smarten_html
from tests.factories import ArticleFactory


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ('She said "we sail at dawn"', "She said “we sail at dawn”"),
        ("The crew's 'floating bakery'", "The crew’s ‘floating bakery’"),
        ("Back in the '90s", "Back in the ’90s"),
        ("\"A 'quote' inside\"", "“A ‘quote’ inside”"),
        ("Wait -- no - later...", "Wait — no – later…"),
        ("A well-known, non-stop route", "A well-known, non-stop route"),
        ("Already “curly” and it’s fine", "Already “curly” and it’s fine"),
    ],
)
def test_straight_quotes_dashes_and_dots_become_typographic(typed, printed):
    assert smarten(typed) == printed
    assert smarten(printed) == printed  # idempotent: saving again changes nothing


def test_only_the_text_of_a_body_changes_never_its_markup_links_or_code():
    body = (
        '<p>He said "<em>hello</em>" to <a href="https://example.org/?q=\'x\'">Tom\'s</a> crew.</p>'
        '<pre>print("as typed")</pre><p>"A new paragraph opens"</p><ul><li>"one"<br>"two"</li></ul>'
    )
    assert smarten_html(body) == (
        "<p>He said “<em>hello</em>” to <a href=\"https://example.org/?q='x'\">Tom’s</a> crew.</p>"
        '<pre>print("as typed")</pre><p>“A new paragraph opens”</p><ul><li>“one”<br>“two”</li></ul>'
    )


def test_a_saved_story_prints_curly_quotes_in_its_headline_standfirst_and_body(db):
    article = ArticleFactory(
        headline='Ferry crew\'s "floating bakery" opens',
        dek="It's open on Sundays -- mostly.",
        body='<p>"We bake at 4 am," the skipper said.</p><p><code>"kept"</code></p>',
    )
    article.refresh_from_db()
    assert article.headline == "Ferry crew’s “floating bakery” opens"
    assert article.dek == "It’s open on Sundays — mostly."
    assert article.body == '<p>“We bake at 4 am,” the skipper said.</p><p><code>"kept"</code></p>'
    version = article.version
    article.save()
    article.refresh_from_db()
    assert (article.headline, article.body, article.version) == (
        "Ferry crew’s “floating bakery” opens",
        '<p>“We bake at 4 am,” the skipper said.</p><p><code>"kept"</code></p>',
        version + 1,
    )


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("<p>[People News] The harbour...</p>", ("People News", "<p>The harbour...</p>")),
        ("<p><strong>[People News]</strong> The harbour</p>", ("People News", "<p>The harbour</p>")),
        (
            "<p><strong>[People News] The harbour</strong></p>",
            ("People News", "<p><strong>The harbour</strong></p>"),
        ),
        ("<p>The harbour [People News]</p>", None),
        ("<h2>[People News]</h2><p>x</p>", None),
    ],
)
def test_a_body_opening_with_a_source_tag_is_recognised(body, found):
    assert leading_source_tag(body) == found


def add_form(client, **fields):
    data = {
        "headline": "Harbour story", "slug": "harbour-story", "section": fields.pop("section"),
        "body": "<p>Text</p>", "comment_policy": "open", "status": "draft",
        "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(fields)
    return client.post("/admin/articles/article/add/", data, follow=True)


def test_a_pasted_source_tag_is_shown_once_and_the_journalist_is_told(db, client, editor, section):
    client.force_login(editor)
    response = add_form(
        client, section=section.pk, source_label="People News", body="<p>[People News] The harbour opens.</p>"
    )
    article = Article.objects.get(slug="harbour-story")
    assert article.body == "<p>The harbour opens.</p>"
    assert "which the source tag shows" in response.content.decode()


def test_a_source_tag_typed_only_in_the_body_moves_into_the_field(db, client, editor, section):
    client.force_login(editor)
    add_form(client, section=section.pk, body="<p><strong>[People News]</strong> The harbour opens.</p>")
    article = Article.objects.get(slug="harbour-story")
    assert (article.source_label, article.body) == ("People News", "<p>The harbour opens.</p>")


def test_two_different_source_tags_are_a_form_error_and_nothing_is_saved(db, client, editor, section):
    client.force_login(editor)
    response = add_form(
        client, section=section.pk, source_label="People News", body="<p>[Wire] The harbour</p>"
    )
    assert "The body starts with [Wire] but the source tag is" in response.content.decode()
    assert not Article.objects.filter(slug="harbour-story").exists()


def test_live_updates_are_typeset_like_stories(db):
    from tests.factories import LiveUpdateFactory

    update = LiveUpdateFactory(headline='Ferries "halted"', body="<p>It's over -- for now.</p>")
    update.refresh_from_db()
    assert (update.headline, update.body) == ("Ferries “halted”", "<p>It’s over — for now.</p>")
