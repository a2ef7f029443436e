"""The comments app's Celery jobs (the worker's autodiscovery imports this module)."""

from comments import jobs  # noqa: F401 (the daily personal-data purge)
from comments.notifications import send_comment_notifications  # noqa: F401 (reply and approval emails)
