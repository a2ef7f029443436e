"""The comments app's Celery jobs (the worker's autodiscovery imports this module)."""

from comments.notifications import send_comment_notifications  # noqa: F401
