"""The test overlay on newsmag.settings: fast hashing, temporary media, no HTTPS redirect."""

import os
import tempfile

if not os.environ.get("DJANGO_SECRET_KEY"):  # unset or empty
    os.environ["DJANGO_SECRET_KEY"] = "tests-only-not-a-secret"

# Tests run with DEBUG off, as production does, on DATABASE_URL or else the embedded server, which the test
# command asks for on purpose (the variable is put back so that it does not leak into subprocesses).
_embedded = os.environ.get("NEWSMAG_EMBEDDED_DB")
os.environ["NEWSMAG_EMBEDDED_DB"] = "1"
try:
    from newsmag.settings import *  # noqa: F403
finally:
    if _embedded is None:
        del os.environ["NEWSMAG_EMBEDDED_DB"]
    else:
        os.environ["NEWSMAG_EMBEDDED_DB"] = _embedded

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsmag-test-media-")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": CACHES["fragments"],  # noqa: F405  (bounded by bytes, as in production)
    "search": CACHES["search"],  # noqa: F405
}
# Rate counters in PostgreSQL, rolled back with each test (tests/test_limits.py runs them in Redis too).
NEWSMAG_LIMITS_REDIS_URL = ""
STATIC_ROOT = tempfile.mkdtemp(prefix="newsmag-test-static-")
WHITENOISE_USE_FINDERS = True
# The page cache and kept fragments are on, as in production, so a key that misses a part fails a test.
# Most tests change data inside a transaction that never commits; tests/conftest.py runs what would run
# at commit (the content-version bump) before each request the test client makes.
NEWSMAG_PAGE_CACHE_SECONDS = 600
NEWSMAG_FRAGMENT_CACHE_SECONDS = 600
