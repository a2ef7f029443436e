from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.discovery import nav_sections
from newsmag.page_cache import content_state


def site(request):
    """The site name and the navigation sections, for base.html.

    Sections are read lazily: a page that never renders the navigation (a feed, a redirect) pays nothing.
    """
    return {
        "site_name": settings.NEWSMAG_SITE_NAME,
        "nav_sections": SimpleLazyObject(nav_sections),
        # For {% cache %} fragments: what they are keyed on, and how long they live (0 in tests).
        "fragment_version": SimpleLazyObject(lambda: content_state().key),
        "fragment_seconds": settings.NEWSMAG_FRAGMENT_CACHE_SECONDS,
    }
