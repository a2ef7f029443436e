"""An article's comment thread: its approved comments in one query, threaded with bounded depth."""

from functools import cached_property

from django.conf import settings

from articles.caching import READER_COOKIE
from comments import posting
from comments.models import Comment

# Replies shown under a comment before the rest fold into "Show N more replies".
REPLIES_SHOWN = 3

# How readers may order the thread (`?sort=`): the name and the tab's label. Each order is a page of its
# own, kept like any other (the thread's kept fragment varies on it). Only top-level comments move; replies
# stay under what they answer, oldest first. "picks" lists the newsroom's picks alone (comments.picks).
DEFAULT_SORT = "oldest"
PICKS = "picks"
SORTS = {"oldest": "Oldest", "newest": "Newest", "recommended": "Most recommended"}


def chosen_sort(value) -> str:
    """The sort a `?sort=` value asks for; anything unknown is the default."""
    return value if value in SORTS or value == PICKS else DEFAULT_SORT


def _sorted_roots(roots, sort):
    if sort == "newest":
        return sorted(roots, key=lambda comment: (comment.created_at, comment.pk), reverse=True)
    if sort == "recommended":
        return sorted(
            roots, key=lambda comment: (-comment.recommendation_count, comment.created_at, comment.pk)
        )
    return roots


class Thread:
    """An article's approved comments as a thread, queried on first use: the thread is rendered inside a
    kept fragment (comments_tags.comment_thread), so the query runs only when that is rebuilt.

    For `user` who may answer held comments (`posting.may_reply_to_held`: moderators, editors, the
    article's authors; their copy of the thread is kept apart) held comments are in it too, marked.
    """

    def __init__(self, article, user=None, sort=DEFAULT_SORT):
        self.article = article
        self.user = user
        self.requested_sort = chosen_sort(sort)

    @cached_property
    def shows_held(self):
        return posting.may_reply_to_held(self.user, self.article)

    @cached_property
    def comments(self):
        statuses = [Comment.Status.APPROVED]
        if self.shows_held:
            statuses.append(Comment.Status.PENDING)
        return list(Comment.objects.filter(article=self.article, status__in=statuses).select_related("user"))

    @property
    def count(self):
        """Published comments: what readers see counted."""
        return sum(comment.status == Comment.Status.APPROVED for comment in self.comments)

    @cached_property
    def roots(self):
        """The top-level comments, oldest first, each with its replies (`build_thread`)."""
        author_user_ids = {author.user_id for author in self.article.byline_authors if author.user_id}
        return build_thread(self.comments, author_user_ids=author_user_ids)

    @cached_property
    def picks(self):
        """The published picks readers can see (a reply under a comment they cannot see is not one), oldest
        first, each with `.parent_name` for a reply ("In reply to ...")."""
        shown = {}
        stack = list(self.roots)
        while stack:
            comment = stack.pop()
            shown[comment.pk] = comment
            stack.extend(comment.children)
        chosen = [
            comment for comment in self.comments if comment.pk in shown and comment.pick and not comment.held
        ]
        for comment in chosen:
            parent = shown.get(comment.parent_id)
            comment.parent_name = parent.name if parent is not None else ""
        return chosen

    @property
    def sort(self):
        """The order shown: the one asked for, unless it is the picks and there are none."""
        if self.requested_sort == PICKS and not self.picks:
            return DEFAULT_SORT
        return self.requested_sort

    @property
    def flat(self):
        """The picks tab lists comments on their own, without their replies."""
        return self.sort == PICKS

    @cached_property
    def shown(self):
        """What the thread lists in the chosen order: the picks, or the top-level comments sorted."""
        if self.flat:
            return self.picks
        return _sorted_roots(self.roots, self.sort)

    @property
    def tabs(self):
        """(name, label, current) for each order a reader can choose; the picks first when there are any."""
        tabs = [(PICKS, f"Picks ({len(self.picks)})")] if self.picks else []
        tabs += list(SORTS.items())
        return [(name, label, name == self.sort) for name, label in tabs]


def logged_in_user(request):
    """request.user for staff who have a session, None otherwise (without touching the session).

    Reading request.user for everyone would touch the session and make every article page vary on cookies.
    A signed-in reader (their browser carries READER_COOKIE) gets the page everyone gets, from the page
    cache: comments.js fills in their part of the comment form.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or READER_COOKIE in request.COOKIES:
        return None
    return request.user


def build_thread(comments, *, author_user_ids=frozenset()):
    """Return the top-level comments, each with `.children` (oldest first, the first REPLIES_SHOWN in
    `.shown_replies`, the rest in `.more_replies`), a `.badge` and `.held` (awaiting moderation).

    Replies whose parent is not in `comments` (a held or removed parent) are not shown: a reply makes no
    sense without what it answers. Replies deeper than NEWSMAG_COMMENT_MAX_DEPTH are shown at the deepest
    level.
    """
    max_depth = settings.NEWSMAG_COMMENT_MAX_DEPTH
    by_pk = {}
    roots = []
    for comment in comments:  # ordered oldest first, so parents come before their replies
        comment.children = []
        comment.badge = comment_badge(comment, author_user_ids)
        by_pk[comment.pk] = comment
        if comment.parent_id is None:
            comment.level = 0
            roots.append(comment)
            continue
        parent = by_pk.get(comment.parent_id)
        if parent is None:
            continue
        while parent.level >= max_depth and parent.parent_id in by_pk:
            parent = by_pk[parent.parent_id]
        comment.level = parent.level + 1
        parent.children.append(comment)
    for comment in by_pk.values():
        comment.held = comment.status != Comment.Status.APPROVED
        comment.shown_replies = comment.children[:REPLIES_SHOWN]
        comment.more_replies = comment.children[REPLIES_SHOWN:]
    return roots


def comment_badge(comment, author_user_ids):
    if comment.user_id is None:
        return ""
    if comment.user_id in author_user_ids:
        return "Author"
    if comment.user is not None and comment.user.is_staff:
        return "Staff"
    return ""
