from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import ArrayAgg
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView, MonthArchiveView, TemplateView
from taggit.models import Tag, TaggedItem

from articles import caching, live
from articles.caching import cached_for_content, depends_on, public_page
from articles.forms import SearchForm
from articles.fronts import home_front, most_read_beside, section_lead
from articles.limits import client_network
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    BodyImage,
    Correction,
    Image,
    Page,
    Section,
)
from articles.preview import PreviewOutdated, preview_expires_at, previewed_article
from articles.reading import MOST_READ_SECONDS, most_read, record_read, related_articles
from articles.search import CANDIDATES as SEARCH_CANDIDATES
from articles.search import newest_matches, ranked
from articles.sitemaps import news_articles, news_language
from articles.text import clean_xml_document


class CappedPaginator(Paginator):
    """Counts at most CAP articles: a section of 50,000 stories needs no exact COUNT(*) on every page view.

    Pages beyond the cap are reached through the month archives.
    """

    CAP = 2_400  # 200 pages of 12
    # The list's identity (PublishedListMixin sets it): its count is then kept until the content changes.
    list_identity = None
    list_keys = ()  # what the list shows (PublishedListMixin.list_keys)

    @cached_property
    def count(self):
        def count():
            # Only the rows, in no order: no sort, no annotation (the cards' comment counts) is computed.
            return self.object_list.order_by().values("pk")[: self.CAP].count()

        return (
            cached_for_content("articles:count", count, self.list_identity, deps=self.list_keys)
            if self.list_identity
            else count()
        )


class PublishedListMixin:
    """A paginated list of published articles, as cards.

    The count is kept until the content changes, and includes/article_grid.html keeps the rendered cards
    the same way: a list page runs its list queries only the first time after a change.
    """

    paginate_by = settings.NEWSMAG_ARTICLES_PER_PAGE
    paginator_class = CappedPaginator
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def list_keys(self):
        """The dependency keys of the list (articles/caching.py): the home page's by default (archives)."""
        return [caching.HOME]

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        paginator.list_identity = f"{self.request.path}?{query.urlencode()}"
        paginator.list_keys = self.list_keys()
        return paginator

    def get_context_data(self, **kwargs):
        depends_on(*self.list_keys())
        return super().get_context_data(list_keys=self.list_keys(), **kwargs)


@method_decorator(public_page, name="dispatch")
class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        # The blocks are kept until the content changes; most read changes with reads, so it is picked
        # apart, leaving out what the blocks already show (no story twice on the page).
        depends_on(caching.HOME)

        def load():
            front = home_front()
            for block in front.blocks:  # its cards, kept as objects, carry comment counts
                caching.shows_stories(block.articles)
            return front

        # The rendered front is kept whole (home.html), keyed by the most read stories beside it: the front
        # itself (a hundred stories, costly to unpickle) is loaded only when that fragment is rebuilt, and
        # the most read list is kept as long as the list it is picked from. A kept part hands on what it
        # depends on, so the page still learns the front's stories when only the fragment is read.
        front = SimpleLazyObject(lambda: cached_for_content("articles:home-front", load, deps=[caching.HOME]))
        beside = cached_for_content(
            "articles:home-most-read", lambda: most_read_beside(front), seconds=MOST_READ_SECONDS
        )
        most_read_key = ",".join(str(article.pk) for article in beside)
        return super().get_context_data(front=front, most_read=beside, most_read_key=most_read_key, **kwargs)


def cached_object_or_404(queryset, slug):
    """The object a list page is about, by slug (404 if none), kept per process until content changes.

    `queryset` is a model or a queryset of it (to load more with the object in the same query).
    """
    model = getattr(queryset, "model", queryset)
    return cached_for_content(
        f"articles:{model._meta.label_lower}",
        lambda: get_object_or_404(queryset, slug=slug),
        slug,
        deps=[caching.SITE],  # sections, tags, authors and site pages retire everything when they change
    )


@method_decorator(public_page, name="dispatch")
class PageView(DetailView):
    """A site page (About, Privacy...): one query the first time after a change, none after."""

    template_name = "articles/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return cached_object_or_404(Page, slug=self.kwargs["slug"])


def shown(lead_and_stories):
    lead, stories = lead_and_stories
    caching.shows_stories([lead, *stories])  # kept as objects, with their comment counts
    return lead_and_stories


@method_decorator(public_page, name="dispatch")
class SectionView(PublishedListMixin, ListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        # Every section by slug, in one query kept until the content changes: a section page needs no query
        # of its own, and a flood of made-up addresses (/wp-admin/, /xyz/) answers 404 without one.
        def load():
            sections = Section.objects.annotate(
                subsection_ids=ArrayAgg(
                    "subsections__pk", filter=Q(subsections__isnull=False), default=Value([])
                )
            )
            return {section.slug: section for section in sections}

        sections = cached_for_content("articles:sections-by-slug", load, deps=[caching.SITE])
        self.section = sections.get(self.kwargs["section"])
        if self.section is None:
            raise Http404("No such section")
        # The section's own stories and its subsections', by a list of ids: one index range scan each.
        return super().get_queryset().filter(section_id__in=[self.section.pk, *self.section.subsection_ids])

    def list_keys(self):
        return [caching.section_key(self.section.pk)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            section=self.section, most_read=most_read(self.section), lead=None, **kwargs
        )
        if context["page_obj"].number == 1:
            # The lead leaves the first page's list; the pinned lead comes in the list's own query. Both
            # are kept like the list (articles:home-front), until the content changes or the pin lapses.
            section_ids = [self.section.pk, *self.section.subsection_ids]
            first_page = context["page_obj"].object_list
            context["lead"], context["articles"] = cached_for_content(
                "articles:section-lead",
                lambda: shown(section_lead(self.section, first_page, section_ids)),
                self.section.pk,
                deps=self.list_keys(),
            )
        return context


@method_decorator(public_page, name="dispatch")
class TagView(PublishedListMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = cached_object_or_404(Tag, slug=self.kwargs["slug"])
        # EXISTS rather than a join, as the front page's tag containers (articles/fronts.py): the newest
        # stories are read in order until a page's worth carry the tag, instead of sorting every story of
        # the tag first (10,000 of them in a million).
        article_type = ContentType.objects.get_for_model(Article)  # kept by Django after the first use
        tagged = TaggedItem.objects.filter(tag=self.tag, content_type=article_type, object_id=OuterRef("pk"))
        return super().get_queryset().filter(Exists(tagged))

    def list_keys(self):
        return [caching.tag_key(self.tag.pk)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


@method_decorator(public_page, name="dispatch")
class AuthorView(PublishedListMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = cached_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(bylines__author=self.author)

    def list_keys(self):
        return [caching.author_key(self.author.pk)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


@method_decorator(public_page, name="dispatch")
class SearchView(ListView):
    """Full-text search (websearch syntax: "exact phrase", -exclude, or), filterable by section and dates.

    A search's matches are kept (in the "search" cache, apart from the page fragments so that many
    different searches cannot push those out) until the content changes, and search.html keeps its
    rendered results the same way: a repeated search runs no query.
    """

    template_name = "articles/search.html"
    paginate_by = settings.NEWSMAG_ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        self.form.is_valid()  # a bad filter is dropped (and reported), the rest still applies
        data = self.form.cleaned_data
        self.query = data.get("q", "")
        self.matches, self.more_matches = [], False
        depends_on(caching.SEARCH)
        if not self.query:
            return Article.objects.none()
        queryset = Article.objects.published()
        if data.get("section"):
            queryset = queryset.filter(section=data["section"])
        if data.get("since"):
            queryset = queryset.filter(publish_at__date__gte=data["since"])
        if data.get("until"):
            queryset = queryset.filter(publish_at__date__lte=data["until"])
        identity = repr(
            (self.query, data.get("section") and data["section"].pk, data.get("since"), data.get("until"))
        )
        matches = cached_for_content(
            "search:matches",
            lambda: newest_matches(queryset, self.query, SEARCH_CANDIDATES + 1),
            identity,
            deps=[caching.SEARCH],
            using="search",
        )
        self.more_matches = len(matches) > SEARCH_CANDIDATES  # older matches exist beyond the ranked ones
        self.matches = matches[:SEARCH_CANDIDATES]
        return ranked(self.matches, self.query)

    def get_paginator(self, *args, **kwargs):
        paginator = Paginator(*args, **kwargs)
        paginator.count = len(self.matches)  # known: no COUNT query
        return paginator

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.query, form=self.form, more_matches=self.more_matches, **kwargs
        )


@method_decorator(public_page, name="dispatch")
class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return article_page_queryset(Article.objects.published())

    def get_object(self, queryset=None):
        """The article with everything its page shows, kept per process until the content changes."""
        load = super().get_object

        def load_shown():
            article = load(queryset)
            depends_on(caching.article_key(article.pk))
            return article

        article = cached_for_content("articles:page", load_shown, self.kwargs["slug"])
        depends_on(caching.thread_key(article.pk))  # its thread and comment count
        return article

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            # Only a miss pays for this query: an address the article had before its slug changed.
            moved = (
                Article.objects.published()
                .formerly_at(kwargs["slug"])
                .select_related("section")
                .only("slug", "section__slug")  # all its address needs
                .first()
            )
            if moved is None:
                raise
            return redirect(moved, permanent=True)
        if self.object.section.slug != kwargs["section"]:
            return redirect(self.object, permanent=True)  # the section moved: one canonical URL
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        article = self.object
        # Related stories are rendered inside a kept fragment: their queries run only when it is rebuilt.
        # Most read (the rail) is kept per process for minutes by articles.reading.most_read.
        # The comments app adds its thread through its own template tag.
        return super().get_context_data(
            related=SimpleLazyObject(lambda: related_articles(article)),
            most_read=SimpleLazyObject(most_read),
            **live_context(article),
            **kwargs,
        )


def live_context(article) -> dict:
    """A live story's updates and key events, read only if the page's kept parts are rebuilt."""
    if not article.is_live_story:
        return {}
    updates = SimpleLazyObject(lambda: live.live_stream(article))
    return {
        "live_updates": updates,
        "live_key_events": SimpleLazyObject(lambda: live.key_events(updates)),
        "live_poll_seconds": settings.NEWSMAG_LIVE_POLL_SECONDS,
    }


@require_safe
def live_updates_view(request, pk):
    """The newest updates of a live story, for its open pages (static/js/live.js): from the cache, no SQL
    (articles/live.py); the page cache leaves this path alone (articles.caching.OWN_CACHE_PATHS)."""
    return live.poll_response(request, live.poll_entry(pk))


def article_page_queryset(queryset):
    """Everything the article page shows, in a fixed number of queries."""
    return (
        queryset.select_related("section", "lead_image")
        .with_tag_list()
        .with_body_references()
        .prefetch_related(
            Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")), "corrections"
        )
    )


@method_decorator(never_cache, name="dispatch")
class PreviewView(DetailView):
    """The article as readers will see it, through a signed link that expires; works for drafts.

    A genuine link that no longer works (expired, or the article changed, went or had its links revoked)
    answers 410 with a page saying to ask for a new one; a link we never made is a 404.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        try:
            return previewed_article(self.kwargs["token"], article_page_queryset(Article.objects.all()))
        except signing.SignatureExpired:
            raise PreviewGone("expired") from None
        except PreviewOutdated:
            raise PreviewGone("outdated") from None
        except signing.BadSignature:
            raise Http404("Unknown preview link") from None

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except PreviewGone as gone:
            response = render(request, "articles/preview_expired.html", {"reason": gone.reason}, status=410)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        # `preview` also keeps every fragment of the page from being stored or reused (articles.caching).
        return super().get_context_data(
            preview=True,
            preview_expires_at=preview_expires_at(self.kwargs["token"]),
            related=[],
            **live_context(self.object),
            **kwargs,
        )


class PreviewGone(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason  # "expired" or "outdated": what the page tells the person


@method_decorator(public_page, name="dispatch")
class CorrectionListView(ListView):
    """Every correction, clarification and update on published articles, newest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 30

    def get_queryset(self):
        depends_on(caching.CORRECTIONS, caching.HOME)  # the corrections, on stories the site shows
        return (
            Correction.objects.filter(article__in=Article.objects.published())
            .select_related("article__section")
            .order_by("-published_at", "-pk")
        )


@method_decorator(public_page, name="dispatch")
class AIImagesView(ListView):
    """Transparency: every AI-generated or AI-edited image in published articles, and where it is used."""

    template_name = "articles/ai_images.html"
    context_object_name = "images"
    paginate_by = 24

    def get_queryset(self):
        depends_on(caching.AI_IMAGES, caching.HOME)  # the pictures, in stories the site shows
        live = Article.objects.published()
        published = live.select_related("section")
        in_bodies = BodyImage.objects.filter(article__in=live).select_related("article__section")
        return (
            Image.objects.ai_generated()
            .filter(Q(lead_for__in=live) | Q(body_uses__article__in=live))
            .distinct()
            .prefetch_related(
                Prefetch("lead_for", queryset=published, to_attr="published_leads"),
                Prefetch("body_uses", queryset=in_bodies, to_attr="published_body_uses"),
            )
            .order_by("-uploaded_at")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for image in context["images"]:  # where each is used, as the lead or in the body, each story once
            articles = image.published_leads + [use.article for use in image.published_body_uses]
            image.published_articles = list({article.pk: article for article in articles}.values())
        return context


@public_page
@clean_xml_document
def news_sitemap(request):
    """The Google News sitemap: articles of the last 48 hours, at most 1,000."""
    depends_on(caching.SITEMAPS)
    return render(
        request,
        "articles/news_sitemap.xml",
        {
            "articles": news_articles(),
            "site_name": settings.NEWSMAG_SITE_NAME,
            "language": news_language(settings.LANGUAGE_CODE),
        },
        content_type="application/xml",
    )


@public_page
def robots_txt(request):
    depends_on(caching.SITE)
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /comments/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# The colours of the browser's own bars around the site (base.html has the light and dark theme-color).
MANIFEST_THEME_COLOR = "#ffffff"


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)  # changes with a deploy only: a day is plenty
def web_manifest(request):
    """The web app manifest: the name, icons (static/icons, drawn by `draw_icons`) and colours a phone uses
    when a reader adds the site to the home screen. It opens as a web page ("browser"): no app shell."""
    home = reverse("articles:home")
    icons = [
        {"src": static(name), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
        for name, size, purpose in (
            ("icons/icon-192.png", 192, "any"),
            ("icons/icon-512.png", 512, "any"),
            ("icons/icon-maskable-512.png", 512, "maskable"),
        )
    ]
    manifest = {
        "name": settings.NEWSMAG_SITE_NAME,
        "short_name": settings.NEWSMAG_SITE_NAME[:12],
        "description": f"{settings.NEWSMAG_SITE_NAME}: news, analysis and stories worth your time.",
        "id": home,
        "start_url": home,
        "scope": home,
        "display": "browser",
        "lang": settings.LANGUAGE_CODE,
        "theme_color": MANIFEST_THEME_COLOR,
        "background_color": MANIFEST_THEME_COLOR,
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"indent": 2})


@csrf_exempt  # a read beacon carries no token and changes nothing but a counter
@require_POST
def count_read_view(request, pk):
    """Count one read of a published article (sent by static/js/site.js with navigator.sendBeacon).

    The answer is the same whether or not the read counted (articles.reading.record_read says when).
    """
    if Article.objects.published().filter(pk=pk).exists():
        record_read(
            pk, network=client_network(request) or "unknown", user_agent=request.headers.get("User-Agent", "")
        )
    return HttpResponse(status=204)


@method_decorator(public_page, name="dispatch")
class ArchiveIndexView(TemplateView):
    """The months that have stories, newest first, with how many."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        depends_on(caching.HOME)
        months = (
            Article.objects.published()
            .annotate(month=TruncMonth("publish_at"))
            .order_by("-month")
            .values("month")
            .annotate(count=Count("pk"))
        )
        return super().get_context_data(months=months, **kwargs)


@method_decorator(public_page, name="dispatch")
class ArchiveMonthView(PublishedListMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"
    date_field = "publish_at"
    month_format = "%m"
    allow_empty = False
