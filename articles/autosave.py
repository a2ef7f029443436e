"""Autosave: the article form's text kept on the server every few seconds while someone edits, so a crash,
a closed tab or an expired session loses nothing.

The copy (`Autosave`) never touches the article. When its owner opens the form again and the copy is newer
than the story, the form offers it back; restoring fills the form with it, and saving the form is what
changes the story (with the usual edit-conflict check, from the version the typing started on).
"""

from django.db import transaction
from django.utils import timezone

from articles.html import sanitize_html
from articles.models.newsroom import Autosave

# The form fields kept: the writing. Placement and publishing settings are one click to set again.
FIELDS = ("kicker", "headline", "slug", "dek", "source_label", "body", "byline_text")
MAX_CHARACTERS = 500_000  # far beyond any story; refuses a flood into the table


class AutosaveRefused(ValueError):
    pass


@transaction.atomic
def keep(*, user, article, data, base_version=None) -> Autosave:
    """Keep `user`'s typed text for `article` (None: a story not saved yet), replacing their last copy."""
    values = {}
    for name in FIELDS:
        value = data.get(name, "")
        if not isinstance(value, str):
            raise AutosaveRefused(f"{name} must be text")
        values[name] = value
    if sum(len(value) for value in values.values()) > MAX_CHARACTERS:
        raise AutosaveRefused("too long to keep")
    values["body"] = sanitize_html(values["body"])
    copy, _created = Autosave.objects.update_or_create(
        user=user,
        article=article,
        defaults={"data": values, "base_version": base_version, "saved_at": timezone.now()},
    )
    return copy


def pending(*, user, article) -> Autosave | None:
    """`user`'s kept text for `article` (None: a new story) if it is newer than the story as saved."""
    copy = Autosave.objects.filter(user=user, article=article).first()
    if copy is None:
        return None
    if article is not None and copy.saved_at <= article.updated_at:
        return None  # saved since (from this or another form): the copy has nothing newer
    return copy


def discard(*, user, article) -> None:
    Autosave.objects.filter(user=user, article=article).delete()


def form_initial(copy: Autosave) -> dict:
    """The article form's initial values that restore `copy`; its base version keeps the conflict check
    honest (if someone saved the story since the typing started, the save shows their changes)."""
    initial = dict(copy.data)
    if copy.base_version is not None:
        initial["base_version"] = copy.base_version
    return initial
