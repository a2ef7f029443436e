"""`make bench` runs the production settings unchanged but for one URL: the floor (tests/bench/urls.py)."""

from newsmag.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
