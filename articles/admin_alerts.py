"""Breaking news in the admin (editors only: the Editor group holds the alert permissions).

The form opens with the alert starting now and expiring in two hours; "Flag as breaking" on an article's
page opens it with that story chosen (?article=<id>). "End now" (a button on the alert, an action on the
list) sets its expiry to the present: the banner leaves every page at once.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Value
from django.db.models.functions import Least
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin_widgets import SafeAutocompleteMixin
from articles.models import Article, NewsAlert

SUGGESTED_DURATION = timedelta(hours=2)


class NewsAlertForm(forms.ModelForm):
    class Meta:
        model = NewsAlert
        fields = ["kind", "text", "article", "starts_at", "expires_at"]
        widgets = {"text": forms.TextInput(attrs={"class": "vTextField alert-text"})}  # room for one line

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if "expires_at" in self.changed_data and expires_at <= timezone.now():
            raise forms.ValidationError(_("This time has passed already: the alert would never show."))
        return expires_at


def end_alerts(queryset, *, now=None):
    """End the alerts in `queryset` that have not ended: they expire `now`. One that had not started yet is
    cancelled (its start moves to just before, as an alert must expire after it starts). Returns how many."""
    now = now or timezone.now()
    return queryset.filter(expires_at__gt=now).update(
        expires_at=now, starts_at=Least(F("starts_at"), Value(now - timedelta(seconds=1)))
    )


@admin.register(NewsAlert)
class NewsAlertAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    form = NewsAlertForm
    list_display = ["alert", "kind", "active_now", "starts_at", "expires_at"]
    list_filter = ["kind"]
    search_fields = ["text", "article__headline"]
    list_select_related = ["article", "created_by"]
    autocomplete_fields = ["article"]
    actions = ["end_now"]
    change_form_template = "admin/articles/newsalert/change_form.html"
    fieldsets = [
        (None, {"fields": ["kind", "text", "article"]}),
        (
            _("When"),
            {
                "fields": ["starts_at", "expires_at"],
                "description": _(
                    "The banner shows on every page of the site from the start to the expiry (one at a "
                    "time: the alert that started last)."
                ),
            },
        ),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description=_("alert"), ordering="text")
    def alert(self, obj):
        return str(obj)

    @admin.display(description=_("active now"), boolean=True)
    def active_now(self, obj):
        return obj.is_active()

    def get_changeform_initial_data(self, request):
        """Start now, end in two hours; the story from ?article=<id> ("Flag as breaking"). Nothing else is
        taken from the address: a garbled value there must not break the form."""
        now = timezone.now()
        initial = {"starts_at": now, "expires_at": now + SUGGESTED_DURATION}
        article = request.GET.get("article", "")
        if article.isdigit() and Article.objects.filter(pk=int(article)).exists():
            initial["article"] = int(article)
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("End the selected alerts now"), permissions=["change"])
    def end_now(self, request, queryset):
        ended = end_alerts(queryset)
        self.message_user(
            request,
            ngettext("%d alert ended.", "%d alerts ended.", ended) % ended,
            messages.SUCCESS if ended else messages.WARNING,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_end_now"] = (
            obj is not None and obj.expires_at > timezone.now() and self.has_change_permission(request, obj)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/end/", view(self.end_view), name="articles_newsalert_end"),
            *super().get_urls(),
        ]

    def end_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        alert = self.get_object(request, str(pk))
        if alert is None:
            self.message_user(request, _("That alert does not exist (any more)."), messages.WARNING)
            return redirect("admin:articles_newsalert_changelist")
        if not self.has_change_permission(request, alert):
            raise PermissionDenied
        if end_alerts(NewsAlert.objects.filter(pk=alert.pk)):
            self.message_user(request, _("“%s” has ended: the banner is gone.") % alert, messages.SUCCESS)
        else:
            self.message_user(request, _("“%s” had ended already.") % alert, messages.WARNING)
        return redirect("admin:articles_newsalert_change", alert.pk)
