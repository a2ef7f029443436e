"""An article's comment thread: its approved comments in one query, threaded with bounded depth."""

from functools import cached_property

from django.conf import settings

from comments.models import Comment


class Thread:
    """An article's approved comments as a thread, queried on first use: the thread is rendered inside a
    kept fragment (comments_tags.comment_thread), so the query runs only when that is rebuilt."""

    def __init__(self, article):
        self.article = article

    @cached_property
    def comments(self):
        return list(Comment.objects.approved().filter(article=self.article).select_related("user"))

    @property
    def count(self):
        return len(self.comments)

    @cached_property
    def roots(self):
        author_user_ids = {author.user_id for author in self.article.byline_authors if author.user_id}
        return build_thread(self.comments, author_user_ids=author_user_ids)


def logged_in_user(request):
    """request.user for a reader who has a session, None otherwise (without touching the session).

    Reading request.user for everyone would touch the session and make every article page vary on cookies.
    """
    return request.user if settings.SESSION_COOKIE_NAME in request.COOKIES else None


def build_thread(comments, *, author_user_ids=frozenset()):
    """Return the top-level comments, each with `.children` (oldest first) and a `.badge`.

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
    return roots


def comment_badge(comment, author_user_ids):
    if comment.user_id is None:
        return ""
    if comment.user_id in author_user_ids:
        return "Author"
    if comment.user is not None and comment.user.is_staff:
        return "Staff"
    return ""
