"""What "nothing executable survives" means, checked on rendered HTML and feeds.

A page passes when, read by an HTML parser as a browser would read it, it has:
- no event-handler attribute (`on*=`) and no `style` attribute (the CSP forbids them anyway);
- no URL attribute whose scheme, once entities are decoded and the whitespace and control characters that
  browsers skip are dropped, is `javascript:`, `vbscript:` or an HTML/SVG `data:` URL;
- no element that runs or embeds code: `iframe`, `object`, `embed`, `base`, `style`, SVG `foreignObject` and
  `animate`/`set`, `meta` refresh, `srcdoc`...;
- no preload or import `<link>` but our own font file from /static/fonts/;
- no inline `<script>`: only our own `src` scripts from /static/ and `application/ld+json` blocks, each of
  which must still be valid JSON (a `</script>` that broke out would leave invalid JSON and a new element).
"""

import json
import re
from html.parser import HTMLParser

from defusedxml import ElementTree

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite",
    "longdesc", "lowsrc", "dynsrc", "ping", "manifest", "codebase", "archive", "icon",
}  # fmt: skip
# Our own templates draw icons with inline <svg>: SVG itself is allowed, its scripting parts are not.
FORBIDDEN_ELEMENTS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "portal", "isindex",
    "bgsound", "xml", "import", "foreignobject", "animate", "set", "handler", "listener", "maction",
}  # fmt: skip
_SKIPPED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^(javascript|vbscript|livescript|mocha|data)\:")
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(png|jpe?g|gif|webp)[;,]")


def dangerous_url(value: str) -> bool:
    compact = _SKIPPED_IN_URLS.sub("", value or "").lower()
    match = _SCHEME.match(compact)
    return bool(match) and not _SAFE_DATA_IMAGE.match(compact)


def own_static(url, folder="") -> bool:
    """A path under our own /static/ (not a protocol-relative or absolute URL elsewhere)."""
    return (url or "").startswith(f"/static/{folder}") and "//" not in url and ".." not in url


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.json_ld = []
        self._script = None  # the type of the script element being read

    def handle_starttag(self, tag, attrs):
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)}>"[:300]
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= in {where}")
            elif name in {"style", "srcdoc"}:
                self.problems.append(f"{name}= in {where}")
            elif (name in URL_ATTRIBUTES and dangerous_url(value or "")) or (
                name in {"srcset", "imagesrcset"}
                and any(dangerous_url(part.strip()) for part in (value or "").split(","))
            ):
                self.problems.append(f"{name}={value!r} in {where}")
        attributes = dict(attrs)
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"element {where}")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"meta refresh {where}")
        rel = (attributes.get("rel") or "").lower()
        # The one preload we make: our own headline font file, from /static/fonts/.
        own_font = (
            rel == "preload"
            and attributes.get("as") == "font"
            and own_static(attributes.get("href"), "fonts/")
        )
        if tag == "link" and rel in {"import", "preload", "modulepreload"} and not own_font:
            self.problems.append(f"link {where}")
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            if "src" in attributes:
                if not (attributes["src"] or "").startswith("/static/"):
                    self.problems.append(f"script from elsewhere {where}")
            elif kind != "application/ld+json":
                self.problems.append(f"inline script {where}")
            self._script = kind
            if kind == "application/ld+json":
                self.json_ld.append("")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script == "application/ld+json":
            self.json_ld[-1] += data
        elif self._script is not None and data.strip():
            self.problems.append(f"script content {data[:120]!r}")


def scan_html(html: str):
    """(problems, JSON-LD documents) of an HTML page or fragment."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    documents = []
    for text in scanner.json_ld:
        try:
            documents.append(json.loads(text))
        except ValueError:
            scanner.problems.append(f"JSON-LD that is not JSON (broken out?): {text[:200]!r}")
    return scanner.problems, documents


def assert_nothing_executable(html: str, where: str = "page"):
    problems, documents = scan_html(html)
    assert not problems, f"{where}: " + "\n".join(problems)
    return documents


HTML_FEED_ELEMENTS = {"description", "summary", "content", "{http://www.w3.org/2005/Atom}summary",
                      "{http://www.w3.org/2005/Atom}content"}  # fmt: skip


def assert_feed_is_safe(xml: bytes, where: str = "feed"):
    """The feed is well-formed XML and every element a reader renders as HTML passes the HTML scan."""
    root = ElementTree.fromstring(xml)  # raises on a feed an injected "<" or "&" broke
    for element in root.iter():
        if element.tag in HTML_FEED_ELEMENTS and element.text:
            assert_nothing_executable(element.text, f"{where} <{element.tag}>")
        for name, value in element.attrib.items():
            if name in {"href", "url", "src"}:
                assert not dangerous_url(value), f"{where}: {element.tag} {name}={value!r}"
