"""The newsroom's record of an article: corrections readers see, and the history editors see."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.images import PROVENANCE_FIELDS, Image, SourceType


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        "articles.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("text"),
        max_length=2000,
        help_text=_("Plain text shown to readers, e.g. “An earlier version misspelled the mayor's name.”"),
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["correction", "clarification", "update"]),
                name="correction_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


class ArticleEvent(models.Model):
    """Who did what to an article, and when: the workflow's audit trail."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        SUBMITTED = "submitted", _("submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("requested changes")
        PUBLISHED = "published", _("published")
        SCHEDULED = "scheduled", _("scheduled")
        UNPUBLISHED = "unpublished", _("unpublished")
        RESTORED = "restored", _("restored a revision")
        CORRECTED = "corrected", _("added a correction")
        PREVIEWS_REVOKED = "previews_revoked", _("revoked preview links")

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("article event")
        verbose_name_plural = _("article events")
        indexes = [models.Index(fields=["article", "-at"], name="article_event_idx")]

    def __str__(self):
        return f"{self.actor} {self.get_action_display()} {self.article} at {self.at:%Y-%m-%d %H:%M}"


class ArticleRevision(models.Model):
    """A snapshot of an article as saved: content, tags, bylines, image, status (see articles.revisions)."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("snapshot"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="revision_version_once_per_article"),
        ]

    def __str__(self):
        return f"{self.article} v{self.version}"

    def get_absolute_url(self):
        return reverse("admin:articles_article_history", args=[self.article_id])


class ImageProvenanceChange(models.Model):
    """A change to how an image says it was made or whom it credits: who, when, before and after, why.

    It is listed on the history of every story that showed the image at that moment (`articles`), kept
    even if the image is deleted later, so removing an "AI-generated" label always leaves a trace on
    the stories that carried it.
    """

    image = models.ForeignKey(
        Image,
        verbose_name=_("image"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="provenance_changes",
    )
    image_title = models.CharField(_("image title"), max_length=200)
    articles = models.ManyToManyField(
        "articles.Article",
        verbose_name=_("stories showing the image"),
        related_name="image_provenance_changes",
        blank=True,
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now)
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("image provenance change")
        verbose_name_plural = _("image provenance changes")

    def __str__(self):
        return f"{self.changed_by} changed {self.image_title} at {self.changed_at:%Y-%m-%d %H:%M}"

    def differences(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) of each field that changed, in words people read."""

        def shown(name, value):
            if name == "source_type" and value in SourceType.values:
                return str(SourceType(value).label)
            if name == "file":
                return value.rsplit("/", 1)[-1]
            return value

        rows = []
        for name in PROVENANCE_FIELDS:
            before, after = self.before.get(name, ""), self.after.get(name, "")
            if before != after:
                label = str(Image._meta.get_field(name).verbose_name)
                rows.append((label, shown(name, before), shown(name, after)))
        return rows


class ArticleReadCount(models.Model):
    """How often an article was read on one day. Nothing about the reader is stored: no IP, no cookie."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="read_counts")
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("reads"), default=0)

    class Meta:
        ordering = ["-day", "-count"]
        verbose_name = _("daily read count")
        verbose_name_plural = _("daily read counts")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="read_count_once_per_day")]
        indexes = [models.Index(fields=["day", "article"], name="read_count_day_idx")]

    def __str__(self):
        return f"{self.article_id} on {self.day}: {self.count}"


class Autosave(models.Model):
    """What a journalist had typed in the article form, kept every few seconds while they edit.

    A copy beside the article, never the article itself: the story changes only when its form is saved.
    One per person and story (and one per person for a story not yet saved once); offered back when they
    next open the form, and gone once they save or discard it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
        help_text=_("Empty for a story that was never saved."),
    )
    data = models.JSONField(_("typed text"), help_text=_("The form's text fields as typed."))
    base_version = models.PositiveIntegerField(
        _("based on version"),
        null=True,
        blank=True,
        help_text=_("The article's version the typing started from."),
    )
    saved_at = models.DateTimeField(_("kept at"), default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "pk"]
        verbose_name = _("autosaved text")
        verbose_name_plural = _("autosaved texts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], name="autosave_once_per_user_and_article", nulls_distinct=False
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.article or _('a new story')} at {self.saved_at:%Y-%m-%d %H:%M}"
