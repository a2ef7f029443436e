"""Sections: the desks of the publication (Politics, Culture...), one level of subsections, the navigation."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.caching import SITE, WatchedQuerySet, cached_for_content
from articles.models.pages import Page

# Section slugs share the URL space with the site's own top-level paths: every path the URLconfs route
# before `<slug:section>/` (a test keeps this list complete), and those the web server answers (media,
# static).
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "admin",
        "ai-images",
        "archive",
        "author",
        "comments",
        "corrections",
        "feed",
        "newsletters",
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


@dataclass(frozen=True)
class SiteDirectory:
    sections: list  # the navigation's main sections, in order
    subsections: dict  # {section pk: [its subsections in the navigation]}
    pages: list  # the site pages listed in the footer (articles.models.pages.Page)

    @property
    def tree(self):
        """[(section, [subsection, ...]), ...]: the footer's section directory."""
        return [(section, self.subsections.get(section.pk, [])) for section in self.sections]


_DIRECTORY_FIELDS = ["id", "name", "slug", "position", "parent_id"]


def site_directory() -> SiteDirectory:
    """The navigation's sections with their subsections and the footer's site pages, in one query kept in
    each process until the content changes: the header, the footer and the home page's rules all read it,
    so the footer costs a page no query of its own.

    The rows are real model instances holding only these fields (others load on access, never silently
    empty)."""

    def load():
        sections = (
            Section.objects.filter(in_navigation=True)
            .filter(Q(parent__isnull=True) | Q(parent__in_navigation=True, parent__parent__isnull=True))
            .annotate(parent_ref=F("parent_id"), kind=Value("section"))
            .values_list("id", "name", "slug", "position", "parent_ref", "kind")
        )
        pages = (
            Page.objects.filter(in_footer=True)
            .annotate(parent_ref=Value(None, output_field=models.BigIntegerField()), kind=Value("page"))
            .values_list("id", "title", "slug", "position", "parent_ref", "kind")
        )
        rows = sorted(sections.union(pages, all=True), key=lambda row: (row[3], row[1], row[0]))
        directory = SiteDirectory(sections=[], subsections={}, pages=[])
        for pk, name, slug, position, parent_id, kind in rows:
            if kind == "page":
                directory.pages.append(Page.from_db("default", ["id", "title", "slug", "position"],
                                                    [pk, name, slug, position]))  # fmt: skip
                continue
            section = Section.from_db("default", _DIRECTORY_FIELDS, [pk, name, slug, position, parent_id])
            if parent_id is None:
                directory.sections.append(section)
            else:
                directory.subsections.setdefault(parent_id, []).append(section)
        return directory

    return cached_for_content("articles:site-directory", load, deps=[SITE])  # sections, pages: SITE


def nav_sections():
    """The sections in the navigation (site_directory()), kept in each process until the content changes."""
    return site_directory().sections
