"""The embeds in the admin: paste a link, save, and it is resolved (articles.embeds.resolve); saving an
existing embed asks the provider again. `resolve/` is the same as JSON, for the body editor."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.embeds.cards import provider_of
from articles.embeds.resolve import EmbedRefused, EmbedUnavailable, allowed_provider, normalise_url, resolve
from articles.models import Embed


class EmbedAdminForm(forms.ModelForm):
    url = forms.CharField(
        label=_("address"),
        max_length=1000,
        help_text=_("The link to the post, video, track or chart, as copied from the browser's address bar."),
    )

    class Meta:
        model = Embed
        fields = ["url"]

    def clean_url(self):
        try:
            url = normalise_url(self.cleaned_data["url"])
            allowed_provider(url)
        except EmbedRefused as error:
            raise forms.ValidationError(str(error)) from None
        if self.instance.pk and url != self.instance.url:
            raise forms.ValidationError(_("The address of an embed cannot change: add a new embed instead."))
        return url

    def validate_unique(self):
        """An address added again is the same embed, asked again (resolve() updates it by its address)."""


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    form = EmbedAdminForm
    list_display = ["thumbnail_preview", "__str__", "provider_name", "type", "author_name", "resolved_at"]
    list_display_links = ["thumbnail_preview", "__str__"]
    list_filter = ["type"]
    search_fields = ["url", "title", "author_name"]
    readonly_fields = [
        "thumbnail_preview", "provider_name", "title", "author_name", "author_url", "type", "width", "height",
        "thumbnail_credit", "message", "resolved_at", "created_at",
    ]  # fmt: skip
    actions = ["resolve_again"]

    def get_fields(self, request, obj=None):
        return ["url"] if obj is None else ["url", *self.readonly_fields]

    @admin.display(description=_("thumbnail"))
    def thumbnail_preview(self, obj):
        if not obj.thumbnail:
            return "-"
        return format_html(
            '<img class="admin-thumb" src="{}" alt="" width="96" loading="lazy">', obj.thumbnail.url
        )

    @admin.display(description=_("provider"))
    def provider_name(self, obj):
        provider = provider_of(obj)
        return provider.name if provider else gettext("unknown (plain link)")

    def save_model(self, request, obj, form, change):
        embed = self._resolve(request, form.cleaned_data["url"])
        obj.pk = embed.pk
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        """After "Save", the embed itself, so the journalist sees what the provider gave (or why not)."""
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST or IS_POPUP_VAR in request.POST:
            return response
        return HttpResponseRedirect(reverse("admin:articles_embed_change", args=[obj.pk]))

    def _resolve(self, request, url):
        try:
            embed = resolve(url)
        except EmbedUnavailable as error:
            messages.warning(
                request,
                gettext("%(message)s Readers get a plain link card; save again to retry.")
                % {"message": error.message},
            )
            return error.embed
        if embed.message:
            messages.warning(request, embed.message)
        return embed

    @admin.action(description=_("Ask the providers again"), permissions=["change"])
    def resolve_again(self, request, queryset):
        for embed in queryset:
            self._resolve(request, embed.url)

    def get_urls(self):
        view = self.admin_site.admin_view(self.resolve_view)
        return [path("resolve/", view, name="articles_embed_resolve"), *super().get_urls()]

    def resolve_view(self, request):
        """POST {"url": ...} (JSON, or a form field) → {"id", "title", "provider", "thumbnail", "message"}.

        Staff only (admin_view), with the CSRF token, and the permission to add embeds. A link that cannot
        be embedded is a 400 with the message; a provider that cannot answer is a 200 with the link card's
        id and the message.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.content_type == "application/json":
            try:
                data = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                data = None
            url = data.get("url") if isinstance(data, dict) else None
        else:
            url = request.POST.get("url")
        if not isinstance(url, str) or not url.strip():
            return JsonResponse({"message": gettext('Send {"url": "https://…"}.')}, status=400)
        message = ""
        try:
            embed = resolve(url)
            message = embed.message
        except EmbedRefused as error:
            return JsonResponse({"message": str(error)}, status=400)
        except EmbedUnavailable as error:
            embed, message = error.embed, error.message
        provider = provider_of(embed)
        return JsonResponse({
            "id": embed.pk,
            "title": embed.title,
            "provider": provider.name if provider else "",
            "thumbnail": embed.thumbnail.url if embed.thumbnail else "",
            "message": message,
        })  # fmt: skip
