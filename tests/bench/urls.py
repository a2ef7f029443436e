"""The site's URLs plus "newsmag-floor": one trivial view behind Newsmag's own middleware, in the same
processes. `make bench` reports it beside the real floor (a startproject site, tests/bench/floor_settings.py)
to show what the stack costs, and asks it to know when a server has caught up (drain())."""

from django.http import HttpResponse
from django.urls import path

from newsmag.urls import urlpatterns as site_urlpatterns


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
