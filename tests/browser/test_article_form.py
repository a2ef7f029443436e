"""The article form as a journalist writes in it: a short slug suggested from a long headline, the body
editor's toolbar in view down a long story, and curly quotes in what is saved."""

import pytest
from playwright.sync_api import expect

from articles import roles
from articles.models import Article
from tests.browser.conftest import log_in, staff
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.browser

LONG_HEADLINE = (
    "The night baker who keeps a harbour town's lights on while the ferries sleep and the fishing fleet "
    "waits for the tide"
)


def test_a_long_headline_suggests_a_slug_cut_at_a_whole_word(site, new_page):
    staff(roles.JOURNALIST, "maria")
    page, watch = new_page()
    log_in(page, site, "maria")
    page.goto(f"{site}/admin/articles/article/add/")
    page.get_by_label("Headline").press_sequentially(LONG_HEADLINE)
    page.wait_for_function("() => document.getElementById('id_slug').value.length > 40")
    page.wait_for_timeout(100)  # the cut runs just after Django's own suggestion
    slug = page.get_by_label("Slug").input_value()
    assert 40 < len(slug) <= 60
    assert slug == "the-night-baker-who-keeps-a-harbour-towns-lights-on-while"  # whole words
    own = "a-slug-the-journalist-typed-herself-which-is-longer-than-sixty-characters"
    page.get_by_label("Slug").clear()
    page.get_by_label("Slug").fill(own)
    page.get_by_label("Slug").press("Tab")  # leaving the field: a change Django and the cut both respect
    page.get_by_label("Headline").press_sequentially(" again")
    page.wait_for_timeout(100)
    assert page.get_by_label("Slug").input_value() == own
    watch.assert_clean()


def test_the_body_toolbar_stays_in_view_down_a_long_story(site, new_page):
    staff(roles.EDITOR, "erik")
    paragraphs = "".join(f"<p>Paragraph {n} of a long story about the harbour.</p>" for n in range(80))
    article = ArticleFactory(section=SectionFactory(), body=paragraphs, headline='A "long" story')
    page, watch = new_page()
    log_in(page, site, "erik")
    page.goto(f"{site}/admin/articles/article/{article.pk}/change/")
    page.locator(".ProseMirror[contenteditable=true]").get_by_text(
        "Paragraph 60 "
    ).scroll_into_view_if_needed()
    toolbar = page.locator(".field-body .prose-menubar").first
    expect(toolbar).to_be_in_viewport()
    # Saving keeps the typographic quotes the headline got on save.
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_label("Headline")).to_have_value("A “long” story")
    assert Article.objects.get(pk=article.pk).headline == "A “long” story"
    watch.assert_clean()


def test_a_crashed_editing_session_gets_its_text_back(site, new_page, settings):
    settings.NEWSMAG_AUTOSAVE_SECONDS = 1
    maria = staff(roles.JOURNALIST, "maria")
    draft = ArticleFactory(
        section=SectionFactory(), status=Article.Status.DRAFT, publish_at=None, created_by=maria,
        headline="Ferries return", body="<p>Saved paragraph.</p>",
    )  # fmt: skip
    change = f"{site}/admin/articles/article/{draft.pk}/change/"
    page, watch = new_page()
    log_in(page, site, "maria")
    page.goto(change)
    page.get_by_label("Headline").click()
    page.keyboard.press("End")
    page.keyboard.type(" after the storm")
    page.locator(".ProseMirror[contenteditable=true]").first.get_by_text("Saved paragraph.").click()
    page.keyboard.press("End")
    page.keyboard.type(" The first boats left at dawn, full of bread.")
    expect(page.locator(".autosave-status")).to_contain_text("Draft copy kept at", timeout=10_000)
    watch.assert_clean()
    page.context.close()  # the browser dies: nothing was saved
    assert Article.objects.get(pk=draft.pk).headline == "Ferries return"

    page, watch = new_page()
    log_in(page, site, "maria")
    page.goto(change)
    expect(page.locator(".autosave-offer")).to_contain_text("that was not saved")
    page.get_by_role("link", name="Restore it").click()
    expect(page.get_by_label("Headline")).to_have_value("Ferries return after the storm")
    editor = page.locator(".ProseMirror[contenteditable=true]").first
    expect(editor).to_contain_text("Saved paragraph. The first boats left at dawn, full of bread.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".autosave-offer")).to_have_count(0)
    story = Article.objects.get(pk=draft.pk)
    assert story.headline == "Ferries return after the storm"
    assert "The first boats left at dawn, full of bread." in story.body
    watch.assert_clean()
