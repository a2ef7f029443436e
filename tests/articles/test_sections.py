"""Sections share the URL space with the site's own pages: a section may never shadow one of them."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver

from articles.models import RESERVED_SLUGS, validate_section_slug

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route


def routed_top_level_slugs():
    """The first path segments the URLconfs answer with a fixed word that could also be a section's slug."""
    firsts = {route.split("/", 1)[0] for route in routes(get_resolver().url_patterns)}
    return {first for first in firsts if SLUG.match(first)}


def test_the_url_space_has_the_pages_a_reader_expects():
    # The walk itself works: it finds fixed words the site routes, and no parameter.
    assert {"admin", "search", "tag", "archive", "stats", "comments"} <= routed_top_level_slugs()
    assert not any("<" in slug for slug in routed_top_level_slugs())


def test_every_routed_top_level_path_is_a_reserved_section_slug():
    assert routed_top_level_slugs() - RESERVED_SLUGS == set()


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_a_section_cannot_take_a_reserved_slug(slug):
    with pytest.raises(ValidationError, match="used by the site itself"):
        validate_section_slug(slug)
