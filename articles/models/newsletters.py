"""Email newsletters: what editors define (Newsletter), who asked for them (Subscriber, Subscription), what
is sent (Issue, IssueItem), to whom it went (Delivery) and the addresses never to mail again (Suppression).

The rules (assembly, schedule, sending, opt-in, purge) are in articles/newsletters.py.
"""

import hashlib

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.caching import WatchedQuerySet, watch
from articles.models.alerts import NewsAlert
from articles.models.publishing import Article
from articles.models.sections import Section
from articles.text import keep_text_clean


def normalize_email(address: str) -> str:
    """One spelling per mailbox for matching: trimmed and lower-cased (providers treat the local part
    case-insensitively in practice; sending keeps what the reader typed)."""
    return address.strip().lower()


def address_hash(address: str) -> str:
    """The SHA-256 of the normalized address: what suppressions and delivery records keep instead of the
    address itself."""
    return hashlib.sha256(normalize_email(address).encode()).hexdigest()


class NewsletterQuerySet(WatchedQuerySet):
    def active(self):
        return self.filter(active=True)


class Newsletter(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily briefing: the day's stories")
        SECTION = "section", _("A section's stories (its subsections included)")
        BREAKING = "breaking", _("Breaking news alerts")

        @property
        def scheduled(self):
            """Sent daily at a time (the breaking kind goes out when an alert is raised)."""
            return self != Newsletter.Kind.BREAKING

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One sentence for readers on the subscribe form: what it brings and how often."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DAILY)
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="newsletters",
        help_text=_("For a section newsletter: its stories and its subsections' stories."),
    )
    send_time = models.TimeField(
        _("send time"),
        null=True,
        blank=True,
        help_text=_(
            "Daily and section newsletters go out every day at this time in the newsroom's time zone. "
            "Breaking news newsletters go out when a breaking alert is raised for a published story."
        ),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive newsletters are neither offered nor sent.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["daily", "section", "breaking"]), name="newsletter_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="section") | Q(section__isnull=False),
                name="newsletter_section_needs_section",
                violation_error_message=_("A section newsletter needs its section."),
            ),
            models.CheckConstraint(
                condition=Q(kind="breaking") | Q(send_time__isnull=False),
                name="newsletter_scheduled_needs_time",
                violation_error_message=_("Daily and section newsletters need a send time."),
            ),
        ]

    def __str__(self):
        return self.name


class Subscriber(models.Model):
    """An email address that asked for at least one newsletter. It goes when its last subscription goes."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower(models.functions.Trim("email"))),
                name="subscriber_email_normalized",
            )
        ]

    def __str__(self):
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, verbose_name=_("newsletter"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, help_text=_("Empty until the reader clicks the link.")
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["newsletter", "subscriber"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="subscription_unique"),
        ]
        indexes = [models.Index(fields=["newsletter", "confirmed_at"], name="subscription_sending_idx")]

    def __str__(self):
        return f"{self.subscriber} → {self.newsletter}"


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being assembled: editors may reorder, add an intro, preview")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped: nothing new to send")

    newsletter = models.ForeignKey(
        Newsletter, verbose_name=_("newsletter"), on_delete=models.PROTECT, related_name="issues"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("Empty: the newsletter's name and the date.")
    )
    intro = models.TextField(
        _("intro"), blank=True, max_length=2000, help_text=_("Optional plain text above the stories.")
    )
    scheduled_for = models.DateTimeField(_("scheduled for"), help_text=_("When it goes out."))
    stories_since = models.DateTimeField(
        _("stories since"), help_text=_("Stories published after this time (the previous issue) are in it.")
    )
    alert = models.ForeignKey(
        NewsAlert,
        verbose_name=_("breaking news alert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_issues",
        editable=False,
    )
    sending_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "sending", "sent", "skipped"]), name="issue_status_valid"
            ),
            # One issue per newsletter and scheduled moment, one per alert: the every-minute job can run
            # twice at once (two beat processes, a slow run) without making two.
            models.UniqueConstraint(
                fields=["newsletter", "scheduled_for"],
                condition=Q(alert__isnull=True),
                name="issue_one_per_slot",
            ),
            models.UniqueConstraint(
                fields=["newsletter", "alert"], condition=Q(alert__isnull=False), name="issue_one_per_alert"
            ),
        ]
        indexes = [models.Index(fields=["status", "scheduled_for"], name="issue_due_idx")]

    def __str__(self):
        return self.subject_line()

    def subject_line(self):
        from django.utils import timezone
        from django.utils.formats import date_format

        if self.subject:
            return self.subject
        when = date_format(timezone.localtime(self.scheduled_for), "j F Y")
        return f"{self.newsletter.name} · {when}"

    @property
    def editable(self):
        return self.status == Issue.Status.DRAFT


class IssueItem(models.Model):
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="newsletter_items"
    )
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Lower numbers come first."))
    included = models.BooleanField(_("included"), default=True, help_text=_("Untick to leave it out."))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("story in the issue")
        verbose_name_plural = _("stories in the issue")
        constraints = [models.UniqueConstraint(fields=["issue", "article"], name="issueitem_unique")]

    def __str__(self):
        return str(self.article_id)


class Delivery(models.Model):
    """One issue to one address: the row that makes sending idempotent. It is claimed (SENDING) in its own
    committed statement before the message goes out, so a retried or restarted job never sends it again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Handed to the mail server")
        SENT = "sent", _("Sent")
        BOUNCED = "bounced", _("Refused for good: address suppressed")
        SKIPPED = "skipped", _("Not sent: unsubscribed or suppressed meanwhile")

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the record stays (as a hash) when the address goes
        related_name="deliveries",
    )
    address_hash = models.CharField(_("address hash"), max_length=64)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["issue", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "address_hash"], name="delivery_once_per_address"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "bounced", "skipped"]),
                name="delivery_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["issue", "status"], name="delivery_issue_status_idx")]

    def __str__(self):
        return f"{self.issue_id}/{self.address_hash[:12]}"


class Suppression(models.Model):
    """An address no newsletter mails again: it bounced for good or its owner complained (marked spam).
    Kept as a hash, so the list holds no address."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Complaint (marked as spam)")
        MANUAL = "manual", _("Added by the newsroom")

    address_hash = models.CharField(_("address hash"), max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("suppressed at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=["bounce", "complaint", "manual"]), name="suppression_reason_valid"
            )
        ]

    def __str__(self):
        return f"{self.address_hash[:12]}… ({self.get_reason_display()})"


keep_text_clean(Newsletter)
watch(Newsletter)  # the newsletters page lists them (a cached page)
keep_text_clean(Issue)
