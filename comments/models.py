from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def in_moderation(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        "articles.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), help_text=_("Never shown to readers."))
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    moderation_reasons = models.JSONField(
        _("why it was held"),
        default=list,
        blank=True,
        help_text=_("What the checks found when it was posted."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("can_moderate", _("Can moderate reader comments"))]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(condition=Q(depth__lte=10), name="comment_depth_bounded"),
        ]

    def __str__(self):
        return f"{self.name}: {self.body[:60]}"

    def save(self, *args, **kwargs):
        self.depth = self.parent.depth + 1 if self.parent_id else 0
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"
