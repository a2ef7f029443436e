from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models.sections import nav_sections


def site(request):
    """The site name and the navigation sections, for base.html.

    Sections are read lazily: a page that never renders the navigation (a feed, a redirect) pays nothing.
    """
    return {"site_name": settings.NEWSMAG_SITE_NAME, "nav_sections": SimpleLazyObject(nav_sections)}
