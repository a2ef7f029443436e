"""The newsroom's desk at a glance, on the admin's front page: what is mine to finish, what waits for
review, what is scheduled and what went out lately, each with its count."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.workflow import can_publish

SHOWN = 6  # stories listed per panel; the count says how many there are


@dataclass
class Panel:
    key: str
    title: str
    count: int
    articles: list = field(default_factory=list)
    link: str = ""  # the changelist filtered to the same stories
    empty: str = ""


def desk(user, *, now=None) -> list[Panel]:
    """The panels for `user`: journalists see their own stories, editors the whole desk."""
    now = now or timezone.now()
    stories = Article.objects.select_related("section").only(
        "headline", "status", "publish_at", "updated_at", "section__name", "created_by"
    )
    editor = can_publish(user)
    mine = stories.written_by(user)
    scope = stories if editor else mine
    Status = Article.Status
    panels = [
        (
            "drafts", _("My drafts"), mine.filter(status=Status.DRAFT).order_by("-updated_at"),
            "?status__exact=draft", _("No drafts of yours."),
        ),
        (
            "review", _("Waiting for review"), scope.filter(status=Status.REVIEW).order_by("updated_at"),
            "?status__exact=review", _("Nothing waits for review."),
        ),
        (
            "scheduled", _("Scheduled"),
            scope.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by("publish_at"),
            "?status__exact=published&publish_at__gte=" + now.date().isoformat(), _("Nothing is scheduled."),
        ),
        (
            "published", _("Published in the last 24 hours"),
            scope.filter(status=Status.PUBLISHED, publish_at__lte=now, publish_at__gt=now - timedelta(days=1))
            .order_by("-publish_at"),
            "?status__exact=published", _("Nothing went out in the last 24 hours."),
        ),
    ]  # fmt: skip
    return [
        Panel(key, title, queryset.count(), list(queryset[:SHOWN]), link, empty)
        for key, title, queryset, link, empty in panels
    ]
