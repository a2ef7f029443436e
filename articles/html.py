"""The one sanitizer for rich text written in the admin (article bodies)."""

import re
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
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
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
    return value


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allowlist removed (scripts, handlers, styles, iframes).

    Links to other sites get `rel="noopener noreferrer"`; `javascript:` and `data:` URLs are dropped, and a
    quote's `cite` keeps only an http(s) address.
    """
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()
