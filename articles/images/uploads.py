"""Uploads: what the image library accepts, and how a checked file reaches storage.

- `clean_upload()` accepts only raster formats Pillow can decode, within size and pixel limits, and
  cleans the original: no GPS, device or timestamp metadata survives, and a polyglot (an image with HTML
  or script appended) loses its payload. A JPEG is rebuilt from its own segments without decoding its
  pixels (articles/images/jpeg.py: lossless, and cheap whatever its size); other formats are re-encoded.
- It also makes the *interim* picture: a small JPEG (at most INTERIM_SIZE on a side) that pages show until
  the renditions job has made the web sizes, so a reader never gets the full-size original.
- `store_upload(form)` writes the checked upload and its interim picture to storage while the form is
  validated, so a full disk or an unreachable object store is an error on the form's file field, never a
  500 or a row without a file. `STORAGE_ERRORS` are what a storage raises when it fails: OSError for the
  local disk, botocore's and boto3's errors for S3.
"""

import io
import logging
import math
import os
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from articles.images.jpeg import ORIENTATION, NotAJpeg, strip_jpeg
from articles.images.metadata import read_metadata

try:
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover - boto3 is a dependency; without it only the local disk is used
    STORAGE_ERRORS = (OSError,)
else:
    STORAGE_ERRORS = (OSError, BotoCoreError, ClientError, Boto3Error)

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
INTERIM_SIZE = 1200  # px, the longer side of the picture pages show until the renditions are made
# Above this many pixels the stored original is encoded in one pass (Huffman optimisation would add about
# 0.3 s per 24 MP to the upload); readers never get the original, only optimised renditions.
OPTIMIZE_MAX_PIXELS = 4_000_000


class UploadRefused(ValueError):
    """The upload is not an image we accept; the message is for the editor."""


@dataclass
class CleanUpload:
    content: ContentFile
    metadata: dict
    width: int
    height: int
    interim: "Interim"  # a JPEG at most INTERIM_SIZE on a side, without metadata


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
    name = slugify(re.sub(r"\.[^.]*$", "", upload.name))[:60] or "image"
    if picture.format == "JPEG":
        try:
            return _clean_jpeg(data, picture, metadata, name)
        except NotAJpeg:
            pass  # a layout our segment parser does not know: decoded and re-encoded below
    try:
        picture = ImageOps.exif_transpose(picture)
        picture.load()
    except (OSError, ValueError):
        raise UploadRefused(_("The image is damaged and cannot be read.")) from None
    output = io.BytesIO()
    kind = picture.format or PILImage.open(io.BytesIO(data)).format
    icc = picture.info.get("icc_profile")
    optimize = width * height <= OPTIMIZE_MAX_PIXELS
    if kind == "JPEG":
        picture.convert("RGB").save(output, "JPEG", quality=92, optimize=optimize, icc_profile=icc)
    else:
        kind = "PNG" if kind in ("PNG", "GIF") else "WEBP"
        save_as = picture if picture.mode in ("RGB", "RGBA", "L", "LA") else picture.convert("RGBA")
        save_as.save(output, kind, **({"lossless": True} if kind == "WEBP" else {"optimize": optimize}))
    content = ContentFile(output.getvalue(), name=f"{name}.{ACCEPTED_FORMATS[kind]}")
    full_size = picture.size
    return CleanUpload(
        content=content,
        metadata=metadata,
        width=full_size[0],
        height=full_size[1],
        interim=interim_picture(picture, icc, name=f"{name}.jpg", original_size=full_size),
    )


def _clean_jpeg(data, picture, metadata, name) -> CleanUpload:
    """The JPEG `data` stripped losslessly (articles/images/jpeg.py), with its interim picture; raises
    NotAJpeg for a layout the segment parser does not know, UploadRefused for a damaged file."""
    orientation = picture.getexif().get(ORIENTATION)
    stripped = strip_jpeg(data, orientation if orientation in range(2, 9) else None)
    try:
        interim = interim_from_file(io.BytesIO(stripped), name=f"{name}.jpg")
    except (OSError, ValueError, SyntaxError):  # cut off or corrupt: decoding every scan found it
        raise UploadRefused(_("The image is damaged and cannot be read.")) from None
    width, height = interim.original_size
    return CleanUpload(
        content=ContentFile(stripped, name=f"{name}.jpg"),
        metadata=metadata,
        width=width,
        height=height,
        interim=interim,
    )


@dataclass
class Interim:
    """The interim picture of an upload: JPEG bytes to store, their pixel size, and the upright size of
    the original they were made from."""

    content: ContentFile
    size: tuple[int, int]
    original_size: tuple[int, int]


def interim_picture(picture, icc=None, *, name="interim.jpg", original_size=None) -> Interim:
    """A JPEG of the decoded, upright `picture` at most INTERIM_SIZE on a side (shrunk in place: the caller
    is done with it). Reducing by whole factors first keeps this cheap whatever the picture's size."""
    original_size = original_size or picture.size
    picture.thumbnail((INTERIM_SIZE, INTERIM_SIZE), PILImage.Resampling.LANCZOS, reducing_gap=1.5)
    output = io.BytesIO()
    picture.convert("RGB").save(output, "JPEG", quality=82, optimize=True, progressive=True, icc_profile=icc)
    return Interim(ContentFile(output.getvalue(), name=name), picture.size, original_size)


def interim_from_file(handle, *, name="interim.jpg") -> Interim:
    """The interim picture of a cleaned original (an upload, or one kept from an earlier try). A JPEG is
    decoded at reduced scale (Image.draft: only 1/2, 1/4 or 1/8 of its pixels are computed), so this
    costs a fraction of a full decode; an EXIF orientation is applied."""
    picture = PILImage.open(handle)
    width, height = picture.size
    orientation = picture.getexif().get(ORIENTATION)
    if orientation in (5, 6, 7, 8):  # turned a quarter: the upright picture is height by width
        width, height = height, width
    # Draft needs both sides at least as asked: ask for the interim's own size, so a 24 MP photo is decoded
    # at 1/4 scale (1.5 MP), not at 1/2 (6 MP) as a square request would allow.
    scale = min(1.0, INTERIM_SIZE / max(picture.size))
    picture.draft("RGB", (math.ceil(picture.width * scale), math.ceil(picture.height * scale)))
    picture.load()
    icc = picture.info.get("icc_profile")
    upright = ImageOps.exif_transpose(picture)
    return interim_picture(upright, icc, name=name, original_size=(width, height))


def storage_reason(error: Exception) -> str:
    """A short reason for people: "No space left on device", "NoSuchBucket", not a traceback."""
    if isinstance(error, OSError) and error.errno:
        return os.strerror(error.errno)
    response = getattr(error, "response", None)  # botocore's ClientError: the S3 error code and message
    if isinstance(response, dict) and response.get("Error"):
        code, message = response["Error"].get("Code", ""), response["Error"].get("Message", "")
        return ": ".join(part for part in (code, message) if part) or type(error).__name__
    return str(error) or error.__class__.__name__


def store_upload(form, field="file"):
    """Write the form's new upload and its interim picture to storage now; a storage failure becomes an
    error on `field`, and whatever was already written is removed again.

    Call at the end of a ModelForm's `_post_clean()`. Saving the instance afterwards writes nothing more:
    the file is already committed. The instance's rendition map then holds only the new interim picture
    (`renditions["interim"]`), which pages show until the renditions job has run; the interim picture of a
    replaced file is deleted once the save commits.
    """
    upload = form.cleaned_data.get(field)
    if form.errors or not isinstance(upload, File):
        return
    instance = form.instance
    field_file = getattr(instance, field)
    if getattr(field_file, "_committed", True):
        return
    interim = getattr(form, "interim_upload", None)  # an Interim, set by the form's clean()
    storage = field_file.storage
    stored = []
    try:
        # Through the storage, not FieldFile.save(): that would read the dimensions back from the stored
        # file (a second transfer of the whole original from object storage). They were set from the
        # upload when the form put it on the instance.
        name = field_file.field.generate_filename(instance, upload.name)
        stored.append(storage.save(name, upload, max_length=field_file.field.max_length))
        if interim is not None:
            stored.append(storage.save(f"interim/{stored[0]}".rsplit(".", 1)[0] + ".jpg", interim.content))
    except STORAGE_ERRORS as error:
        logger.error("Storing upload %r failed: %s", upload.name, error)
        for name in stored:
            try:
                storage.delete(name)
            except STORAGE_ERRORS:
                logger.warning("Could not remove %s after a failed upload", name, exc_info=True)
        setattr(instance, field, None)
        form.add_error(
            field,
            _(
                "The image could not be stored (%(reason)s). Nothing was saved: try again in a few minutes, "
                "and tell the technical desk if it keeps happening."
            )
            % {"reason": storage_reason(error)},
        )
        return
    field_file.name = stored[0]
    field_file._committed = True
    if interim is not None:
        # Upright: a JPEG kept losslessly may be stored sideways with an EXIF orientation, which Django's
        # own dimension reading ignores.
        instance.width, instance.height = interim.original_size
        # The replaced file's renditions and interim picture: the admin deletes them once the save commits.
        form.replaced_renditions = instance.renditions or {}
        width, height = interim.size
        instance.renditions = {
            "interim": {"name": stored[1], "w": width, "h": height, "bytes": interim.content.size}
        }
