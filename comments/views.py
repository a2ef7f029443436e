from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from comments.forms import CommentForm
from comments.models import Comment


def _client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


@require_POST
def post_comment(request, article_pk):
    """Store a comment as pending and send the reader back to the article (post/redirect/get).

    On an error the reader gets the form back with their text and the errors beside the fields.
    """
    article = get_object_or_404(Article.objects.published().select_related("section"), pk=article_pk)
    if article.comment_policy == Article.CommentPolicy.CLOSED:
        messages.error(request, _("Comments on this article are closed."))
        return redirect(article)
    form = CommentForm(request.POST, article=article, user=request.user)
    if not form.is_valid():
        context = {"form": form, "article": article, "parent": form.cleaned_data.get("parent")}
        return render(request, "comments/comment_form.html", context, status=400)
    comment = form.save(commit=False)
    comment.ip_address = _client_ip(request)
    comment.user_agent = request.headers.get("User-Agent", "")[:300]
    comment.save()
    messages.success(
        request, _("Thank you. Your comment is awaiting moderation and will appear once approved.")
    )
    return redirect(f"{article.get_absolute_url()}#comments")


@require_http_methods(["GET"])
def reply_form(request, pk):
    """A page with the reply form for one comment: replying works without JavaScript."""
    parent = get_object_or_404(
        Comment.objects.approved().select_related("article__section"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    form = CommentForm(initial={"parent": parent.pk}, article=parent.article, user=request.user)
    return render(
        request, "comments/comment_form.html", {"form": form, "article": parent.article, "parent": parent}
    )
