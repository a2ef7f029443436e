from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import BooleanField, F, Func, OuterRef, Prefetch, Q
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articles.caching import WatchedQuerySet
from articles.html import sanitize_html
from articles.models.embeds import Embed
from articles.models.images import Image
from articles.models.sections import Section
from articles.references import referenced_ids, referenced_image_ids
from articles.typography import smarten, smarten_html

# Annotations other apps add to every story card's query, {name: function returning an expression}: the
# comments app adds `comment_count` this way, so this app needs no knowledge of comments.
LISTING_ANNOTATIONS = {}


def add_listing_annotation(name, expression):
    """Let `ArticleQuerySet.for_listing()` annotate `name` with `expression()` (called per query)."""
    LISTING_ANNOTATIONS[name] = expression


class Author(models.Model):
    """A byline. Not a login: wire and agency bylines ("People News") are authors too."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    role = models.CharField(
        _("role"), max_length=80, blank=True, help_text=_("Shown beside the byline, e.g. “Staff writer”.")
    )
    bio = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text=_("The newsroom account that writes under this byline, if any."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


def published_condition(now=None) -> Q:
    """The one definition of "published": status published, publish time reached, not expired."""
    now = now or timezone.now()
    return Q(status=Article.Status.PUBLISHED, publish_at__lte=now) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


# What a picture in a body shows (figure, credit line, JSON-LD, feeds): the columns loaded with the article.
# What an embed card shows (never the provider's own HTML, which stays in the database).
BODY_EMBED_FIELDS = (
    "id", "url", "provider", "type", "title", "author_name", "author_url", "width", "height", "thumbnail",
    "thumbnail_width", "thumbnail_height", "thumbnail_credit",
)  # fmt: skip
BODY_IMAGE_FIELDS = (
    "id", "file", "width", "height", "title", "alt_text", "is_decorative", "caption", "credit", "creator",
    "copyright_notice", "licence", "source_type", "ai_system", "focal_x", "focal_y", "renditions",
)  # fmt: skip


@dataclass(frozen=True)
class BodyReference:
    """A kind of thing a story body shows by id: the marker naming it, its model, the columns a reader's
    page needs of it. Every kind is loaded the same way: with the article (`with_body_references()`), or
    for a list of articles at once (`load_body_references()`)."""

    attribute: str
    model: type
    fields: tuple


BODY_REFERENCES = {
    "images": BodyReference("data-image", Image, BODY_IMAGE_FIELDS),
    "embeds": BodyReference("data-embed", Embed, BODY_EMBED_FIELDS),
}


class _ReferencedByBody(Func):
    """True for a row whose id the outer article's body references as `attribute`="N".

    It may also match such text written in a paragraph: the renderer only uses the ids of real blocks.
    """

    arg_joiner = " = ANY(ARRAY(SELECT m[1]::bigint FROM regexp_matches("
    template = """(%(expressions)s, '%(attribute)s="([0-9]{1,18})"', 'g') AS m)))"""
    output_field = BooleanField()


class ArticleQuerySet(WatchedQuerySet):
    def published(self):
        return self.filter(published_condition())

    def written_by(self, user):
        """The stories that are `user`'s own: created by them or carrying their byline (all a journalist
        may open in the admin)."""
        mine = Article.objects.filter(Q(created_by=user) | Q(bylines__author__user=user))
        return self.filter(pk__in=mine.values("pk"))

    def with_tag_list(self):
        """Annotates Article.tag_list in the article's own query (no prefetch query, no Tag objects)."""
        from taggit.models import Tag

        tags = (
            Tag.objects.filter(
                taggit_taggeditem_items__content_type__app_label="articles",
                taggit_taggeditem_items__content_type__model="article",
                taggit_taggeditem_items__object_id=OuterRef("pk"),
            )
            .order_by("name")
            .values(json=JSONObject(id="id", name="name", slug="slug"))
        )
        return self.annotate(tag_list=ArraySubquery(tags))

    def with_body_references(self):
        """Annotates the images and embeds the body shows in the article's own query (Article.body_images(),
        Article.body_embeds()): a story of any number of them costs no query more."""
        annotations = {}
        for kind, reference in BODY_REFERENCES.items():
            rows = (
                reference.model.objects.filter(
                    _ReferencedByBody(F("id"), OuterRef("body"), attribute=reference.attribute)
                )
                .order_by()
                .values(json=JSONObject(**{name: name for name in reference.fields}))
            )
            annotations[f"body_{kind}_rows"] = ArraySubquery(rows)
        return self.annotate(**annotations)

    def formerly_at(self, slug):
        """The articles that used to live at `slug` (at most one), unless an article's slug is `slug` now.

        An article whose slug `slug` is now, in any status, wins: its own address is never redirected
        elsewhere, and a draft that took a retired slug keeps it from redirecting too.
        """
        return self.filter(retired_slugs__slug=slug).filter(~models.Exists(Article.objects.filter(slug=slug)))

    def for_listing(self):
        """What a card needs, in a constant number of queries: section, image, bylines, and what other apps
        add (LISTING_ANNOTATIONS: the comment count)."""
        return (
            self.select_related("section", "lead_image")
            .defer("body", "live_summary", "search_vector", "lead_image__metadata")  # cards never show them
            .prefetch_related(Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")))
            .annotate(**{name: expression() for name, expression in LISTING_ANNOTATIONS.items()})
        )


class ShowsBodyReferences:
    """A model with a rich `body` that shows images and embeds by reference (an article, a live update)."""

    def body_images(self) -> dict:
        """The images the body shows, {id: Image} in the body's order (see body_references())."""
        return self.body_references("images")

    def body_embeds(self) -> dict:
        """The embeds the body shows, {id: Embed} in the body's order (see body_references())."""
        return self.body_references("embeds")

    def body_references(self, kind) -> dict:
        """What the body shows of `kind` (BODY_REFERENCES), {id: row} in the body's order.

        Kept on the instance for the body it was loaded for, so the page's body, its JSON-LD and a feed
        item share one load: from the article's own query (ArticleQuerySet.with_body_references()), from
        `load_body_references()` for a list of articles, else one query now.
        """
        reference, kept_name = BODY_REFERENCES[kind], f"_body_{kind}"
        rows = self.__dict__.pop(f"body_{kind}_rows", None)
        if rows is not None:
            found = {
                row["id"]: reference.model.from_db(
                    "default", reference.fields, [row[name] for name in reference.fields]
                )
                for row in rows
            }
            self.__dict__[kept_name] = (self.body, _in_body_order(self.body, reference, found))
        kept = self.__dict__.get(kept_name)
        if kept is None or kept[0] != self.body:
            load_body_references([self])
            kept = self.__dict__[kept_name]
        return kept[1]


class Article(ShowsBodyReferences, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class CommentPolicy(models.TextChoices):
        OPEN = "open", _("Open")
        PREMODERATED = "premoderated", _("Pre-moderated: every comment is checked first")
        CLOSED = "closed", _("Closed")

    class LiveCoverage(models.TextChoices):
        """A live story is an article with a stream of updates (LiveUpdate), newest first."""

        NONE = "none", _("Not a live story")
        LIVE = "live", _("Live: updates are being posted")
        ENDED = "ended", _("Ended: “This live coverage has ended”")

    kicker = models.CharField(
        _("kicker"),
        max_length=60,
        blank=True,
        help_text=_("A short label above the headline, e.g. “Climate”."),
    )
    headline = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_(
            "The article's address. Avoid changing it once published: the old address keeps working "
            "(it redirects here), but links already shared show the old one."
        ),
    )
    dek = models.TextField(
        _("standfirst"), max_length=400, blank=True, help_text=_("One or two sentences under the headline.")
    )
    body = models.TextField(
        _("body"), help_text=_("Subheadings, lists, links and quotes are kept; scripts are not.")
    )
    source_label = models.CharField(
        _("source tag"),
        max_length=60,
        blank=True,
        help_text=_("Shown in brackets at the start of the body, e.g. “People News” → [People News]."),
    )
    byline_text = models.CharField(
        _("byline note"),
        max_length=200,
        blank=True,
        help_text=_("Optional free text under the byline, e.g. “Reported by Maria Keller in Kessling”."),
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("authors"), through="ArticleAuthor", related_name="articles", blank=True
    )
    tags = TaggableManager(_("tags"), blank=True, help_text=_("Comma-separated, e.g. “climate, shipping”."))
    lead_image = models.ForeignKey(
        Image,
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_for",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("When readers first see it. A future time schedules the article; empty means now."),
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_("Optional: the article leaves the site at this time (e.g. an offer or a live notice)."),
    )
    first_published_at = models.DateTimeField(_("first published at"), null=True, blank=True, editable=False)
    featured = models.BooleanField(_("featured"), default=False, help_text=_("Lead the home page with it."))
    comment_policy = models.CharField(
        _("comments"), max_length=16, choices=CommentPolicy.choices, default=CommentPolicy.OPEN
    )
    live_coverage = models.CharField(
        _("live coverage"),
        max_length=8,
        choices=LiveCoverage.choices,
        default=LiveCoverage.NONE,
        help_text=_("A live story shows a stream of updates under its body; post them from “Live updates”."),
    )
    live_summary = models.TextField(
        _("live summary"),
        blank=True,
        help_text=_("The story so far, shown above the updates: a few bullet points."),
    )
    coverage_started_at = models.DateTimeField(
        _("coverage started at"), null=True, blank=True, help_text=_("Empty: when it goes live.")
    )
    coverage_ended_at = models.DateTimeField(_("coverage ended at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    search_vector = SearchVectorField(null=True, editable=False)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one at every save; detects edit conflicts."),
    )
    preview_generation = models.PositiveIntegerField(
        _("preview generation"),
        default=0,
        editable=False,
        help_text=_("Goes up when an editor revokes the preview links: every earlier link stops working."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    TYPESET_FIELDS = ("kicker", "headline", "dek", "source_label", "byline_text")

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", _("Can publish, schedule and unpublish articles"))]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_idx"),
            models.Index(
                fields=["-publish_at"], condition=Q(status="published"), name="article_published_idx"
            ),
            models.Index(
                fields=["section", "-publish_at"], condition=Q(status="published"), name="article_section_idx"
            ),
            models.Index(
                fields=["expires_at"],
                condition=Q(status="published", expires_at__isnull=False),
                name="article_expiry_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published", "unpublished"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(live_coverage__in=["none", "live", "ended"]), name="article_live_coverage_valid"
            ),
            models.CheckConstraint(
                condition=~Q(live_coverage="ended") | Q(coverage_ended_at__isnull=False),
                name="article_ended_coverage_has_end",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Typographic quotes and dashes in everything the newsroom writes here; markup, links and code
        # are left as they are.
        for name in self.TYPESET_FIELDS:
            setattr(self, name, smarten(getattr(self, name)))
        self.body = sanitize_html(smarten_html(self.body))
        self.live_summary = sanitize_html(smarten_html(self.live_summary))
        self.fill_coverage_times()
        adding = self._state.adding
        old_slug = None
        if not adding:
            self.version += 1
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or "slug" in update_fields):
            # The address as stored (not as this instance was loaded, which may be stale): if this save
            # changes it, the old one is kept as a redirect.
            old_slug = Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        if self.status == self.Status.PUBLISHED:
            if self.publish_at is None:
                self.publish_at = timezone.now()
            if self.first_published_at is None:
                self.first_published_at = self.publish_at
        super().save(*args, **kwargs)
        if update_fields is None or "body" in update_fields:
            keep_body_images(self)
        if old_slug and old_slug != self.slug:
            RetiredSlug.objects.update_or_create(
                slug=old_slug, defaults={"article": self, "created_at": timezone.now()}
            )

    def get_absolute_url(self):
        return reverse("articles:article", kwargs={"section": self.section.slug, "slug": self.slug})

    def fill_coverage_times(self):
        """A live story's coverage starts when readers first see it live: when it is published live, or
        goes live once published (an editor may set another time); it ends when ended, and going live
        again reopens it."""
        if self.live_coverage == self.LiveCoverage.NONE:
            return
        if self.coverage_started_at is None and self.status == self.Status.PUBLISHED:
            now = timezone.now()
            self.coverage_started_at = max(now, self.publish_at) if self.publish_at else now
        if self.live_coverage == self.LiveCoverage.ENDED and self.coverage_ended_at is None:
            self.coverage_ended_at = timezone.now()
        elif self.live_coverage == self.LiveCoverage.LIVE:
            self.coverage_ended_at = None

    @property
    def is_live_story(self):
        """Live now or ended: the page shows its updates."""
        return self.live_coverage != self.LiveCoverage.NONE

    @property
    def is_live(self):
        return self.live_coverage == self.LiveCoverage.LIVE

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at and self.publish_at > timezone.now()

    @property
    def last_update(self):
        """The latest correction or update readers were told about (uses prefetched corrections)."""
        corrections = list(self.corrections.all())
        return corrections[-1] if corrections else None

    @cached_property
    def tag_list(self):
        """The tags as [{"id", "name", "slug"}] by name; ArticleQuerySet.with_tag_list() fills it in bulk."""
        return list(self.tags.order_by("name").values("id", "name", "slug"))

    @property
    def byline_authors(self):
        return [byline.author for byline in self.bylines.all()]


def load_body_references(articles):
    """Load what the bodies of `articles` (or live updates) show (BODY_REFERENCES): one query per kind for
    all of them, none for a kind no body shows."""
    for kind, reference in BODY_REFERENCES.items():
        wanted = [(article, article.body) for article in articles]
        ids = {pk for _article, body in wanted for pk in referenced_ids(body, reference.attribute)}
        found = reference.model.objects.only(*reference.fields).in_bulk(ids) if ids else {}
        for article, body in wanted:
            article.__dict__[f"_body_{kind}"] = (body, _in_body_order(body, reference, found))


def keep_body_images(article):
    """Record which images `article`'s body and its live updates' bodies reference (BodyImage rows, in
    order), as either is saved: an image a live update shows is protected as one in the body is.

    A reference to an image that does not exist is left out: the renderer shows nothing for it, and the
    article form refuses it before it gets here.
    """
    bodies = [
        article.body,
        *article.live_updates.order_by("published_at", "pk").values_list("body", flat=True),
    ]
    ids = list(dict.fromkeys(pk for body in bodies for pk in referenced_image_ids(body)))
    existing = set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    ids = [pk for pk in ids if pk in existing]
    BodyImage.objects.filter(article=article).exclude(image_id__in=ids).delete()
    if ids:
        BodyImage.objects.bulk_create(
            [BodyImage(article=article, image_id=pk, position=position) for position, pk in enumerate(ids)],
            update_conflicts=True,
            unique_fields=["article", "image"],
            update_fields=["position"],
        )


def _in_body_order(body, reference, found):
    return {pk: found[pk] for pk in referenced_ids(body, reference.attribute) if pk in found}


class RetiredSlug(models.Model):
    """An address an article had before its slug was edited or an older revision restored.

    /<section>/<slug>/ of a published article answers with a 301 to its current address. A slug is
    retired for one article at a time: the last one to leave it.
    """

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="retired_slugs"
    )
    created_at = models.DateTimeField(_("retired at"), default=timezone.now)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")

    def __str__(self):
        return f"{self.slug} → {self.article_id}"


class BodyImage(models.Model):
    """An image a story's body shows (a picture or a gallery's), kept in step with the body on every save.

    PROTECT: an image a story shows cannot be deleted from the library out from under it.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="body_image_uses"
    )
    image = models.ForeignKey(
        Image, verbose_name=_("image"), on_delete=models.PROTECT, related_name="body_uses"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("picture in a story body")
        verbose_name_plural = _("pictures in story bodies")
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="body_image_once_per_article"),
        ]

    def __str__(self):
        return f"“{self.article}” (in its body)"


class ArticleAuthor(models.Model):
    """An article's byline, in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="bylines"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once_per_article"),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"
