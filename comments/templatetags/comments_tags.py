import hashlib
from dataclasses import dataclass
from datetime import datetime

from django import template
from django.contrib import messages
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.caching import depends_on, kept_fragment, thread_key
from comments import picks, posting
from comments.forms import CommentForm
from comments.models import Comment
from comments.text import render_comment
from comments.threads import Thread, chosen_sort, logged_in_user

register = template.Library()

# The empty place in the kept thread where a reader's own "your comment is awaiting moderation" notice goes
# (it is per reader, so never part of the kept HTML); comments.js fills the same place after a post.
NOTICE_SLOT = '<div class="comment-notice-slot" id="comment-notice" tabindex="-1"></div>'
# The tag of the flash message comments.views sends with the comment's id (comment-notice-<pk>): the
# notice shows at the thread, not with the other messages at the top of the page.
NOTICE_TAG = "comment-notice"
AVATAR_COLOURS = 8  # .comment-avatar-0 … -7 in site.css


@register.filter
def initials(name):
    """Up to two letters for a commenter's avatar: "Lena Ortiz" → "LO", "maria" → "M"."""
    words = [word for word in str(name).split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@register.filter
def avatar_colour(name):
    """The same colour (0 … AVATAR_COLOURS - 1) for the same name, on every page and every server."""
    digest = hashlib.md5(str(name).casefold().encode(), usedforsecurity=False).digest()
    return digest[0] % AVATAR_COLOURS


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
    signed-in user (staff comment under their own name) and one for every anonymous reader, for each order
    (`?sort=`, comments.threads.SORTS). A reader who has just posted here gets their notice in the thread's
    notice slot (`posted_notice`).

    Syntax: ``{% comment_thread article %}``
    """
    request = context["request"]
    user = logged_in_user(request)
    sort = chosen_sort(request.GET.get("sort"))
    pick_kind = picks.pick_kind(user, article)

    def render():
        return render_to_string(
            "comments/thread.html",
            {
                "article": article,
                "thread": Thread(article, user=user, sort=sort),
                "comment_form": CommentForm(article=article, user=user),
                "notice_slot": mark_safe(NOTICE_SLOT),
                "pick_kind": pick_kind,
            },
            request=request,
        )

    if pick_kind or (user is not None and posting.may_reply_to_held(user, article)):
        # Their thread shows held comments, and a new held comment does not retire kept parts (readers see
        # no change); those who pick get forms with their CSRF token: rendered afresh on each of their
        # (never cached) page views.
        depends_on(thread_key(article.pk))
        html = render()
    else:
        parts = [article.pk, user.pk if user else 0, sort]
        html = kept_fragment(context, "comments:thread", parts, render, deps=[thread_key(article.pk)])
    notice = posted_notice(request, article)
    if notice:
        html = html.replace(NOTICE_SLOT, NOTICE_SLOT.replace("></div>", f">{notice}</div>"), 1)
    return mark_safe(html)


def posted_notice(request, article):
    """The notice for a reader who has just posted here (no-JavaScript path): their flash message names
    the comment. A reader with a flash message never gets or fills the page cache
    (articles.caching.applies), so it is theirs alone. No query for anyone else."""
    if "messages" not in request.COOKIES:
        return ""
    for message in messages.get_messages(request):
        tags = message.extra_tags.split() if message.extra_tags else []
        if NOTICE_TAG not in tags:
            continue
        pks = [tag.removeprefix(f"{NOTICE_TAG}-") for tag in tags if tag.startswith(f"{NOTICE_TAG}-")]
        comment = Comment.objects.filter(article=article, pk=int(pks[0])).first() if pks else None
        if comment is not None:
            return render_notice(comment, request=request)
    return ""


def render_notice(comment, *, request=None):
    """What a reader sees of their own comment right after sending it. Held and rejected comments get the
    same answer ("awaiting moderation"): a spammer learns nothing from it."""
    return render_to_string(
        "comments/notice.html",
        {"comment": comment, "published": comment.status == Comment.Status.APPROVED},
        request=request,
    )
