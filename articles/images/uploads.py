"""Uploads: what the image library accepts, and how a checked file reaches storage.

- `clean_upload()` accepts only raster formats Pillow can decode, within size and pixel limits, and
  re-encodes the original: no GPS, device or timestamp metadata survives, and a polyglot (an image with
  HTML or script appended) loses its payload.
- `store_upload(form)` writes the checked upload to storage while the form is validated, so a full disk or
  an unreachable object store is an error on the form's file field, never a 500 or a row without a file.
"""

import io
import logging
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

from articles.images.metadata import read_metadata

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


class UploadRefused(ValueError):
    """The upload is not an image we accept; the message is for the editor."""


@dataclass
class CleanUpload:
    content: ContentFile
    metadata: dict
    width: int
    height: int


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


def storage_reason(error: OSError) -> str:
    """A short reason for people: "No space left on device", not a traceback."""
    if error.errno:
        return os.strerror(error.errno)
    return str(error) or error.__class__.__name__


def store_upload(form, field="file"):
    """Write the form's new upload to storage now; a storage failure becomes an error on `field`.

    Call at the end of a ModelForm's `_post_clean()`. Saving the instance afterwards writes nothing more:
    the file is already committed.
    """
    upload = form.cleaned_data.get(field)
    if form.errors or not isinstance(upload, File):
        return
    field_file = getattr(form.instance, field)
    if getattr(field_file, "_committed", True):
        return
    try:
        field_file.save(upload.name, upload, save=False)
    except OSError as error:
        logger.error("Storing upload %r failed: %s", upload.name, error)
        setattr(form.instance, field, None)
        form.add_error(
            field,
            _(
                "The image could not be stored (%(reason)s). Nothing was saved: try again in a few minutes, "
                "and tell the technical desk if it keeps happening."
            )
            % {"reason": storage_reason(error)},
        )
