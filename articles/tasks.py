"""The articles app's Celery jobs, imported here for the worker's autodiscovery."""

from articles import (
    cdn,  # noqa: F401 (CDN purges)
    search_jobs,  # noqa: F401 (search vectors after tag changes)
)
from articles.images import jobs as image_jobs  # noqa: F401 (renditions)
from articles.newsletters import jobs as newsletter_jobs  # noqa: F401 (newsletter issues and batches)
