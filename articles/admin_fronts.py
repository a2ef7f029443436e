"""The front page in the admin: the working copy (containers in order, each with its pinned stories),
preview, publish, history and restore. Editors only (articles.roles); journalists see none of it.

Django has no nested inlines, so the front page's change page lists its containers (an inline sorted by
drag and drop) and each links to its own change page, where its pinned stories are an inline too.
Publishing and restoring are the functions of articles.fronts; this module only calls them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import fronts
from articles.admin_widgets import SafeAutocompleteMixin
from articles.models import Article, Container, FrontPage, FrontRevision, Pin
from articles.models.fronts import Source

SORTABLE_MEDIA = forms.Media(js=["js/admin-sortable.js"], css={"all": ["css/admin.css"]})


def _renumber(queryset):
    """Positions 1, 2, 3… in the current order (the order the editor left; new rows at the end)."""
    for number, pk in enumerate(queryset.order_by("position", "pk").values_list("pk", flat=True), start=1):
        queryset.filter(pk=pk).exclude(position=number).update(position=number)


class ContainerFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data") and not self._should_delete_form(form)
        ]
        if sum(form.cleaned_data.get("source") == Source.MOST_READ for form in kept) > 1:
            raise ValidationError(_("The page has one “Most read” list at most."))


class PlainRelatedMixin:
    """No add / change / delete / view buttons beside the related fields: the row stays narrow, and
    sections, tags and stories are edited in their own pages."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        for name in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
            if hasattr(widget, name):
                setattr(widget, name, False)
        return field


class ContainerInline(PlainRelatedMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = Container
    formset = ContainerFormSet
    fields = ["position", "title", "source", "section", "tag", "layout", "size", "pinned_stories"]
    readonly_fields = ["pinned_stories"]
    autocomplete_fields = ["section", "tag"]
    extra = 0
    verbose_name_plural = _("containers, top to bottom (drag to reorder)")

    @admin.display(description=_("pinned stories"))
    def pinned_stories(self, obj):
        if obj is None or obj.pk is None:
            return _("Save first, then pin stories.")
        pins = list(obj.pins.select_related("article"))
        url = reverse("admin:articles_container_change", args=[obj.pk])
        label = ngettext("Edit %d pinned story", "Edit %d pinned stories", len(pins)) % len(pins)
        if obj.source == Source.MOST_READ:
            return _("Readers' reads fill it (no pins).")
        headlines = format_html_join("", "<li>{}</li>", ((pin.article.headline,) for pin in pins))
        return format_html('<ul class="front-pins">{}</ul><a href="{}">{}</a>', headlines, url, label)


class FrontPageForm(forms.ModelForm):
    note = forms.CharField(
        label=_("Note for the history"),
        required=False,
        max_length=200,
        help_text=_("Optional, kept with the revision when you publish (e.g. “Election night”)."),
    )

    class Meta:
        model = FrontPage
        fields = []


@admin.register(FrontPage)
class FrontPageAdmin(admin.ModelAdmin):
    form = FrontPageForm
    inlines = [ContainerInline]
    list_display = ["__str__", "live_since", "unpublished_changes"]
    list_select_related = ["live_revision__created_by"]
    change_form_template = "admin/articles/frontpage/change_form.html"
    fields = ["note"]

    @property
    def media(self):
        return super().media + SORTABLE_MEDIA

    def has_add_permission(self, request):
        return False  # the home page exists (the migration made it); section fronts come later

    def has_delete_permission(self, request, obj=None):
        return False

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_frontpage")

    @admin.display(description=_("live since"))
    def live_since(self, obj):
        revision = obj.live_revision
        if revision is None:
            return _("Never published: readers see the automatic page")
        return date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT")

    @admin.display(description=_("unpublished changes"))
    def unpublished_changes(self, obj):
        if obj.changed_since is None:
            return "—"
        return _("since %s") % date_format(timezone.localtime(obj.changed_since), "DATETIME_FORMAT")

    def save_model(self, request, obj, form, change):
        # Nothing of the front page itself is edited here (its containers are): saving it would retire
        # every kept page for a draft that readers do not see.
        request.front_note = form.cleaned_data.get("note", "")

    def save_formset(self, request, form, formset, change):
        _save_in_order(formset)
        _renumber(form.instance.containers.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        fronts.note_working_copy_changed(form.instance)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            if not self.has_publish_permission(request):
                self.message_user(
                    request, _("Saved, but you may not publish the front page."), messages.ERROR
                )
            else:
                fronts.publish_front(front=obj, by=request.user, note=getattr(request, "front_note", ""))
                self.message_user(
                    request, _("Published: readers see this arrangement of “%s” now.") % obj, messages.SUCCESS
                )
            return redirect("admin:articles_frontpage_change", obj.pk)
        if "_preview" in request.POST:
            return redirect("admin:articles_frontpage_preview", obj.pk)
        if "_continue" not in request.POST:
            self.message_user(
                request,
                _("Saved as a draft: readers see it only once you press “Publish”."),
                messages.INFO,
            )
            return redirect("admin:articles_frontpage_change", obj.pk)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            obj.refresh_from_db(fields=["live_revision", "changed_since"])
            context.update(
                front_state=_state(obj),
                can_publish_front=self.has_publish_permission(request),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="articles_frontpage_preview"),
            path(
                "<int:pk>/history/<int:revision>/restore/",
                view(self.restore_view),
                name="articles_frontpage_restore",
            ),
            *super().get_urls(),
        ]

    def _front_or_404(self, request, pk):
        front = self.get_object(request, str(pk))
        if front is None:
            raise Http404
        if not self.has_view_permission(request, front):
            raise PermissionDenied
        return front

    def preview_view(self, request, pk):
        """The working copy rendered exactly as readers will see it once published (never cached)."""
        front = self._front_or_404(request, pk)
        page = fronts.working_front(front)
        context = {"front": page, "most_read": fronts.most_read_beside(page), "preview": True}
        response = TemplateResponse(request, "articles/home.html", context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def history_view(self, request, object_id, extra_context=None):
        front = self._front_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("History: %s") % front,
            "front": front,
            "revisions": front.revisions.select_related("created_by")[:200],
            "can_restore": self.has_change_permission(request, front),
        }
        return TemplateResponse(request, "admin/articles/frontpage/history.html", context)

    def restore_view(self, request, pk, revision):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        front = self._front_or_404(request, pk)
        if not self.has_change_permission(request, front):
            raise PermissionDenied
        revision = get_object_or_404(FrontRevision, front=front, pk=revision)
        dropped = fronts.restore_revision(revision=revision, by=request.user)
        self.message_user(
            request,
            _(
                "The arrangement published %(when)s is back in the working copy. "
                "Readers see it once you press “Publish”."
            )
            % {"when": date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT")},
            messages.SUCCESS,
        )
        if dropped:
            self.message_user(
                request,
                _("Left out, deleted since: %s") % ", ".join(f"“{name}”" for name in dropped),
                messages.WARNING,
            )
        return redirect("admin:articles_frontpage_change", front.pk)


def _state(front):
    """What the change page says about the front: what readers see and whether the working copy differs."""
    revision = front.live_revision
    if revision is None:
        live = _("Never published: readers see the automatic page (lead, top stories, sections, latest).")
    else:
        live = _("Readers see the arrangement published %(when)s by %(who)s.") % {
            "when": date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT"),
            "who": revision.created_by or _("someone no longer here"),
        }
    changed = fronts.has_unpublished_changes(front)
    since = front.changed_since
    return {
        "live": live,
        "changed": changed,
        "changed_since": date_format(timezone.localtime(since), "DATETIME_FORMAT")
        if changed and since
        else "",
    }


def _save_in_order(formset):
    """Save a sortable inline's formset; rows added without a position go to the end."""
    instances = formset.save(commit=False)
    last = max((form.instance.position for form in formset.forms if form.instance.pk), default=0)
    for instance in instances:
        if instance.pk is None and not instance.position:
            last += 1
            instance.position = last
        instance.save()
    for instance in formset.deleted_objects:
        instance.delete()
    formset.save_m2m()


class PinFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        container = self.instance
        kept = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and form.cleaned_data.get("article")
            and not self._should_delete_form(form)
        ]
        if kept and container.source == Source.MOST_READ:
            raise ValidationError(_("“Most read” is filled by readers' reads: it takes no pinned stories."))
        if container.size and len(kept) > container.size:
            raise ValidationError(
                _("This container shows %(size)d stories: pin at most %(size)d, or raise its size.")
                % {"size": container.size}
            )


class PinForm(forms.ModelForm):
    class Meta:
        model = Pin
        fields = ["position", "article", "until"]

    def clean_until(self):
        until = self.cleaned_data.get("until")
        if until and "until" in self.changed_data and until <= timezone.now():
            raise ValidationError(_("This time has passed: the pin would never show."))
        return until


class PinInline(PlainRelatedMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = Pin
    form = PinForm
    formset = PinFormSet
    fields = ["position", "article", "until", "state"]
    readonly_fields = ["state"]
    autocomplete_fields = ["article"]
    extra = 0
    verbose_name_plural = _(
        "pinned stories, in order (drag to reorder): they come first, the rule fills the rest"
    )

    @admin.display(description=_("now"))
    def state(self, obj):
        if obj is None or obj.pk is None:
            return ""
        article = obj.article
        if obj.lapsed:
            return _("Lapsed: not shown")
        if not Article.objects.published().filter(pk=article.pk).exists():
            return (
                _("Scheduled: shown once published")
                if article.is_scheduled
                else _("Not published: not shown")
            )
        return _("Shown")


@admin.register(Container)
class ContainerAdmin(PlainRelatedMixin, SafeAutocompleteMixin, admin.ModelAdmin):
    """A container's own page: its settings and pinned stories. Reached from the front page."""

    inlines = [PinInline]
    fields = ["front_link", "title", "source", "section", "tag", "layout", "size"]
    readonly_fields = ["front_link"]
    autocomplete_fields = ["section", "tag"]
    change_form_template = "admin/articles/container/change_form.html"

    @property
    def media(self):
        return super().media + SORTABLE_MEDIA

    def get_model_perms(self, request):
        return {}  # not listed on the admin's index: containers are reached from their front page

    def has_add_permission(self, request):
        return False  # added on the front page, in their place

    @admin.display(description=_("front page"))
    def front_link(self, obj):
        url = reverse("admin:articles_frontpage_change", args=[obj.front_id])
        return format_html('<a href="{}">{}</a>', url, obj.front)

    def save_formset(self, request, form, formset, change):
        _save_in_order(formset)
        _renumber(form.instance.pins.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        fronts.note_working_copy_changed(form.instance.front)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return redirect("admin:articles_frontpage_preview", obj.front_id)
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        self.message_user(request, _("“%s” saved as a draft.") % obj, messages.SUCCESS)
        return redirect("admin:articles_frontpage_change", obj.front_id)

    def delete_model(self, request, obj):
        front = obj.front
        super().delete_model(request, obj)
        fronts.note_working_copy_changed(front)
        request.front_id = front.pk

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(request, _("“%s” removed from the working copy.") % obj_display, messages.SUCCESS)
        return redirect("admin:articles_frontpage_change", request.front_id)
