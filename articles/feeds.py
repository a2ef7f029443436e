from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from articles.models import Article


class LatestArticlesFeed(Feed):
    title = settings.NEWSMAG_SITE_NAME
    link = reverse_lazy("articles:home")
    description = "The latest stories."

    def items(self):
        return Article.objects.published().for_listing()[:30]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.dek

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.byline_authors)

    def item_categories(self, item):
        return [item.section.name]
