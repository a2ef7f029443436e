"""The reader's comment thread in Chromium: what a reader sees after posting (with and without
JavaScript), the author's reply to a held comment, folded replies and sorting."""

import re

import pytest
from playwright.sync_api import expect

from comments import moderation
from comments.models import Comment
from tests.browser import test_journeys
from tests.browser.conftest import JOURNALIST, MODERATOR, VIEWPORTS, log_in, staff
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.browser

viewports = pytest.mark.parametrize("viewport", list(VIEWPORTS))
cached_site = test_journeys.cached_site  # the live site with the page cache on, as in production


@pytest.fixture
def quiet_story(newsroom):
    """A story nobody has commented on yet."""
    return ArticleFactory(
        section=newsroom["culture"], headline="A quiet story", slug="quiet-story", authors=[newsroom["maria"]]
    )


@pytest.fixture
def relaxed(settings):
    # A person types for longer than the pipeline's minimum; a test fills the form in milliseconds.
    settings.NEWSMAG_COMMENT_MIN_FORM_SECONDS = 0
    settings.NEWSMAG_COMMENT_FLOOD_SECONDS = 0


def fill_comment(page, text):
    page.get_by_label("Name").fill("Lena Ortiz")
    page.get_by_role("textbox", name="Email").fill("lena@example.com")
    page.get_by_label("Your comment").fill(text)


def assert_notice_at_the_thread(page, text):
    notice = page.locator("#comments .comment-notice")
    expect(notice).to_contain_text("awaiting moderation")
    expect(notice).to_contain_text(text)
    expect(notice).to_be_in_viewport()
    expect(page.get_by_text("No comments yet")).to_be_hidden()


@viewports
def test_with_javascript_a_held_comment_shows_at_the_thread_without_a_reload(
    viewport, cached_site, quiet_story, new_page, relaxed
):
    page, watch = new_page(viewport)
    page.goto(f"{cached_site}{quiet_story.get_absolute_url()}")
    expect(page.get_by_text("No comments yet")).to_be_visible()
    page.get_by_role("link", name="Write a comment").click()
    fill_comment(page, "A lovely, quiet story.")
    page.evaluate("window.__samePage = true")
    button = page.get_by_role("button", name="Post comment")
    sending = []

    def slow(route):  # hold the post a moment: the button must be off while it is on its way
        sending.append(button.is_disabled())
        route.continue_()

    page.route("**/comments/post/**", slow)
    button.click()
    assert_notice_at_the_thread(page, "A lovely, quiet story.")
    assert sending == [True]
    assert page.evaluate("window.__samePage") is True  # no reload
    expect(page.get_by_label("Your comment")).to_have_value("")
    expect(button).to_be_enabled()
    assert Comment.objects.filter(article=quiet_story).count() == 1
    watch.assert_clean()


@viewports
def test_without_javascript_a_held_comment_shows_at_the_thread(
    viewport, cached_site, quiet_story, new_page, relaxed
):
    page, watch = new_page(viewport, java_script_enabled=False)
    page.goto(f"{cached_site}{quiet_story.get_absolute_url()}")
    page.locator("#comment-form").get_by_role("link", name="Write a comment").click()
    fill_comment(page, "Read it without scripts.")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(f"{cached_site}{quiet_story.get_absolute_url()}#comment-notice")
    assert_notice_at_the_thread(page, "Read it without scripts.")
    expect(page.locator(".messages")).not_to_contain_text("awaiting moderation", use_inner_text=True)
    watch.assert_clean()


def test_with_javascript_a_published_reply_appears_under_its_parent(cached_site, newsroom, new_page, relaxed):
    first = newsroom["first_comment"]
    article = newsroom["article"]
    page, watch = new_page()
    page.goto(f"{cached_site}{article.get_absolute_url()}")
    fill_comment(page, "Glad it was read on the night bus.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-notice")).to_contain_text("awaiting moderation")
    # The moderator approves it; the next comment from this browser is trusted and goes live in place.
    moderation.approve(Comment.objects.filter(name="Lena Ortiz"), moderator=None)
    page.goto(f"{cached_site}{article.get_absolute_url()}")
    page.evaluate(f"document.querySelector('form.comment-form input[name=parent]').value = '{first.pk}'")
    fill_comment(page, "And the ferry is even better.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-notice")).to_contain_text("Your comment is published")
    expect(page.locator(f"#comment-{first.pk} > .comment-replies")).to_contain_text(
        "And the ferry is even better."
    )
    watch.assert_clean()


def test_the_author_thanks_a_reader_whose_comment_is_held(cached_site, newsroom, new_page, relaxed):
    article, maria = newsroom["article"], newsroom["maria"]
    maria.user = staff(JOURNALIST, "maria", first_name="Maria", last_name="Keller")
    maria.save()
    held = CommentFactory(
        article=article,
        name="Pieter van Loon",
        body="Is there anything like this in Westhaven?",
        status=Comment.Status.PENDING,
    )
    page, watch = new_page()
    log_in(page, cached_site, "maria")
    page.goto(f"{cached_site}{article.get_absolute_url()}")
    held_item = page.locator(f"#comment-{held.pk}")
    expect(held_item).to_contain_text("Awaiting moderation")
    held_item.get_by_role("link", name="Reply to Pieter van Loon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to Pieter van Loon")
    page.get_by_label("Your comment").fill("Thank you!")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments .comment-notice")).to_contain_text("awaiting moderation")
    expect(page.locator(f"#comment-{held.pk} .comment-replies")).to_contain_text("Thank you!")
    watch.assert_clean()

    reader, reader_watch = new_page()
    reader.goto(f"{cached_site}{article.get_absolute_url()}")
    expect(reader.get_by_text("Thank you!", exact=True)).to_have_count(0)
    moderator = staff(MODERATOR, "moderator")
    moderation.approve([held], moderator=moderator)  # the author's reply goes live with it
    reader.goto(f"{cached_site}{article.get_absolute_url()}")
    expect(reader.locator(f"#comment-{held.pk} .comment-replies")).to_contain_text("Thank you!")
    expect(reader.locator(f"#comment-{held.pk} .comment-replies .comment-badge")).to_have_text("Author")
    reader_watch.assert_clean()


@pytest.mark.parametrize("javascript", [True, False])
def test_long_reply_chains_fold_and_open(cached_site, newsroom, new_page, javascript):
    first = newsroom["first_comment"]  # one reply already
    replies = [
        CommentFactory(article=newsroom["article"], parent=first, body=f"More reply {n}") for n in range(4)
    ]
    page, watch = new_page(java_script_enabled=javascript)
    page.goto(f"{cached_site}{newsroom['article'].get_absolute_url()}")
    expect(page.get_by_text("More reply 1")).to_be_visible()
    expect(page.get_by_text("More reply 2")).to_be_hidden()
    page.get_by_text("Show 2 more replies").click()
    expect(page.get_by_text("More reply 3")).to_be_visible()
    if javascript:  # a link to a folded reply opens the fold
        page.goto(f"{cached_site}{newsroom['article'].get_absolute_url()}#comment-{replies[3].pk}")
        page.reload()
        expect(page.locator(f"#comment-{replies[3].pk}")).to_be_visible()
    watch.assert_clean()


def test_readers_sort_the_thread_newest_first_and_back(cached_site, newsroom, new_page):
    article, first = newsroom["article"], newsroom["first_comment"]
    newer = CommentFactory(article=article, name="Greg Hall", body="Newest of all.")
    page, watch = new_page()
    page.goto(f"{cached_site}{article.get_absolute_url()}")
    roots = page.locator(".comment-list > .comment")
    expect(roots.first).to_have_attribute("id", f"comment-{first.pk}")
    sort = page.get_by_role("navigation", name="Sort comments")
    sort.get_by_role("link", name="Newest").click()
    expect(roots.first).to_have_attribute("id", f"comment-{newer.pk}")
    expect(sort.get_by_role("link", name="Newest")).to_have_attribute("aria-current", "true")
    assert page.url.endswith("?sort=newest#comments")
    sort.get_by_role("link", name="Oldest").focus()  # keyboard: the orders are links
    page.keyboard.press("Enter")
    expect(roots.first).to_have_attribute("id", f"comment-{first.pk}")
    # Times read as "… ago", with the full date at hand.
    time = roots.first.locator(":scope > article .comment-time time")
    expect(time).to_have_text("just now")
    expect(time).to_have_attribute("title", re.compile(r"^\d+ \w+ \d{4}, \d\d:\d\d$"))
    watch.assert_clean()


def test_a_reader_recommends_a_comment_once_and_sorts_by_most_recommended(cached_site, newsroom, new_page):
    article, first = newsroom["article"], newsroom["first_comment"]
    liked = CommentFactory(article=article, name="Greg Hall", body="The rye bread is worth the trip.")
    page, watch = new_page()
    page.goto(f"{cached_site}{article.get_absolute_url()}")
    page.evaluate("window.__samePage = true")
    button = page.locator(f"#comment-{liked.pk} > article").get_by_role("button", name="Recommend")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_text("Recommend 1 recommendation")
    button.click()  # a second click does not add
    expect(button).to_have_attribute("aria-pressed", "true")
    page.wait_for_load_state("networkidle")
    expect(button).to_have_text("Recommend 1 recommendation")
    assert page.evaluate("window.__samePage") is True  # no reload
    liked.refresh_from_db()
    assert liked.recommendation_count == 1
    # Most recommended puts it first; the button still shows it pressed (remembered by this browser).
    page.get_by_role("navigation", name="Sort comments").get_by_role("link", name="Most recommended").click()
    roots = page.locator(".comment-list > .comment")
    expect(roots.first).to_have_attribute("id", f"comment-{liked.pk}")
    expect(roots.nth(1)).to_have_attribute("id", f"comment-{first.pk}")
    pressed = page.locator(f"#comment-{liked.pk} > article").get_by_role("button", name="Recommend")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed).to_have_text("Recommend 1 recommendation")
    watch.assert_clean()
