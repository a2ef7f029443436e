"""An article's history: who did what and when (events), and every saved version (revisions).

`record()` is the one way a step is written down: an ArticleEvent, and a revision of the article as it is.
Revisions use Django's own machinery, a JSON snapshot per saved version.

Why not django-reversion or django-simple-history: an article's meaning includes its taggit tags and its
ordered bylines, which neither follows without extra registration and custom diffing. A snapshot built
here holds exactly what an editor cares about, diffs field by field, and restores in one function.
"""

import difflib
import html
import re

from django.db import IntegrityError, transaction
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleEvent,
    ArticleRevision,
    Author,
    Embed,
    Image,
    Section,
)

# The content a revision restores. Status and publication times are workflow, not content: restoring an
# old text never unpublishes or reschedules an article.
CONTENT_FIELDS = ["kicker", "headline", "slug", "dek", "body", "source_label", "byline_text", "featured"]
WORKFLOW_FIELDS = ["status", "publish_at", "expires_at", "comment_policy"]
LABELS = {
    "section": "Section",
    "lead_image": "Lead image",
    "tags": "Tags",
    "authors": "Bylines",
    **{
        name: str(Article._meta.get_field(name).verbose_name).capitalize()
        for name in CONTENT_FIELDS + WORKFLOW_FIELDS
    },
}


def snapshot(article) -> dict:
    data = {name: getattr(article, name) for name in CONTENT_FIELDS + WORKFLOW_FIELDS}
    for name in ("publish_at", "expires_at"):
        data[name] = data[name].isoformat() if data[name] else None
    data["section"] = [article.section_id, str(article.section)]
    data["lead_image"] = [article.lead_image_id, str(article.lead_image) if article.lead_image_id else ""]
    data["tags"] = sorted(article.tags.names())
    data["authors"] = [[b.author_id, b.author.name] for b in article.bylines.select_related("author")]
    return data


def record(article, action, *, by, note=""):
    """Log an event and keep a revision of the article as it is now."""
    log_event(article, action, by=by, note=note)
    record_revision(article, by=by, reason=ArticleEvent.Action(action).label.capitalize())


def log_event(article, action, *, by, note="") -> ArticleEvent:
    """Log an event that leaves the article's content as it is (so no revision): e.g. revoked previews."""
    return ArticleEvent.objects.create(article=article, action=action, actor=by, note=note)


def record_revision(article, *, by, reason) -> ArticleRevision:
    """Keep the article as it is now (after its tags and bylines are saved) as a revision."""
    revision, _ = ArticleRevision.objects.update_or_create(
        article=article,
        version=article.version,
        defaults={"data": snapshot(article), "created_by": by, "reason": reason},
    )
    return revision


_BODY_REFERENCE = re.compile(r'<figure\b[^>]*?\bdata-(image|embed)="([0-9]{1,18})"[^>]*>')


def _body_references(body: str) -> str:
    """`body` with each picture and embed opening on a line that says what it is: "[Image 12: Quay (AP)]"."""
    found = _BODY_REFERENCE.findall(body)
    ids = [int(pk) for kind, pk in found if kind == "image"]
    images = Image.objects.in_bulk(ids) if ids else {}
    ids = [int(pk) for kind, pk in found if kind == "embed"]
    embeds = Embed.objects.only("url", "title").in_bulk(ids) if ids else {}

    def label(match):
        kind, pk = match[1], int(match[2])
        if kind == "embed":
            embed = embeds.get(pk)
            text = f"[Embed {pk}: {embed.title or embed.url}]" if embed else _("[Embed %(id)s]") % {"id": pk}
        elif pk in images:
            image = images[pk]
            credit = image.credit_line()
            text = f"[Image {pk}: {image.title}{f' ({credit})' if credit else ''}]"
        else:
            text = _("[Image %(id)s: no longer in the library]") % {"id": pk}
        return f"\n<figure>{html.escape(text)}\n"

    return _BODY_REFERENCE.sub(label, body)


def _display(name, value):
    if name in ("section", "lead_image"):
        return value[1] if value else ""
    if name == "authors":
        return ", ".join(author[1] for author in value)
    if name == "tags":
        return ", ".join(value)
    if name == "body":
        value = _body_references(value or "")
        return "\n".join(
            line.strip() for line in html.unescape(strip_tags(value.replace("</", "\n</"))).splitlines()
        )
    return "" if value is None else str(value)


def _word_diff(old: str, new: str):
    old_words, new_words = old.split(), new.split()
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if op == "equal":
            chunk = old_words[a1:a2]
            text = " ".join(chunk if len(chunk) <= 24 else [*chunk[:10], "…", *chunk[-10:]])
            parts.append(format_html("{} ", text))
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del> ", " ".join(old_words[a1:a2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins> ", " ".join(new_words[b1:b2])))
    return mark_safe("".join(parts))


def diff(old: dict, new: dict) -> list[tuple[str, str]]:
    """The fields that differ between two snapshots, each as (label, HTML with <del>/<ins>)."""
    changes = []
    for name, label in LABELS.items():
        before, after = _display(name, old.get(name)), _display(name, new.get(name))
        if before != after:
            changes.append((label, _word_diff(before, after)))
    return changes


def render_diff(changes) -> str:
    return format_html_join("", '<div class="revision-diff"><strong>{}</strong>: {}</div>', changes)


class RestoreError(Exception):
    """A revision that cannot be brought back as it is; the message is for the editor.

    `taken_by` is the article that holds the revision's slug now (the caller decides whether the person
    restoring may be told its headline).
    """

    def __init__(self, message, *, taken_by=None):
        super().__init__(message)
        self.taken_by = taken_by


@transaction.atomic
def restore(revision, *, by) -> Article:
    """Bring back a revision's content (text, tags, bylines, section, image). Itself a new revision.

    Raises RestoreError, changing nothing, when the revision's slug now belongs to another article.
    """
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    data = revision.data
    taken = Article.objects.filter(slug=data["slug"]).exclude(pk=article.pk).first()
    if taken is not None:
        raise RestoreError(_slug_taken(revision), taken_by=taken)
    for name in CONTENT_FIELDS:
        setattr(article, name, data[name])
    section_id = data["section"][0]
    if Section.objects.filter(pk=section_id).exists():
        article.section_id = section_id
    image_id = data["lead_image"][0]
    article.lead_image_id = image_id if image_id and Image.objects.filter(pk=image_id).exists() else None
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:  # another article took the slug since the check above
        taken = Article.objects.filter(slug=data["slug"]).exclude(pk=article.pk).first()
        raise RestoreError(_slug_taken(revision), taken_by=taken) from None
    article.tags.set(data["tags"])
    article.bylines.all().delete()
    existing = set(Author.objects.filter(pk__in=[a[0] for a in data["authors"]]).values_list("pk", flat=True))
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author_id=author_id, position=position)
        for position, (author_id, _) in enumerate(data["authors"])
        if author_id in existing
    )
    note = f"Restored version {revision.version}"
    record(article, ArticleEvent.Action.RESTORED, by=by, note=note)
    return article


def _slug_taken(revision) -> str:
    return _(
        "Version %(version)s was not restored: its address (slug “%(slug)s”) now belongs to another "
        "article. Nothing was changed. To restore it, first give that article another slug."
    ) % {"version": revision.version, "slug": revision.data["slug"]}
