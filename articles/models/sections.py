"""Sections: the desks of the publication (Politics, Culture...), one level of subsections, the navigation."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.caching import WatchedQuerySet, cached_for_content

# Section slugs share the URL space with the site's own top-level paths: every path the URLconfs route
# before `<slug:section>/` (a test keeps this list complete), and those the web server answers (media,
# static).
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "ai-images",
        "archive",
        "author",
        "comments",
        "corrections",
        "feed",
        "live",
        "media",
        "pages",
        "preview",
        "search",
        "static",
        "stats",
        "tag",
    }
)


def validate_section_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by the site itself; choose another slug."), params={"slug": value}
        )


class SectionQuerySet(WatchedQuerySet):
    def in_navigation(self):
        return self.filter(in_navigation=True, parent__isnull=True)


class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
        help_text=_("The section's address: /<slug>/. Changing it breaks existing links."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("One or two sentences shown at the top of the section page."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsections",
        help_text=_("Leave empty for a main section."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first in the navigation.")
    )
    in_navigation = models.BooleanField(_("in navigation"), default=True)
    pinned_lead = models.ForeignKey(
        "articles.Article",
        verbose_name=_("pinned lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"status": "published"},  # published or scheduled
        help_text=_(
            "Optional: the story that leads the section page. Empty: the newest featured story of the first "
            "page leads, else the newest."
        ),
    )
    pinned_lead_until = models.DateTimeField(
        _("pinned lead until"),
        null=True,
        blank=True,
        help_text=_("Optional: the pinned lead lapses at this time."),
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="section_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"section": self.slug})

    def clean(self):
        if self.pinned_lead_id:
            in_section = (
                self.pinned_lead.section_id == self.pk or self.pinned_lead.section.parent_id == self.pk
            )
            if not in_section:
                raise ValidationError(
                    {"pinned_lead": _("The pinned lead must be a story of this section or of a subsection.")}
                )
        if self.pinned_lead_until and not self.pinned_lead_id:
            raise ValidationError({"pinned_lead_until": _("Pin a lead first, or empty this field.")})


def nav_sections():
    """The sections in the navigation, kept in each process until the content changes."""
    return cached_for_content("articles:nav-sections", lambda: list(Section.objects.in_navigation()))


def section_directory():
    """The navigation's sections with their subsections in the navigation, for the footer's directory:
    [(section, [subsection, ...]), ...] in navigation order, one query, kept until the content changes."""

    def load():
        rows = list(
            Section.objects.filter(in_navigation=True).filter(
                Q(parent__isnull=True) | Q(parent__in_navigation=True, parent__parent__isnull=True)
            )
        )
        children = {}
        for row in rows:
            if row.parent_id:
                children.setdefault(row.parent_id, []).append(row)
        return [(row, children.get(row.pk, [])) for row in rows if row.parent_id is None]

    return cached_for_content("articles:section-directory", load)
