"""The floor's one view: a fixed HTML page as large as the site's home page (NEWSMAG_BENCH_FLOOR_BYTES,
measured by `make bench` before it starts the servers), built once per process."""

import os

from django.http import HttpResponse
from django.urls import path

_PARAGRAPH = "<p>The night shift at the harbour bakery starts long before the first ferry leaves.</p>\n"
_SIZE = int(os.environ.get("NEWSMAG_BENCH_FLOOR_BYTES", "40000"))
_HEAD = '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Floor</title></head>\n<body>\n'
_TAIL = "</body>\n</html>\n"
PAGE = (_HEAD + _PARAGRAPH * max(0, (_SIZE - len(_HEAD) - len(_TAIL)) // len(_PARAGRAPH)) + _TAIL).encode()


def floor(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/floor/", floor)]
