from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import moderation
from comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue. Opens on pending comments; status changes only through the actions."""

    list_display = ["excerpt", "name", "article", "in_reply_to", "status", "reasons", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["body", "name", "email", "article__headline"]
    date_hierarchy = "created_at"
    list_select_related = ["article", "parent"]
    actions = ["approve", "reject", "mark_spam"]
    readonly_fields = [
        "article",
        "parent",
        "user",
        "name",
        "email",
        "body",
        "status",
        "moderation_reasons",
        "ip_address",
        "user_agent",
        "created_at",
        "moderated_by",
        "moderated_at",
    ]
    fields = readonly_fields

    def changelist_view(self, request, extra_context=None):
        if not request.GET and request.method == "GET":
            return redirect(f"{request.path}?status__exact={Comment.Status.PENDING}")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False  # comments come from readers, through the site

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.body).words(25)

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, obj):
        return Truncator(obj.parent.body).words(10) if obj.parent else ""

    @admin.display(description=_("why held"))
    def reasons(self, obj):
        return "; ".join(obj.moderation_reasons)

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
