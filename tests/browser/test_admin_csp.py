"""The newsroom's admin in a real Chromium under its Content-Security-Policy: every page loads with no CSP
violation and no console error, and the widgets that write styles or scripts (the body editor, the date
and time pop-ups, autocompletes, the permission pickers) work.

The admin's policy allows inline styles only on the article add and change forms (the body editor injects
a `<style>` element: see newsmag.middleware.ContentSecurityPolicyMiddleware); these tests are how we know
that no other page needs them.
"""

import contextlib

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles import history
from articles.fronts import publish_front
from articles.models import Container, FrontPage, Pin, Source
from comments.models import ModeratedWord
from tests.browser.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def superuser(site):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def every_kind_of_row(newsroom, superuser):
    """At least one row for every model the admin lists, so that every change form can be opened."""
    ModeratedWord.objects.create(phrase="casino", action=ModeratedWord.Action.HOLD)
    now = timezone.now()
    attempt = {"ip_address": "192.0.2.1", "username": "nobody", "user_agent": "probe", "path_info": "/admin/"}
    AccessAttempt.objects.create(**attempt, attempt_time=now, failures_since_start=1)
    AccessLog.objects.create(**attempt, attempt_time=now)
    AccessFailureLog.objects.create(**attempt, attempt_time=now, locked_out=False)
    article = newsroom["article"]
    history.record_revision(article, by=superuser, reason="Written")
    article.dek = "For twelve years, Ilse Marten has opened her bakery at 2 a.m."
    article.save()
    history.record_revision(article, by=superuser, reason="Edited")
    home = FrontPage.objects.home()
    picks = Container.objects.create(front=home, source=Source.PICKED, title="Picks", position=1)
    Pin.objects.create(container=picks, article=article, position=1)
    publish_front(front=home, by=superuser)
    return newsroom


def admin_pages(user):
    """Every admin page `user` may open for the rows in the database: {name: path}."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = {"index": reverse("admin:index"), "password change": reverse("admin:password_change")}
    for model, model_admin in admin.site._registry.items():
        name = f"{model._meta.app_label}_{model._meta.model_name}"
        pages[f"{name} list"] = reverse(f"admin:{name}_changelist")
        pages[f"{name} app"] = reverse("admin:app_list", args=[model._meta.app_label])
        if model_admin.has_add_permission(request):
            pages[f"{name} add"] = reverse(f"admin:{name}_add")
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            for view in ("change", "history", "delete"):
                if view != "delete" or model_admin.has_delete_permission(request, row):  # the home page
                    pages[f"{name} {view}"] = reverse(f"admin:{name}_{view}", args=[row.pk])
            with contextlib.suppress(NoReverseMatch):  # only users have a password form
                pages[f"{name} password"] = reverse(f"admin:{name}_password_change", args=[row.pk])
    return pages


def violations_on(page):
    return page.evaluate("window.__cspViolations")


def test_every_admin_page_loads_without_csp_violations_or_console_errors(
    site, every_kind_of_row, superuser, new_page
):
    page, watch = new_page()
    page.goto(f"{site}/admin/login/")
    found = {"login": violations_on(page)}
    log_in(page, site, "root")
    for name, path in admin_pages(superuser).items():
        response = page.goto(f"{site}{path}")
        assert response.status == 200, (name, path)
        found[name] = violations_on(page)
    article = every_kind_of_row["article"]
    history = reverse("admin:articles_article_history", args=[article.pk])
    page.goto(f"{site}{history}")
    page.get_by_role("button", name="Compare selected versions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compare versions")
    assert "csrfmiddlewaretoken" not in page.url  # a GET form: the token stays out of the address
    found["article compare"] = violations_on(page)
    page.goto(f"{site}{history}")
    page.get_by_role("button", name="Restore").first.click()  # a POST, with the token, from the same table
    expect(page.locator(".messagelist")).to_contain_text("restored (as a new revision)")
    found["article restored"] = violations_on(page)
    page.goto(f"{site}{reverse('admin:articles_frontpage_preview', args=[FrontPage.objects.home().pk])}")
    expect(page.locator("#block-picked")).to_contain_text("Picks")
    found["front page preview"] = violations_on(page)
    assert {name: seen for name, seen in found.items() if seen} == {}
    watch.assert_clean()


def policy_of(response):
    return dict(
        ([*directive.split(" ", 1), ""])[:2]
        for directive in response.headers["content-security-policy"].split("; ")
    )


def test_the_body_editor_loads_and_takes_typing_and_formatting_under_the_admin_csp(
    site, every_kind_of_row, superuser, new_page
):
    article = every_kind_of_row["article"]
    page, watch = new_page()
    log_in(page, site, "root")
    response = page.goto(f"{site}{reverse('admin:articles_article_change', args=[article.pk])}")
    policy = policy_of(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'sha256-" in policy["script-src"]  # the editor's import map, by its hash
    body = page.locator(".field-body [contenteditable='true']")
    expect(body).to_be_visible()  # the editor's modules loaded through the import map
    # Tiptap's own stylesheet, which it injects as a <style> element, applies (ProseMirror needs it).
    assert body.evaluate("element => getComputedStyle(element).whiteSpace") in {"break-spaces", "pre-wrap"}
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Typed under the policy, ")
    page.locator(".field-body .prose-menubar__button", has_text="format_bold").click()
    page.keyboard.type("and in bold.")
    expect(body).to_contain_text("Typed under the policy, and in bold.")
    expect(body.locator("strong")).to_have_text("and in bold.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert "Typed under the policy, <strong>and in bold.</strong>" in article.body, article.body
    watch.assert_clean()


def test_date_pickers_permission_pickers_autocompletes_and_collapsed_fieldsets_need_no_inline_styles(
    site, every_kind_of_row, superuser, new_page
):
    page, watch = new_page()
    log_in(page, site, "root")
    response = page.goto(f"{site}{reverse('admin:auth_user_change', args=[superuser.pk])}")
    assert policy_of(response)["style-src"] == "'self'"
    # The calendar and the clock pop-ups (positioned from script).
    page.locator("#calendarlink0").click()
    calendar = page.locator("#calendarbox0")
    expect(calendar).to_be_visible()
    calendar.get_by_role("link", name="Today").click()
    expect(calendar).to_be_hidden()
    page.locator("#clocklink0").click()
    clock = page.locator("#clockbox0")
    expect(clock).to_be_visible()
    clock.get_by_role("link", name="Noon").click()
    expect(page.locator("#id_last_login_1")).to_have_value("12:00:00")
    # The two-box permission and group picker.
    page.locator("#id_groups_from").select_option(label="Editor")
    page.locator("#id_groups_add").click()
    expect(page.locator("#id_groups_to option")).to_have_text(["Editor"])

    author = every_kind_of_row["maria"]
    response = page.goto(f"{site}{reverse('admin:articles_author_change', args=[author.pk])}")
    assert policy_of(response)["style-src"] == "'self'"
    page.locator(".field-user .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("ro")
    page.locator(".select2-results__option", has_text="root").click()
    expect(page.locator(".field-user .select2-selection__rendered")).to_have_attribute("title", "root")

    image = every_kind_of_row["article"].lead_image
    response = page.goto(f"{site}{reverse('admin:articles_image_change', args=[image.pk])}")
    assert policy_of(response)["style-src"] == "'self'"
    page.get_by_text("Crops", exact=True).click()
    expect(page.get_by_label("Focal point, across")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    watch.assert_clean()
