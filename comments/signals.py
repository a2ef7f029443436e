"""Comment changes readers can see make cached pages stale (after commit)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from comments.models import Comment
from newsmag.page_cache import content_changed


@receiver([post_save, post_delete], sender=Comment, dispatch_uid="comments-page-cache")
def comment_changed(sender, instance, raw=False, **kwargs):
    if not raw and (instance.status == Comment.Status.APPROVED or kwargs.get("created") is False):
        content_changed()
