"""Login throttling (django-axes): the page a locked-out login gets."""

import math
from datetime import timedelta

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a 429 page saying how long to wait, with Retry-After for machines.

    The lock is on the pair (username, IP address) and lifts by itself after AXES_COOLOFF_TIME.
    """
    seconds = int(cool_off(request).total_seconds())
    context = {"minutes": math.ceil(seconds / 60), "failure_limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "axes/lockout.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def cool_off(request=None):
    """AXES_COOLOFF_TIME: how long a locked-out (username, IP address) pair waits."""
    return timedelta(minutes=settings.NEWSMAG_LOGIN_COOLOFF_MINUTES)
