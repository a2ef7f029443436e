"""The site's URLs plus the benchmark's "floor": one trivial view behind the same middleware, in the same
processes, against which `make bench` measures every page."""

from django.http import HttpResponse
from django.urls import path

from newsmag.urls import urlpatterns as site_urlpatterns


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
