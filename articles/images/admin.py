"""The image library in the admin: upload, credit and provenance, focal point, where it is used.

Who may change what is `articles.images.provenance`: a journalist cannot touch an image in someone else's
live story, nor the provenance of any image in a live story, and sees only the stories they may open.
"""

import contextlib
import copy

from django.contrib import admin
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles.admin_filters import ChoiceListFilter
from articles.images import provenance
from articles.images.forms import ImageAdminForm
from articles.images.jobs import make_renditions, schedule_renditions
from articles.images.renditions import delete_renditions, rendition_problem, renditions_complete, shown_at
from articles.images.uploads import STORAGE_ERRORS
from articles.models import Image
from articles.models.images import PROVENANCE_FIELDS


def thumbnail_html(image):
    """A 64 px square thumbnail for admin lists, from the smallest square rendition (never the original)."""
    if image is None or not image.file:
        return ""
    shown = shown_at(image, 64, crop="1x1")
    return format_html(
        '<img class="admin-thumb" src="{}" alt="" width="64" height="64" loading="lazy">', shown.url
    )


class AIGeneratedFilter(ChoiceListFilter):
    title = _("AI-generated")
    parameter_name = "ai"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.ai_generated()
        if self.value() == "no":
            return queryset.exclude(pk__in=Image.objects.ai_generated())
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "title", "credit_line", "source_type", "width", "height", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [AIGeneratedFilter, "source_type", "uploaded_at"]
    search_fields = ["title", "caption", "credit", "creator", "alt_text", "file"]  # file: by its name
    date_hierarchy = "uploaded_at"
    readonly_fields = [
        "preview",
        "credit_line",
        "found_in_file",
        "usage",
        "width",
        "height",
        "uploaded_by",
        "uploaded_at",
    ]
    fieldsets = [
        (None, {
            "fields": ["file", "pending_upload", "preview", "title", "alt_text", "is_decorative", "caption"],
        }),
        (_("Credit and provenance"), {
            "fields": ["credit", "creator", "source_type", "ai_system", "copyright_notice", "licence",
                       "credit_line", "found_in_file"],
            "description": _("Empty fields are filled from the file's own metadata when you upload it."),
        }),
        (_("Crops"), {
            "fields": ["focal_x", "focal_y"],
            "classes": ["collapse"],
            "description": _("Click the preview above to set the point that square and wide crops keep."),
        }),
        (_("Details"), {
            "classes": ["collapse"], "fields": ["width", "height", "uploaded_by", "uploaded_at", "usage"],
        }),
    ]  # fmt: skip

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-focal.js"]

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return thumbnail_html(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.file:
            return "-"
        image = format_html('<img src="{}" alt="" width="320">', shown_at(obj, 320, jpeg=True).url)
        problem = rendition_problem(obj)
        if problem:
            return format_html('{}<p class="errornote">{}</p>', image, problem)
        if not renditions_complete(obj.renditions):
            return format_html("{}<p>{}</p>", image, _("The web sizes are being made; readers see a smaller "
                                                       "version until then."))  # fmt: skip
        return image

    @admin.display(description=_("credit line"))
    def credit_line(self, obj):
        return obj.credit_line() or "-"

    @admin.display(description=_("found in the file"))
    def found_in_file(self, obj):
        labels = {field.name: field.verbose_name for field in Image._meta.fields}
        rows = ((labels.get(key, key), value) for key, value in sorted((obj.metadata or {}).items()))
        return format_html_join("", "<div>{}: {}</div>", rows) or _(
            "Nothing (no XMP, IPTC or EXIF credit data)."
        )

    @admin.display(description=_("used by"))
    def usage(self, obj):
        if not obj.pk:
            return "-"
        # Only the stories the person looking may see: another journalist's draft headline is not theirs.
        articles = provenance.stories_shown_to(getattr(obj, "shown_to", None), obj).select_related("section")
        return (
            format_html_join(", ", '<a href="{}">{}</a>', ((a.get_absolute_url(), a) for a in articles))
            or "-"
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.shown_to = request.user  # for `usage`, which Django calls with the object alone
        return obj

    def has_change_permission(self, request, obj=None):
        if obj is not None and not provenance.may_change(request.user, obj):
            return False  # someone else's live story shows it: read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not provenance.may_change(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and provenance.provenance_for_editors(request.user, obj):
            fields += [name for name in PROVENANCE_FIELDS if name not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = copy.deepcopy(super().get_fieldsets(request, obj))
        options = fieldsets[1][1]
        if obj is not None and provenance.provenance_for_editors(request.user, obj):
            options["description"] = _(
                "This image is in a published or scheduled story: only an editor may change the file, the "
                "source type, the AI system, the credit or the creator."
            )
        elif obj is not None:
            options["fields"] = [*options["fields"], "provenance_reason"]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # a class made for this request (modelform_factory)
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        if hasattr(form, "found_metadata"):  # a new file was uploaded
            obj.metadata = form.found_metadata
        super().save_model(request, obj, form, change)
        if change:
            provenance.record_change(
                obj,
                before=form.provenance_before,
                by=request.user,
                reason=form.cleaned_data.get("provenance_reason", ""),
            )
        changed = [*form.changed_data, "file"] if form.file_replaced else form.changed_data
        # The web sizes are made by the worker after the commit (articles/images/jobs.py): the editor does
        # not wait for them, and pages show the interim picture until they land.
        schedule_renditions(obj, changed if change else None)
        replaced = getattr(form, "replaced_renditions", None)
        if replaced:
            transaction.on_commit(lambda: delete_renditions(replaced))
        pending = form.kept_upload()
        if pending:
            transaction.on_commit(lambda: _delete_quietly(pending["name"]))

    def delete_model(self, request, obj):
        images = [(obj.pk, obj.renditions)]  # Model.delete() forgets the pk
        super().delete_model(request, obj)
        _forget_files(images)

    def delete_queryset(self, request, queryset):
        images = list(queryset.values_list("pk", "renditions"))
        super().delete_queryset(request, queryset)
        _forget_files(images)


def _forget_files(images):
    """After deleted images' rows are gone ((pk, renditions) pairs): their interim pictures after the commit,
    their renditions by the job (which finds no row and removes the folder, also undoing a job that was
    still running). The original stays, as before: backups and the provenance record name it."""
    for pk, renditions in images:
        interim = (renditions or {}).get("interim")
        if interim:
            transaction.on_commit(lambda name=interim["name"]: _delete_quietly(name))
        make_renditions.delay_on_commit(pk)


def _delete_quietly(name):
    with contextlib.suppress(*STORAGE_ERRORS):  # an orphan file costs some bytes; the save succeeded
        default_storage.delete(name)
