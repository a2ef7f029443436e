from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.images import UploadRefused, clean_upload
from articles.models import Article, ArticleEvent, Image, Section
from articles.revisions import diff, render_diff, snapshot
from newsmag import faults

# What journalists can do in the body editor; the sanitizer (articles.html) enforces it whatever is sent.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False},
    "HardBreak": True,
    "HorizontalRule": True,
    "History": True,
}


class ArticleAdminForm(forms.ModelForm):
    """The article form, with a rich-text body and edit-conflict detection.

    `base_version` carries the version the editor started from. If someone else saved in between, the save
    is refused, the other person's changes are shown, and this editor's text stays in the form; saving
    again (after reading what changed) goes through.
    """

    body = ProseEditorFormField(
        label=_("Body"),
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        widget=AdminProseEditorWidget(config={"extensions": BODY_EDITOR_EXTENSIONS}, preset="configurable"),
        help_text=_(
            "Use the toolbar for subheadings, lists, quotes and links. Pasted formatting is cleaned."
        ),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "kicker", "headline", "slug", "dek", "source_label", "body", "byline_text", "section", "tags",
            "lead_image", "featured", "status", "publish_at", "expires_at", "comment_policy",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk:
            return cleaned_data
        # Locked until the admin's transaction ends, so two saves cannot both pass this check.
        current = Article.objects.select_for_update().get(pk=self.instance.pk)
        base = cleaned_data.get("base_version")
        if base is not None and base != current.version:
            self.data = self.data.copy()
            self.data["base_version"] = current.version
            raise forms.ValidationError(self.conflict_message(current, base), code="edit_conflict")
        return cleaned_data

    def conflict_message(self, current, base):
        last = ArticleEvent.objects.filter(article=current).select_related("actor").first()
        who = (
            (last.actor.get_full_name() or last.actor.get_username()) if last and last.actor else _("someone")
        )
        when = f"{last.at:%H:%M}" if last else ""
        started = current.revisions.filter(version=base).first()
        changes = render_diff(diff(started.data, snapshot(current))) if started else ""
        return format_html(
            "{} {}{}",
            _("Not saved: %(who)s saved this article at %(when)s, after you opened it.")
            % {"who": who, "when": when},
            _("Your text is kept below. Check their changes, merge what you need, then save again."),
            format_html('<div class="conflict-diff">{}</div>', changes) if changes else "",
        )


PENDING_SALT = "articles.pending-upload"
PREFILLED_FIELDS = [
    "alt_text",
    "caption",
    "credit",
    "creator",
    "copyright_notice",
    "licence",
    "source_type",
    "ai_system",
]


class ImageAdminForm(forms.ModelForm):
    """Upload with checks, metadata pre-fill and no lost upload.

    The file is checked and re-encoded (articles.images.clean_upload). Fields the editor left empty are
    filled from the file's XMP/IPTC/EXIF metadata. If the form still has errors (say, no alt text), the
    checked file is kept on the server under a signed name, so the editor fixes the field without
    uploading again.
    """

    pending_upload = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Image
        fields = [
            "file",
            "title",
            "alt_text",
            "is_decorative",
            "caption",
            "focal_x",
            "focal_y",
            *PREFILLED_FIELDS[2:],
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _(
            "For finding the image in the library. Empty: taken from the caption."
        )
        if self.kept_upload():
            self.fields["file"].required = False

    def kept_upload(self):
        """{"name": storage name, "metadata": {...}} of an upload kept from an earlier try, or None."""
        token = self.data.get("pending_upload") if self.is_bound else None
        if not token:
            return None
        try:
            return signing.loads(token, salt=PENDING_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            return None

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("file")
        pending = self.kept_upload()
        if isinstance(upload, UploadedFile):
            try:
                result = clean_upload(upload)
            except UploadRefused as error:
                self.add_error("file", str(error))
                return cleaned_data
            cleaned_data["file"] = result.content
            self.found_metadata = result.metadata
            self._prefill(cleaned_data, result.metadata)
        elif pending and not self.instance.pk:
            try:
                with default_storage.open(pending["name"], "rb") as handle:
                    cleaned_data["file"] = ContentFile(handle.read(), name=pending["name"].rsplit("/", 1)[-1])
            except OSError:
                self.add_error("file", _("The upload kept from your last try is gone: choose it again."))
                return cleaned_data
            self.found_metadata = pending["metadata"]
        if not cleaned_data.get("title"):
            cleaned_data["title"] = (cleaned_data.get("caption") or cleaned_data.get("alt_text") or "Image")[
                :200
            ]
        return cleaned_data

    def _prefill(self, cleaned_data, metadata):
        data = self.data.copy()
        for field, value in metadata.items():
            if field not in self.fields:
                continue
            if (field == "source_type" and "source_type" not in self.changed_data) or not cleaned_data.get(
                field
            ):
                cleaned_data[field] = value
            data[field] = cleaned_data[field]
        self.data = data

    def _post_clean(self):
        super()._post_clean()
        faults.store_upload(self)  # a full disk is an error on the form, not a 500 or a row without a file
        file = self.cleaned_data.get("file")
        if self.errors and isinstance(file, ContentFile) and not self.kept_upload():
            # Keep the checked upload so the editor does not have to send it again.
            try:
                name = default_storage.save(f"uploads/pending/{file.name}", file)
            except OSError:
                return  # storage is failing: the editor sends the file again with the next try
            self.data = self.data.copy()
            self.data["pending_upload"] = signing.dumps(
                {"name": name, "metadata": getattr(self, "found_metadata", {})}, salt=PENDING_SALT
            )
            self.fields["file"].required = False
            self["file"].help_text = _(
                "Your upload is kept: fix the fields marked below and save. Choose a file only to replace it."
            )


class SearchForm(forms.Form):
    """The reader's search: words, and optionally a section and dates. Bad input is ignored politely."""

    q = forms.CharField(label=_("Search for"), max_length=200, required=False, strip=True)
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.all(), required=False, to_field_name="slug",
        empty_label=_("All sections"),
        widget=forms.Select(attrs={"class": "form-select", "id": "search-section"}),
    )  # fmt: skip
    since = forms.DateField(
        label=_("From"), required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control", "id": "search-since"}),
    )  # fmt: skip
    until = forms.DateField(
        label=_("To"), required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control", "id": "search-until"}),
    )  # fmt: skip

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].replace("\x00", " ").split())
