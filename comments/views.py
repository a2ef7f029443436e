from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from articles import limits
from articles.limits import client_ip, client_network
from articles.models import Article
from comments import moderation, notifications, picks, posting, readers, recommendations
from comments.forms import CommentForm
from comments.models import Comment
from comments.templatetags.comments_tags import NOTICE_TAG, render_notice
from comments.threads import comment_badge

# A signed cookie that lists the comments this browser sent: the proof that a returning commenter is the one
# a moderator approved before (their name and email alone anyone could type).
SENT_COOKIE = "newsmag_commenter"
SENT_COOKIE_SALT = "comments.sent"
SENT_COOKIE_DAYS = 365
SENT_REMEMBERED = 20  # the newest comments listed

MESSAGE_PUBLISHED = gettext_lazy("Thank you. Your comment is published.")
MESSAGE_HELD = gettext_lazy("Thank you. Your comment is awaiting moderation and will appear once approved.")
MESSAGE_CORRECT = gettext_lazy("Please correct the errors below. Your text has been kept.")
MESSAGE_REPORTED = gettext_lazy("Thank you for telling us. Our moderators will take a look at this comment.")
MESSAGE_REPORTS_FLOOD = gettext_lazy(
    "You have sent many reports in a short time. Our moderators have them; please try again later."
)


def reader_fingerprint(request):
    """Tells readers apart for reports without storing who they are: the account, else the network.

    An IPv6 reader controls a whole /64, so the fingerprint uses the prefix, not the address.
    """
    if request.user.is_authenticated:
        identity = f"user:{request.user.pk}"
    else:
        identity = f"net:{client_network(request) or 'unknown'}"
    return salted_hmac("comments.report", identity, algorithm="sha256").hexdigest()


def sent_before(request) -> list[int]:
    """The comments this browser proved it sent (its signed cookie), newest last; [] without a valid one."""
    value = request.get_signed_cookie(
        SENT_COOKIE, default="", salt=SENT_COOKIE_SALT, max_age=timedelta(days=SENT_COOKIE_DAYS)
    )
    return [int(part) for part in value.split(",") if part.isascii() and part.isdigit()][-SENT_REMEMBERED:]


def remember_sent(request, response, comment):
    """Add `comment` to the browser's signed list of the comments it sent."""
    sent = [*sent_before(request), comment.pk][-SENT_REMEMBERED:]
    response.set_signed_cookie(
        SENT_COOKIE, ",".join(map(str, sent)), salt=SENT_COOKIE_SALT,
        max_age=SENT_COOKIE_DAYS * 24 * 3600, secure=settings.SESSION_COOKIE_SECURE, httponly=True,
        samesite="Lax",
    )  # fmt: skip
    return response


def _published_article(pk):
    return get_object_or_404(Article.objects.published().select_related("section"), pk=pk)


def _wants_json(request):
    return request.accepts("application/json") and not request.accepts("text/html")


def _posted(request, comment):
    """The answer to a stored comment. Without JavaScript: back to the article (post/redirect/get), to the
    comment if it is published, else to the notice at the thread that shows the reader what they wrote
    "awaiting moderation" (comments_tags.posted_notice; the flash message names the comment and keeps the
    page cache out of the way). For comments.js: the same notice, and the comment's HTML to put in place.
    Held and rejected comments get the same answer: a spammer learns nothing from it.
    """
    published = comment.status == Comment.Status.APPROVED
    if _wants_json(request):
        data = {"published": published, "notice": render_notice(comment, request=request)}
        if published:
            comment.level = min(comment.depth, settings.NEWSMAG_COMMENT_MAX_DEPTH)
            author_user_ids = {author.user_id for author in comment.article.byline_authors if author.user_id}
            comment.badge = comment_badge(comment, author_user_ids)
            comment.held = False
            comment.children = comment.shown_replies = comment.more_replies = []
            data["parent"] = comment.parent_id
            data["html"] = render_to_string(
                "comments/comment.html", {"comment": comment, "comments_open": True}, request=request
            )
        return remember_sent(request, JsonResponse(data), comment)
    tags = f"{NOTICE_TAG} {NOTICE_TAG}-{comment.pk}"
    messages.success(request, MESSAGE_PUBLISHED if published else MESSAGE_HELD, extra_tags=tags)
    anchor = f"comment-{comment.pk}" if published else "comment-notice"
    return remember_sent(request, redirect(f"{comment.article.get_absolute_url()}#{anchor}"), comment)


def _refused_json(message, *, form=None, status=400):
    errors = {}
    if form is not None:
        errors = {field: [str(error) for error in messages_] for field, messages_ in form.errors.items()}
    return JsonResponse({"message": str(message), "errors": errors}, status=status)


@require_http_methods(["GET", "POST"])
def post_comment(request, article_pk):
    """Run a comment through the moderation pipeline and send the reader back (post/redirect/get).

    On an error the reader gets the form back with their text and the errors beside the fields; when
    they post too often, the same page with a 429 status. GET shows the form on its own page: the
    no-JavaScript path from a cached article page, whose forms carry no CSRF token. comments.js posts
    with `Accept: application/json` and gets JSON back (`_posted`, `_refused_json`).
    """
    article = _published_article(article_pk)
    wants_json = _wants_json(request)
    if not posting.is_open(article):
        if wants_json:
            return _refused_json(posting.MESSAGE_CLOSED, status=403)
        messages.error(request, posting.MESSAGE_CLOSED)
        return redirect(article)
    if request.method == "GET":
        form = CommentForm(article=article, user=request.user)
        return render(request, "comments/comment_form.html", {"form": form, "article": article})
    sent = sent_before(request)
    form = CommentForm(request.POST, article=article, user=request.user, sent_before=sent)
    status, retry_after = 400, None
    if form.is_valid():
        try:
            comment = posting.submit_comment(
                **form.submission(),
                ip_address=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
                sent_before=sent,
            )
        except posting.CommentsClosed as refusal:
            if wants_json:
                return _refused_json(refusal.message, status=refusal.status_code)
            messages.error(request, refusal.message)
            return redirect(article)
        except posting.DuplicateComment as refusal:
            if wants_json:
                return _refused_json(refusal.message, status=refusal.status_code)
            messages.info(request, refusal.message)
            return redirect(f"{article.get_absolute_url()}#comments")
        except posting.CommentFlood as refusal:
            status, retry_after = refusal.status_code, refusal.retry_after  # the page explains it
            if wants_json:
                response = _refused_json(refusal.message, status=status)
                response["Retry-After"] = str(retry_after)
                return response
        except posting.CommentRefused as refusal:
            form.add_refusal(refusal)
        else:
            if form.cleaned_data.get("notify"):
                notifications.subscribe(comment)
            return _posted(request, comment)
    if wants_json:
        return _refused_json(MESSAGE_CORRECT, form=form)
    parent = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    context = {"form": form, "article": article, "parent": parent, "retry_after": retry_after}
    response = render(request, "comments/comment_form.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET"])
def reply_form(request, pk):
    """A page with the reply form for one comment: replying works without JavaScript. A held comment can
    be answered by the browser that sent it and by the staff who look after the thread
    (posting.reply_allowed); for anyone else it does not exist."""
    parent = get_object_or_404(
        Comment.objects.filter(status__in=[Comment.Status.APPROVED, Comment.Status.PENDING]).select_related(
            "article__section"
        ),
        pk=pk,
        article__in=Article.objects.published(),
    )
    sent = sent_before(request)
    user = request.user if request.user.is_authenticated else None
    if not posting.reply_allowed(parent, parent.article, user=user, sent_before=sent):
        raise Http404("No comment to reply to.")
    if not posting.is_open(parent.article):
        messages.error(request, posting.MESSAGE_CLOSED)
        return redirect(parent.article)
    form = CommentForm(initial={"parent": parent.pk}, article=parent.article, user=request.user)
    return render(
        request, "comments/comment_form.html", {"form": form, "article": parent.article, "parent": parent}
    )


@never_cache
@require_http_methods(["GET"])
def form_token(request, article_pk):
    """The per-reader parts of the comment forms, fetched by comments.js so the article page stays cacheable.

    Returns the CSRF token (and sets its cookie), a fresh signed form timestamp, whether readers without
    an account may comment, and for a signed-in reader who may comment the name their comments appear
    under (the cached page carries the anonymous form: comments.js drops its name and email fields).
    Only a reader with a session cookie costs a query beyond the article.
    """
    article = _published_article(article_pk)
    commenter = None
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
    if signed_in and readers.may_comment(request.user):
        commenter = readers.display_name(request.user)
    return JsonResponse(
        {
            "csrf": get_token(request),
            "issued": posting.make_form_token(article),
            "anonymous": settings.NEWSMAG_COMMENTS_ANONYMOUS,
            "commenter": commenter,
        }
    )


@require_http_methods(["GET", "POST"])
def report_comment(request, pk):
    """A reader reports a published comment. The same thanks whether or not they had reported it before.

    GET shows a confirmation page with the form (the no-JavaScript path from a cached article page).
    """
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article__section"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    if request.method == "GET":
        return render(
            request, "comments/report_confirm.html", {"comment": comment, "article": comment.article}
        )
    wants_json = _wants_json(request)
    # One network sending reports by the dozen is a campaign, not readers: it is slowed down.
    allowance = limits.hit(
        "report", client_network(request) or "unknown",
        limit=settings.NEWSMAG_COMMENT_REPORTS_PER_HOUR, seconds=3600,
    )  # fmt: skip
    if not allowance.allowed:
        if wants_json:
            response = JsonResponse({"message": str(MESSAGE_REPORTS_FLOOD)}, status=429)
        else:
            context = {"comment": comment, "article": comment.article, "refusal": MESSAGE_REPORTS_FLOOD}
            response = render(request, "comments/report_confirm.html", context, status=429)
        response["Retry-After"] = str(allowance.retry_after)
        return response
    moderation.report(comment, fingerprint=reader_fingerprint(request))
    if wants_json:
        return JsonResponse({"message": MESSAGE_REPORTED})
    messages.success(request, MESSAGE_REPORTED)
    return redirect(f"{comment.article.get_absolute_url()}#comments")


@require_http_methods(["GET", "POST"])
def recommend_comment(request, pk):
    """A reader recommends a published comment (comments.recommendations.recommend): once per account or
    browser, within the network limits.

    comments.js posts with `Accept: application/json` and gets {"count", "recommended", "added", "message"}
    (a refusal: {"message"} with its 4xx status). Without JavaScript, GET shows a small page with the button
    and the POST goes back to the comment with a message. A browser without an account gets its token in
    an HttpOnly cookie for /comments/ only, set here and nowhere else.
    """
    comment = get_object_or_404(
        Comment.objects.select_related("article__section"), pk=pk, article__in=Article.objects.published()
    )
    wants_json = _wants_json(request)
    try:
        recommendations.check_recommendable(comment)
    except recommendations.NotRecommendable as refusal:
        if wants_json:
            return JsonResponse({"message": str(refusal.message)}, status=refusal.status_code)
        if comment.status != Comment.Status.APPROVED:
            raise Http404(str(refusal.message)) from None
        messages.error(request, refusal.message)
        return redirect(f"{comment.article.get_absolute_url()}#comment-{comment.pk}")
    if request.method == "GET":
        return render(
            request, "comments/recommend_confirm.html", {"comment": comment, "article": comment.article}
        )
    user = request.user if request.user.is_authenticated else None
    token = request.COOKIES.get(recommendations.TOKEN_COOKIE, "")
    new_token = None
    if user is None and not recommendations.valid_token(token):
        token = new_token = recommendations.new_token()
    try:
        outcome = recommendations.recommend(comment, user=user, token=token, network=client_network(request))
    except recommendations.NotRecommendable as refusal:
        if wants_json:
            response = JsonResponse({"message": str(refusal.message)}, status=refusal.status_code)
        else:
            context = {"comment": comment, "article": comment.article, "refusal": refusal.message}
            response = render(request, "comments/recommend_confirm.html", context, status=refusal.status_code)
        if refusal.retry_after:
            response["Retry-After"] = str(refusal.retry_after)
        return response
    if wants_json:
        response = JsonResponse(
            {
                "count": outcome.count,
                "recommended": True,
                "added": outcome.added,
                "message": str(outcome.message),
            }
        )
    else:
        messages.success(request, outcome.message)
        response = redirect(f"{comment.article.get_absolute_url()}#comment-{comment.pk}")
    if new_token:
        response.set_cookie(
            recommendations.TOKEN_COOKIE, new_token, max_age=recommendations.TOKEN_COOKIE_DAYS * 24 * 3600,
            path="/comments/", secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
        )  # fmt: skip
    return response


@require_POST
def pick_comment(request, pk):
    """Staff mark a comment as a pick, or remove the pick (`picked=0`), from the article page: through
    comments.picks.set_pick, which decides who may (moderators; the article's own author)."""
    comment = get_object_or_404(Comment.objects.select_related("article__section"), pk=pk)
    picked = request.POST.get("picked", "1") != "0"
    try:
        changed = picks.set_pick([comment], user=request.user, picked=picked)
    except PermissionDenied as refusal:
        return render(request, "comments/pick_refused.html", {"message": refusal}, status=403)
    comment.refresh_from_db(fields=["pick", "status"])
    if changed:
        text = (
            gettext("Marked as %(pick)s.") % {"pick": comment.get_pick_display()}
            if picked
            else gettext("The pick is removed.")
        )
        messages.success(request, text)
    elif picked and comment.status != Comment.Status.APPROVED:
        messages.error(request, gettext("Only a published comment can be picked."))
    else:
        messages.info(request, gettext("Nothing changed."))
    return redirect(f"{comment.article.get_absolute_url()}#comment-{comment.pk}")


@csrf_exempt  # RFC 8058: the mail provider POSTs without a session or token; the signed link is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop reply notifications: a POST to the link of an email's List-Unsubscribe header (one click, no
    login) or the button of the page a GET shows (a link preview or mail scanner must not unsubscribe)."""
    subscription = notifications.subscription_for(token)
    if subscription is None:
        return render(request, "comments/unsubscribe.html", {"unknown": True}, status=404)
    done = request.method == "POST" or not subscription.active
    if request.method == "POST":
        notifications.unsubscribe(subscription)
    context = {"subscription": subscription, "article": subscription.comment.article, "done": done}
    return render(request, "comments/unsubscribe.html", context)


def csrf_failure(request, reason=""):
    """The page for a form sent without a valid CSRF token (CSRF_FAILURE_VIEW): what happened, what to do."""
    return render(request, "comments/csrf_failure.html", status=403)
