"""The front pages the desk arranges (the home page, and a pinned lead per section).

A front's *working copy* is its `Container` rows with their `Pin`s: editors change it freely. Readers see
only its *live revision*, a `FrontRevision` snapshot made when an editor publishes (articles.fronts turns
it into blocks of stories). A front that was never published shows the rules (`articles.fronts`).
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.caching import WatchedQuerySet

MAX_SIZE = 12  # stories a container shows at most
MOST_READ_SIZE = 5


class Layout(models.TextChoices):
    """How a block shows its stories. A block with fewer stories than its layout's slots adapts (templates:
    one story is a wide horizontal card, two are halves, three or more fill the grid)."""

    LEAD = "lead", _("Lead story with two beside it")
    ROW = "row", _("One large and three in a row")
    GRID = "grid", _("Grid of four")
    LIST = "list", _("Compact list")
    WIDE = "wide", _("Wide single story")

    @property
    def default_size(self):
        return {"lead": 3, "row": 4, "grid": 4, "list": 6, "wide": 1}[self.value]


class Source(models.TextChoices):
    """Where a block's stories come from (after the stories pinned to it)."""

    TOP = "top", _("Top stories: featured first, then the newest")
    LATEST = "latest", _("Latest stories")
    SECTION = "section", _("Newest of a section")
    TAG = "tag", _("Newest with a tag")
    PICKED = "picked", _("Hand-picked only")
    MOST_READ = "most_read", _("Most read")

    @property
    def default_title(self):
        """The heading a container of this source gets when the desk gives it none (section and tag
        containers are named after their section or tag)."""
        return {"top": _("Top stories"), "latest": _("Latest"), "most_read": _("Most read")}.get(
            self.value, ""
        )


class FrontPageQuerySet(WatchedQuerySet):
    def home(self):
        """The home page's front (made by the migration; made again here if it was deleted)."""
        return self.get_or_create(section=None)[0]

    def note_changed_since(self, pk, moment):
        """Set a front's `changed_since`. Only editors see it, so unlike other updates of watched rows
        this one retires no kept page."""
        return models.QuerySet.update(self.filter(pk=pk), changed_since=moment)


class FrontPage(models.Model):
    """A page the desk arranges. Only the home page (no section) is edited today."""

    section = models.OneToOneField(
        "articles.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="front",
        help_text=_("Empty for the home page."),
    )
    live_revision = models.ForeignKey(
        "articles.FrontRevision",
        verbose_name=_("live revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("What readers see. Empty: never published, readers get the automatic page."),
    )
    changed_since = models.DateTimeField(
        _("unpublished changes since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the working copy first differed from what readers see."),
    )

    objects = FrontPageQuerySet.as_manager()

    class Meta:
        ordering = ["section__name"]
        verbose_name = _("front page")
        verbose_name_plural = _("front pages")
        permissions = [("publish_frontpage", _("Can publish a front page"))]
        constraints = [
            models.UniqueConstraint(fields=["section"], name="frontpage_one_home", nulls_distinct=False),
        ]

    def __str__(self):
        return str(_("Home page")) if self.section_id is None else str(self.section)


class Container(models.Model):
    """One block of a front's working copy: a source of stories in a layout, pinned stories first."""

    front = models.ForeignKey(
        FrontPage, verbose_name=_("front page"), on_delete=models.CASCADE, related_name="containers"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, blank=True)
    title = models.CharField(
        _("title"),
        max_length=80,
        blank=True,
        help_text=_("Empty: the section's or tag's name, “Top stories”, “Latest”… A lead shows no title."),
    )
    source = models.CharField(_("stories"), max_length=16, choices=Source.choices, default=Source.LATEST)
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For “Newest of a section” only (its subsections' stories included)."),
    )
    tag = models.ForeignKey(
        "taggit.Tag",
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For “Newest with a tag” only."),
    )
    layout = models.CharField(_("layout"), max_length=8, choices=Layout.choices, default=Layout.GRID)
    size = models.PositiveSmallIntegerField(
        _("stories shown"),
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SIZE)],
        help_text=_(
            "1 to 12. Empty: what the layout shows (lead 3, row 4, grid 4, list 6, wide 1; most read 5)."
        ),
    )

    class Meta:
        ordering = ["front", "position", "pk"]
        verbose_name = _("container")
        verbose_name_plural = _("containers")
        constraints = [
            models.CheckConstraint(condition=Q(source__in=Source.values), name="container_source_valid"),
            models.CheckConstraint(condition=Q(layout__in=Layout.values), name="container_layout_valid"),
            models.CheckConstraint(condition=Q(size__gte=1, size__lte=MAX_SIZE), name="container_size_range"),
            models.CheckConstraint(
                condition=Q(source=Source.SECTION, section__isnull=False)
                | (~Q(source=Source.SECTION) & Q(section__isnull=True)),
                name="container_section_iff_section_source",
            ),
            models.CheckConstraint(
                condition=Q(source=Source.TAG, tag__isnull=False)
                | (~Q(source=Source.TAG) & Q(tag__isnull=True)),
                name="container_tag_iff_tag_source",
            ),
        ]

    def __str__(self):
        return str(self.display_title or self.get_source_display())

    def save(self, *args, **kwargs):
        if self.size is None:
            self.size = self.default_size()
        super().save(*args, **kwargs)

    def clean(self):
        if self.size is None and self.layout in Layout.values:
            self.size = self.default_size()
        errors = {}
        if self.source == Source.SECTION and self.section_id is None:
            errors["section"] = _("Choose the section whose stories this container shows.")
        if self.source != Source.SECTION and self.section_id is not None:
            errors["section"] = _("Only a “Newest of a section” container has a section: empty this field.")
        if self.source == Source.TAG and self.tag_id is None:
            errors["tag"] = _("Choose the tag whose stories this container shows.")
        if self.source != Source.TAG and self.tag_id is not None:
            errors["tag"] = _("Only a “Newest with a tag” container has a tag: empty this field.")
        if errors:
            raise ValidationError(errors)

    def default_size(self):
        """Most read shows five, as on the automatic page; other containers what their layout shows."""
        return MOST_READ_SIZE if self.source == Source.MOST_READ else Layout(self.layout).default_size

    @property
    def display_title(self):
        if self.title:
            return self.title
        if self.source == Source.SECTION and self.section_id:
            return self.section.name
        if self.source == Source.TAG and self.tag_id:
            return self.tag.name
        return Source(self.source).default_title if self.source in Source.values else ""


class Pin(models.Model):
    """A story placed in a container by hand: pinned stories come first, in order, until `until`."""

    container = models.ForeignKey(
        Container, verbose_name=_("container"), on_delete=models.CASCADE, related_name="pins"
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"status": "published"},  # published or scheduled
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, blank=True)
    until = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Optional: the pin lapses at this time and the container fills by its rule again."),
    )

    class Meta:
        ordering = ["container", "position", "pk"]
        verbose_name = _("pinned story")
        verbose_name_plural = _("pinned stories")
        constraints = [
            models.UniqueConstraint(fields=["container", "article"], name="pin_once_per_container"),
        ]

    def __str__(self):
        return str(self.article)

    @property
    def lapsed(self):
        return self.until is not None and self.until <= timezone.now()


class FrontRevision(models.Model):
    """A published arrangement, as it was when published: readers see a front's live one."""

    front = models.ForeignKey(
        FrontPage, verbose_name=_("front page"), on_delete=models.CASCADE, related_name="revisions"
    )
    data = models.JSONField(
        _("arrangement"),
        help_text=_("{'containers': [{title, source, section, tag, layout, size, pins: [{article, until}]}], "
                    "'headlines': {article id: headline when published}}"),
    )  # fmt: skip
    # Kept beside the arrangement so that one cheap query reads them: the moments pins lapse (the page
    # must change then: articles.caching.content_state) and the sections and tags the containers show.
    pin_untils = ArrayField(models.DateTimeField(), default=list, blank=True)
    section_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    tag_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("front page revision")
        verbose_name_plural = _("front page revisions")
        indexes = [models.Index(fields=["front", "-created_at"], name="frontrevision_front_idx")]

    def __str__(self):
        return str(_("%(front)s, published %(when)s")) % {
            "front": self.front,
            "when": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M"),
        }
