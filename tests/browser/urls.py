"""The site's URLs plus uploaded media, which production serves from its web server or object storage
(and `make run` from Django in DEBUG): the browser must see the pictures, or it logs 404s."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsmag.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
