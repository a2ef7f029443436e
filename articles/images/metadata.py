"""Credit and provenance read from an uploaded file, so the image form can pre-fill them.

`read_metadata()` pulls them from XMP (IPTC Core/Extension, Photoshop, Dublin Core), IPTC IIM and EXIF, in
that order of trust: XMP `Iptc4xmpExt:DigitalSourceType` tells an AI-generated picture from a photo, IPTC
2:110 / 2:80 / 2:116 give credit, by-line and copyright.
"""

from PIL import ExifTags, IptcImagePlugin

from articles.models.images import SourceType

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


def _xmp_value(value):
    """Flatten Pillow's XMP dict shapes (rdf:Alt / rdf:Seq / rdf:Bag, language alternatives) to text."""
    if isinstance(value, dict):
        for key in ("Alt", "Seq", "Bag", "li", "text"):
            if key in value:
                return _xmp_value(value[key])
        return ""
    if isinstance(value, list | tuple):
        texts = [_xmp_value(item) for item in value]
        return ", ".join(text for text in texts if text)
    return str(value).strip()


def _find_xmp(tree, names, found):
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in names and key not in found:
                text = _xmp_value(value)
                if text:
                    found[key] = text
            _find_xmp(value, names, found)
    elif isinstance(tree, list):
        for item in tree:
            _find_xmp(item, names, found)


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
        xmp = picture.getxmp()
    except Exception:  # malformed XMP must not stop an upload
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
    return {field: value[:300] for field, value in found.items()}
