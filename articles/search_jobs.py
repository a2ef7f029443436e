"""Search-vector refreshes as background jobs: a tag renamed, deleted or put on a story changes the search
vectors of every story carrying it, which may be thousands (articles/signals.py enqueues it after commit)."""

from celery import shared_task

from articles.job_policy import RETRY_ON_DATABASE_ERRORS
from articles.search import refresh_search_vectors

BATCH = 1000  # stories per statement: a tag on half the archive does not lock it all at once


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def refresh_search_vectors_job(article_ids):
    """Recompute the search vectors of these stories from their current text and tags (idempotent)."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), BATCH):
        refresh_search_vectors(ids[start : start + BATCH])
