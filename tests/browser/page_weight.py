"""The weight of a page as a reader's browser downloads it: its HTML, style sheets, scripts and web fonts,
compressed.

    python -m tests.browser.page_weight http://127.0.0.1:8000/culture/night-baker-kessling/

Images are not counted (they load lazily, and their renditions are sized by `srcset`). Fonts are: every file
the page preloads or its style sheets' @font-face rules name (WOFF2 is compressed already: its gzip size is
about its size). Sizes are gzip at level 9, as WhiteNoise stores its compressed copies, and brotli, which
WhiteNoise serves when the browser accepts it.
"""

import gzip
import re
import sys
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import brotli

BUDGET = 90_000  # bytes, gzip: HTML + CSS + JS + fonts of the article page
FONT_URL = re.compile(r"url\([\"']?([^\"')]+\.woff2)[\"']?\)")


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and (attributes.get("rel") or "").lower() == "stylesheet" and attributes.get("href"):
            self.urls.append(("css", attributes["href"]))
        elif (
            tag == "link"
            and (attributes.get("rel") or "").lower() == "preload"
            and attributes.get("as") == "font"
        ):
            self.urls.append(("font", attributes["href"]))
        elif tag == "script" and attributes.get("src"):
            self.urls.append(("js", attributes["src"]))


@dataclass
class Resource:
    kind: str  # html, css, js or font
    url: str
    raw: int
    gzip: int
    brotli: int


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def measure(url) -> list[Resource]:
    """The page at `url` and every style sheet, script and font it loads, with their compressed sizes."""
    html = _get(url)
    parser = _Assets()
    parser.feed(html.decode())
    fetched = [("html", url, html)]
    for kind, src in parser.urls:
        address = urljoin(url, src)
        fetched.append((kind, address, _get(address)))
        if kind == "css":  # the fonts a style sheet's @font-face rules name, relative to the sheet
            parser.urls.extend(
                ("font", urljoin(address, font)) for font in FONT_URL.findall(fetched[-1][2].decode())
            )
    resources, seen = [], set()
    for kind, address, body in fetched:
        if address in seen:  # a preloaded font is the one its @font-face names: downloaded once
            continue
        seen.add(address)
        resources.append(
            Resource(kind, address, len(body), len(gzip.compress(body, 9)), len(brotli.compress(body)))
        )
    return resources


def report(resources) -> str:
    total = {kind: sum(getattr(r, kind) for r in resources) for kind in ("raw", "gzip", "brotli")}
    by_kind = ", ".join(
        f"{kind.upper()} {sum(r.gzip for r in resources if r.kind == kind) / 1000:.1f}"
        for kind in ("html", "css", "js", "font")
    )
    return (
        f"Article page weight: {total['gzip']:,} bytes gzip ({by_kind} kB), {total['brotli']:,} brotli, "
        f"{total['raw']:,} uncompressed; budget {BUDGET:,} gzip"
    )


if __name__ == "__main__":
    measured = measure(sys.argv[1])
    for resource in measured:
        print(f"{resource.kind:>4} {resource.gzip:>7,} gzip {resource.raw:>8,} raw  {resource.url}")
    print(report(measured))
