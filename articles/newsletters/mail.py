"""What a newsletter email is: a plain-text part and a simple HTML part (no script, no style, no tracking
pixel, links straight to the stories), the List-Unsubscribe headers of RFC 2369 and RFC 8058, and the
confirmation email of the double opt-in. The admin's preview and test send use the same functions, so an
editor sees exactly what subscribers get.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from articles.images.renditions import shown_at
from articles.models import Article
from articles.newsletters import tokens

IMAGE_WIDTH = 600  # CSS pixels: the usual width of an email's column


def absolute(path_or_url: str) -> str:
    """A link that works from a mailbox: relative paths are joined to NEWSMAG_SITE_URL."""
    return urljoin(settings.NEWSMAG_SITE_URL.rstrip("/") + "/", path_or_url)


def from_email() -> str:
    return settings.NEWSMAG_NEWSLETTER_FROM_EMAIL or settings.DEFAULT_FROM_EMAIL


def _picture(image):
    # JPEG: mail programs that show no WebP still show the picture.
    shown = shown_at(image, IMAGE_WIDTH, crop="16x9", jpeg=True)
    return {
        "url": absolute(shown.url),
        "width": min(shown.width, IMAGE_WIDTH),
        "height": round(shown.height * min(shown.width, IMAGE_WIDTH) / shown.width) if shown.width else 0,
        "alt": "" if image.is_decorative else image.alt_text,
        "credit": image.credit_line(),  # the one credit line; it carries the AI disclosure
        "is_ai": image.is_ai_generated,
    }


def issue_stories(issue) -> list[dict]:
    """The issue's included stories in the editors' order, still published now (a story unpublished since
    it was assembled is left out), each with its absolute link and picture."""
    published = Article.objects.published().select_related("section", "lead_image")
    by_id = {
        article.pk: article
        for article in published.filter(newsletter_items__issue=issue, newsletter_items__included=True)
    }
    stories = []
    for item in issue.items.filter(included=True).order_by("position", "pk"):
        article = by_id.get(item.article_id)
        if article is None:
            continue
        stories.append(
            {
                "article": article,
                "url": absolute(article.get_absolute_url()),
                "picture": _picture(article.lead_image) if article.lead_image_id else None,
            }
        )
    return stories


def unsubscribe_url(subscriber_id: int, newsletter_id: int) -> str:
    token = tokens.unsubscribe_token(subscriber_id, newsletter_id)
    return absolute(reverse("newsletters:unsubscribe", kwargs={"token": token}))


def list_headers(newsletter, unsubscribe: str) -> dict:
    targets = [f"<{unsubscribe}>"]
    if settings.NEWSMAG_NEWSLETTER_UNSUBSCRIBE_MAILTO:
        targets.append(f"<mailto:{settings.NEWSMAG_NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe>")
    host = settings.NEWSMAG_SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058: a POST is the unsubscription
        "List-Id": f"{newsletter.name} <{newsletter.slug}.newsletters.{host}>",
        "Auto-Submitted": "auto-generated",
    }


def issue_parts(issue, stories, *, unsubscribe: str) -> tuple[str, str]:
    """(plain text, HTML) of `issue` for one recipient (only the unsubscribe link differs)."""
    context = {
        "issue": issue,
        "newsletter": issue.newsletter,
        "subject": issue.subject_line(),
        "stories": stories,
        "unsubscribe_url": unsubscribe,
        "site_name": settings.NEWSMAG_SITE_NAME,
        "site_url": absolute("/"),
        "newsletters_url": absolute(reverse("newsletters:index")),
    }
    return (
        render_to_string("newsletters/email/issue.txt", context),
        render_to_string("newsletters/email/issue.html", context),
    )


def issue_message(issue, stories, *, to: str, unsubscribe: str, subject_prefix="", connection=None):
    text, html = issue_parts(issue, stories, unsubscribe=unsubscribe)
    message = EmailMultiAlternatives(
        subject=subject_prefix + issue.subject_line(),
        body=text,
        from_email=from_email(),
        to=[to],
        headers=list_headers(issue.newsletter, unsubscribe),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscriber, newsletters, token: str):
    context = {
        "newsletters": newsletters,
        "confirm_url": absolute(reverse("newsletters:confirm", kwargs={"token": token})),
        "days": settings.NEWSMAG_NEWSLETTER_CONFIRM_DAYS,
        "site_name": settings.NEWSMAG_SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to {settings.NEWSMAG_SITE_NAME} newsletters",
        body=render_to_string("newsletters/email/confirm.txt", context),
        from_email=from_email(),
        to=[subscriber.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("newsletters/email/confirm.html", context), "text/html")
    return message
