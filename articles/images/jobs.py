"""The renditions job: the web sizes of an image are made by the Celery worker, never in the editor's request.

`schedule_renditions()` enqueues `make_renditions` after the commit that saved the image (with no broker
configured it runs in-process right after that commit, see newsmag/celery.py). The job is idempotent
(`refresh_renditions()` builds for whatever the image holds when it runs, and does nothing if that is
already built), acknowledged only when done (a worker killed mid-way leaves it for the next), and retried
with backoff while the storage fails. Pages show the interim picture until it lands, then turn over: the
job saves the Image row, which advances the content version (articles/caching.py `watch()`).
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from articles.images.renditions import needs_renditions, refresh_renditions
from articles.images.uploads import STORAGE_ERRORS

logger = logging.getLogger(__name__)

RETRIES = 8  # with backoff from 10 s doubling up to 10 minutes: about 40 minutes of storage trouble


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=RETRIES, ignore_result=True)
def make_renditions(self, image_id, force=False):
    """Make (or bring up to date) the renditions of image `image_id`; returns what happened (see
    `refresh_renditions()`)."""
    try:
        return refresh_renditions(image_id, force=force)
    except STORAGE_ERRORS as error:
        if self.request.is_eager:
            return "failed"  # in-process (no broker): recorded on the image; saving it again retries
        countdown = min(10 * 2**self.request.retries, 600)
        raise self.retry(exc=error, countdown=countdown) from error
    except ValueError:
        return "failed"  # the encoders refuse this picture: retrying would not help (recorded on the image)


def schedule_renditions(image, changed_fields=None) -> bool:
    """Enqueue the renditions job for `image` after the current transaction commits, if it needs one
    (`needs_renditions()`: new, a field they depend on changed, or missing or outdated). Returns whether it
    did."""
    if not needs_renditions(image, changed_fields):
        return False
    make_renditions.delay_on_commit(image.pk)
    return True


SWEEP_AFTER = timedelta(minutes=10)
SWEEP_BATCH = 200


@shared_task(ignore_result=True)
def sweep_renditions():
    """Enqueue the renditions of images that never got them: their job was lost (a broker that could not
    take it when the image was saved: the save still succeeds, see newsmag/celery.py) or never ran. Images
    uploaded in the last minutes are left to their own job, and a recorded problem waits for an editor.
    A periodic job (CELERY_BEAT_SCHEDULE); returns how many it enqueued."""
    from articles.models import Image  # the model imports this module's neighbours; keep the arrow one way

    waiting = (
        Image.objects.filter(uploaded_at__lt=timezone.now() - SWEEP_AFTER)
        .exclude(renditions__has_key="key")
        .exclude(renditions__has_key="problem")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    enqueued = 0
    for pk in waiting:
        make_renditions.delay(pk)
        enqueued += 1
    return enqueued
