"""The article workflow: one function per transition, used by admin buttons and actions alike.

draft -> in review -> published (scheduled while publish_at is in the future) -> unpublished,
and "changes requested" from review back to draft. Each transition is atomic, records who did it and
when (ArticleEvent) and keeps a revision.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.history import record
from articles.models import Article, ArticleEvent

Status = Article.Status


class TransitionError(Exception):
    """A transition that does not apply to the article as it is; the message is for the journalist."""


def can_publish(user) -> bool:
    return user.has_perm("articles.publish_article")


def _locked(article):
    return Article.objects.select_for_update(of=("self",)).select_related("lead_image").get(pk=article.pk)


def publication_problems(article) -> list[str]:
    """What stops an article from going out; empty when it can be published."""
    problems = []
    if not article.body.strip():
        problems.append(_("The article has no body."))
    image = article.lead_image
    if image is not None:
        if not image.is_decorative and not image.alt_text.strip():
            problems.append(_("The lead image has no alt text."))
        if not (image.credit.strip() or image.creator.strip()):
            problems.append(_("The lead image has no credit."))
    for pk, image in article.body_images().items():
        named = {"title": image.title, "id": pk}
        if not image.is_decorative and not image.alt_text.strip():
            problems.append(_("The picture “%(title)s” (image %(id)s) in the body has no alt text.") % named)
        if not (image.credit.strip() or image.creator.strip()):
            problems.append(_("The picture “%(title)s” (image %(id)s) in the body has no credit.") % named)
    return problems


@transaction.atomic
def submit_for_review(article, *, by) -> Article:
    article = _locked(article)
    if article.status != Status.DRAFT:
        raise TransitionError(_("Only a draft can be submitted for review."))
    article.status = Status.REVIEW
    article.save()
    record(article, ArticleEvent.Action.SUBMITTED, by=by)
    return article


@transaction.atomic
def request_changes(article, *, by, note="") -> Article:
    if not can_publish(by):
        raise PermissionDenied
    article = _locked(article)
    if article.status != Status.REVIEW:
        raise TransitionError(_("Changes can only be requested on an article in review."))
    article.status = Status.DRAFT
    article.save()
    record(article, ArticleEvent.Action.CHANGES_REQUESTED, by=by, note=note)
    return article


@transaction.atomic
def publish(article, *, by, at=None) -> Article:
    """Publish now, or schedule when the publish time (`at`, else the article's own) is in the future."""
    if not can_publish(by):
        raise PermissionDenied
    article = _locked(article)
    if article.status == Status.PUBLISHED:
        # Two editors pressing "Publish" at once: the second finds it done (the row lock orders them).
        raise TransitionError(_("This article is already published or scheduled."))
    problems = publication_problems(article)
    if problems:
        raise TransitionError(" ".join(problems))
    now = timezone.now()
    article.publish_at = at or article.publish_at or now
    if article.expires_at and article.expires_at <= article.publish_at:
        raise TransitionError(_("The expiry time is before the publish time."))
    article.status = Status.PUBLISHED
    article.save()
    scheduled = article.publish_at > now
    action = ArticleEvent.Action.SCHEDULED if scheduled else ArticleEvent.Action.PUBLISHED
    record(article, action, by=by, note=f"for {article.publish_at:%Y-%m-%d %H:%M %Z}" if scheduled else "")
    return article


@transaction.atomic
def unpublish(article, *, by) -> Article:
    if not can_publish(by):
        raise PermissionDenied
    article = _locked(article)
    if article.status != Status.PUBLISHED:
        raise TransitionError(_("Only a published or scheduled article can be unpublished."))
    article.status = Status.UNPUBLISHED
    article.save()
    record(article, ArticleEvent.Action.UNPUBLISHED, by=by)
    return article


def available_transitions(article, user) -> list[tuple[str, str]]:
    """(name, button label) of the transitions `user` may apply to `article` now."""
    status = article.status
    transitions = []
    if status == Status.DRAFT:
        transitions.append(("submit", _("Submit for review")))
    if can_publish(user):
        if status == Status.REVIEW:
            transitions.append(("request_changes", _("Request changes")))
        if status != Status.PUBLISHED:
            transitions.append(("publish", _("Publish or schedule")))
        else:
            transitions.append(("unpublish", _("Unpublish")))
    return transitions


TRANSITIONS = {
    "submit": submit_for_review,
    "request_changes": request_changes,
    "publish": publish,
    "unpublish": unpublish,
}
