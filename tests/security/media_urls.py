"""The site's URLs plus Django's media view, as `make run` (DEBUG) mounts it."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsmag.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(
        rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}
    ),
    *site_urlpatterns,
]
