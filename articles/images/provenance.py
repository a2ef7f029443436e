"""Who may change an image, and the record of every change to its provenance.

An image is shared: one picture can lead several stories, each written by someone else. Least privilege:

- a journalist changes only images that no live (published or scheduled) story of someone else shows;
- the provenance (`PROVENANCE_FIELDS`: the file, the source type behind the AI label, the AI system, the
  credit and the creator) of an image any live story shows is for editors only;
- every provenance change of a saved image is recorded (`record_change()`), with the stories showing the
  image then, and removing an AI source type from an image in a live story needs a reason.

"Which stories use this image" is `Image.stories()`, and nothing here asks it any other way.
"""

from django.db import transaction
from django.db.models import Q

from articles.models import Article, ImageProvenanceChange, SourceType, published_condition
from articles.models.images import PROVENANCE_FIELDS
from articles.workflow import can_publish


def live_stories(image):
    """The stories showing `image` that readers see or will see on their own: published or scheduled
    (the status the workflow gives both; an expired story can be extended, so it counts too)."""
    return image.stories().filter(status=Article.Status.PUBLISHED)


def is_live(image) -> bool:
    return image.pk is not None and live_stories(image).exists()


def may_change(user, image) -> bool:
    """Whether `user` may change or delete `image`: editors always, others while no live story of
    someone else shows it (the model permission is checked by the admin as usual)."""
    if can_publish(user) or image.pk is None:
        return True
    return not live_stories(image).exclude(pk__in=Article.objects.written_by(user)).exists()


def provenance_for_editors(user, image) -> bool:
    """Whether the provenance of `image` is read-only for `user`: it is in a live story and they are no
    editor."""
    return not can_publish(user) and is_live(image)


def stories_shown_to(user, image):
    """The stories using `image` that `user` may see in the admin: all for editors; for anyone else,
    their own and the published ones (never someone else's draft or scheduled story)."""
    stories = image.stories()
    if user is not None and can_publish(user):
        return stories
    if user is None:
        return stories.filter(published_condition())
    return stories.filter(Q(pk__in=Article.objects.written_by(user).values("pk")) | published_condition())


def removes_ai_label(before: dict, after: dict) -> bool:
    """Whether the change turns an AI source type into one that is not AI."""
    was, now = before.get("source_type"), after.get("source_type")
    return (
        was in SourceType.values
        and now in SourceType.values
        and SourceType(was).is_ai
        and not SourceType(now).is_ai
    )


@transaction.atomic
def record_change(image, *, before: dict, by, reason="") -> ImageProvenanceChange | None:
    """Record how the provenance of `image` (saved already) differs from `before`; None if it does not.

    The record lists every story showing the image now, so each one's history shows the change.
    """
    after = image.provenance()
    before = {name: before.get(name, "") for name in PROVENANCE_FIELDS}
    if before == after:
        return None
    change = ImageProvenanceChange.objects.create(
        image=image, image_title=image.title, changed_by=by, before=before, after=after, reason=reason
    )
    change.articles.set(image.stories())
    return change
