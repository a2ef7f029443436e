from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from articles import views as article_views
from articles.caching import public_page
from articles.sitemaps import SITEMAPS, index_view, sitemap_view

admin.site.site_header = "Newsmag newsroom"
admin.site.site_title = "Newsmag newsroom"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("favicon.svg"), permanent=True)),
    # The admin's "Forgotten your password?" (shown when this name exists) leads to the readers' reset,
    # which mails a link to the account's address, staff included.
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
        name="admin_password_reset",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("newsmag.accounts.urls")),
    path("robots.txt", article_views.robots_txt, name="robots"),
    # A dotted name: no section slug can take it (slugs have no dots).
    path("manifest.webmanifest", article_views.web_manifest, name="web-manifest"),
    path(
        "sitemap.xml",
        public_page(index_view),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"},
        name="sitemap-index",
    ),
    path("sitemap-<section>.xml", public_page(sitemap_view), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("news-sitemap.xml", article_views.news_sitemap, name="news-sitemap"),
    path("comments/", include("comments.urls")),
    path("newsletters/", include("articles.newsletter_urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
