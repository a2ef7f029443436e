from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models.sections import nav_sections, site_directory


def site(request):
    """The site name, the navigation sections and the footer's directory and site pages, for base.html.

    All come from one kept query (site_directory()) and are read lazily: a page that never renders them (a
    feed, a redirect) pays nothing.
    """
    return {
        "site_name": settings.NEWSMAG_SITE_NAME,
        "nav_sections": SimpleLazyObject(nav_sections),
        "footer_sections": SimpleLazyObject(lambda: site_directory().tree),
        "footer_pages": SimpleLazyObject(lambda: site_directory().pages),
    }
