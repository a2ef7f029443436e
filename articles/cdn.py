"""Purging a CDN by dependency: the keys a change retires (articles.caching.retire) are POSTed to the
CDN's purge endpoint, so the pages tagged with them (`Surrogate-Key` / `Cache-Tag`) go at once instead of
after s-maxage.

Set NEWSMAG_CDN_PURGE_URL (and NEWSMAG_CDN_PURGE_HEADER / NEWSMAG_CDN_PURGE_TOKEN, NEWSMAG_CDN_PURGE_FIELD).
Each change's keys are one job; a job sends them in batches of NEWSMAG_CDN_PURGE_BATCH and is retried with
a growing delay while the endpoint fails or cannot be reached.
"""

import json
import logging
import urllib.error
import urllib.request

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class PurgeFailed(Exception):
    pass


def post_purge(keys):
    """POST one batch of keys to the purge endpoint; PurgeFailed unless it answers 2xx."""
    body = json.dumps({settings.NEWSMAG_CDN_PURGE_FIELD: list(keys)}).encode()
    request = urllib.request.Request(
        settings.NEWSMAG_CDN_PURGE_URL,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    if settings.NEWSMAG_CDN_PURGE_TOKEN:
        request.add_header(settings.NEWSMAG_CDN_PURGE_HEADER, settings.NEWSMAG_CDN_PURGE_TOKEN)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except (urllib.error.URLError, OSError) as error:
        raise PurgeFailed(f"CDN purge of {len(keys)} keys failed: {error}") from error


@shared_task(
    autoretry_for=(PurgeFailed,), retry_backoff=2, retry_backoff_max=300, retry_jitter=True, max_retries=8
)
def purge(keys):
    """Purge `keys` at the CDN, in batches (coalesced: a transaction's keys come as one job)."""
    if not settings.NEWSMAG_CDN_PURGE_URL:
        return
    keys = sorted(set(keys))
    size = max(1, settings.NEWSMAG_CDN_PURGE_BATCH)
    for start in range(0, len(keys), size):
        post_purge(keys[start : start + size])
    logger.info("Purged %d keys at the CDN", len(keys))
