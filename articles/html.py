"""The one sanitizer for rich text written in the admin (article bodies)."""

import re
from html import unescape
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "a",
    "sub",
    "sup",
    "code",
    "pre",
    "hr",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "abbr",
    "cite",
    "q",
    "small",
    "mark",
    # The body's own blocks (articles/body.py renders them): galleries, fact boxes and notes.
    "div",
    "aside",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite", "data-pull-quote"},
    "q": {"cite"},
    "p": {"data-attribution"},
    "figure": {"data-image", "data-layout", "data-embed"},
    "div": {"data-gallery"},
    "aside": {"data-factbox", "data-note"},
}
# The body stores references, never copied URLs: an image or embed by its id, and a layout by name.
BODY_LAYOUTS = ("column", "wide", "full")
# Attributes that only mark what a block is: whatever value was sent, the stored one is empty.
MARKER_ATTRIBUTES = {
    ("div", "data-gallery"),
    ("blockquote", "data-pull-quote"),
    ("p", "data-attribution"),
    ("aside", "data-factbox"),
    ("aside", "data-note"),
}
_ID = re.compile(r"[0-9]{1,18}")
URL_SCHEMES = {"http", "https", "mailto"}
# nh3 checks the schemes of links, not of `cite`, which a browser resolves as a URL all the same: a quote's
# source is a web page, so only an absolute http(s) address is kept.
CITE_SCHEMES = {"http", "https"}
# What a browser's URL parser drops before it reads the scheme: leading and trailing C0 controls and
# spaces, and ASCII tabs and newlines anywhere.
_URL_TRIMMED = "".join(map(chr, range(0x21)))
_URL_DROPPED = re.compile("[\t\n\r]")


def _cite_url(value: str) -> str | None:
    url = _URL_DROPPED.sub("", value.strip(_URL_TRIMMED))
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced IPv6 bracket, say
        return None
    return url if parts.scheme.lower() in CITE_SCHEMES and parts.netloc else None


def _filter_attribute(tag, attribute, value):
    if attribute == "cite":
        return _cite_url(value)
    if attribute in ("data-image", "data-embed"):
        # Digits only: the renderer looks the id up, so nothing else may ride along in the value.
        return value if _ID.fullmatch(value) else None
    if attribute == "data-layout":
        return value if value in BODY_LAYOUTS else None
    if (tag, attribute) in MARKER_ATTRIBUTES:
        return ""
    return value


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allowlist removed (scripts, handlers, styles, iframes).

    Links to other sites get `rel="noopener noreferrer"`; `javascript:` and `data:` URLs are dropped, and a
    quote's `cite` keeps only an http(s) address. The body's blocks keep only their references and
    markers: `data-image` and `data-embed` as digits, `data-layout` as column, wide or full, and the empty
    markers of galleries, pull quotes (and their attribution), fact boxes and notes.
    """
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


_TAG = re.compile(r"<[^>]*>")


def plain_text(html: str) -> str:
    """The text of sanitized HTML on one line, its blocks kept apart ("<p>a</p><p>b</p>" is "a b")."""
    return " ".join(unescape(_TAG.sub(" ", html or "")).split())
