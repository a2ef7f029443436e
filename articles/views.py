from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F, Func, Prefetch, Value
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles.models import Article, ArticleAuthor, Author, Section
from articles.templatetags.articles_tags import HIGHLIGHT_START, HIGHLIGHT_STOP
from comments.forms import CommentForm
from comments.models import Comment
from comments.threads import build_thread


class PublishedListMixin:
    """A paginated list of published articles, as cards."""

    paginate_by = settings.NEWSMAG_ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(PublishedListMixin, TemplateView):
    template_name = "articles/home.html"
    top_story_count = 4
    latest_count = 12

    def get_context_data(self, **kwargs):
        articles = list(self.get_queryset()[: 1 + self.top_story_count + self.latest_count + 10])
        lead = next((a for a in articles if a.featured), articles[0] if articles else None)
        rest = [a for a in articles if a is not lead]
        return super().get_context_data(
            lead=lead,
            top_stories=rest[: self.top_story_count],
            latest=rest[self.top_story_count : self.top_story_count + self.latest_count],
            **kwargs,
        )


class SectionView(PublishedListMixin, ListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["section"])
        return super().get_queryset().filter(section__in=[self.section, *self.section.subsections.all()])

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(PublishedListMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(PublishedListMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(bylines__author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class SearchView(PublishedListMixin, ListView):
    """Full-text search on PostgreSQL (websearch syntax: "exact phrase", -exclude, or)."""

    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:200]
        if not self.query:
            return Article.objects.none()
        query = SearchQuery(self.query, search_type="websearch", config="english")
        vector = (
            SearchVector("headline", weight="A", config="english")
            + SearchVector("dek", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        return (
            super()
            .get_queryset()
            .annotate(
                rank=SearchRank(vector, query),
                snippet=SearchHeadline(
                    Func(F("body"), Value("<[^>]+>"), Value(" "), Value("g"), function="regexp_replace"),
                    query,
                    config="english",
                    start_sel=HIGHLIGHT_START,
                    stop_sel=HIGHLIGHT_STOP,
                    max_words=30,
                    min_words=15,
                ),
            )
            .filter(rank__gt=0)
            .order_by("-rank", "-publish_at")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("section", "lead_image")
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")), "tags"
            )
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.section.slug != kwargs["section"]:
            return redirect(self.object, permanent=True)  # the section moved: one canonical URL
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        article = self.object
        comments = list(Comment.objects.approved().filter(article=article).select_related("user"))
        author_user_ids = {author.user_id for author in article.byline_authors if author.user_id}
        return super().get_context_data(
            comments=build_thread(comments, author_user_ids=author_user_ids),
            comment_count=len(comments),
            comment_form=CommentForm(article=article, user=self.request.user),
            comments_open=article.comment_policy != Article.CommentPolicy.CLOSED,
            **kwargs,
        )
