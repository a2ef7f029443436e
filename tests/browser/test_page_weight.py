"""The article page stays light: HTML, CSS and JS within the budget, compressed as they are served."""

from tests.browser.page_weight import BUDGET, measure, report


def test_article_page_html_css_and_js_stay_within_the_budget(site, newsroom, capsys):
    resources = measure(f"{site}{newsroom['article'].get_absolute_url()}")
    with capsys.disabled():
        print(f"\n{report(resources)}")
    assert {resource.kind for resource in resources} == {"html", "css", "js"}
    assert sum(resource.gzip for resource in resources) < BUDGET, report(resources)
