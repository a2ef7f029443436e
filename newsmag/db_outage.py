"""While PostgreSQL is unreachable (a restart, a failover), readers get "back in a moment", not an error.

A request that fails because the database cannot be reached answers 503 Service Unavailable with
`Retry-After`, from a standalone page (templates/503.html) that needs no database, instead of the 500 of a
bug. Nothing is cached: not by the page cache (it stores 200s only), not by a CDN (no-store). The site needs
no restart afterwards: Django's connection health checks replace the broken connections on the next request.

Django hands a view's exception to `process_exception()`, but an exception raised in a middleware (the page
cache's content-version query runs before any view) has already become a 500 by the time it reaches the
next middleware out. `got_request_exception`, sent while that 500 is made, notes the error on the request,
and this middleware, placed above those that query the database, answers 503 instead.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (OperationalError, InterfaceError)  # cannot connect, connection lost or closed
RETRY_AFTER_SECONDS = 5
OUTAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@receiver(got_request_exception, dispatch_uid="newsmag-database-outage")
def note_database_outage(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, OUTAGE_ERRORS):
        request.database_outage = error


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, "database_outage", None)
        if error is not None and response.status_code == 500:
            response = unavailable(request, error)
            # Made above the middleware that adds these to every page: the 503 gets them here.
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Content-Security-Policy", OUTAGE_POLICY)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            return unavailable(request, exception)
        return None


def unavailable(request, error):
    """The 503 page. Rendered without the request: context processors would query the database."""
    logger.error("Database unavailable, answered 503 to %s %s: %s", request.method, request.path, error)
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
