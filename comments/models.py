from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, Value
from django.db.models.functions import MD5, Coalesce, Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.caching import WatchedQuerySet
from comments.text import for_matching

# The check constraint on depth. Deeper replies are stored at this depth (the thread shows them at
# NEWSMAG_COMMENT_MAX_DEPTH anyway).
MAX_STORED_DEPTH = 10
# A reader's display name (ReaderProfile; comments.readers checks what may be chosen).
DISPLAY_NAME_MAX = 50


class CommentQuerySet(WatchedQuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def in_moderation(self):
        return self.filter(status=Comment.Status.PENDING)

    def by_email(self, email):
        """Every comment sent with this email address, whatever its case (uses `comment_email_idx`)."""
        return self.filter(email__iexact=email)

    def history(self, *, approved_as=None, approved_among=None):
        """How these comments fared, in one query: {"approved", "pending", "refused"} counts ("refused":
        rejected or spam). With `approved_as`, only approved comments under that name count as approved;
        with `approved_among` (primary keys), only those, and "approved_elsewhere" counts the others."""
        approved = Q(status=Comment.Status.APPROVED)
        if approved_as is not None:
            approved &= Q(name__iexact=approved_as)
        counts = {
            "pending": Count("pk", filter=Q(status=Comment.Status.PENDING)),
            "refused": Count("pk", filter=Q(status__in=[Comment.Status.REJECTED, Comment.Status.SPAM])),
        }
        if approved_among is None:
            counts["approved"] = Count("pk", filter=approved)
        else:
            among = Q(pk__in=list(approved_among))
            counts["approved"] = Count("pk", filter=approved & among)
            counts["approved_elsewhere"] = Count("pk", filter=approved & ~among)
        return self.aggregate(**counts)

    def purge_personal_data(self):
        """Forget the IP address and user agent of these comments. Returns how many were changed."""
        # Readers see neither: a plain update, which retires nothing kept (WatchedQuerySet's would).
        personal = self.exclude(ip_address=None, user_agent="")
        return models.QuerySet.update(personal, ip_address=None, user_agent="")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    class RejectionReason(models.TextChoices):
        """Why a moderator rejected a comment: the house rules, short enough to pick in one keystroke."""

        OFF_TOPIC = "off-topic", _("Off topic")
        ABUSIVE = "abusive", _("Abusive or hateful")
        PERSONAL_DATA = "personal-data", _("Shares personal data")
        ADVERTISING = "advertising", _("Advertising or self-promotion")
        MISLEADING = "misleading", _("False or misleading")
        OTHER = "other", _("Other (see the note)")

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
    rejection_reason = models.CharField(
        _("why rejected"),
        max_length=16,
        choices=RejectionReason.choices,
        blank=True,
        help_text=_("Chosen by the moderator who rejected it; cleared when the comment's status changes."),
    )
    rejection_note = models.CharField(
        _("moderator's note"), max_length=300, blank=True, help_text=_("Never shown to readers.")
    )
    # Readers' recommendations, counted here (comments.recommendations adds one with the Recommendation row,
    # in the same transaction) so the thread shows every count without a query per comment.
    recommendation_count = models.PositiveIntegerField(_("recommendations"), default=0, editable=False)
    pick = models.CharField(
        _("pick"),
        max_length=8,
        choices=[("", _("Not picked")), ("editor", _("Editor’s pick")), ("author", _("Author’s pick"))],
        blank=True,
        editable=False,
        help_text=_("Set from the queue or the article page (comments.picks.set_pick): shown first, badged."),
    )
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("picked by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    picked_at = models.DateTimeField(_("picked at"), null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("can_moderate", _("Can moderate reader comments"))]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
            models.Index(Upper("email"), name="comment_email_idx"),  # commenter history (email__iexact)
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(condition=Q(depth__lte=MAX_STORED_DEPTH), name="comment_depth_bounded"),
            # A rejection reason belongs to a rejected comment only (moderate() also clears the note).
            models.CheckConstraint(
                condition=Q(rejection_reason="")
                | Q(
                    status="rejected",
                    rejection_reason__in=[
                        "off-topic",
                        "abusive",
                        "personal-data",
                        "advertising",
                        "misleading",
                        "other",
                    ],
                ),
                name="comment_rejection_reason_valid",
            ),
            # An exact duplicate (same article, same parent, same email, same text) never gets a second row,
            # even when two identical posts race each other.
            models.UniqueConstraint(
                "article",
                Coalesce("parent", Value(0)),
                Lower("email"),
                MD5("body"),
                name="comment_no_exact_duplicate",
            ),
            models.CheckConstraint(condition=Q(pick__in=["", "editor", "author"]), name="comment_pick_valid"),
        ]

    def __str__(self):
        return f"{self.name}: {self.body[:60]}"

    def save(self, *args, **kwargs):
        self.depth = min(self.parent.depth + 1, MAX_STORED_DEPTH) if self.parent_id else 0
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def moderation_state(self) -> str:
        """The moderation state a moderator saw, sent back with a one-click decision: if it no longer
        matches, someone else decided in between (comments.moderation.moderate(seen=...))."""
        return f"{self.status} {self.moderated_at.isoformat() if self.moderated_at else '-'}"

    @property
    def rejection(self) -> str:
        """The moderator's reason for rejecting it, with their note: "Off topic: about another story"."""
        if not self.rejection_reason:
            return self.rejection_note
        label = self.get_rejection_reason_display()
        return f"{label}: {self.rejection_note}" if self.rejection_note else str(label)


class ReaderProfile(models.Model):
    """What a reader shows of themselves: the name their comments appear under."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reader_profile",
    )
    display_name = models.CharField(
        _("display name"),
        max_length=DISPLAY_NAME_MAX,
        help_text=_("Shown with the reader's comments. Unique whatever the case."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("reader profile")
        verbose_name_plural = _("reader profiles")
        constraints = [models.UniqueConstraint(Lower("display_name"), name="reader_display_name_unique")]

    def __str__(self):
        return self.display_name


class CommentReport(models.Model):
    """A reader telling the moderators that a published comment breaks the rules.

    One report per reader and comment: the fingerprint is a keyed hash of the reader's account or network
    address (never the address itself), and the database refuses a second report with the same one.
    """

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    fingerprint = models.CharField(
        _("reader"),
        max_length=64,
        help_text=_("A one-way hash that tells readers apart without storing who they are."),
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "fingerprint"], name="comment_report_once_per_reader"),
        ]

    def __str__(self):
        return f"Report on comment {self.comment_id}"


class ModeratedWord(models.Model):
    """A word or phrase the moderation pipeline looks for in every new comment (body and name)."""

    class Action(models.TextChoices):
        REJECT = "reject", _("Banned: reject the comment")
        HOLD = "hold", _("Suspect: hold the comment for a moderator")

    phrase = models.CharField(
        _("word or phrase"),
        max_length=100,
        help_text=_(
            "Matched as a whole word, ignoring case and accents: “idiot” matches “IDIOT” and “Idiot!” "
            "but not “idiotic”."
        ),
    )
    action = models.CharField(_("what happens"), max_length=8, choices=Action.choices, default=Action.HOLD)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("banned or suspect word")
        verbose_name_plural = _("banned and suspect words")
        constraints = [
            models.UniqueConstraint(
                Lower("phrase"),
                name="moderated_word_unique",
                violation_error_message=_("This word is already on the list."),
            ),
            models.CheckConstraint(
                condition=Q(action__in=["reject", "hold"]), name="moderated_word_action_valid"
            ),
        ]

    def __str__(self):
        return self.phrase

    def save(self, *args, **kwargs):
        self.phrase = " ".join(self.phrase.split())
        super().save(*args, **kwargs)

    def clean(self):
        if not for_matching(self.phrase).strip():
            raise ValidationError({"phrase": _("Enter a word or phrase.")})


class Recommendation(models.Model):
    """One reader's recommendation of one published comment (comments.recommendations.recommend).

    A signed-in reader is known by their account, anyone else by a random token their browser keeps (an
    HttpOnly cookie the recommend answer sets); only a keyed hash of the token is stored. The database
    refuses a second recommendation from the same account or token; the network limits (articles.limits)
    stop one address from minting tokens to push a comment up.
    """

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="recommendations"
    )
    # SET_NULL: a deleted account's recommendations still count (the comment's counter does not go back).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comment_recommendations",
    )
    token_hash = models.CharField(
        _("browser"),
        max_length=64,
        blank=True,
        help_text=_("A one-way hash of the token a reader's browser keeps; empty for a signed-in reader."),
    )
    created_at = models.DateTimeField(_("recommended at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(user__isnull=False),
                name="recommendation_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["comment", "token_hash"],
                condition=~Q(token_hash=""),
                name="recommendation_once_per_browser",
            ),
            # An account or a browser, never both (a deleted account leaves neither).
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(token_hash=""), name="recommendation_one_identity"
            ),
        ]

    def __str__(self):
        return f"Recommendation of comment {self.comment_id}"


class ReplySubscription(models.Model):
    """A commenter's opt-in ("Email me when someone replies"): an email for each published reply to their
    comment, and one when the comment itself is approved after waiting for a moderator
    (comments.notifications). Every email carries a one-click unsubscribe link."""

    comment = models.OneToOneField(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="subscription"
    )
    created_at = models.DateTimeField(_("subscribed at"), default=timezone.now)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reply notification")
        verbose_name_plural = _("reply notifications")

    def __str__(self):
        return f"Notifications for comment {self.comment_id}"

    @property
    def active(self):
        return self.unsubscribed_at is None


class NotificationSent(models.Model):
    """The record that an email went out, so that none goes out twice: one per reply (a reply approved,
    requeued by reader reports and approved again is still one email), one for the approval."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("A reply was published")
        APPROVED = "approved", _("The comment was approved")

    subscription = models.ForeignKey(
        ReplySubscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="sent"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    reply = models.ForeignKey(
        Comment, verbose_name=_("reply"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "kind", "reply"], nulls_distinct=False, name="notification_sent_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["reply", "approved"]), name="notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="reply", reply__isnull=False) | Q(kind="approved", reply__isnull=True),
                name="notification_reply_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.subscription.comment_id})"
