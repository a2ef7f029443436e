"""The sanitizer keeps exactly the body's blocks: references by id, three layouts, empty markers."""

import pytest

from articles.html import sanitize_html

STORED = (
    '<figure data-image="123" data-layout="wide"><figcaption>Override</figcaption></figure>'
    '<div data-gallery=""><figure data-image="1"><figcaption>One</figcaption></figure>'
    '<figure data-image="2"></figure></div>'
    '<figure data-embed="45"></figure>'
    '<blockquote data-pull-quote=""><p>Quote</p><p data-attribution="">Who</p></blockquote>'
    '<aside data-factbox=""><h3>What we know</h3><ul><li>A fact</li></ul></aside>'
    '<aside data-note=""><p>A note</p></aside>'
)


def test_the_stored_body_format_passes_the_sanitizer_unchanged():
    assert sanitize_html(STORED) == STORED


@pytest.mark.parametrize(
    "value",
    ["1 onload=alert(1)", "javascript:alert(1)", "12a", "-1", "1.5", " 12", "", "https://x/1.jpg", "١٢"],
)
def test_an_image_or_embed_reference_that_is_not_digits_is_dropped(value):
    for attribute in ("data-image", "data-embed"):
        cleaned = sanitize_html(f'<figure {attribute}="{value}"><figcaption>c</figcaption></figure>')
        assert attribute not in cleaned
        assert "onload" not in cleaned
        assert "javascript" not in cleaned


@pytest.mark.parametrize("layout", ["huge", "wide onload=x", "WIDE", "", "javascript:alert(1)"])
def test_a_layout_other_than_column_wide_or_full_is_dropped(layout):
    assert "data-layout" not in sanitize_html(f'<figure data-image="1" data-layout="{layout}"></figure>')


def test_marker_attributes_are_stored_empty_whatever_value_was_sent():
    cleaned = sanitize_html(
        '<div data-gallery="javascript:alert(1)"><figure data-image="1"></figure></div>'
        '<aside data-note="&quot; onmouseover=alert(1)">n</aside>'
        '<blockquote data-pull-quote="x"><p data-attribution="y">who</p></blockquote>'
    )
    assert cleaned == (
        '<div data-gallery=""><figure data-image="1"></figure></div><aside data-note="">n</aside>'
        '<blockquote data-pull-quote=""><p data-attribution="">who</p></blockquote>'
    )


@pytest.mark.parametrize(
    "html",
    [
        '<figure data-image="1" onload="alert(1)" style="x" class="y" data-src="https://evil/x.jpg"></figure>',
        '<div data-gallery="" onclick="alert(1)" data-foo="1"><img src="x" onerror="alert(1)"></div>',
        '<aside data-factbox="" data-image="1" style="color:red"><script>alert(1)</script></aside>',
        '<figure data-image="1"><img src="javascript:alert(1)"><iframe src="https://evil"></iframe></figure>',
        '<div data-embed="1" data-layout="wide"><aside data-gallery="">x</aside></div>',
        '<p data-image="1" data-note="">x</p><blockquote data-factbox="">y</blockquote>',
    ],
)
def test_hostile_variants_keep_nothing_outside_the_allowlist(html):
    cleaned = sanitize_html(html)
    for forbidden in ("onload", "onclick", "onerror", "style", "class=", "data-src", "data-foo", "<img",
                      "<iframe", "<script", "javascript"):  # fmt: skip
        assert forbidden not in cleaned
    # A marker or reference lives on its own element only.
    for misplaced in ('aside data-gallery', 'div data-embed', 'div data-layout', 'p data-image', 'p data-note',
                      'aside data-factbox="" data-image', 'blockquote data-factbox'):  # fmt: skip
        assert misplaced not in cleaned
