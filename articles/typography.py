"""Typographic punctuation for what the newsroom writes: curly quotes and apostrophes, dashes, ellipses.

Journalists type or paste straight quotes ("the 'ferry' isn't late") and double hyphens; a publication
prints “the ‘ferry’ isn’t late” and dashes. `smarten()` does it for one line or paragraph of plain text,
`smarten_html()` for a sanitized story body: only its text, never markup, attribute values (links), or
what sits in <code>/<pre>. Both are idempotent, so saving a story again changes nothing more.
"""

import re

from lxml import html as lxml_html

# Characters after which a quote opens rather than closes.
_OPENERS = set(" \t\n\r\u00a0([{\u2014\u2013\u201c\u2018/-")
_VERBATIM = {"code", "pre", "kbd", "samp", "script", "style"}
# Elements inside a line of text: a quote may open in one and close in the next. Any other element (a
# paragraph, a heading, a list item, a line break) starts afresh.
_INLINE = {
    "a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strong", "sub", "sup", "u",
}  # fmt: skip
_DASHES = [
    (re.compile(r"(?<=\S)---(?=\S)|(?<=\s)---(?=\s)"), "\u2014"),
    (re.compile(r"(?<=\w)--(?=\w)|(?<=\s)--(?=\s)"), "\u2014"),
    (re.compile(r"(?<=\w) - (?=\w)"), " \u2013 "),
    (re.compile(r"\.\.\.(?!\.)"), "\u2026"),
]


def smarten(text, *, before=""):
    """`text` with typographic quotes, apostrophes, dashes and ellipses.

    `before` is the character that precedes `text` in its document (quotes open or close by it).
    """
    if not text or not isinstance(text, str):
        return text
    for pattern, replacement in _DASHES:
        text = pattern.sub(replacement, text)
    if '"' not in text and "'" not in text:
        return text
    out = []
    previous = before[-1:] if before else ""
    for index, char in enumerate(text):
        following = text[index + 1 : index + 2]
        opens = previous == "" or previous in _OPENERS
        if char == '"':
            char = "\u201c" if opens else "\u201d"
        elif char == "'":
            # An elision ("the '90s") is an apostrophe even where a quote would open.
            char = "\u2018" if opens and not following.isdigit() else "\u2019"
        out.append(char)
        previous = char
    return "".join(out)


def smarten_html(body):
    """A (sanitized) HTML fragment with its text smartened; markup and verbatim elements left as they are."""
    if not body or ("'" not in body and '"' not in body and "--" not in body and "..." not in body
                    and " - " not in body):  # fmt: skip
        return body
    container = lxml_html.fragment_fromstring(body, create_parent="div")
    previous = [""]

    def text(value):
        if not value:
            return value
        value = smarten(value, before=previous[0])
        previous[0] = value[-1:]
        return value

    def walk(element, verbatim):
        verbatim = verbatim or element.tag in _VERBATIM
        if element.tag not in _INLINE:
            previous[0] = ""
        if verbatim:
            if element.text:
                previous[0] = element.text[-1:]
        else:
            element.text = text(element.text)
        for child in element:
            if not isinstance(child.tag, str):  # a comment or processing instruction
                continue
            walk(child, verbatim)
            if child.tag not in _INLINE:
                previous[0] = ""
            child.tail = text(child.tail)

    walk(container, False)
    result = lxml_html.tostring(container, encoding="unicode")
    return result[len("<div>") : -len("</div>")]
