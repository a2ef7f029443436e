"""Renditions: the web sizes of an image, built once and stored, and the one way to ask for a file to show.

`build_renditions()` writes WebP at several widths for each crop (original, 16:9, 4:3, 1:1, around the
focal point) plus a JPEG per crop for places that want a single plain file (feeds, structured data, the
`<img src>` of old browsers), and a second, 1200 px JPEG of the 16:9 crop for social cards (Open Graph,
which Facebook and LinkedIn want at 1200 px wide). AI-generated images carry an XMP DigitalSourceType and
the credit line in every rendition, so the disclosure travels with the file.

Renditions are made by a background job (articles/images/jobs.py) calling `refresh_renditions()`, never in
the editor's request. Until they land, pages show the upload's *interim* picture (articles/images/uploads.py:
a small, stripped JPEG). Each set is stored in a folder named after what it was made from (`content_key()`:
the file, the focal point, the credit written into it), so a rebuilt rendition has a new name and a CDN or
browser may keep every stored file for a year. `needs_renditions()` holds the rule for when they are rebuilt;
`shown_at()` is the one answer to "which file, at what size, shows this image at this width?" for every
template tag, feed, JSON-LD builder and admin thumbnail.

Everything goes through Django's default storage (local disk or S3): no file path is ever assumed.
"""

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps

from articles.images.uploads import STORAGE_ERRORS, storage_reason

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
# Part of every content key: raise it when the encoders or sizes change so `rebuild_renditions --all` makes
# files under new names (a CDN keeps the old ones for a year).
RENDITION_SET = 2
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

    While renditions are missing (the job has not run yet, or failed) it is the interim picture made at
    upload (a JPEG at most 1200 px on a side, stripped like the original), at its own size; only an image
    stored before interim pictures existed, and never given renditions, falls back to its original. Pages
    never link to a file that is not there.
    """
    entry = image.rendition(crop)
    if not entry:
        interim = (image.renditions or {}).get("interim")
        if interim:
            name = interim["name"]
            return Shown(name, default_storage.url(name), interim["w"], interim["h"], "image/jpeg",
                         interim.get("bytes"))  # fmt: skip
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


def content_key(image) -> str:
    """A short name for what the renditions of `image` are made from (file, focal point, the credit and
    source type written into them, the rendition set): their folder, so new content means new names."""
    parts = [RENDITION_SET, image.file.name, image.focal_x, image.focal_y, image.source_type, image.credit,
             image.creator]  # fmt: skip
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:12]


def _open_for_renditions(image):
    """The stored original, decoded no larger than the widest rendition needs (a JPEG is decoded at 1/2,
    1/4 or 1/8 scale where that still leaves both sides at least WIDTHS[-1])."""
    with image.file.open("rb") as handle:
        picture = PILImage.open(handle)
        picture.draft(None, (WIDTHS[-1], WIDTHS[-1]))
        picture.load()
    return ImageOps.exif_transpose(picture)  # an original kept losslessly may carry an orientation


def build_renditions(image, key=None) -> dict:
    """Write the renditions of `image` to storage and return the map stored in `Image.renditions`.

    {"key": content key, "16x9": {"w": 1600, "h": 900, "webp": [[400, name], ...], "fallback": name,
    "fallback_w": 800, "fallback_h": 450, "fallback_bytes": 51234, "jpeg": [[1200, 675, name, 98765]]},
    ...} (names in default storage, under renditions/<pk>/<key>/; w/h of the widest WebP; "jpeg": the
    JPEGs larger than the fallback, [] if none). The interim picture is not part of it.
    """
    key = key or content_key(image)
    picture = _open_for_renditions(image)
    picture = picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "P") else "RGB")
    # The focal point is relative, so it holds on the reduced picture too; sizes keep the original's shape.
    xmp = _xmp_packet(image) if image.source.is_ai else None
    base = f"renditions/{image.pk}/{key}"
    result = {"key": key}

    def store(name, data):
        # The same key means the same content: a second run (a retried or repeated job) replaces the
        # file, never piles up suffixed copies.
        if default_storage.exists(name):
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


def rendition_names(renditions, *, interim=True) -> set[str]:
    """Every stored name a rendition map refers to (with its interim picture unless `interim` is False)."""
    names = set()
    for crop, entry in (renditions or {}).items():
        if crop == "interim":
            if interim and entry.get("name"):
                names.add(entry["name"])
            continue
        if not isinstance(entry, dict):
            continue  # "key", "problem"
        names.update(name for _width, name in entry.get("webp", []))
        names.update(name for _width, _height, name, _size in entry.get("jpeg", []))
        if entry.get("fallback"):
            names.add(entry["fallback"])
    return names


def delete_renditions(renditions, *, keep=(), interim=True):
    """Delete the files of a rendition map, but not those in `keep` (names the current map still uses).
    A storage failure is logged: an orphan file costs some bytes, never a broken page."""
    for name in rendition_names(renditions, interim=interim) - set(keep):
        try:
            default_storage.delete(name)
        except STORAGE_ERRORS:
            logger.warning("Could not delete %s", name, exc_info=True)


def renditions_outdated(renditions) -> bool:
    """Whether a stored map lacks files the current rendition set has (built before a crop or the large
    JPEGs existed). A map without renditions at all (not made yet, or a failure) is missing, not outdated."""
    return any(crop in (renditions or {}) for crop in CROPS) and not renditions_complete(renditions)


def renditions_complete(renditions) -> bool:
    """Whether the map has every crop of the current rendition set, each with its large JPEGs."""
    return bool(renditions) and all(crop in renditions and "jpeg" in renditions[crop] for crop in CROPS)


def needs_renditions(image, changed_fields=None) -> bool:
    """Whether `image`, just saved, needs its renditions (re)made: it is new (`changed_fields` None), a
    field they depend on changed, or they are missing or outdated (a failed or older set)."""
    return (
        changed_fields is None
        or bool(REBUILD_FIELDS & set(changed_fields))
        or not renditions_complete(image.renditions)
    )


def _delete_folder(folder):
    """Delete every file under `folder` of the default storage (sub-folders too)."""
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for sub in folders:
        _delete_folder(f"{folder}/{sub}")


def refresh_renditions(image_id, *, force=False) -> str:
    """Make the renditions of image `image_id` for what it holds now, and save them on its row (which turns
    the pages showing it over: Image is watched). The body of the renditions job; safe to run any number of
    times, in any order, and on an image changed or deleted since it was asked for. Returns what it did:

    - "gone": the image was deleted; its rendition files are removed.
    - "current": the stored renditions were already made from what the image holds (unless `force`).
    - "stale": the image changed while they were made; they are dropped (the change enqueued its own job).
    - "built": made and saved; the files of the set they replace are deleted after the commit.

    Storage errors (STORAGE_ERRORS) propagate for the job to retry, after this run's files are removed and
    the reason recorded on the image (`renditions["problem"]`, shown in the admin); pages keep what they
    showed. A picture the encoders refuse (ValueError) is recorded the same way and not retried.
    """
    from articles.models import Image  # the model imports nothing from here; keep it that way

    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        _delete_folder(f"renditions/{image_id}")
        return "gone"
    key = content_key(image)
    if not force and image.renditions.get("key") == key and renditions_complete(image.renditions):
        return "current"
    try:
        built = build_renditions(image, key)
    except (*STORAGE_ERRORS, ValueError) as error:
        logger.error("Renditions of image %s failed: %s", image_id, error)
        try:
            _delete_folder(f"renditions/{image_id}/{key}")
        except STORAGE_ERRORS:
            logger.warning("Could not clean renditions/%s/%s", image_id, key, exc_info=True)
        if isinstance(error, STORAGE_ERRORS):
            reason = storage_reason(error)
        else:
            reason = str(error) or type(error).__name__
        _record_problem(image_id, key, reason)
        raise
    with transaction.atomic():
        current = Image.objects.select_for_update().filter(pk=image_id).first()
        if current is None or content_key(current) != key:
            outcome = "stale"
            new_map = None
        else:
            outcome = "built"
            old_map = current.renditions or {}
            new_map = {**built}
            if old_map.get("interim"):
                new_map["interim"] = old_map["interim"]  # for a later rebuild that fails
            current.renditions = new_map
            current.save(update_fields=["renditions"])
            keep = rendition_names(new_map)
            transaction.on_commit(lambda: delete_renditions(old_map, keep=keep))
    if new_map is None:
        delete_renditions(built)
    return outcome


def _record_problem(image_id, key, reason):
    """Note on the image why its renditions for `key` could not be made (if it still holds that content)."""
    from articles.models import Image

    with transaction.atomic():
        image = Image.objects.select_for_update().filter(pk=image_id).first()
        if image is not None and content_key(image) == key:
            image.renditions = {**image.renditions, "problem": reason}
            image.save(update_fields=["renditions"])


def rendition_problem(image) -> str | None:
    """Why the renditions of `image` are missing, for the editor; None when they are there or on their way."""
    reason = (image.renditions or {}).get("problem")
    if not reason:
        return None
    return _(
        "The image is saved, but its web sizes could not be made (%(reason)s). Readers see a smaller "
        "version for now; save the image again later to retry."
    ) % {"reason": reason}
