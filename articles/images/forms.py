"""The image form of the admin: upload with checks, metadata pre-fill, and no lost upload."""

import io

from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from articles.images import provenance
from articles.images.renditions import web_size_problem
from articles.images.uploads import (
    STORAGE_ERRORS,
    UploadRefused,
    clean_upload,
    interim_from_file,
    store_upload,
)
from articles.models import Image
from articles.models.images import PROVENANCE_FIELDS
from articles.text import clean_text
from articles.workflow import can_publish

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

    The file is checked and re-encoded (articles.images.uploads.clean_upload). Fields the editor left
    empty are filled from the file's XMP/IPTC/EXIF metadata. If the form still has errors (say, no alt
    text), the checked file is kept on the server under a signed name, so the editor fixes the field
    without uploading again.

    On a saved image, `provenance_before` keeps the provenance as it was, for the record; turning an AI
    source type into another on an image in a live story needs `provenance_reason`. The admin sets `user`
    (the form class is made per request).
    """

    user = None
    pending_upload = forms.CharField(widget=forms.HiddenInput, required=False)
    provenance_reason = forms.CharField(
        label=_("Reason for the provenance change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Recorded on the history of every story showing the image. Required when an AI-generated image "
            "in a published or scheduled story gets a source type that is not AI."
        ),
    )

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
        if "title" in self.fields:  # not in the view-only form of an image someone may not change
            self.fields["title"].required = False
            self.fields["title"].help_text = _(
                "For finding the image in the library. Empty: taken from the caption."
            )
        if self.kept_upload() and "file" in self.fields:
            self.fields["file"].required = False
        self.provenance_before = self.instance.provenance() if self.instance.pk else None
        self.file_replaced = False

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
        self.file_replaced = False
        if isinstance(upload, UploadedFile):
            try:
                result = clean_upload(upload)
            except UploadRefused as error:
                self.add_error("file", str(error))
                return cleaned_data
            problem = web_size_problem(result.width, result.height)
            if problem:
                self.add_error("file", problem)
                return cleaned_data
            cleaned_data["file"] = result.content
            self.interim_upload = result.interim
            self.found_metadata = result.metadata
            self.file_replaced = True
            self._prefill(cleaned_data, result.metadata)
        elif pending and "file" in self.fields:
            # On a saved image too: a replacement file kept from a try with errors must not be dropped.
            try:
                with default_storage.open(pending["name"], "rb") as handle:
                    data = handle.read()
            except STORAGE_ERRORS:
                self.add_error("file", _("The upload kept from your last try is gone: choose it again."))
                return cleaned_data
            cleaned_data["file"] = ContentFile(data, name=pending["name"].rsplit("/", 1)[-1])
            self.interim_upload = interim_from_file(io.BytesIO(data))
            self.found_metadata = pending["metadata"]
            self.file_replaced = True
        if not cleaned_data.get("title"):
            cleaned_data["title"] = (cleaned_data.get("caption") or cleaned_data.get("alt_text") or "Image")[
                :200
            ]
        self._check_provenance(cleaned_data)
        return cleaned_data

    def clean_provenance_reason(self):
        return clean_text(self.cleaned_data["provenance_reason"]).strip()

    def _check_provenance(self, cleaned_data):
        """On an image in a live story, provenance is the editors' and the AI label never goes without a
        reason. Compared after the pre-fill, through which a new file's metadata may change the source type.

        The admin shows these fields read-only to anyone else; refusing here too keeps the rule if a form
        is ever built without the admin's field list.
        """
        before = self.provenance_before
        if before is None or not provenance.is_live(self.instance):
            return
        after = {
            name: cleaned_data.get(name, before[name]) for name in PROVENANCE_FIELDS if name in self.fields
        }
        if "file" in after:
            after["file"] = "(a new file)" if self.file_replaced else before["file"]
        if all(value == before[name] for name, value in after.items()):
            return
        if self.user is not None and not can_publish(self.user):
            self.add_error(
                None,
                _("Only an editor may change the provenance of an image in a published or scheduled story."),
            )
        elif provenance.removes_ai_label(before, after) and not cleaned_data.get("provenance_reason"):
            self.add_error(
                "provenance_reason",
                _(
                    "This image is labelled AI-generated in a published or scheduled story: say why the "
                    "label goes. The reason is recorded on the history of every story showing it."
                ),
            )

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
        store_upload(self)  # a full disk is an error on the form, not a 500 or a row without a file
        file = self.cleaned_data.get("file")
        if self.errors and isinstance(file, ContentFile) and not self.kept_upload():
            # Keep the checked upload so the editor does not have to send it again.
            try:
                name = default_storage.save(f"uploads/pending/{file.name}", file)
            except STORAGE_ERRORS:
                return  # storage is failing: the editor sends the file again with the next try
            self.data = self.data.copy()
            self.data["pending_upload"] = signing.dumps(
                {"name": name, "metadata": getattr(self, "found_metadata", {})}, salt=PENDING_SALT
            )
            self.fields["file"].required = False
            self["file"].help_text = _(
                "Your upload is kept: fix the fields marked below and save. Choose a file only to replace it."
            )
