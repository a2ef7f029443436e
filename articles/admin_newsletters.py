"""Newsletters in the admin (editors only: the Editor group holds these permissions).

Editors define newsletters; issues are assembled by the every-minute job (articles/newsletters/issues.py)
and wait as drafts until their time: editors reorder the stories (position), leave some out, add an intro,
"Preview" exactly what subscribers get and "Send a test to me". Subscribers' addresses are not shown
anywhere: the lists show counts. Suppressed addresses are kept as hashes; search them by address.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from articles.admin_widgets import SafeAutocompleteMixin
from articles.models import Issue, IssueItem, Newsletter, Suppression
from articles.models.newsletters import address_hash
from articles.newsletters import issues, mail, sending


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "section", "send_time", "active", "confirmed_subscribers"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "kind", "section", "send_time", "active", "position"]

    def get_queryset(self, request):
        confirmed = Count("subscriptions", filter=Q(subscriptions__confirmed_at__isnull=False))
        return super().get_queryset(request).select_related("section").annotate(confirmed=confirmed)

    @admin.display(description=_("confirmed subscribers"), ordering="confirmed")
    def confirmed_subscribers(self, obj):
        return obj.confirmed


class IssueItemInline(SafeAutocompleteMixin, admin.TabularInline):
    model = IssueItem
    fields = ["position", "included", "article"]
    autocomplete_fields = ["article"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.editable and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.editable) and super().has_delete_permission(request, obj)


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "newsletter", "scheduled_for", "status", "stories", "delivered"]
    list_filter = ["status", "newsletter"]
    list_select_related = ["newsletter"]
    date_hierarchy = "scheduled_for"
    fields = ["newsletter", "status", "scheduled_for", "subject", "intro", "stories_since", "sent_at"]
    inlines = [IssueItemInline]
    change_form_template = "admin/articles/issue/change_form.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                story_count=Count("items", filter=Q(items__included=True), distinct=True),
                sent_count=Count("deliveries", filter=Q(deliveries__status="sent"), distinct=True),
            )
        )

    @admin.display(description=_("stories"), ordering="story_count")
    def stories(self, obj):
        return obj.story_count

    @admin.display(description=_("delivered"), ordering="sent_count")
    def delivered(self, obj):
        return obj.sent_count

    def get_readonly_fields(self, request, obj=None):
        always = ["newsletter", "status", "stories_since", "sent_at"]
        if obj is not None and not obj.editable:
            return [*always, "scheduled_for", "subject", "intro"]
        return always

    def has_add_permission(self, request):
        return False  # issues are assembled from the published stories, never typed in

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="articles_issue_preview"),
            path("<int:pk>/send-test/", view(self.send_test_view), name="articles_issue_send_test"),
            path("<int:pk>/refresh/", view(self.refresh_view), name="articles_issue_refresh"),
            *super().get_urls(),
        ]

    def _issue(self, request, pk, *, change=False):
        issue = self.get_object(request, str(pk))
        allowed = self.has_change_permission if change else self.has_view_permission
        if issue is None or not allowed(request, issue):
            raise PermissionDenied
        return issue

    def preview_view(self, request, pk):
        """The HTML part exactly as a subscriber gets it (its unsubscribe link names nobody)."""
        issue = self._issue(request, pk)
        _text, html = mail.issue_parts(
            issue, mail.issue_stories(issue), unsubscribe=mail.unsubscribe_url(0, issue.newsletter_id)
        )
        return HttpResponse(html)

    def send_test_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._issue(request, pk, change=True)
        if not request.user.email:
            self.message_user(
                request, _("Your login has no email address to send the test to."), messages.ERROR
            )
        else:
            try:
                sending.send_test(issue, to=request.user.email)
            except OSError as error:
                self.message_user(request, _("The mail server did not take it: %s") % error, messages.ERROR)
            else:
                self.message_user(request, _("A test was sent to %s.") % request.user.email, messages.SUCCESS)
        return redirect("admin:articles_issue_change", issue.pk)

    def refresh_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._issue(request, pk, change=True)
        added = issues.top_up(issue)
        self.message_user(request, _("%d new stories added at the end.") % added, messages.SUCCESS)
        return redirect("admin:articles_issue_change", issue.pk)


class SuppressionForm(forms.ModelForm):
    email = forms.EmailField(label=_("email address"), help_text=_("Kept only as a hash."))

    class Meta:
        model = Suppression
        fields = ["reason", "detail"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email"):
            self.instance.address_hash = address_hash(cleaned["email"])
            if Suppression.objects.filter(address_hash=self.instance.address_hash).exists():
                self.add_error("email", _("This address is suppressed already."))
        return cleaned


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """Addresses no newsletter mails again. Delete a row to lift a suppression (say, a mailbox that was
    full for good and works again)."""

    list_display = ["short_hash", "reason", "detail", "created_at"]
    list_filter = ["reason"]
    search_fields = ["address_hash"]
    search_help_text = _("Search by the full email address.")
    date_hierarchy = "created_at"

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = SuppressionForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return (
            ["email", "reason", "detail"]
            if obj is None
            else ["address_hash", "reason", "detail", "created_at"]
        )

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["address_hash", "reason", "created_at"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(address_hash=address_hash(search_term)), False

    @admin.display(description=_("address (hash)"), ordering="address_hash")
    def short_hash(self, obj):
        return f"{obj.address_hash[:16]}…"
