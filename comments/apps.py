from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Reader comments")

    def ready(self):
        from django.db.models import Count, OuterRef, Subquery, Value
        from django.db.models.functions import Coalesce

        from articles.caching import thread_key, watch
        from articles.models import add_listing_annotation
        from articles.text import keep_text_clean
        from comments.models import Comment

        # Readers see approved comments: one being approved, edited or removed retires its story's thread
        # and what shows its comment count, nothing else (a new comment held for moderation changes nothing
        # they see).
        watch(
            Comment,
            when=lambda comment, created: comment.status == Comment.Status.APPROVED or created is False,
            keys=lambda comment: [thread_key(comment.article_id)],
        )

        # submit_comment() cleans what readers type; this covers every other save (a moderator's edit, an
        # import).
        keep_text_clean(Comment)

        def comment_count():
            approved = Comment.objects.approved().filter(article=OuterRef("pk")).order_by().values("article")
            return Coalesce(Subquery(approved.annotate(count=Count("pk")).values("count")), Value(0))

        # Story cards show how many comments a story has, in the cards' own query.
        add_listing_annotation("comment_count", comment_count)
