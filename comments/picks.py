"""Editor's and author's picks: comments the newsroom puts first, under the thread's "Picks" tab, badged.

`set_pick()` is the one way a pick is made or removed (the queue's actions, the form under each comment on
the article page for staff). Who may pick, least privilege:

- moderators (the "can moderate" permission) pick on every article: an Editor's pick;
- the article's own author (a staff login linked to one of its bylines): an Author's pick, on that
  article only. A journalist who is not on the byline picks nothing on someone else's story.

Only a published comment is picked. A moderator removes any pick; an author removes their own kind only.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.models import Comment

EDITOR = "editor"
AUTHOR = "author"

MESSAGE_REFUSED = _("Only moderators and the article’s author can pick comments on this article.")


def pick_kind(user, article) -> str:
    """The pick `user` may make on `article`'s comments: EDITOR, AUTHOR or "" (none). No query beyond the
    permission cache and the article's bylines (loaded with the article page)."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return ""
    if user.has_perm("comments.can_moderate"):
        return EDITOR
    if any(author.user_id == user.pk for author in article.byline_authors):
        return AUTHOR
    return ""


@transaction.atomic
def set_pick(comments, *, user, picked: bool = True) -> int:
    """Mark `comments` (a queryset or iterable) as `user`'s kind of pick, or with `picked=False` remove
    their picks. Raises PermissionDenied, changing nothing, if `user` may not pick on one of their articles.
    Comments that are not published are left alone. Returns how many comments changed.
    """
    pks = [comment.pk for comment in comments]
    rows = list(
        Comment.objects.filter(pk__in=pks)
        .select_related("article")
        .prefetch_related("article__bylines__author")
    )
    kinds = {pick_kind(user, comment.article) for comment in rows}
    if not rows:
        return 0
    if "" in kinds:
        raise PermissionDenied(MESSAGE_REFUSED)
    kind = EDITOR if kinds == {EDITOR} else AUTHOR
    # A watched queryset: the update retires the thread readers see (after commit).
    targets = Comment.objects.filter(pk__in=pks)
    if picked:
        already = Q(pick=kind) | Q(pick=EDITOR)  # an author does not turn an Editor's pick into theirs
        changes = {"pick": kind, "picked_by": user, "picked_at": timezone.now()}
        return targets.filter(status=Comment.Status.APPROVED).exclude(already).update(**changes)
    removable = ~Q(pick="") if kind == EDITOR else Q(pick=AUTHOR)
    return targets.filter(removable).update(pick="", picked_by=None, picked_at=None)
