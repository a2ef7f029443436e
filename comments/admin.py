from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin_filters import ChoiceListFilter
from comments import moderation, picks, readers
from comments.forms import ModerationDecisionForm
from comments.models import Comment, CommentReport, ModeratedWord, ReaderProfile

MODERATE = "comments.can_moderate"

# The one-click decisions of the queue: (status, button label, keyboard shortcut).
DECISIONS = [
    (Comment.Status.APPROVED, _("Approve"), "a"),
    (Comment.Status.REJECTED, _("Reject…"), "r"),
    (Comment.Status.SPAM, _("Spam"), "s"),
]


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
    """The moderation queue. Opens on pending comments; status changes only through the one-click
    decisions on each row and the bulk actions, both through comments.moderation.moderate()."""

    list_display = ["comment", "status", "reasons", "report_count", "created_at", "moderated", "decide"]
    list_display_links = None  # the comment column links to the comment itself, beside its article
    list_filter = ["status", ReportedFilter, "pick", "created_at"]
    search_fields = ["body", "name", "email", "article__headline"]
    date_hierarchy = "created_at"
    list_select_related = ["article__section", "parent", "moderated_by"]
    actions = ["approve", "reject", "mark_spam", "mark_pick", "remove_pick"]
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
        "rejection",
        "recommendation_count",
        "pick",
        "picked_by",
        "picked_at",
    ]
    fieldsets = [
        (None, {"fields": ["article", "parent", "body", "status", "reasons", "reports"]}),
        (_("Commenter"), {"fields": ["name", "email", "user", "history"]}),
        (_("Moderation"), {"fields": ["created_at", "moderated_by", "moderated_at", "rejection"]}),
        (
            _("Recommendations and picks"),
            {"fields": ["recommendation_count", "pick", "picked_by", "picked_at"]},
        ),
        (
            _("Network (deleted after the retention period)"),
            {"fields": ["ip_address", "user_agent"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        css = {"all": ["css/admin-comments.css"]}
        js = ["js/admin-comments.js"]

    def get_urls(self):
        decide = path(
            "<int:object_id>/moderate/",
            self.admin_site.admin_view(self.moderate_view),
            name="comments_comment_moderate",
        )
        return [decide, *super().get_urls()]

    def get_list_display(self, request):
        if request.user.has_perm(MODERATE):
            return self.list_display
        return [column for column in self.list_display if column != "decide"]

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
        context = {
            "title": title,
            "can_moderate": request.user.has_perm(MODERATE),
            "decision_form": ModerationDecisionForm(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def moderate_view(self, request, object_id):
        """One moderator's one-click decision on one comment, through comments.moderation.moderate().

        Answers a browser with the queue again (and a message); the queue's script asks for JSON
        (`Accept: application/json`) and updates the row in place. A rejection without a reason shows the
        reason form (the queue's script asks for it in a dialog first).
        """
        if not request.user.has_perm(MODERATE):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        wants_json = "application/json" in request.headers.get("Accept", "")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = ""
        back = back or reverse("admin:comments_comment_changelist")
        comment = Comment.objects.select_related("moderated_by").filter(pk=object_id).first()
        if comment is None:
            return self._decided(
                request,
                wants_json,
                back,
                messages.WARNING,
                _("This comment no longer exists: nothing changed."),
            )
        form = ModerationDecisionForm(request.POST)
        if not form.is_valid():
            if wants_json:
                return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
            asked = "reason" not in request.POST and set(form.errors) == {"reason"}
            if asked:  # the Reject button without JavaScript: ask why first, no error yet
                form = ModerationDecisionForm(initial=form.data.dict())
            return TemplateResponse(
                request,
                "admin/comments/comment/reject.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "media": self.media,
                    "title": _("Reject this comment"),
                    "comment": comment,
                    "form": form,
                    "back": back,
                },
                status=200 if asked or set(form.errors) <= {"reason", "note"} else 400,
            )
        decision = form.cleaned_data
        changed = moderation.moderate(
            [comment],
            status=decision["status"],
            moderator=request.user,
            rejection_reason=decision["reason"],
            rejection_note=decision["note"],
            seen=decision["seen"],
        )
        comment.refresh_from_db()
        if changed:
            level = messages.SUCCESS
            text = _("%(name)s’s comment: %(status)s.") % {
                "name": comment.name,
                "status": comment.get_status_display().lower(),
            }
        else:
            level, text = messages.WARNING, self._stale_message(comment, decision["status"])
        return self._decided(request, wants_json, back, level, text, comment=comment, changed=bool(changed))

    def _stale_message(self, comment, wanted):
        who = comment.moderated_by.get_username() if comment.moderated_by else _("the site (reader reports)")
        when = (
            formats.date_format(timezone.localtime(comment.moderated_at), "SHORT_DATETIME_FORMAT")
            if comment.moderated_at
            else ""
        )
        values = {
            "name": comment.name,
            "status": comment.get_status_display().lower(),
            "who": who,
            "when": when,
        }
        if comment.status == wanted:
            if comment.moderated_at is None:
                return _("Nothing changed: %(name)s’s comment was already %(status)s.") % values
            return (
                _("Nothing changed: %(name)s’s comment was already %(status)s by %(who)s at %(when)s.")
                % values
            )
        return (
            _(
                "Nothing changed: %(name)s’s comment was set to %(status)s by %(who)s at %(when)s, after you "
                "opened the queue. It is shown as it is now: decide again if needed."
            )
            % values
        )

    def _decided(self, request, wants_json, back, level, text, *, comment=None, changed=False):
        if not wants_json:
            self.message_user(request, text, level)
            return redirect(back)
        answer = {
            "changed": changed,
            "level": messages.DEFAULT_TAGS[level],
            "message": str(text),
            "pending": Comment.objects.in_moderation().count(),
        }
        if comment is not None:
            answer.update(
                status=comment.status,
                status_label=str(comment.get_status_display()),
                moderated=conditional_escape(self.moderated(comment)),
                seen=comment.moderation_state,
                decide=str(self.decide(comment)),
            )
        return JsonResponse(answer)

    def has_add_permission(self, request):
        return False  # comments come from readers, through the site

    @admin.display(description=_("comment"))
    def comment(self, obj):
        """The text, wrapped, linking to the comment; below it who wrote it, on which article, replying to
        whom (one column instead of four, so the queue fits a laptop screen)."""
        about = [
            format_html("<strong>{}</strong>", obj.name),
            format_html(
                '{} <a href="{}">{}</a>',
                _("on"),
                obj.get_absolute_url(),
                Truncator(obj.article.headline).words(8),
            ),
        ]
        if obj.pick:
            about.append(format_html("<strong>{}</strong>", obj.get_pick_display()))
        if obj.recommendation_count:
            about.append(
                ngettext("%(count)d recommendation", "%(count)d recommendations", obj.recommendation_count)
                % {"count": obj.recommendation_count}
            )
        if obj.parent_id is not None:
            about.append(
                format_html(
                    '{} <a href="{}">{}: {}</a>',
                    _("in reply to"),
                    reverse("admin:comments_comment_change", args=[obj.parent_id]),
                    obj.parent.name,
                    Truncator(obj.parent.body).words(10),
                )
            )
        return format_html(
            '<a class="comment-text" href="{}">{}</a><span class="comment-about">{}</span>',
            reverse("admin:comments_comment_change", args=[obj.pk]),
            Truncator(obj.body).words(80),
            format_html_join(" · ", "{}", ((part,) for part in about)),
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
        if obj.status == Comment.Status.REJECTED and obj.rejection:
            return format_html('{}, {}<span class="comment-rejection">{}</span>', who, when, obj.rejection)
        return f"{who}, {when}"

    @admin.display(description=_("decide"))
    def decide(self, obj):
        """One-click decisions. The buttons submit a form outside the changelist's own form (forms cannot
        nest): the change_list.html override renders one per row, `moderate-<pk>`."""
        return format_html(
            '<span class="decide" data-comment="{}">{}</span>',
            obj.name,
            format_html_join(
                "",
                '<button type="submit" form="moderate-{}" name="status" value="{}" class="decide-{}" '
                'aria-keyshortcuts="{}" title="{} ({})">{}</button>',
                (
                    (obj.pk, status, status, key, label.rstrip("…"), key, label)
                    for status, label, key in DECISIONS
                    if status != obj.status
                ),
            ),
        )

    @admin.display(description=_("why rejected"))
    def rejection(self, obj):
        return obj.rejection or "-"

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

    def _pick(self, request, queryset, picked):
        """Editor's picks from the queue, through comments.picks.set_pick (which checks who may)."""
        try:
            count = picks.set_pick(queryset, user=request.user, picked=picked)
        except PermissionDenied as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            (
                ngettext("%(count)d comment marked as a pick.", "%(count)d comments marked as picks.", count)
                if picked
                else ngettext("%(count)d pick removed.", "%(count)d picks removed.", count)
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark selected comments as Editor’s picks"), permissions=["change"])
    def mark_pick(self, request, queryset):
        self._pick(request, queryset, True)

    @admin.action(description=_("Remove the pick from selected comments"), permissions=["change"])
    def remove_pick(self, request, queryset):
        self._pick(request, queryset, False)


@admin.register(ModeratedWord)
class ModeratedWordAdmin(admin.ModelAdmin):
    """Banned words reject a comment; suspect words hold it for a moderator. Checked on every new comment."""

    list_display = ["phrase", "action", "created_at"]
    list_filter = ["action"]
    search_fields = ["phrase"]
    list_editable = ["action"]


@admin.register(ReaderProfile)
class ReaderProfileAdmin(admin.ModelAdmin):
    """Readers' display names: an unfit one can be changed here (their comments show the new one)."""

    list_display = ["display_name", "user", "created_at"]
    search_fields = ["display_name", "user__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False  # profiles are made at sign-up

    def save_model(self, request, obj, form, change):
        readers.rename_reader(obj.user, obj.display_name)
