"""`make bench` runs the production settings unchanged but for one URL: newsmag-floor (tests/bench/urls.py)."""

from newsmag.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
