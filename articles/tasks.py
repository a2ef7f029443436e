"""The articles app's Celery jobs, imported here for the worker's autodiscovery."""

from articles.newsletters import jobs as newsletter_jobs  # noqa: F401 (registers the newsletter jobs)
