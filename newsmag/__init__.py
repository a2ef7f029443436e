# The Celery app is made when Django starts, so that every `@shared_task` in the apps binds to it (and to its
# settings: the broker, or in-process jobs without one) rather than to Celery's default app.
from newsmag.celery import app as celery_app

__all__ = ["celery_app"]
