import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from newsmag.embedded_db import require_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsmag.settings")

if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
require_database()  # DATABASE_URL, or the embedded server on purpose: never a silent local one

application = get_wsgi_application()
