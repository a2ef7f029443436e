"""The app's background jobs (found by the Celery worker's autodiscovery)."""

from articles.cdn import purge  # noqa: F401
