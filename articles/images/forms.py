"""The image form of the admin: upload with checks, metadata pre-fill, and no lost upload."""

from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from articles.images.uploads import UploadRefused, clean_upload, store_upload
from articles.models import Image

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
        store_upload(self)  # a full disk is an error on the form, not a 500 or a row without a file
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
