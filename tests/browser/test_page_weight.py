"""The article page stays light: HTML, CSS, JS and web fonts within the budget, compressed as they are served."""

from tests.browser.page_weight import BUDGET, measure, report


def test_article_page_html_css_js_and_fonts_stay_within_the_budget(site, newsroom, capsys):
    resources = measure(f"{site}{newsroom['article'].get_absolute_url()}")
    with capsys.disabled():
        print(f"\n{report(resources)}")
    assert {resource.kind for resource in resources} == {"html", "css", "js", "font"}
    assert sum(resource.gzip for resource in resources) < BUDGET, report(resources)


def test_a_story_of_twenty_pictures_a_gallery_and_five_embeds_stays_within_the_budget(site, newsroom, capsys):
    from articles.models import Embed
    from tests.factories import ArticleFactory, ImageFactory

    body = "".join(
        f'<p>Paragraph {n} of the story.</p><figure data-image="{ImageFactory().pk}"></figure>'
        for n in range(20)
    )
    body += (
        '<div data-gallery="">'
        + "".join(f'<figure data-image="{ImageFactory().pk}"></figure>' for _ in range(6))
        + "</div>"
    )
    for n in range(5):
        embed = Embed.objects.create(
            url=f"https://www.youtube.com/watch?v=video-{n}", provider="youtube", type=Embed.Type.VIDEO,
            title=f"Harbour video {n}", author_name="People News",
        )  # fmt: skip
        body += f'<figure data-embed="{embed.pk}"></figure>'
    story = ArticleFactory(section=newsroom["culture"], body=body, lead_image=ImageFactory())
    resources = measure(f"{site}{story.get_absolute_url()}")
    with capsys.disabled():
        print(f"\nRich story: {report(resources)}")
    assert sum(resource.gzip for resource in resources) < BUDGET, report(resources)
