from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin_filters import ChoiceListFilter
from comments import moderation
from comments.models import Comment, CommentReport, ModeratedWord


class ReportedFilter(ChoiceListFilter):
    title = _("reader reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported")), ("no", _("Not reported"))]

    def queryset(self, request, queryset):
        reported = Exists(CommentReport.objects.filter(comment=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(reported)
        if self.value() == "no":
            return queryset.filter(~reported)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue. Opens on pending comments; status changes only through the actions."""

    list_display = [
        "excerpt",
        "name",
        "article_link",
        "in_reply_to",
        "status",
        "reasons",
        "report_count",
        "created_at",
        "moderated",
    ]
    list_filter = ["status", ReportedFilter, "created_at"]
    search_fields = ["body", "name", "email", "article__headline"]
    date_hierarchy = "created_at"
    list_select_related = ["article__section", "parent", "moderated_by"]
    actions = ["approve", "reject", "mark_spam"]
    readonly_fields = [
        "article",
        "parent",
        "user",
        "name",
        "email",
        "body",
        "status",
        "reasons",
        "reports",
        "history",
        "ip_address",
        "user_agent",
        "created_at",
        "moderated_by",
        "moderated_at",
    ]
    fieldsets = [
        (None, {"fields": ["article", "parent", "body", "status", "reasons", "reports"]}),
        (_("Commenter"), {"fields": ["name", "email", "user", "history"]}),
        (_("Moderation"), {"fields": ["created_at", "moderated_by", "moderated_at"]}),
        (
            _("Network (deleted after the retention period)"),
            {"fields": ["ip_address", "user_agent"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(report_count=Count("reports", distinct=True))

    def changelist_view(self, request, extra_context=None):
        if not request.GET and request.method == "GET":
            return redirect(f"{request.path}?status__exact={Comment.Status.PENDING}")
        pending = Comment.objects.in_moderation().count()
        title = ngettext(
            "Moderation queue: %(count)d comment pending",
            "Moderation queue: %(count)d comments pending",
            pending,
        ) % {"count": pending}
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def has_add_permission(self, request):
        return False  # comments come from readers, through the site

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.body).words(25)

    @admin.display(description=_("article"), ordering="article__headline")
    def article_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), Truncator(obj.article.headline).words(8)
        )

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, obj):
        if obj.parent is None:
            return ""
        return format_html(
            '<a href="{}">{}: {}</a>',
            reverse("admin:comments_comment_change", args=[obj.parent_id]),
            obj.parent.name,
            Truncator(obj.parent.body).words(10),
        )

    @admin.display(description=_("why held"))
    def reasons(self, obj):
        return " ".join(obj.moderation_reasons)

    @admin.display(description=_("reports"), ordering="report_count")
    def report_count(self, obj):
        return obj.report_count or ""

    @admin.display(description=_("moderated"), ordering="moderated_at")
    def moderated(self, obj):
        if obj.moderated_at is None:
            return ""
        when = formats.date_format(timezone.localtime(obj.moderated_at), "SHORT_DATETIME_FORMAT")
        who = obj.moderated_by.get_username() if obj.moderated_by else _("reader reports")
        return f"{who}, {when}"

    @admin.display(description=_("reader reports"))
    def reports(self, obj):
        latest = obj.reports.order_by("-created_at").values_list("created_at", flat=True).first()
        if latest is None:
            return _("None")
        when = formats.date_format(timezone.localtime(latest), "SHORT_DATETIME_FORMAT")
        return ngettext(
            "%(count)d report, the latest on %(when)s.",
            "%(count)d reports, the latest on %(when)s.",
            obj.report_count,
        ) % {"count": obj.report_count, "when": when}

    @admin.display(description=_("commenter history"))
    def history(self, obj):
        counts = Comment.objects.by_email(obj.email).exclude(pk=obj.pk).history()
        return (
            _(
                "Other comments with this email: %(approved)d approved, %(pending)d pending, "
                "%(refused)d rejected or spam."
            )
            % counts
        )

    def _moderate(self, request, queryset, function, verb):
        if not request.user.has_perm("comments.can_moderate"):
            self.message_user(request, _("You do not have permission to moderate comments."), messages.ERROR)
            return
        count = function(queryset, moderator=request.user)
        self.message_user(
            request,
            ngettext("%(count)d comment %(verb)s.", "%(count)d comments %(verb)s.", count)
            % {"count": count, "verb": verb},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, moderation.approve, _("approved"))

    @admin.action(description=_("Reject selected comments"), permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, moderation.reject, _("rejected"))

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, moderation.mark_spam, _("marked as spam"))


@admin.register(ModeratedWord)
class ModeratedWordAdmin(admin.ModelAdmin):
    """Banned words reject a comment; suspect words hold it for a moderator. Checked on every new comment."""

    list_display = ["phrase", "action", "created_at"]
    list_filter = ["action"]
    search_fields = ["phrase"]
    list_editable = ["action"]
