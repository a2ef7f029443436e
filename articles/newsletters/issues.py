"""When issues go out, and what is in them.

- Daily and section newsletters: every day at their send time in the newsroom's time zone (TIME_ZONE). The
  next issue is assembled as a draft as soon as the previous one went out, and its stories are topped up
  every minute until it goes: editors reorder them, leave some out, add an intro, preview it and send
  themselves a test meanwhile. An issue holds the stories published (`Article.objects.published()`) since
  the previous issue's time (the first: the day before), of the newsletter's section and its subsections
  for a section newsletter. At its time the last stories are added and it is sent; with no story, it is
  skipped.
- Breaking news newsletters: while a breaking news alert (label "Breaking") linked to a published story is
  running, an issue with that story goes out at once, one per alert.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from articles.models import Article, NewsAlert
from articles.models.newsletters import Issue, IssueItem, Newsletter

MAX_STORIES = 30  # an issue is a briefing, not the archive
BREAKING_LOOKBACK = timedelta(days=1)  # an alert older than this never makes an issue (a restored backup)


def next_slot(newsletter, after):
    """The first send time of `newsletter` strictly after `after` (aware), in the newsroom's zone."""
    local = timezone.localtime(after)
    for days in (0, 1, 2):
        day = local.date() + timedelta(days=days)
        slot = timezone.make_aware(datetime.combine(day, newsletter.send_time))
        if slot > after:
            return slot
    raise AssertionError("unreachable: a day has a send time")


def stories_for(newsletter, *, since, until):
    stories = Article.objects.published().filter(publish_at__gt=since, publish_at__lte=until)
    if newsletter.kind == Newsletter.Kind.SECTION:
        stories = stories.filter(Q(section=newsletter.section_id) | Q(section__parent=newsletter.section_id))
    return stories.order_by("publish_at", "pk")


def top_up(issue, now=None) -> int:
    """Add the stories published since the issue's start that it does not hold yet, after the ones it
    has (the editors' order and choices stay). Returns how many were added."""
    now = now or timezone.now()
    if not issue.editable or issue.alert_id:
        return 0
    held = set(issue.items.values_list("article_id", flat=True))
    room = MAX_STORIES - len(held)
    new = [
        article_id
        for article_id in stories_for(issue.newsletter, since=issue.stories_since, until=now).values_list(
            "pk", flat=True
        )[: MAX_STORIES + len(held)]
        if article_id not in held
    ][: max(room, 0)]
    start = (issue.items.aggregate(last=Max("position"))["last"] or 0) + 1
    IssueItem.objects.bulk_create(
        [IssueItem(issue=issue, article_id=pk, position=start + n) for n, pk in enumerate(new)],
        ignore_conflicts=True,  # the job and an editor's "refresh" at once
    )
    return len(new)


def open_issue(newsletter, now=None):
    """The draft issue of a scheduled newsletter, made for its next send time if there is none."""
    now = now or timezone.now()
    draft = newsletter.issues.filter(status=Issue.Status.DRAFT).order_by("scheduled_for").first()
    if draft:
        return draft
    last = newsletter.issues.exclude(status=Issue.Status.DRAFT).order_by("-scheduled_for").first()
    slot = next_slot(newsletter, max(now, last.scheduled_for) if last else now)
    since = last.scheduled_for if last else slot - timedelta(days=1)
    try:
        with transaction.atomic():
            issue, _ = Issue.objects.get_or_create(
                newsletter=newsletter, scheduled_for=slot, alert=None, defaults={"stories_since": since}
            )
    except IntegrityError:  # another run made it at the same moment
        issue = Issue.objects.get(newsletter=newsletter, scheduled_for=slot, alert=None)
    return issue


def breaking_issues(newsletter, now=None) -> list:
    """Issues for the breaking alerts running now whose story is published, one per alert (made here)."""
    now = now or timezone.now()
    alerts = (
        NewsAlert.objects.active(now)
        .filter(
            kind=NewsAlert.Kind.BREAKING,
            article__in=Article.objects.published(),
            starts_at__gte=max(newsletter.created_at, now - BREAKING_LOOKBACK),
        )
        .exclude(newsletter_issues__newsletter=newsletter)
        .select_related("article")
    )
    made = []
    for alert in alerts:
        try:
            with transaction.atomic():
                issue = Issue.objects.create(
                    newsletter=newsletter,
                    alert=alert,
                    subject=f"Breaking: {alert.text or alert.article.headline}"[:200],
                    scheduled_for=now,
                    stories_since=alert.starts_at,
                )
                IssueItem.objects.create(issue=issue, article=alert.article, position=1)
        except IntegrityError:  # another run made it
            continue
        made.append(issue)
    return made


def due_issues(now=None):
    """Assemble what is due and say which issues to send now: the drafts whose time has come (topped up
    one last time) and the breaking issues made for new alerts. Drafts with no story are skipped."""
    now = now or timezone.now()
    due = []
    for newsletter in Newsletter.objects.active():
        if newsletter.kind == Newsletter.Kind.BREAKING:
            due.extend(breaking_issues(newsletter, now))
            continue
        issue = open_issue(newsletter, now)
        top_up(issue, now)
        if issue.scheduled_for <= now:
            if issue.items.filter(included=True, article__in=Article.objects.published()).exists():
                due.append(issue)
            else:
                Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(
                    status=Issue.Status.SKIPPED
                )
    return due
