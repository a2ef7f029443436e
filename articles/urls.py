from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("<slug:section>/", views.SectionView.as_view(), name="section"),
    path("<slug:section>/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
]
