from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles import (
    admin_fronts,  # noqa: F401 (registers the front page's admin)
    autosave,
    history,
    live,
    workflow,
)
from articles.admin_alerts import NewsAlertAdmin  # noqa: F401 (registers the breaking news admin)
from articles.admin_filters import ChoiceListFilter
from articles.admin_newsletters import NewsletterAdmin  # noqa: F401 (registers the newsletters admin)
from articles.admin_pages import PageAdmin  # noqa: F401 (registers the site pages admin)
from articles.admin_widgets import SafeAutocompleteMixin
from articles.embeds import admin as embed_admin  # noqa: F401 (registers the Embed admin)
from articles.forms import ArticleAdminForm, LiveSummaryForm, LiveUpdateForm
from articles.images import admin as image_admin
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleEvent,
    ArticleRevision,
    Author,
    Correction,
    LiveUpdate,
    Section,
)
from articles.preview import preview_url, revoke_previews
from articles.workflow import can_publish


@admin.register(Section)
class SectionAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "in_navigation", "pinned_lead"]
    list_editable = ["position", "in_navigation"]
    list_filter = ["in_navigation", "parent"]
    list_select_related = ["parent", "pinned_lead"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["pinned_lead"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "parent", "position", "in_navigation"]}),
        (
            _("Lead of the section page"),
            {
                "fields": ["pinned_lead", "pinned_lead_until"],
                "description": _(
                    "Pin a published story of this section (or a subsection) to lead its page, optionally "
                    "until a time. Without one, the newest featured story of the first page leads."
                ),
            },
        ),
    ]


@admin.register(Author)
class AuthorAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


class ArticleAuthorInline(SafeAutocompleteMixin, admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = _("byline")
    verbose_name_plural = _("byline (in order; leave empty to sign with your own name)")


class CorrectionInline(admin.StackedInline):
    """Editors only: journalists have no permission on corrections, so Django hides the inline for them."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "published_at"]
    verbose_name_plural = _("corrections and updates (shown to readers)")


class AuthorFilter(ChoiceListFilter):
    """By byline; the value must be the id of an author (ChoiceListFilter refuses anything else)."""

    title = _("author")
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return Author.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        return queryset.filter(bylines__author=self.value()) if self.value() else queryset


@admin.register(Article)
class ArticleAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "status_badge", "section", "byline", "publish_at", "thumbnail", "updated_at"]
    list_filter = ["status", "section", AuthorFilter, "featured", "live_coverage", "publish_at"]
    search_fields = ["headline", "kicker", "dek", "slug", "body"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_image", "section"]
    list_select_related = ["section", "lead_image"]
    inlines = [ArticleAuthorInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected", "submit_selected"]
    change_form_template = "admin/articles/article/change_form.html"
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "dek", "source_label", "body", "base_version"]}),
        (_("Byline and placement"), {"fields": ["byline_text", "section", "tags", "lead_image", "featured"]}),
        (
            _("Live coverage"),
            {
                "fields": ["live_coverage", "coverage_started_at", "live_summary"],
                "classes": ["collapse"],
                "description": _(
                    "A live story shows a stream of updates, newest first, posted from its “Live updates” "
                    "page (the button at the top once it is saved). Editors start and reopen coverage."
                ),
            },
        ),
        (
            _("Publishing"),
            {
                "fields": ["status", "publish_at", "expires_at", "comment_policy"],
                "description": _(
                    "Use the buttons at the bottom to submit, publish or unpublish. A publish time in the "
                    "future schedules the article: it appears on its own at that time."
                ),
            },
        ),
    ]

    class Media:
        js = ["js/admin-tags.js", "js/admin-slug.js", "js/admin-autosave.js"]
        css = {"all": ["css/admin.css"]}

    @admin.display(description=_("byline"))
    def byline(self, obj):
        return ", ".join(author.name for author in obj.byline_authors)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        label, css = obj.get_status_display(), obj.status
        if obj.is_scheduled:
            label, css = _("Scheduled"), "scheduled"
        return format_html('<span class="status-badge status-{}">{}</span>', css, label)

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        if not obj.lead_image_id:
            return ""
        return image_admin.thumbnail_html(obj.lead_image)

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")))
        )
        if can_publish(request.user):
            return queryset
        return queryset.written_by(request.user)  # a journalist: their own stories only

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and not can_publish(request.user)
            and obj.status not in (Article.Status.DRAFT, Article.Status.REVIEW)
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = ["status"]
        if not can_publish(request.user):
            fields += ["publish_at", "expires_at", "featured", "live_coverage", "coverage_started_at"]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restored = getattr(request, "restored_autosave", None)
        if restored is not None and obj is not None:
            initial = autosave.form_initial(restored)

            class RestoredForm(form):
                def __init__(self, *args, **kwargs):
                    kwargs.setdefault("initial", initial)
                    super().__init__(*args, **kwargs)

            form = RestoredForm
        if "tags" in form.base_fields:
            form.base_fields["tags"].widget.attrs.update(
                {"data-suggest-url": reverse("admin:articles_tag_suggestions"), "autocomplete": "off"}
            )
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        for notice in getattr(form, "notices", []):
            messages.info(request, notice)
        # Saved: the kept copy of the typing has nothing the story lacks.
        autosave.discard(user=request.user, article=obj if change else None)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        author = getattr(request.user, "author", None)
        if author is not None and not article.bylines.exists():
            ArticleAuthor.objects.create(article=article, author=author)
        new_corrections = [
            correction
            for formset in formsets
            if formset.model is Correction
            for correction in formset.new_objects
        ]
        for correction in new_corrections:
            Correction.objects.filter(pk=correction.pk).update(created_by=request.user)
        if new_corrections:
            Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
            history.record(
                article, ArticleEvent.Action.CORRECTED, by=request.user, note=new_corrections[-1].text
            )
        action = ArticleEvent.Action.EDITED if change else ArticleEvent.Action.CREATED
        history.record(article, action, by=request.user)

    # Workflow buttons: the form is saved first, then the transition runs (same transaction).
    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._after_save(request, obj) or super().response_change(request, obj)

    def _after_save(self, request, obj):
        name = request.POST.get("_transition")
        if name in workflow.TRANSITIONS:
            try:
                workflow.TRANSITIONS[name](obj, by=request.user)
            except workflow.TransitionError as error:
                self.message_user(request, _("Saved, but not done: %s") % error, messages.ERROR)
            except PermissionDenied:
                self.message_user(request, _("Saved, but you may not do that."), messages.ERROR)
            else:
                obj.refresh_from_db()
                self.message_user(request, _("“%(article)s”: %(status)s.") % {
                    "article": obj, "status": _("scheduled") if obj.is_scheduled else obj.get_status_display()
                }, messages.SUCCESS)  # fmt: skip
            return redirect("admin:articles_article_change", obj.pk)
        if "_preview" in request.POST:
            return redirect(preview_url(obj))
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            # Keep the version being opened, so a later edit conflict can show exactly what changed since.
            article = self.get_object(request, object_id)
            if article is not None and not article.revisions.filter(version=article.version).exists():
                history.record_revision(article, by=None, reason="Opened for editing")
            if article is not None:
                self._offer_autosave(request, article)
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "GET":
            self._offer_autosave(request, None)
        return super().add_view(request, form_url, extra_context)

    def _offer_autosave(self, request, article):
        """Text kept by autosave that the story lacks: offered on the form, or put back into it."""
        copy = autosave.pending(user=request.user, article=article)
        if copy is None:
            return
        if request.GET.get("restore") == "autosave":
            request.restored_autosave = copy
            when = date_format(timezone.localtime(copy.saved_at), "H:i")
            self.message_user(
                request,
                _("The text kept at %(time)s is back in the form. Check it, then save.") % {"time": when},
                messages.INFO,
            )
        else:
            request.autosave_offer = copy

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        restored = getattr(request, "restored_autosave", None)
        return {**initial, **autosave.form_initial(restored)} if restored is not None else initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["transitions"] = (
            workflow.available_transitions(obj, request.user)
            if obj
            else [("submit", _("Save and submit for review"))]
        )
        context["can_revoke_previews"] = bool(obj) and can_publish(request.user)
        context["autosave_offer"] = getattr(request, "autosave_offer", None)
        context["autosave_seconds"] = settings.NEWSMAG_AUTOSAVE_SECONDS
        context["can_flag_breaking"] = bool(obj) and request.user.has_perm("articles.add_newsalert")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _bulk(self, request, queryset, transition):
        done, refused = 0, []
        for article in queryset:
            try:
                transition(article, by=request.user)
                done += 1
            except (workflow.TransitionError, PermissionDenied) as error:
                refused.append(f"{article}: {error or _('not allowed')}")
        if done:
            self.message_user(request, _("%d article(s) done.") % done, messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("Publish or schedule selected articles"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.publish)

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.unpublish)

    @admin.action(description=_("Submit selected drafts for review"), permissions=["change"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.submit_for_review)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("tag-suggestions/", view(self.tag_suggestions), name="articles_tag_suggestions"),
            path("autosave/", view(self.autosave_view), name="articles_article_autosave"),
            path(
                "autosave/discard/",
                view(self.discard_autosave_view),
                name="articles_article_autosave_discard",
            ),
            path("<int:pk>/preview/", view(self.preview_view), name="articles_article_preview"),
            path(
                "<int:pk>/preview/revoke/",
                view(self.revoke_previews_view),
                name="articles_article_revoke_previews",
            ),
            path("<int:pk>/history/compare/", view(self.compare_view), name="articles_article_compare"),
            path("<int:pk>/live/", view(self.live_view), name="articles_article_live"),
            path("<int:pk>/live/end/", view(self.end_coverage_view), name="articles_article_live_end"),
            path(
                "<int:pk>/live/summary/", view(self.live_summary_view), name="articles_article_live_summary"
            ),
            path("<int:pk>/live/<int:update>/", view(self.live_view), name="articles_article_live_update"),
            path(
                "<int:pk>/live/<int:update>/delete/",
                view(self.delete_update_view),
                name="articles_article_live_delete",
            ),
            path(
                "<int:pk>/history/restore/<int:version>/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions(self, request):
        """Existing tags starting with ?q=, for the tag field's autocomplete (staff only)."""
        term = request.GET.get("q", "").strip()
        names = (
            Tag.objects.filter(name__istartswith=term).order_by("name").values_list("name", flat=True)[:10]
        )
        return JsonResponse({"tags": list(names) if term else []})

    def autosave_view(self, request):
        """Keep the form's typed text (POST from static/js/admin-autosave.js); never changes the story."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._autosave_target(request)
        try:
            base_version = int(request.POST["base_version"]) if request.POST.get("base_version") else None
            copy = autosave.keep(
                user=request.user, article=article, data=request.POST, base_version=base_version
            )
        except (ValueError, autosave.AutosaveRefused) as error:
            return JsonResponse({"error": str(error)}, status=400)
        return JsonResponse({"saved_at": copy.saved_at.isoformat()})

    def discard_autosave_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._autosave_target(request)
        autosave.discard(user=request.user, article=article)
        self.message_user(request, _("The kept text was discarded."), messages.INFO)
        if article is None:
            return redirect("admin:articles_article_add")
        return redirect("admin:articles_article_change", article.pk)

    def _autosave_target(self, request):
        """The article named by POST `article` that `request.user` may change (None: a new story they may
        add); 403 or 404 otherwise."""
        pk = request.POST.get("article", "")
        if not pk:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        if not pk.isdigit():
            raise Http404
        article = self.get_object(request, pk)
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def _article_or_404(self, request, pk):
        article = self.get_object(request, str(pk))
        if article is None or not self.has_view_permission(request, article):
            raise Http404
        return article

    def preview_view(self, request, pk):
        return redirect(preview_url(self._article_or_404(request, pk)))

    def revoke_previews_view(self, request, pk):
        """Editors: every preview link of the story made so far stops working (a new one can be made)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, pk)
        revoke_previews(article, by=request.user)  # PermissionDenied (403) for anyone who cannot publish
        self.message_user(
            request,
            _("Every earlier preview link of “%s” has stopped working. Press “Preview” for a new one.")
            % article,
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    def history_view(self, request, object_id, extra_context=None):
        """Who did what and when, every change to the provenance of its images, and every revision, with
        compare and restore."""
        article = self._article_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("History: %s") % article,
            "article": article,
            "events": article.events.select_related("actor")[:200],
            "revisions": article.revisions.select_related("created_by"),
            # Provenance changes of the images it showed at the time (the lead image's AI label, credit).
            "image_changes": article.image_provenance_changes.select_related("changed_by", "image"),
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/history.html", context)

    def compare_view(self, request, pk):
        article = self._article_or_404(request, pk)
        revisions = article.revisions.select_related("created_by")
        try:
            old = revisions.get(version=int(request.GET.get("a", "")))
            new = revisions.get(version=int(request.GET.get("b", "")))
        except (ValueError, ArticleRevision.DoesNotExist):
            self.message_user(request, _("Pick two revisions to compare."), messages.WARNING)
            return redirect("admin:articles_article_history", article.pk)
        if old.version > new.version:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Compare versions %(a)s and %(b)s") % {"a": old.version, "b": new.version},
            "article": article,
            "old": old,
            "new": new,
            "changes": history.diff(old.data, new.data),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, pk, version):
        article = self._article_or_404(request, pk)
        if request.method != "POST" or not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(ArticleRevision, article=article, version=version)
        try:
            history.restore(revision, by=request.user)
        except history.RestoreError as error:
            message = str(error)
            other = error.taken_by
            if other is not None and self.get_queryset(request).filter(pk=other.pk).exists():
                message += " " + _("It is used by “%s”.") % other  # only named to those who may see it
            self.message_user(request, message, messages.ERROR)
            return redirect("admin:articles_article_history", article.pk)
        self.message_user(request, _("Version %d restored (as a new revision).") % version, messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    # The live desk: post updates in seconds, list the recent ones, keep the summary, end the coverage.
    # Who may do what is decided in articles/live.py; a journalist reaches only their own stories here.

    def _live_story_or_404(self, request, pk):
        article = self._article_or_404(request, pk)
        if not article.is_live_story:
            raise Http404
        if not live.can_post(request.user, article):
            raise PermissionDenied
        return article

    def live_view(self, request, pk, update=None):
        """Post an update (or, with `update`, edit one) and see the newest ones."""
        article = self._live_story_or_404(request, pk)
        instance = None
        if update is not None:
            instance = get_object_or_404(LiveUpdate, pk=update, article=article)
            if not live.can_change(request.user, instance):
                raise PermissionDenied
        form = LiveUpdateForm(request.POST or None, instance=instance, user=request.user)
        if request.method == "POST":
            if form.is_valid():
                try:
                    self._save_update(request, article, form, instance)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return redirect("admin:articles_article_live", article.pk)
        elif instance is None and not article.is_live:
            form = None  # ended: nothing more is posted
        recent = list(article.live_updates.select_related("author", "created_by")[:50])
        for item in recent:
            item.can_change = live.can_change(request.user, item)
            item.can_delete = live.can_delete(request.user, item)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Live updates: %s") % article,
            "article": article,
            "form": form,
            "editing": instance,
            "media": self.media + (form.media if form else LiveUpdateForm().media),
            "summary_form": LiveSummaryForm(instance=article),
            "recent": recent,
            "can_end": live.can_end(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/live.html", context)

    def _save_update(self, request, article, form, instance):
        data = form.cleaned_data
        if instance is None:
            live.post_update(
                article, by=request.user, author=data["author"], headline=data["headline"], body=data["body"],
                key_event=data["key_event"],
            )  # fmt: skip
            self.message_user(request, _("Update posted."), messages.SUCCESS)
        else:
            with transaction.atomic():
                form.save()
            self.message_user(request, _("Update changed."), messages.SUCCESS)

    def live_summary_view(self, request, pk):
        article = self._live_story_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = LiveSummaryForm(request.POST, instance=article)
        if form.is_valid():
            with transaction.atomic():
                article.live_summary = form.cleaned_data["live_summary"]
                article.save(update_fields=["live_summary", "version", "updated_at"])
                history.log_event(article, ArticleEvent.Action.EDITED, by=request.user, note="Live summary")
            self.message_user(request, _("Summary saved."), messages.SUCCESS)
        else:
            self.message_user(request, _("Summary not saved: %s") % form.errors.as_text(), messages.ERROR)
        return redirect("admin:articles_article_live", article.pk)

    def delete_update_view(self, request, pk, update):
        article = self._live_story_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = get_object_or_404(LiveUpdate, pk=update, article=article)
        if not live.can_delete(request.user, item):
            raise PermissionDenied
        with transaction.atomic():
            item.delete()
        self.message_user(request, _("Update deleted."), messages.SUCCESS)
        return redirect("admin:articles_article_live", article.pk)

    def end_coverage_view(self, request, pk):
        article = self._live_story_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            live.end_coverage(article, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("The live coverage has ended."), messages.SUCCESS)
        return redirect("admin:articles_article_live", article.pk)
