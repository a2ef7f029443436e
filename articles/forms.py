import re

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.history import diff, render_diff, snapshot
from articles.html import sanitize_html
from articles.models import Article, ArticleEvent, Embed, Image, LiveUpdate, Page, Section
from articles.references import referenced_embed_ids, referenced_image_ids

# What journalists can do in the body editor; the sanitizer (articles.html) enforces it whatever is sent.
# The story blocks (pictures, galleries, embeds, pull quotes, fact boxes, notes) come from
# static/js/editor-blocks.js (DJANGO_PROSE_EDITOR_EXTENSIONS in the settings).
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
    "BodyImage": True,
    "BodyGallery": True,
    "BodyEmbed": {"resolveUrl": reverse_lazy("admin:articles_embed_resolve")},
    "PullQuote": True,
    "PullQuoteAttribution": True,
    "FactBox": True,
    "EditorNote": True,
}


# A body that opens with a source tag in brackets, maybe in bold or italics: "<p><b>[People News]</b>".
_LEADING_TAG = re.compile(
    r"^\s*<p>\s*(?:<(?P<wrap>strong|b|em|i)>\s*\[(?P<wrapped>[^\]<]{1,60})\]\s*</(?P=wrap)>"
    r"|(?P<open>(?:<(?:strong|b|em|i)>)?)\s*\[(?P<tag>[^\]<]{1,60})\])\s*"
)


def leading_source_tag(body):
    """(tag, body without it) when `body` opens with "[tag]", else None."""
    match = _LEADING_TAG.match(body)
    if match is None:
        return None
    tag = " ".join((match["wrapped"] or match["tag"]).split())
    if not tag:
        return None
    return tag, "<p>" + (match["open"] or "") + body[match.end() :]


# A live story's summary: a few bullet points, emphasis and links.
SUMMARY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "ListItem": True,
    "Link": {"enableTarget": False},
    "History": True,
}


def editor_field(extensions, *, label, help_text, required=True):
    """A rich-text field edited with the body editor, its toolbar limited to `extensions` (the sanitizer,
    articles.html, enforces the same whatever is sent)."""
    return ProseEditorFormField(
        label=label,
        required=required,
        config={"extensions": extensions},
        widget=AdminProseEditorWidget(config={"extensions": extensions}, preset="configurable"),
        help_text=help_text,
    )


def summary_field():
    return editor_field(
        SUMMARY_EDITOR_EXTENSIONS,
        label=_("Live summary"),
        required=False,
        help_text=_("The story so far, above the updates: a few bullet points. Keep it current."),
    )


def check_body_references(body):
    """Refuse a body (a story's, a live update's) that shows an image or an embed we do not have (a mistyped
    or deleted id), or a picture without its description and credit."""
    clean = sanitize_html(body)
    ids = referenced_image_ids(clean)
    found = Image.objects.in_bulk(ids)
    missing = sorted(set(ids) - set(found))
    if missing:
        raise forms.ValidationError(
            _("The body shows images that are not in the library: %(ids)s. Remove them or pick others.")
            % {"ids": ", ".join(str(pk) for pk in missing)},
            code="missing_body_image",
        )
    # A picture goes into a story with its description and its credit, or not at all.
    uncredited = [image for image in found.values() if not (image.credit.strip() or image.creator.strip())]
    undescribed = [
        image for image in found.values() if not image.is_decorative and not image.alt_text.strip()
    ]
    if uncredited or undescribed:
        raise forms.ValidationError(
            _("Give these pictures alt text and a credit in the image library first: %(images)s.")
            % {"images": ", ".join(f"{image} ({image.pk})" for image in [*undescribed, *uncredited])},
            code="incomplete_body_image",
        )
    ids = referenced_embed_ids(clean)
    missing = sorted(set(ids) - set(Embed.objects.filter(pk__in=ids).values_list("pk", flat=True)))
    if missing:
        raise forms.ValidationError(
            _("The body shows embeds that do not exist: %(ids)s. Remove them and embed the link again.")
            % {"ids": ", ".join(str(pk) for pk in missing)},
            code="missing_body_embed",
        )
    return body


class ArticleAdminForm(forms.ModelForm):
    """The article form, with a rich-text body and edit-conflict detection.

    `base_version` carries the version the editor started from. If someone else saved in between, the save
    is refused, the other person's changes are shown, and this editor's text stays in the form; saving
    again (after reading what changed) goes through.
    """

    body = editor_field(
        BODY_EDITOR_EXTENSIONS,
        label=_("Body"),
        help_text=_(
            "Use the toolbar for subheadings, lists, quotes and links, and to place pictures from the "
            "image library, galleries, pull quotes, fact boxes and notes. Pasted formatting is cleaned."
        ),
    )
    live_summary = summary_field()
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "kicker", "headline", "slug", "dek", "source_label", "body", "byline_text", "section", "tags",
            "lead_image", "featured", "status", "publish_at", "expires_at", "comment_policy",
            "live_coverage", "coverage_started_at", "live_summary",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notices = []  # what clean() changed on the journalist's behalf, said after the save
        zone = timezone.get_current_timezone_name()
        for name in ("publish_at", "expires_at"):
            if name in self.fields:
                field = self.fields[name]
                field.help_text = format_html(
                    "{} {}", field.help_text, _("Newsroom time (%(zone)s).") % {"zone": zone}
                )
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
        if "live_coverage" in self.fields:
            # A form sent without it (a client that predates live coverage) leaves the story as it was.
            self.fields["live_coverage"].required = False

    def clean_live_coverage(self):
        return self.cleaned_data["live_coverage"] or self.instance.live_coverage

    def clean_body(self):
        return check_body_references(self.cleaned_data["body"])

    def clean(self):
        cleaned_data = super().clean()
        self.clean_source_tag(cleaned_data)
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

    def clean_source_tag(self, cleaned_data):
        """The page prints the source tag before the body: a body pasted with its own "[People News]" would
        show it twice. The same tag is taken out of the body, a tag with an empty field moves into it, and
        two different tags are an error (which one is the source is the journalist's call)."""
        body, label = cleaned_data.get("body"), cleaned_data.get("source_label", "")
        found = leading_source_tag(body or "")
        if found is None:
            return
        tag, rest = found
        if label and " ".join(label.split()).casefold() != tag.casefold():
            self.add_error(
                "source_label",
                _("The body starts with [%(tag)s] but the source tag is “%(label)s”. Keep one of them.")
                % {"tag": tag, "label": label},
            )
            return
        cleaned_data["body"] = rest
        if label:
            message = _(
                "The body started with [%(tag)s], which the source tag shows: it was taken out of the body."
            )
            self.notices.append(message % {"tag": tag})
        else:
            cleaned_data["source_label"] = tag
            self.notices.append(
                _("The body started with [%(tag)s]: it is now the source tag, shown before the body.")
                % {"tag": tag}
            )

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


class LiveUpdateForm(forms.ModelForm):
    """A live update, posted from the story's live desk in the admin: a byline, an optional headline, the
    text with the body editor's story blocks, and whether it is a key event."""

    body = editor_field(
        BODY_EDITOR_EXTENSIONS,
        label=_("Update"),
        help_text=_("What happened. Pictures, galleries, embeds and quotes work as in a story body."),
    )

    class Meta:
        model = LiveUpdate
        fields = ["author", "headline", "body", "key_event"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        own = getattr(user, "author", None) if user is not None else None
        if not self.instance.pk and own is not None:
            self.fields["author"].initial = own.pk

    def clean_body(self):
        body = check_body_references(self.cleaned_data["body"])
        clean = sanitize_html(body)
        if not strip_tags(clean).strip() and "data-" not in clean:
            raise forms.ValidationError(_("Write the update first."), code="empty_update")
        return body


class LiveSummaryForm(forms.ModelForm):
    """The story so far, kept current from the live desk by everyone who posts updates."""

    live_summary = summary_field()

    class Meta:
        model = Article
        fields = ["live_summary"]


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


# A site page (About, Privacy...) is text: the body editor without the story blocks, which need an article.
PAGE_EDITOR_EXTENSIONS = {
    name: BODY_EDITOR_EXTENSIONS[name]
    for name in ("Bold", "Italic", "Heading", "BulletList", "OrderedList", "ListItem", "Blockquote", "Link",
                 "HardBreak", "HorizontalRule", "History")
}  # fmt: skip


class PageAdminForm(forms.ModelForm):
    """A site page, written with the article body editor; the model sanitizes the body on every save."""

    body = editor_field(
        PAGE_EDITOR_EXTENSIONS,
        label=_("Body"),
        help_text=_("Subheadings, lists, quotes and links; whatever is pasted is cleaned."),
    )

    class Meta:
        model = Page
        fields = ["title", "slug", "summary", "body", "in_footer", "position"]

    def clean_body(self):
        body = sanitize_html(self.cleaned_data["body"])
        if not strip_tags(body).strip():
            raise forms.ValidationError(_("Write the page's text."), code="empty_body")
        return body
