"""Image handling: metadata read from uploads, safe re-encoding, and stored renditions.

- `read_metadata()` pulls credit and provenance from XMP (IPTC Core/Extension, Photoshop, Dublin Core),
  IPTC IIM and EXIF, so the admin form can pre-fill them.
- `clean_upload()` accepts only raster formats Pillow can decode, within size and pixel limits, and
  re-encodes the original: no GPS, device or timestamp metadata survives, and a polyglot (an image with
  HTML or script appended) loses its payload.
- `build_renditions()` writes WebP at several widths for each crop (original, 16:9, 4:3, 1:1, around the
  focal point) plus one JPEG fallback per crop. AI-generated images carry an XMP DigitalSourceType in
  every rendition, so the disclosure travels with the file.
"""

import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import ExifTags, ImageOps, IptcImagePlugin, UnidentifiedImageError
from PIL import Image as PILImage

from articles.models.images import SourceType

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CROPS = {"original": None, "16x9": 16 / 9, "4x3": 4 / 3, "1x1": 1.0}
WIDTHS = (400, 800, 1200, 1600)
FALLBACK_WIDTH = 800


class UploadRefused(ValueError):
    """The upload is not an image we accept; the message is for the editor."""


@dataclass
class CleanUpload:
    content: ContentFile
    metadata: dict
    width: int
    height: int


# Metadata ------------------------------------------------------------------------------------------------

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


# Uploads ---------------------------------------------------------------------------------------------------


def clean_upload(upload) -> CleanUpload:
    """Check an uploaded file and return it re-encoded without metadata, with what its metadata said."""
    if upload.size > settings.NEWSMAG_IMAGE_MAX_BYTES:
        limit = settings.NEWSMAG_IMAGE_MAX_BYTES // (1024 * 1024)
        raise UploadRefused(_("The file is larger than %(limit)d MB.") % {"limit": limit})
    data = upload.read()
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            picture = PILImage.open(io.BytesIO(data))
            picture.verify()
            picture = PILImage.open(io.BytesIO(data))
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise UploadRefused(_("The image has too many pixels.")) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise UploadRefused(
                _("This is not an image we can use: upload a JPEG, PNG, WebP or GIF.")
            ) from None
    if picture.format not in ACCEPTED_FORMATS:
        raise UploadRefused(_("%(format)s files are not accepted: upload a JPEG, PNG, WebP or GIF.") % {
            "format": picture.format or _("These")
        })  # fmt: skip
    width, height = picture.size
    if width * height > settings.NEWSMAG_IMAGE_MAX_PIXELS:
        raise UploadRefused(_("The image has too many pixels (%(w)d × %(h)d).") % {"w": width, "h": height})
    if getattr(picture, "n_frames", 1) > 1:
        raise UploadRefused(_("Animated images are not accepted; upload a still image."))
    if min(width, height) < settings.NEWSMAG_IMAGE_MIN_SIDE:
        raise UploadRefused(_("The image is too small (%(w)d × %(h)d).") % {"w": width, "h": height})
    metadata = read_metadata(picture)
    try:
        picture = ImageOps.exif_transpose(picture)
        picture.load()
    except (OSError, ValueError):
        raise UploadRefused(_("The image is damaged and cannot be read.")) from None
    output = io.BytesIO()
    kind = picture.format or PILImage.open(io.BytesIO(data)).format
    icc = picture.info.get("icc_profile")
    if kind == "JPEG":
        picture.convert("RGB").save(output, "JPEG", quality=92, optimize=True, icc_profile=icc)
    else:
        kind = "PNG" if kind in ("PNG", "GIF") else "WEBP"
        save_as = picture if picture.mode in ("RGB", "RGBA", "L", "LA") else picture.convert("RGBA")
        save_as.save(output, kind, **({"lossless": True} if kind == "WEBP" else {"optimize": True}))
    name = slugify(re.sub(r"\.[^.]*$", "", upload.name))[:60] or "image"
    content = ContentFile(output.getvalue(), name=f"{name}.{ACCEPTED_FORMATS[kind]}")
    return CleanUpload(content=content, metadata=metadata, width=picture.width, height=picture.height)


# Renditions ------------------------------------------------------------------------------------------------


def _xmp_packet(image) -> bytes:
    from xml.sax.saxutils import escape

    credit = escape(image.credit_line())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f"<Iptc4xmpExt:DigitalSourceType>{escape(image.source.iri)}</Iptc4xmpExt:DigitalSourceType>"
        f"<photoshop:Credit>{credit}</photoshop:Credit>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="r"?>'
    ).encode()


def crop_box(width, height, ratio, focal_x=0.5, focal_y=0.5):
    """The largest box of `ratio` inside width × height, centred as near the focal point as fits."""
    if ratio is None:
        return (0, 0, width, height)
    if width / height > ratio:
        box_w, box_h = round(height * ratio), height
    else:
        box_w, box_h = width, round(width / ratio)
    left = min(max(round(focal_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal_y * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def build_renditions(image) -> dict:
    """Write the renditions of `image` to storage and return the map stored in `Image.renditions`.

    {"16x9": {"w": 1600, "h": 900, "webp": [[400, url_path], ...], "fallback": url_path}, ...}
    """
    from django.core.files.storage import default_storage

    with image.file.open("rb") as handle:
        picture = PILImage.open(handle)
        picture.load()
    picture = picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "P") else "RGB")
    xmp = _xmp_packet(image) if image.source.is_ai else None
    base = f"renditions/{image.pk}"
    result = {}

    def store(name, data):
        if default_storage.exists(name):  # rebuilt: replace, never pile up suffixed copies
            default_storage.delete(name)
        return default_storage.save(name, ContentFile(data))

    for crop, ratio in CROPS.items():
        box = crop_box(picture.width, picture.height, ratio, image.focal_x, image.focal_y)
        cropped = picture.crop(box)
        widths = [w for w in WIDTHS if w < cropped.width] + [min(cropped.width, WIDTHS[-1])]
        entry = {"webp": []}
        for width in sorted(set(widths)):
            height = round(cropped.height * width / cropped.width)
            resized = cropped.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
            output = io.BytesIO()
            resized.save(output, "WEBP", quality=80, method=2, **({"xmp": xmp} if xmp else {}))
            name = store(f"{base}/{crop}-{width}.webp", output.getvalue())
            entry["webp"].append([width, name])
            entry["w"], entry["h"] = width, height
        fallback_width = min(FALLBACK_WIDTH, cropped.width)
        fallback = cropped.resize(
            (fallback_width, round(cropped.height * fallback_width / cropped.width)),
            PILImage.Resampling.LANCZOS,
        ).convert("RGB")
        output = io.BytesIO()
        fallback.save(
            output, "JPEG", quality=82, optimize=True, progressive=True, **({"xmp": xmp} if xmp else {})
        )
        entry["fallback"] = default_storage.save(
            f"{base}/{crop}-{fallback_width}.jpg", ContentFile(output.getvalue())
        )
        entry["fallback_bytes"] = output.tell()
        result[crop] = entry
    return result


def delete_renditions(renditions):
    from django.core.files.storage import default_storage

    for entry in (renditions or {}).values():
        for _width, name in entry.get("webp", []):
            default_storage.delete(name)
        if entry.get("fallback"):
            default_storage.delete(entry["fallback"])
