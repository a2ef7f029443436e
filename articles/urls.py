from django.urls import path

from articles import feeds, views
from articles.caching import public_page

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("tag/<slug:slug>/feed/", public_page(feeds.TagFeed()), name="tag-feed"),
    path("tag/<slug:slug>/feed/atom/", public_page(feeds.TagAtomFeed()), name="tag-feed-atom"),
    path("author/<slug:slug>/feed/", public_page(feeds.AuthorFeed()), name="author-feed"),
    path("author/<slug:slug>/feed/atom/", public_page(feeds.AuthorAtomFeed()), name="author-feed-atom"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("ai-images/", views.AIImagesView.as_view(), name="ai-images"),
    path("pages/<slug:slug>/", views.PageView.as_view(), name="page"),
    path("archive/", views.ArchiveIndexView.as_view(), name="archive"),
    path("archive/<int:year>/<int:month>/", views.ArchiveMonthView.as_view(), name="archive-month"),
    path("stats/read/<int:pk>/", views.count_read_view, name="count-read"),
    path("live/<int:pk>/updates/", views.live_updates_view, name="live-updates"),
    path("preview/<str:token>/", views.PreviewView.as_view(), name="preview"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("<slug:section>/", views.SectionView.as_view(), name="section"),
    path("<slug:section>/feed/", public_page(feeds.SectionFeed()), name="section-feed"),
    path("<slug:section>/feed/atom/", public_page(feeds.SectionAtomFeed()), name="section-feed-atom"),
    path("<slug:section>/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("<slug:section>/<slug:slug>/feed/", public_page(feeds.LiveUpdatesFeed()), name="live-feed"),
]
