from django.conf import settings

from articles.models import Section


def site(request):
    """The site name and the navigation sections, for base.html.

    Sections are read lazily: a page that never renders the navigation (a feed, a redirect) pays nothing.
    """
    return {
        "site_name": settings.NEWSMAG_SITE_NAME,
        "nav_sections": Section.objects.in_navigation,
    }
