"""Script-injection vectors through every reader-visible field, rendered in Chromium: nothing runs.

tests/security/test_injection.py reads the server's HTML as text; this reads what a browser makes of it.
The vectors of tests/security/vectors.py fill every field a reader can see (the story of test_injection's
`hostile` fixture), and Chromium opens every page that shows them: home, article with its comments,
section, tag, author, a search for the vectors, search results, corrections, AI images, the no-JavaScript
comment form, the reply form, and a comment form sent back with errors (the vectors posted, the email left
out).

Every vector on every page of its own would take minutes, so the vectors go in groups of sixteen. Each
vector gets a story of its own, every field holding that vector alone (as in test_injection), and its
article page is opened; those stories also fill the home page, search results, corrections, AI images and
the section navigation of every page. A group story holds the group's vectors joined in every field (cut to
the column as a long vector would be; text columns such as the bio, section description and comment body
hold them all) for the pages that show one section, tag, author or comment; the searches and the refused
comment form carry the group's vectors whole.

The pages are opened with `bypass_csp=True`: the Content-Security-Policy forbids inline script and would
hide a sanitising failure, so this proves the HTML itself is inert. Execution is caught three ways: the
dialog event, xss_probe.js's record of calls to alert/confirm/prompt/print and to the string-to-code sinks,
and a scan of the parsed DOM for what would run on a reader's gesture (event-handler attributes,
`javascript:`/`vbscript:`/`data:` URLs after the browser's own URL parsing, scripts that are not ours,
JSON-LD that no longer parses, embedding elements, meta refresh). Each page is also tabbed through and
hovered.
"""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from articles.structured_data import short_headline
from tests.browser.conftest import HERE, VIEWPORTS
from tests.security.hostile import hostile_story
from tests.security.scan import FORBIDDEN_ELEMENTS, URL_ATTRIBUTES
from tests.security.vectors import VECTORS

pytestmark = pytest.mark.browser

GROUP_SIZE = 16  # with the group story, 17 stories: all on the home page (1 lead, 4 top, 12 latest)
GROUPS = [range(start, min(start + GROUP_SIZE, len(VECTORS))) for start in range(0, len(VECTORS), GROUP_SIZE)]
SEARCH_MAX_LENGTH = 200  # articles.forms.SearchForm: a longer query is not searched, nor shown back
PROBE = HERE / "xss_probe.js"
SCAN_RULES = {"urlAttributes": sorted(URL_ATTRIBUTES), "forbiddenElements": sorted(FORBIDDEN_ELEMENTS)}
# The part of the page to hover, scrolled into view: where a mouse sweep starts and ends.
SHOW = """(selector) => {
    const element = document.querySelector(selector) || document.body;  // broken pages too
    element.scrollIntoView({ block: "center" });
    const { left, top, right, bottom } = element.getBoundingClientRect();
    return {
        left: Math.max(left, 0) + 1, top: Math.max(top, 0) + 1,
        right: Math.min(right, innerWidth) - 1, bottom: Math.min(bottom, innerHeight) - 1,
    };
}"""
# After a frame, so that whatever the page scheduled has run.
SCAN = """(rules) => new Promise(
    (resolve) => requestAnimationFrame(() => resolve(window.__xssProbe.scan(rules)))
)"""
# The stories a list page links to: it must show every story of the group.
STORY_LINKS = """() => Array.from(
    document.querySelectorAll("main a[href*='/hostile-story-']"), (link) => new URL(link.href).pathname
)"""
# form.submit() skips the browser's own validation, as a hand-made request would. The form's button is
# named "submit", hiding the method.
SEND_WITH_A_MISSING_FIELD = """({ name, body, parent }) => {
    const form = document.querySelector("main form[method=post]");
    form.elements.namedItem("name").value = name;
    form.elements.namedItem("email").value = "";
    form.elements.namedItem("body").value = body;
    form.elements.namedItem("parent").value = parent;
    HTMLFormElement.prototype.submit.call(form);
}"""


def search_queries(vectors):
    """The vectors packed into as few queries as the search form takes whole."""
    queries = [""]
    for vector in vectors:
        if queries[-1] and len(queries[-1]) + 1 + len(vector) > SEARCH_MAX_LENGTH:
            queries.append("")
        queries[-1] = f"{queries[-1]} {vector}".strip()
    return queries


class Probe:
    """A page of a CSP-bypassing context with xss_probe.js installed, and the dialogs it opened."""

    def __init__(self, context):
        self.page = context.new_page()
        self.dialogs = []
        self.page.on("dialog", self._dismiss)
        self.page.add_init_script(path=str(PROBE))

    def _dismiss(self, dialog):
        self.dialogs.append(f"{dialog.type}({dialog.message!r})")
        dialog.dismiss()

    def check(self, name, hover="main"):
        """What ran or could run on the page now shown, after tabbing through it and hovering `hover`.

        Returns (problems, each naming the page; the page's JSON-LD documents).
        """
        page = self.page
        url = page.url
        for _ in range(3):
            page.keyboard.press("Tab")
        box = page.evaluate(SHOW, hover)
        page.mouse.move(box["left"], box["top"])
        page.mouse.move(box["right"], box["bottom"], steps=4)  # over everything on the way
        found = page.evaluate(SCAN, SCAN_RULES)
        problems = [f"dialog {dialog}" for dialog in self.dialogs]
        problems += [f"called {call}" for call in found["calls"]]
        problems += found["problems"]
        if page.url != url:
            problems.append(f"navigated away to {page.url}")
        self.dialogs.clear()
        return [f"{name} ({url}): {problem}" for problem in problems], found["jsonLd"]

    def open(self, site, name, path):
        """Open `path` and check it, hovering the article body where there is one."""
        response = self.page.goto(f"{site}{path}")
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        return self.check(name, ".article-body" if "article" in name else "main")


def news_article(json_ld):
    graph = [
        node for document in json_ld for node in (document if isinstance(document, list) else [document])
    ]
    return next(node for node in graph if node.get("@type") == "NewsArticle")


def group_pages(group, parent, vectors):
    """{name: path} of the pages opened once per group."""
    search = reverse("articles:search")
    pages = {
        "home": reverse("articles:home"),
        "search results": f"{search}?q=zebra",
        "search results, page 2": f"{search}?q=zebra&page=2",
        "corrections": reverse("articles:corrections"),
        "AI images": reverse("articles:ai-images"),
        "group article": group.get_absolute_url(),
        "section": group.section.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": group.tags.get().slug}),
        "author": group.byline_authors[0].get_absolute_url(),
        **{
            f"search {number + 1}": f"{search}?{urlencode({'q': query})}"
            for number, query in enumerate(search_queries(vectors))
        },
        "reply form": reverse("comments:reply", kwargs={"pk": parent.pk}),
        "comment form": reverse("comments:post", kwargs={"article_pk": group.pk}),  # the last: it is used
    }
    if len(vectors) + 1 <= settings.NEWSMAG_ARTICLES_PER_PAGE:  # the last, smaller group: one page of results
        del pages["search results, page 2"]
    return pages


@pytest.mark.parametrize(
    "numbers", GROUPS, ids=[f"vectors{group[0]:02d}-{group[-1]:02d}" for group in GROUPS]
)
def test_no_vector_runs_in_the_browser_through_any_field(site, browser, numbers):
    vectors = [VECTORS[number] for number in numbers]
    stories = {number: hostile_story(VECTORS[number], number)[0] for number in numbers}
    joined = " ".join(vectors)
    group, parent = hostile_story(joined, "group")
    every_story = {article.get_absolute_url() for article in [*stories.values(), group]}
    context = browser.new_context(bypass_csp=True, viewport=VIEWPORTS["desktop"])
    context.set_default_timeout(10_000)
    problems = []
    try:
        probe = Probe(context)
        for number, article in stories.items():
            found, json_ld = probe.open(site, f"article of vector {number}", article.get_absolute_url())
            problems += found
            # The JSON-LD says what the editor wrote: nothing broke out of it, nothing was mangled.
            news = news_article(json_ld)
            assert news["headline"] == short_headline(article.headline), f"vector {number}"
            assert news["image"][0]["caption"] == article.lead_image.caption, f"vector {number}"
        listed = {"home": set(), "search results": set(), "corrections": set(), "AI images": set()}
        for name, path in group_pages(group, parent, vectors).items():
            problems += probe.open(site, name, path)[0]
            if name.removesuffix(", page 2") in listed:
                listed[name.removesuffix(", page 2")] |= set(probe.page.evaluate(STORY_LINKS))
        for name, links in listed.items():
            assert every_story <= links, f"{name} does not show {sorted(every_story - links)}"
        # Send the vectors back through the comment form now shown, the email left out.
        with probe.page.expect_navigation() as sent:
            probe.page.evaluate(SEND_WITH_A_MISSING_FIELD, {"name": joined, "body": joined, "parent": joined})
        assert sent.value.status == 400, f"the refused comment form answered {sent.value.status}"
        problems += probe.check("comment form sent back with errors")[0]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_probe_catches_what_it_is_meant_to_catch(browser):
    """Guard against a probe that passes everything: known-bad HTML, served from a routed address."""
    unsafe = (
        "<main><p>Story</p>"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="alert(1)" onload="alert(1)">'
        '<a href="java&#x09;script:confirm(1)">tab</a>'
        '<script>prompt("inline")</script>'
        '<script type="application/ld+json">{"a": "</script><p>escaped</p>'
        '<iframe src="about:blank"></iframe>'
        '<meta http-equiv="refresh" content="60">'
        '<x onmouseover="print()">hover me</x></main>'
    )
    context = browser.new_context(bypass_csp=True)
    try:
        probe = Probe(context)
        probe.page.route(
            "http://probe.test/", lambda route: route.fulfill(body=unsafe, content_type="text/html")
        )
        probe.page.goto("http://probe.test/")
        problems = "\n".join(probe.check("probe", "x")[0])
    finally:
        context.close()
    for expected in (
        "dialog alert('1')",
        "dialog prompt('inline')",
        "called prompt(inline)",
        "called print()",
        "event handler onerror=",
        'href="java\\tscript:confirm(1)"',
        "script that is not ours: <script>prompt",
        "JSON-LD that is not JSON",
        "element <iframe",
        "meta refresh",
    ):
        assert expected in problems, f"{expected!r} not in:\n{problems}"
