"""The front pages the desk arranges (the home page, and a pinned lead per section)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
