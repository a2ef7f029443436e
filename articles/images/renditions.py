"""Renditions: the web sizes of an image, built once and stored, and the one way to ask for a file to show.

`build_renditions()` writes WebP at several widths for each crop (original, 16:9, 4:3, 1:1, around the
focal point) plus a JPEG per crop for places that want a single plain file (feeds, structured data, the
`<img src>` of old browsers), and a second, 1200 px JPEG of the 16:9 crop for social cards (Open Graph,
which Facebook and LinkedIn want at 1200 px wide). AI-generated images carry an XMP DigitalSourceType and
the credit line in every rendition, so the disclosure travels with the file. `update_renditions()` holds
the rule for when they are rebuilt; `shown_at()` is the one answer to "which file, at what size, shows this
image at this width?" for every template tag, feed, JSON-LD builder and admin thumbnail.
"""

import io
import logging
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image as PILImage

from articles.images.uploads import storage_reason

logger = logging.getLogger(__name__)

CROPS = {"original": None, "16x9": 16 / 9, "4x3": 4 / 3, "1x1": 1.0}
WIDTHS = (400, 800, 1200, 1600)
FALLBACK_WIDTH = 800
# The extra JPEG widths made of a crop, beyond the FALLBACK_WIDTH one: the social card (og:image).
LARGE_JPEG_WIDTHS = {"16x9": (1200,)}
WEBP_MAX_SIDE = 16383  # libwebp cannot encode a picture taller or wider than this
# What the stored files depend on: the pixels, the crop centre, and the credit and source type written
# into their XMP. A change to any of these rebuilds them; a new caption or alt text does not.
REBUILD_FIELDS = frozenset({"file", "focal_x", "focal_y", "source_type", "credit", "creator"})
MIME_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
              "gif": "image/gif"}  # fmt: skip


@dataclass(frozen=True)
class Shown:
    """A stored file that shows an image: its storage name, public URL, pixel size and type."""

    name: str
    url: str
    width: int
    height: int
    mime: str
    known_size: int | None = None  # bytes, when recorded at build time

    def size(self) -> int:
        """Its length in bytes (asks the storage only when it was not recorded)."""
        return self.known_size if self.known_size is not None else default_storage.size(self.name)


def webp_renditions(image, crop="original") -> list[Shown]:
    """The WebP renditions of `crop`, narrowest first; [] while none are built (for a `srcset`)."""
    entry = image.rendition(crop)
    if not entry:
        return []
    return [
        Shown(name, default_storage.url(name), width, round(entry["h"] * width / entry["w"]), "image/webp")
        for width, name in entry["webp"]
    ]


def jpeg_renditions(entry) -> list[Shown]:
    """The JPEG renditions of a crop's map `entry`, narrowest first: the fallback, then any larger ones."""
    # Maps built before the JPEG's own size was recorded: it is the widest WebP scaled to FALLBACK_WIDTH.
    fallback_w = entry.get("fallback_w") or min(FALLBACK_WIDTH, entry["w"])
    fallback_h = entry.get("fallback_h") or round(entry["h"] * fallback_w / entry["w"])
    name = entry["fallback"]
    size = entry.get("fallback_bytes")
    options = [Shown(name, default_storage.url(name), fallback_w, fallback_h, "image/jpeg", size)]
    for width, height, name, size in entry.get("jpeg", []):
        options.append(Shown(name, default_storage.url(name), width, height, "image/jpeg", size))
    return options


def shown_at(image, width=0, *, crop="original", jpeg=False) -> Shown:
    """The file to show `image` at `width` CSS pixels: the narrowest rendition of `crop` at least that
    wide (the widest if none is), WebP, or with `jpeg` JPEG (the fallback at FALLBACK_WIDTH, and for the
    crops in LARGE_JPEG_WIDTHS a larger one: `shown_at(image, 1200, crop="16x9", jpeg=True)`).

    While renditions are missing (not built yet, or storage failed while building them) it is the
    original file at its own size: pages never link to a file that is not there.
    """
    entry = image.rendition(crop)
    if not entry:
        name = image.file.name
        mime = MIME_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
        return Shown(name, image.file.url, image.width, image.height, mime)
    options = jpeg_renditions(entry) if jpeg else webp_renditions(image, crop)
    return next((option for option in options if option.width >= width), options[-1])


def _xmp_packet(image) -> bytes:
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


def _widths(crop_width) -> list[int]:
    """The WebP widths made of a crop `crop_width` pixels wide, narrowest first (never upscaled)."""
    return sorted({w for w in WIDTHS if w < crop_width} | {min(crop_width, WIDTHS[-1])})


def _scaled_height(crop_width, crop_height, width) -> int:
    return round(crop_height * width / crop_width)


def web_size_problem(width, height) -> str | None:
    """Why no renditions can be made of a `width` × `height` picture, for the editor; None if they can.

    Renditions are scaled by width, so a very tall picture stays taller than WebP can hold (a 200 × 60000
    strip stays 60000 pixels tall at 200 wide), and a very flat one would shrink below one pixel.
    """
    for ratio in CROPS.values():
        left, top, right, bottom = crop_box(width, height, ratio)
        crop_w, crop_h = right - left, bottom - top
        for rendition_w in _widths(crop_w):
            rendition_h = _scaled_height(crop_w, crop_h, rendition_w)
            if rendition_h > WEBP_MAX_SIDE:
                return _(
                    "The image is too tall for the web: its web size %(width)d pixels wide would be "
                    "%(height)d pixels tall, and WebP holds at most %(limit)d pixels on a side. Crop it to "
                    "at most %(max_height)d pixels tall."
                ) % {
                    "width": rendition_w,
                    "height": rendition_h,
                    "limit": WEBP_MAX_SIDE,
                    "max_height": crop_w * WEBP_MAX_SIDE // rendition_w,
                }
            if rendition_h < 1:
                return _(
                    "The image is too flat for the web: at %(width)d pixels wide it would be less than one "
                    "pixel tall. Crop it to at most %(ratio)d times as wide as it is tall."
                ) % {"width": rendition_w, "ratio": WIDTHS[0]}
    return None


def build_renditions(image) -> dict:
    """Write the renditions of `image` to storage and return the map stored in `Image.renditions`.

    {"16x9": {"w": 1600, "h": 900, "webp": [[400, name], ...], "fallback": name, "fallback_w": 800,
    "fallback_h": 450, "fallback_bytes": 51234, "jpeg": [[1200, 675, name, 98765]]}, ...} (names in default
    storage; w/h of the widest WebP; "jpeg": the JPEGs larger than the fallback, [] if none).
    """
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

    def store_jpeg(crop, picture, width):
        resized = picture.resize(
            (width, round(picture.height * width / picture.width)), PILImage.Resampling.LANCZOS
        ).convert("RGB")
        output = io.BytesIO()
        resized.save(
            output, "JPEG", quality=82, optimize=True, progressive=True, **({"xmp": xmp} if xmp else {})
        )
        return store(f"{base}/{crop}-{width}.jpg", output.getvalue()), resized.size, output.tell()

    for crop, ratio in CROPS.items():
        box = crop_box(picture.width, picture.height, ratio, image.focal_x, image.focal_y)
        cropped = picture.crop(box)
        entry = {"webp": []}
        for width in _widths(cropped.width):
            height = _scaled_height(cropped.width, cropped.height, width)
            resized = cropped.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
            output = io.BytesIO()
            resized.save(output, "WEBP", quality=80, method=2, **({"xmp": xmp} if xmp else {}))
            name = store(f"{base}/{crop}-{width}.webp", output.getvalue())
            entry["webp"].append([width, name])
            entry["w"], entry["h"] = width, height
        fallback_width = min(FALLBACK_WIDTH, cropped.width)
        entry["fallback"], (entry["fallback_w"], entry["fallback_h"]), entry["fallback_bytes"] = store_jpeg(
            crop, cropped, fallback_width
        )
        entry["jpeg"] = []
        # Never upscaled: a crop narrower than a large width gets one at its own width instead.
        large = {min(width, cropped.width) for width in LARGE_JPEG_WIDTHS.get(crop, ())} - {fallback_width}
        for width in sorted(large):
            name, (jpeg_w, jpeg_h), size = store_jpeg(crop, cropped, width)
            entry["jpeg"].append([jpeg_w, jpeg_h, name, size])
        result[crop] = entry
    return result


def delete_renditions(renditions):
    for entry in (renditions or {}).values():
        for _width, name in entry.get("webp", []):
            default_storage.delete(name)
        for _width, _height, name, _size in entry.get("jpeg", []):
            default_storage.delete(name)
        if entry.get("fallback"):
            default_storage.delete(entry["fallback"])


def renditions_outdated(renditions) -> bool:
    """Whether a stored map lacks files the current rendition set has (built before a crop or the large
    JPEGs existed): `update_renditions()` and the `rebuild_renditions` command rebuild such maps. A map
    emptied by a failure is not outdated here: saving the image again retries it."""
    if not renditions:
        return False
    return any(crop not in renditions or "jpeg" not in renditions[crop] for crop in CROPS)


def _remove_rendition_files(image):
    folder = f"renditions/{image.pk}"
    try:
        _folders, files = default_storage.listdir(folder)
        for name in files:
            default_storage.delete(f"{folder}/{name}")
    except OSError:  # nothing there, or the storage is down: the map is emptied either way
        logger.warning("Could not clean %s", folder, exc_info=True)


def update_renditions(image, changed_fields=None) -> str | None:
    """Rebuild and save `image.renditions` if it is new (`changed_fields` None), a field they depend on
    changed, or they lack files of the current rendition set (`renditions_outdated()`). Returns None when
    done (or not needed), else the message for the editor.

    On a failure (storage: OSError; a picture the encoders refuse: ValueError) the image keeps no
    renditions at all and none of their files, so no page links to a file that is missing or half
    written; pages show the original, and saving the image again retries. The upload form refuses the
    pictures known to fail (`web_size_problem()`), so the second kind is a bug, never a 500.
    """
    if (
        changed_fields is not None
        and not REBUILD_FIELDS & set(changed_fields)
        and not renditions_outdated(image.renditions)
    ):
        return None
    problem = None
    try:
        delete_renditions(image.renditions)
        image.renditions = build_renditions(image)
    except (OSError, ValueError) as error:
        logger.error("Renditions of image %s failed: %s", image.pk, error)
        _remove_rendition_files(image)
        image.renditions = {}
        reason = storage_reason(error) if isinstance(error, OSError) else str(error) or type(error).__name__
        problem = _(
            "The image is saved, but its web sizes could not be made (%(reason)s). Readers see the original "
            "for now; save the image again later to retry."
        ) % {"reason": reason}
    image.save(update_fields=["renditions"])
    return problem
