"""The test overlay on newsmag.settings: fast hashing, temporary media, no HTTPS redirect."""

import os
import tempfile

if not os.environ.get("DJANGO_SECRET_KEY"):  # unset or empty
    os.environ["DJANGO_SECRET_KEY"] = "tests-only-not-a-secret"

from newsmag.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsmag-test-media-")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
    "search": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "search"},
}
STATIC_ROOT = tempfile.mkdtemp(prefix="newsmag-test-static-")
WHITENOISE_USE_FINDERS = True
# Most tests change data inside a transaction that never commits, so the page cache (invalidated on
# commit) is off by default; tests/test_page_cache.py turns it on and commits for real.
NEWSMAG_PAGE_CACHE_SECONDS = 0
NEWSMAG_FRAGMENT_CACHE_SECONDS = 0
