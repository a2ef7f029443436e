"""Turn a flat list of comments into a thread, in one query and with bounded depth."""

from django.conf import settings


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
