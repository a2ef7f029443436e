from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.caching import WatchedQuerySet, watch
from articles.text import keep_text_clean


class Embed(models.Model):
    """A post, video, track or chart from another site, shown in story bodies as a click-to-load card.

    The row is the cache of the provider's oEmbed answer, filled when a journalist adds the link
    (`articles.embeds.resolve`), never on a reader's request. The provider's `html` is kept for reference
    only: readers get our card, and the player is built from the link after they click.
    An empty `provider` is a plain link card: the provider could not be asked or gave no usable answer.
    """

    class Type(models.TextChoices):
        VIDEO = "video", _("video")
        RICH = "rich", _("rich content")
        PHOTO = "photo", _("photo")
        LINK = "link", _("link")

    url = models.URLField(_("address"), max_length=1000, unique=True)
    provider = models.CharField(_("provider"), max_length=120, blank=True, editable=False)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.LINK, editable=False)
    title = models.CharField(_("title"), max_length=300, blank=True, editable=False)
    author_name = models.CharField(_("author"), max_length=200, blank=True, editable=False)
    author_url = models.URLField(_("author's address"), max_length=1000, blank=True, editable=False)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    html = models.TextField(_("provider's HTML"), blank=True, editable=False)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to="embeds/%Y/%m/", blank=True, editable=False,
        width_field="thumbnail_width", height_field="thumbnail_height",
    )  # fmt: skip
    thumbnail_width = models.PositiveIntegerField(default=0, editable=False)
    thumbnail_height = models.PositiveIntegerField(default=0, editable=False)
    thumbnail_credit = models.CharField(_("thumbnail credit"), max_length=330, blank=True, editable=False)
    message = models.CharField(_("last resolution"), max_length=500, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("embed")
        verbose_name_plural = _("embeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=["video", "rich", "photo", "link"]), name="embed_type_valid"
            ),
        ]

    def __str__(self):
        return self.title or self.url

    @property
    def is_link_card(self):
        return not self.provider


# Readers see embeds (as cards in story bodies): a re-resolved embed retires the kept pages showing it,
# and the provider's text is cleaned of control characters like every text readers see.
watch(Embed)
keep_text_clean(Embed)
