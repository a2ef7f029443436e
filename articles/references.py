"""What a stored story body refers to: the ids of its pictures and embeds, read from the body's markup.

The model keeps these references (BodyImage rows, the images and embeds loaded with an article) and the
form checks them; articles/body.py renders them for readers.
"""

import re

import lxml.html

_DIGITS = re.compile(r"[0-9]{1,18}")


def parse(html):
    """The body as an lxml tree under one <div>."""
    return lxml.html.fragment_fromstring(html, create_parent="div")


def reference(element, attribute):
    """The id in `attribute` of `element` (data-image, data-embed), or None."""
    value = element.get(attribute, "")
    return int(value) if _DIGITS.fullmatch(value) else None


def referenced_ids(html, attribute) -> list[int]:
    """The ids a body references as `attribute` (data-image, data-embed), in order, each once."""
    if attribute not in (html or ""):
        return []
    ids = [reference(figure, attribute) for figure in parse(html).iter("figure")]
    return list(dict.fromkeys(pk for pk in ids if pk is not None))


def referenced_image_ids(html: str) -> list[int]:
    """The ids of the images a body references (pictures and gallery pictures), in order, each once."""
    return referenced_ids(html, "data-image")


def referenced_embed_ids(html: str) -> list[int]:
    """The ids of the embeds a body references, in order, each once."""
    return referenced_ids(html, "data-embed")
