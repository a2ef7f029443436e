"""Live coverage: the timestamped updates of a live story (an Article whose coverage is live or ended)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.caching import WatchedQuerySet
from articles.html import plain_text, sanitize_html
from articles.models.publishing import Article, Author, ShowsBodyReferences, keep_body_images
from articles.typography import smarten, smarten_html


class LiveUpdate(ShowsBodyReferences, models.Model):
    """One entry of a live story's stream: when, who, an optional headline and a body with story blocks.

    The body is sanitized like an article's and rendered by the same renderer (articles/body.py); the
    pictures it shows are recorded as the story's BodyImage rows, so they cannot be deleted from the
    library while an update shows them.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="live_updates"
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("byline"),
        on_delete=models.PROTECT,
        related_name="live_updates",
        help_text=_("Shown with the update."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("time"), default=timezone.now)
    headline = models.CharField(_("headline"), max_length=200, blank=True, help_text=_("Optional."))
    body = models.TextField(
        _("update"), help_text=_("What happened. Pictures and embeds work as in a story.")
    )
    key_event = models.BooleanField(
        _("key event"), default=False, help_text=_("Listed at the top of the story, linking to this update.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        indexes = [models.Index(fields=["article", "-published_at"], name="live_update_stream_idx")]

    def __str__(self):
        return self.headline or f"{self.article}: {self.published_at:%H:%M}"

    def save(self, *args, **kwargs):
        # Typeset as a story is (curly quotes, dashes), then sanitized.
        self.headline = smarten(self.headline)
        self.body = sanitize_html(smarten_html(self.body))
        super().save(*args, **kwargs)
        keep_body_images(self.article)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        keep_body_images(self.article)
        return result

    @property
    def label(self):
        """Its line among the key events: the headline, else the first words of its text."""
        return self.headline or Truncator(self.text).words(12)

    @property
    def text(self):
        """The body's text on one line (structured data, the live desk's list)."""
        return plain_text(self.body)

    @property
    def anchor(self):
        return f"update-{self.pk}"
