"""Login throttling: django-axes pauses one (username, network) pair after a few wrong passwords, and a
per-username ceiling slows a guessing campaign spread over many networks without locking the real user out.

- django-axes counts failures per username and client network (articles.limits.client_network: an IPv6
  /64 is one network, so one /64 cannot rotate addresses for more guesses) and answers `lockout_response`.
- `UsernameCeilingBackend`: once a username has NEWSMAG_LOGIN_USERNAME_CEILING failures within the cool-off
  from anywhere, each network may try that username once every NEWSMAG_LOGIN_SLOW_SECONDS. The owner, from
  their own network, waits seconds at most, never the whole cool-off, and needs no CAPTCHA.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import render

from articles import limits


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a 429 page saying how long to wait, with Retry-After for machines."""
    slowed = getattr(request, "login_retry_after", None)
    seconds = slowed or int(cool_off(request).total_seconds())
    context = {
        "slowed": slowed is not None,
        "seconds": seconds,
        "minutes": math.ceil(seconds / 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = render(request, "axes/lockout.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def cool_off(request=None):
    """AXES_COOLOFF_TIME: how long a locked-out (username, network) pair waits."""
    return timedelta(minutes=settings.NEWSMAG_LOGIN_COOLOFF_MINUTES)


def _username(credentials_or_name):
    name = (
        credentials_or_name.get("username") if isinstance(credentials_or_name, dict) else credentials_or_name
    )
    return (name or "").strip().lower()


class UsernameCeilingBackend:
    """Authenticates nobody: refuses an attempt on a username past its ceiling that comes too soon after
    the last one from the same network (the next backends check the password otherwise).

    It has no `get_user()` on purpose: Django then never picks it to remember a logged-in user.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = _username(username)
        if request is None or not username:
            return None
        if limits.hits("login-failures", username) < settings.NEWSMAG_LOGIN_USERNAME_CEILING:
            return None
        network = limits.client_network(request) or "unknown"
        allowance = limits.hit(
            "login-slowed", username, network, limit=1, seconds=settings.NEWSMAG_LOGIN_SLOW_SECONDS
        )
        if allowance.allowed:
            return None
        request.axes_locked_out = True  # AxesMiddleware answers with lockout_response
        request.login_retry_after = allowance.retry_after
        raise PermissionDenied


@receiver(user_login_failed, dispatch_uid="newsmag-login-failures")
def count_login_failure(sender, credentials, request=None, **kwargs):
    username = _username(credentials)
    if username:
        limits.hit(
            "login-failures", username,
            limit=settings.NEWSMAG_LOGIN_USERNAME_CEILING, seconds=int(cool_off().total_seconds()),
        )  # fmt: skip
