import pytest

from articles.html import sanitize_html
from articles.models import Image, SourceType
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"credit": "People News", "source_type": SourceType.TRAINED_ALGORITHMIC_MEDIA},
            "People News/AI-generated image",
        ),
        ({"credit": "People News", "creator": "Jane Doe"}, "Jane Doe/People News"),
        ({"credit": "Jane Doe", "creator": "Jane Doe"}, "Jane Doe"),
        (
            {"credit": "People News", "source_type": SourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA},
            "People News/AI-edited image",
        ),
        ({"credit": "", "source_type": SourceType.TRAINED_ALGORITHMIC_MEDIA}, "AI-generated image"),
        (
            {"credit": "Newsmag graphics", "source_type": SourceType.DATA_DRIVEN_MEDIA},
            "Newsmag graphics/graphic",
        ),
    ],
)
def test_credit_line(fields, expected):
    assert Image(**{"credit": "", "creator": "", **fields}).credit_line() == expected


def test_ai_label_is_in_every_credit_line_of_an_ai_image():
    for source_type in SourceType:
        image = Image(credit="People News", source_type=source_type)
        assert ("AI-" in image.credit_line()) == source_type.is_ai


def test_article_page_shows_the_model_story(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert "The night baker who keeps a town’s lights on" in html  # typeset on save
    assert '<span class="source-tag">[People News]</span> First paragraph.' in html
    assert "(People News/AI-generated image)" in html
    assert 'fetchpriority="high"' in html
    assert "<h2>A subheading</h2>" in html
    assert "<li>One</li>" in html
    assert 'href="/tag/food/"' in html


def test_body_is_sanitized_when_saved_and_when_shown(client, section):
    article = ArticleFactory(
        section=section,
        body='<p onclick="steal()">Hi<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">x</a><iframe src=x>',
    )
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "iframe" not in article.body
    html = client.get(article.get_absolute_url()).content.decode()
    assert "alert(1)" not in html


@pytest.mark.parametrize(
    "vector",
    [
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<scr<script>ipt>alert(1)</script>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_sanitizer_removes_script_vectors(vector):
    cleaned = sanitize_html(vector)
    assert "onerror" not in cleaned
    assert "onload" not in cleaned
    assert "javascript" not in cleaned.lower()
    assert "<script" not in cleaned
    assert "style=" not in cleaned


@pytest.mark.parametrize(
    "cite",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " &#x0e; java&#x09;script:alert(1)",
        "java\nscript:alert(1)",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        "javascript&colon;alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "mailto:desk@example.com",
        "//elsewhere.example/page",
        "/a/relative/page",
        "http://[::1",
    ],
)
def test_a_quotes_cite_keeps_no_address_but_an_absolute_web_one(cite):
    for html in (f'<blockquote cite="{cite}"><p>Said.</p></blockquote>', f'<p><q cite="{cite}">Said</q></p>'):
        assert "cite=" not in sanitize_html(html), html


def test_a_quotes_web_cite_is_kept():
    html = '<blockquote cite=" https://example.com/speech?day=1&amp;part=2 "><p>Said.</p></blockquote>'
    assert sanitize_html(html) == (
        '<blockquote cite="https://example.com/speech?day=1&amp;part=2"><p>Said.</p></blockquote>'
    )
    assert sanitize_html('<q cite="HTTP://example.com/">Said</q>') == '<q cite="HTTP://example.com/">Said</q>'


def test_user_text_is_escaped_in_headline_and_credit(client, section):
    image = ImageFactory(credit="<b>Evil</b>", caption="<script>x()</script>")
    article = ArticleFactory(section=section, headline="<script>alert(1)</script>", lead_image=image)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<script>x()</script>" not in html
    assert "&lt;b&gt;Evil&lt;/b&gt;" in html


def test_image_needs_alt_text_unless_decorative():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        ImageFactory(alt_text="", is_decorative=False)


def test_pages_have_no_inline_scripts_or_styles(client, article):
    for url in ["/", article.get_absolute_url(), "/culture/", "/tag/food/", "/search/?q=baker", "/missing/"]:
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        for chunk in html.split("<script")[1:]:
            # External scripts, or JSON-LD data blocks (never executed, allowed by the CSP)
            assert chunk.lstrip().startswith(("src=", 'type="application/ld+json"')), url


def test_pages_send_a_strict_content_security_policy(client, article):
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
