"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Every test here gets its own live-server database (`transactional_db`, emptied after each test). The role
groups come from a data migration that the emptying wipes, so `site` sets them up again.
Where a tool is missing (Chromium, Java, the npm packages of package.json) the tests that need it skip
and say how to install it; `.ci/run` installs all of them, so CI always runs them.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from articles import roles
from articles.models import Article, Correction, Page
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    ImageFactory,
    NewsAlertFactory,
    SectionFactory,
    UserFactory,
)

# Playwright's sync API runs an asyncio event loop in the test's thread; Django refuses database access
# from such a thread unless told it is safe (it is: the loop only talks to the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("NEWSMAG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NODE_MODULES = HERE / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_NPM = "run `npm ci --ignore-scripts` in tests/browser (CI's .ci/run does)"

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def missing(what: str, how: str):
    """Skip the test, saying what to install; in CI (NEWSMAG_BROWSER_TESTS=required) fail instead."""
    message = f"{what}: {how}."
    if os.environ.get("NEWSMAG_BROWSER_TESTS") == "required":
        pytest.fail(message)
    pytest.skip(message)


def require(path: Path, what: str, how: str):
    if not path.exists():
        missing(f"{what} not found at {path}", how)


# The browser --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (each test gets a fresh context: no shared cookies)."""
    require(CHROMIUM, "Chromium", "`apt-get install chromium` (CI's .ci/run does)")
    try:
        from playwright import sync_api
    except ImportError:
        missing("Playwright is not installed", '`pip install -e ".[dev]"`')
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def set_up_roles():
    """The role groups with their permissions, as the migration makes them (articles.roles)."""
    for role, names in roles.ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [name.split(".") for name in names]
        group.permissions.set(
            permission
            for permission in Permission.objects.select_related("content_type")
            if [permission.content_type.app_label, permission.codename] in wanted
        )


@pytest.fixture
def site(live_server, settings):
    """The live site's base URL, serving uploaded media as the web server would in production.

    pytest-django's `django_db_serialized_rollback` cannot restore the groups here: Playwright's sync API
    keeps an event loop running in this thread, so Django hands the test a different connection object
    than the one that holds the serialized data.
    """
    ContentType.objects.clear_cache()  # the emptying renumbers content types
    set_up_roles()
    settings.ROOT_URLCONF = "tests.browser.urls"
    # No autosave unless a test asks for it: a copy posted as a page closes would reach the live server
    # while the test database is being emptied (a deadlock in TRUNCATE).
    settings.NEWSMAG_AUTOSAVE_SECONDS = 0
    return live_server.url


class PageWatch:
    """Console errors, uncaught exceptions and Content-Security-Policy violations seen by one page."""

    INIT_SCRIPT = """
        window.__cspViolations = [];
        document.addEventListener("securitypolicyviolation", (event) => {
            window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
        });
    """

    def __init__(self, page):
        self.page = page
        self.errors = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.add_init_script(self.INIT_SCRIPT)

    def assert_clean(self):
        """No console error and no CSP violation on the page now shown (and on those before it)."""
        violations = self.page.evaluate("window.__cspViolations")
        assert violations == [], f"CSP violations on {self.page.url}: {violations}"
        assert self.errors == [], f"Console errors up to {self.page.url}: {self.errors}"


def open_page(browser, viewport="desktop", color_scheme="light", **options):
    """A new page in a fresh context (no cookies), watched for console errors and CSP violations.

    `viewport` is a name from VIEWPORTS or a {"width": ..., "height": ...} size.
    """
    size = VIEWPORTS[viewport] if isinstance(viewport, str) else viewport
    context = browser.new_context(viewport=size, color_scheme=color_scheme, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    return page, PageWatch(page)


@pytest.fixture
def new_page(browser, request):
    """A factory of watched pages, closed after the test: `page, watch = new_page("phone")`."""
    contexts = []

    def make(viewport="desktop", color_scheme="light", **options):
        page, watch = open_page(browser, viewport, color_scheme, **options)
        contexts.append(page.context)
        return page, watch

    yield make
    for context in contexts:
        context.close()


def log_in(page, site, username, password=PASSWORD):
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/admin/")


# Data ---------------------------------------------------------------------------------------------------


def staff(role, username, **kwargs):
    user = UserFactory(username=username, is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def newsroom(site):
    """A small published newsroom: two sections, bylines, tags, an AI-generated lead image and a thread.

    Returns a dict of the objects the tests use.
    """
    culture = SectionFactory(name="Culture", slug="culture", position=1)
    world = SectionFactory(name="World", slug="world", position=2)
    maria = AuthorFactory(name="Maria Keller", slug="maria-keller", role="Staff writer", bio="Culture desk.")
    wire = AuthorFactory(name="People News", slug="people-news", role="News agency")
    ai_image = ImageFactory(
        title="Bakery at night",
        alt_text="A bakery window glowing on a dark harbour street",
        caption="A bakery before dawn.",
        credit="People News",
        source_type="trainedAlgorithmicMedia",
        ai_system="Imagen",
    )
    # The body's blocks, so every check (axe, the HTML checker, page weight, trimmed CSS) sees them.
    harbour, *gallery = [
        ImageFactory(
            title=f"Quay {n}",
            alt_text=f"Quay Street at night, view {n}",
            caption=f"Quay Street {n}.",
            credit="Elena Marsh",
        )
        for n in range(4)
    ]
    gallery_html = "".join(f'<figure data-image="{image.pk}"></figure>' for image in gallery)
    article = ArticleFactory(
        section=culture,
        kicker="People",
        headline="The night baker who keeps a harbour town's lights on",
        slug="night-baker",
        dek="For eleven years, Ilse Marten has opened her bakery at 2 a.m.",
        body=(
            "<p>On Quay Street there is a window that glows when every other window is dark.</p>"
            "<h2>A warm room at 2 a.m.</h2><p>Nurses, ferry crews and cleaners stop by.</p>"
            "<blockquote><p>If I am awake anyway, I may as well bake.</p></blockquote>"
            f'<figure data-image="{harbour.pk}" data-layout="wide"><figcaption>Quay Street at 2 a.m.</figcaption>'
            "</figure>"
            f'<div data-gallery="">{gallery_html}</div>'
            '<blockquote data-pull-quote=""><p>The town sleeps; the bread does not.</p>'
            '<p data-attribution="">Ilse Marten</p></blockquote>'
            '<aside data-factbox=""><h3>What we know</h3><ul><li>Open from 2 a.m.</li><li>Eleven years</li></ul>'
            "</aside>"
            '<aside data-note=""><p>This story first ran in the People News weekend edition.</p></aside>'
        ),
        source_label="People News",
        lead_image=ai_image,
        featured=True,
        authors=[maria, wire],
        tags=["people", "food"],
    )
    for number in range(3):
        ArticleFactory(
            section=world if number % 2 else culture,
            headline=f"Harbour story number {number}",
            slug=f"harbour-{number}",
            lead_image=ImageFactory(title=f"Harbour {number}", credit="Elena Marsh"),
            authors=[maria],
            tags=["people"],
        )
    Correction.objects.create(article=article, text="An earlier version misspelt Ilse Marten's name.")
    # Reads, so the article page's rail shows "Most read" to every check too.
    for number, harbour_story in enumerate(Article.objects.filter(slug__startswith="harbour-")):
        harbour_story.read_counts.create(day=timezone.localdate(), count=10 + number)
    # A breaking news banner on every page, so the checks (axe, the HTML checker, page weight) see it too.
    NewsAlertFactory(text="Storm reaches the coast: ferries stop for the night", article=article)
    first = CommentFactory(article=article, name="Tom Becker", body="I read it on the night bus home.")
    CommentFactory(article=article, parent=first, name="Nadia Rahman", body="Perfect timing!")
    Page.objects.create(
        title="Privacy",
        slug="privacy",
        summary="What this site stores about you.",
        body="<p>We keep little.</p><h2>Comments</h2><ul><li>Your name</li><li>Your email</li></ul>",
    )
    return {
        "article": article,
        "culture": culture,
        "world": world,
        "maria": maria,
        "first_comment": first,
    }


def public_pages(newsroom):
    """Every public page type, by name: {name: path}. All of them render with the newsroom's data."""
    article = newsroom["article"]
    published = timezone.localtime(article.publish_at)
    return {
        "home": "/",
        "section": newsroom["culture"].get_absolute_url(),
        "article": article.get_absolute_url(),
        "tag": "/tag/people/",
        "author": newsroom["maria"].get_absolute_url(),
        "search": "/search/?q=baker",
        "search, nothing found": "/search/?q=zeppelin",
        "search form": "/search/",
        "corrections": "/corrections/",
        "AI images": "/ai-images/",
        "site page": "/pages/privacy/",
        "archive": "/archive/",
        "archive month": f"/archive/{published:%Y}/{published:%m}/",
        "comment form": f"/comments/post/{article.pk}/",
        "reply form": f"/comments/{newsroom['first_comment'].pk}/reply/",
        "report confirmation": f"/comments/{newsroom['first_comment'].pk}/report/",
        "recommend confirmation": f"/comments/{newsroom['first_comment'].pk}/recommend/",
    }


@pytest.fixture
def tools_for_checkers():
    """Paths of the npm-installed checkers, skipping (with the fix) when they are missing."""
    require(NODE_MODULES, "The npm packages of tests/browser/package.json", INSTALL_NPM)
    return {"axe": AXE_JS, "vnu": VNU_JAR}


@pytest.fixture
def java():
    found = shutil.which("java")
    if not found:
        missing("Java not found", "`apt-get install default-jre-headless` (CI's .ci/run does)")
    return found


# Roles, for the journeys.
JOURNALIST, EDITOR, MODERATOR = roles.JOURNALIST, roles.EDITOR, roles.MODERATOR
