from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models.pages import footer_pages
from articles.models.sections import nav_sections, section_directory


def site(request):
    """The site name, the navigation sections and the footer's directory and site pages, for base.html.

    All are read lazily: a page that never renders them (a feed, a redirect) pays nothing, and the footer,
    a kept fragment, reads its two only when it is rebuilt after a change.
    """
    return {
        "site_name": settings.NEWSMAG_SITE_NAME,
        "nav_sections": SimpleLazyObject(nav_sections),
        "footer_sections": SimpleLazyObject(section_directory),
        "footer_pages": SimpleLazyObject(footer_pages),
    }
