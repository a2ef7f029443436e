"""Storage faults met as clear messages, never as a row that points at a missing file.

A full disk or an unreachable object store must not turn an image upload into a 500 or leave an Image
whose file or renditions are gone. Two helpers for the image admin (articles/forms.py, articles/admin.py):

- `store_upload(form)`: writes the checked upload to storage while the form is validated, so a storage
  failure is an error on the form's file field and nothing is saved;
- `rebuild_renditions(image)`: replaces an image's renditions; when storage fails it removes whatever was
  half written and leaves the image with none (pages then show the original), and says why.
"""

import logging
import os

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from articles import images

logger = logging.getLogger(__name__)


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


def _remove_rendition_files(image):
    folder = f"renditions/{image.pk}"
    try:
        _folders, files = default_storage.listdir(folder)
        for name in files:
            default_storage.delete(f"{folder}/{name}")
    except OSError:  # nothing there, or the storage is down: the map is emptied either way
        logger.warning("Could not clean %s", folder, exc_info=True)


def rebuild_renditions(image) -> str | None:
    """Replace `image.renditions` (not saved): None when done, else the message for the editor.

    On a storage failure the image keeps no renditions at all, so no page links to a file that is missing
    or half written; pages fall back to the original, and saving the image again retries.
    """
    try:
        images.delete_renditions(image.renditions)
        image.renditions = images.build_renditions(image)
    except OSError as error:
        logger.error("Renditions of image %s failed: %s", image.pk, error)
        _remove_rendition_files(image)
        image.renditions = {}
        return _(
            "The image is saved, but its web sizes could not be made (%(reason)s). Readers see the original "
            "for now; save the image again later to retry."
        ) % {"reason": storage_reason(error)}
    return None
