"""The shared counters behind every rate limit: in PostgreSQL, so they hold across processes and servers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """How often one key did one thing in its current window (see articles.limits.hit).

    The key is a keyed hash of what is counted (say, comments from one network): no address, email or name
    is stored, and a row goes once its window is over.
    """

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    window_start = models.DateTimeField(_("window started at"))
    expires_at = models.DateTimeField(_("window ends at"), db_index=True)
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        ordering = ["expires_at"]
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self):
        return f"{self.key[:12]}…: {self.hits} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
