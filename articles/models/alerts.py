"""Breaking news: a one-line alert the desk puts above every public page for a while.

One banner at a time: of the alerts active at a moment, the one that started last is shown (a newer alert
replaces the banner without ending the older one; when it ends, the older one shows again if still running).
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.caching import SITE, WatchedQuerySet, cached_for_content, content_state, watch
from articles.models.publishing import Article, published_condition
from articles.text import keep_text_clean


class NewsAlertQuerySet(WatchedQuerySet):
    def active(self, at=None):
        """The alerts running at `at` (default now): started, not yet expired."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, expires_at__gt=at)

    def shown(self, at=None):
        """The banner at `at`: the newest active alert that has something to show, with `article_live`
        (its story is published, so it may be linked) annotated. An alert without its own text whose story
        is not published shows nothing: the headline of a draft never reaches readers."""
        at = at or timezone.now()
        live = Exists(Article.objects.filter(published_condition(at), pk=OuterRef("article_id")))
        return (
            self.active(at)
            .annotate(article_live=live)
            .filter(~Q(text="") | Q(article_live=True))
            .select_related("article__section")
            .order_by("-starts_at", "-pk")
            .first()
        )


class NewsAlert(models.Model):
    class Kind(models.TextChoices):
        BREAKING = "breaking", _("Breaking")
        DEVELOPING = "developing", _("Developing")
        LIVE = "live", _("Live")

    kind = models.CharField(
        _("label"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.BREAKING,
        help_text=_("Shown in front of the text, e.g. “Breaking”."),
    )
    text = models.CharField(
        _("text"),
        max_length=160,
        blank=True,
        help_text=_("One line, at most 160 characters. Leave empty to show the linked story's headline."),
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="news_alerts",
        help_text=_("The banner links to it while it is published (it shows no link before, or after)."),
    )
    starts_at = models.DateTimeField(
        _("starts at"),
        default=timezone.now,
        help_text=_("A future time schedules it: the banner appears on its own then."),
    )
    expires_at = models.DateTimeField(
        _("expires at"), help_text=_("The banner goes away on its own at this time. “End now” ends it early.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NewsAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("breaking news alert")
        verbose_name_plural = _("breaking news alerts")
        indexes = [models.Index(fields=["expires_at"], name="newsalert_expiry_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["breaking", "developing", "live"]), name="newsalert_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")),
                name="newsalert_expires_after_start",
                violation_error_message=_("The alert must expire after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(text="") | Q(article__isnull=False),
                name="newsalert_text_or_story",
                violation_error_message=_("Write a text or choose a story (its headline is then shown)."),
            ),
        ]

    def __str__(self):
        return self.text or (str(self.article) if self.article_id else "")

    def is_active(self, at=None):
        at = at or timezone.now()
        return self.starts_at <= at < self.expires_at


def breaking_banner():
    """What the banner shows now, or None: {"id", "kind", "label", "text", "url", "expires_at"}.

    Costs no query while no alert is running or scheduled (the content state knows), and otherwise is kept
    in each process until the content changes (a saved or ended alert advances the content version;
    a scheduled start or an expiry changes the content state's next change, which is part of the key), so a
    page costs no query for it once kept. The expiry is checked again on every use besides: a value kept a
    moment before it (the content state is re-read once a second) never shows after it.
    """

    def compute():
        alert = NewsAlert.objects.shown()
        if alert is None:
            return None
        linked = alert.article if alert.article_live else None
        return {
            "id": alert.pk,
            "kind": alert.kind,
            "label": str(alert.get_kind_display()),
            "text": alert.text or linked.headline,
            "url": linked.get_absolute_url() if linked else "",
            "expires_at": alert.expires_at,
        }

    if content_state().next_alert is None:
        return None  # no alert is running or scheduled: nothing to look up
    banner = cached_for_content("articles:breaking-banner", compute, deps=[SITE])  # alerts retire SITE
    if banner is None or banner["expires_at"] <= timezone.now():
        return None
    return banner


# Readers see alerts (the banner on every page): a saved, ended or deleted alert retires the kept pages, and
# its text is cleaned of control characters (one line) like every text readers see.
watch(NewsAlert)
keep_text_clean(NewsAlert)
