from dataclasses import dataclass
from datetime import datetime

from django import template

from comments import pipeline
from comments.models import Comment
from comments.text import render_comment

register = template.Library()


@register.filter(is_safe=True)
def comment_html(text):
    """A comment's text as HTML: everything escaped, paragraphs kept, web addresses made into links with
    `rel="nofollow ugc noopener"`.

    Syntax: ``{{ comment.body|comment_html }}``
    """
    return render_comment(text)


@dataclass(frozen=True)
class ArticleComments:
    open: bool
    premoderated: bool
    closes_at: datetime | None


@register.simple_tag
def article_comments(article):
    """Whether an article takes comments, whether they are pre-moderated and when they close (no query).

    Syntax: ``{% article_comments article as state %}`` then ``state.open``, ``state.premoderated``,
    ``state.closes_at``.
    """
    return ArticleComments(
        open=pipeline.is_open(article),
        premoderated=pipeline.is_premoderated(article),
        closes_at=pipeline.closes_at(article),
    )


@register.simple_tag(takes_context=True)
def pending_comment_count(context):
    """The number of comments waiting in the moderation queue, or None for users who cannot moderate.

    Syntax: ``{% pending_comment_count as count %}`` (one query; for admin pages).
    """
    request = context.get("request")
    if request is None or not request.user.has_perm("comments.can_moderate"):
        return None
    return Comment.objects.in_moderation().count()
