"""Site pages editors write: About, Contact, Privacy, Terms, Imprint, and any others.

A small model rather than django.contrib.flatpages: flatpages needs django.contrib.sites (a Site row and
SITE_ID for a one-site CMS), stores its content unsanitized, is edited in a plain textarea, and knows
nothing of our page cache. A Page's body goes through the one sanitizer on every save, is edited with the
article body editor, is watched (a save retires kept pages at once) and lives under /pages/, a reserved
word, so no section slug can ever shadow it.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.caching import WatchedQuerySet
from articles.html import sanitize_html
from articles.typography import smarten, smarten_html


class Page(models.Model):
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("The page's address: /pages/<slug>/. Changing it breaks existing links."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=200,
        blank=True,
        help_text=_("One sentence for search engines and link previews. Optional."),
    )
    body = models.TextField(_("body"))
    in_footer = models.BooleanField(
        _("in footer"), default=True, help_text=_("Listed in every page's footer under “About us”.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first in the footer.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whatever reaches the database has passed the sanitizer, whichever form or script saved it.
        self.title = smarten(self.title)
        self.summary = smarten(self.summary)
        self.body = sanitize_html(smarten_html(self.body))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:page", kwargs={"slug": self.slug})
