"""The demo's newsletters: a daily briefing and the Culture section's, a confirmed demo reader, and the
next daily issue assembled so editors can reorder, preview and test-send it (Newsletters → Issues)."""

from datetime import time, timedelta

from django.utils import timezone

from articles.models import Newsletter, Subscriber, Subscription
from articles.newsletters import issues

NEWSLETTERS = [
    {
        "slug": "daily-briefing",
        "name": "Daily briefing",
        "kind": Newsletter.Kind.DAILY,
        "section": None,
        "send_time": time(7, 0),
        "description": "Every morning at seven: the stories of the last day, in a few minutes' reading.",
    },
    {
        "slug": "culture",
        "name": "Culture",
        "kind": Newsletter.Kind.SECTION,
        "section": "culture",
        "send_time": time(18, 0),
        "description": "Every evening at six: what our culture desk published that day.",
    },
]
DEMO_READER = "reader@newsmag.example"


def load_newsletters(sections, now=None):
    """Each made once (an editor's change stays); the demo reader is subscribed and confirmed to both."""
    now = now or timezone.now()
    reader, _ = Subscriber.objects.get_or_create(email=DEMO_READER)
    for position, spec in enumerate(NEWSLETTERS):
        fields = {key: spec[key] for key in ("name", "kind", "send_time", "description")}
        fields["section"] = sections[spec["section"]] if spec["section"] else None
        newsletter, _ = Newsletter.objects.get_or_create(
            slug=spec["slug"], defaults={**fields, "position": position}
        )
        Subscription.objects.get_or_create(
            subscriber=reader, newsletter=newsletter, defaults={"confirmed_at": now}
        )
    daily = Newsletter.objects.get(slug="daily-briefing")
    issue = issues.open_issue(daily, now)
    if not issue.items.exists():
        # The demo's stories were published over the last days: its first issue gathers a week.
        issue.stories_since = min(issue.stories_since, now - timedelta(days=7))
        issue.save(update_fields=["stories_since"])
        issues.top_up(issue, now)
    return issue
