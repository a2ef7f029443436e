"""Credit and provenance read from an uploaded file, so the image form can pre-fill them.

`read_metadata()` pulls them from XMP (IPTC Core/Extension, Photoshop, Dublin Core), IPTC IIM and EXIF, in
that order of trust: XMP `Iptc4xmpExt:DigitalSourceType` tells an AI-generated picture from a photo, IPTC
2:110 / 2:80 / 2:116 give credit, by-line and copyright.

Metadata is advice to the person uploading, never trusted: every value passes `clean_text()` (no control
characters from a file reach the database), single-line fields lose their line breaks, and each is cut to
its field's length. XMP nested deeper than `XMP_MAX_DEPTH` is ignored whole (the upload is accepted, the
rest of its metadata still read): real packets are about a dozen levels deep, and walking a crafted one
hundreds of levels deep would exhaust Python's recursion limit in Pillow's parser or in ours. Refusing
such a file would protect nothing, since anyone can strip XMP; the stored file is re-encoded without it.
"""

import io
import logging

from defusedxml import ElementTree
from PIL import ExifTags, IptcImagePlugin

from articles.models.images import Image, SourceType
from articles.text import clean_text

logger = logging.getLogger(__name__)

# XMP elements nested deeper than this make the whole packet be ignored (see above).
XMP_MAX_DEPTH = 40
# Pillow turns an element into a dict, and repeated children into a list: a bound for walking its result.
_WALK_LIMIT = 2 * XMP_MAX_DEPTH + 2
MULTILINE_FIELDS = {"caption"}
MAX_LENGTH = 300

XMP_FIELDS = {
    # our field: (XMP local names, tried in order)
    "source_type": ("DigitalSourceType",),
    "ai_system": ("AISystemUsed",),
    "alt_text": ("AltTextAccessibility",),
    "credit": ("Credit",),
    "creator": ("creator",),
    "copyright_notice": ("rights",),
    "caption": ("description",),
    "licence": ("UsageTerms", "WebStatement"),
}
IPTC_FIELDS = {(2, 80): "creator", (2, 110): "credit", (2, 116): "copyright_notice", (2, 120): "caption"}
EXIF_FIELDS = {ExifTags.Base.Artist: "creator", ExifTags.Base.Copyright: "copyright_notice"}


def _xmp_depth_ok(picture) -> bool:
    """Whether the XMP packet nests no deeper than XMP_MAX_DEPTH (parsed without recursion)."""
    raw = picture.info.get("xmp")
    if not raw:
        return True
    if isinstance(raw, str):
        raw = raw.encode()
    depth = 0
    for event, _element in ElementTree.iterparse(io.BytesIO(raw.rstrip(b"\x00 ")), events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > XMP_MAX_DEPTH:
            return False
    return True


def _xmp_value(value, depth=0):
    """Flatten Pillow's XMP dict shapes (rdf:Alt / rdf:Seq / rdf:Bag, language alternatives) to text."""
    if value is None or depth > _WALK_LIMIT:
        return ""
    if isinstance(value, dict):
        for key in ("Alt", "Seq", "Bag", "li", "text"):
            if key in value:
                return _xmp_value(value[key], depth + 1)
        return ""
    if isinstance(value, list | tuple):
        texts = [_xmp_value(item, depth + 1) for item in value]
        return ", ".join(text for text in texts if text)
    return str(value).strip()


def _find_xmp(tree, names, found):
    """The first text (depth first, in document order) of each of `names` in Pillow's XMP dict, walked
    without recursion (and bounded, should a packet ever skip the depth check)."""
    stack = [(None, tree, 0)]
    while stack:
        key, node, depth = stack.pop()
        if key in names and key not in found and (text := _xmp_value(node)):
            found[key] = text
        if depth >= _WALK_LIMIT:
            continue
        if isinstance(node, dict):
            stack.extend((child_key, child, depth + 1) for child_key, child in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((None, item, depth + 1) for item in reversed(node))


def _decode(raw):
    if isinstance(raw, list):
        raw = b", ".join(raw)
    for encoding in ("utf-8", "latin-1"):
        try:
            return raw.decode(encoding).strip()
        except UnicodeDecodeError:
            continue
    return ""


def read_metadata(picture) -> dict:
    """Credit and provenance found in an open Pillow image: {field: value}, XMP first, then IPTC, EXIF."""
    found = {}
    try:
        xmp = picture.getxmp() if _xmp_depth_ok(picture) else {}
    except Exception:  # malformed XMP must not stop an upload (RecursionError included)
        logger.info("Unreadable XMP ignored", exc_info=True)
        xmp = {}
    names = {name for options in XMP_FIELDS.values() for name in options}
    values = {}
    _find_xmp(xmp, names, values)
    for field, options in XMP_FIELDS.items():
        for name in options:
            if values.get(name):
                found[field] = values[name]
                break
    try:
        iptc = IptcImagePlugin.getiptcinfo(picture) or {}
    except Exception:
        iptc = {}
    for key, field in IPTC_FIELDS.items():
        if key in iptc and field not in found and (text := _decode(iptc[key])):
            found[field] = text
    exif = picture.getexif()
    for tag, field in EXIF_FIELDS.items():
        if exif.get(tag) and field not in found:
            found[field] = str(exif[tag]).strip("\x00 ")
    if "source_type" in found:
        code = found["source_type"].rstrip("/").rsplit("/", 1)[-1]
        if code in SourceType.values:
            found["source_type"] = code
        else:
            found.pop("source_type")
    return {field: text for field, value in found.items() if (text := _tidy(field, value))}


def _tidy(field, value) -> str:
    """`value` as the form may show it: no control characters, one line unless the field has several,
    no longer than the field holds."""
    text = clean_text(value)
    if field in MULTILINE_FIELDS:
        text = "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()
    else:
        text = " ".join(text.split())
    limit = getattr(Image._meta.get_field(field), "max_length", None) or MAX_LENGTH
    return text[: min(limit, MAX_LENGTH)].strip()
