from dataclasses import dataclass
from datetime import datetime

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.caching import kept_fragment
from comments import posting
from comments.forms import CommentForm
from comments.models import Comment
from comments.text import render_comment
from comments.threads import Thread, logged_in_user

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
        open=posting.is_open(article),
        premoderated=posting.is_premoderated(article),
        closes_at=posting.closes_at(article),
    )


@register.simple_tag(takes_context=True)
def pending_comment_count(context):
    """The number of comments waiting in the moderation queue, for moderators and for the editors who run
    the desk (a count only: editors cannot open the queue); None for everyone else.

    Syntax: ``{% pending_comment_count as count %}`` (one query; for admin pages).
    """
    request = context.get("request")
    if request is None:
        return None
    user = request.user
    if not (user.has_perm("comments.can_moderate") or user.has_perm("articles.publish_article")):
        return None
    return Comment.objects.in_moderation().count()


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """The article's comments, threaded, with the comment form: kept until the content changes, one copy per
    signed-in user (staff comment under their own name) and one for every anonymous reader.

    Syntax: ``{% comment_thread article %}``
    """
    request = context["request"]
    user = logged_in_user(request)

    def render():
        return render_to_string(
            "comments/thread.html",
            {
                "article": article,
                "thread": Thread(article),
                "comment_form": CommentForm(article=article, user=user),
            },
            request=request,
        )

    return mark_safe(kept_fragment(context, "comments:thread", [article.pk, user.pk if user else 0], render))
