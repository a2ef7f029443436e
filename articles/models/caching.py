"""The versions of what kept pages and fragments depend on (articles/caching.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheVersion(models.Model):
    """One dependency ("a12": article 12; "c12": its comments; "home"...) and the version it has reached.

    Versions are table rows, not a sequence: a hot standby replays them with the data they describe (a
    sequence is WAL-logged ahead of use), so a replica never knows a version newer than its rows. The row
    with key "~" is the counter every change takes its version from (articles.caching.retire).
    """

    key = models.CharField(_("key"), max_length=200, primary_key=True)
    version = models.BigIntegerField(_("version"), db_index=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("cache dependency version")
        verbose_name_plural = _("cache dependency versions")

    def __str__(self):
        return f"{self.key}@{self.version}"
