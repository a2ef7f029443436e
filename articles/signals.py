"""Decoupled side effects of publishing: fresh search vectors and retired kept pages (after commit; a tag
change refreshes search vectors in a background job), and no control character in any text readers see
(before each save)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from articles import live
from articles.caching import watch
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    BodyImage,
    Container,
    Correction,
    FrontPage,
    FrontRevision,
    Image,
    LiveUpdate,
    Page,
    RetiredSlug,
    Section,
)
from articles.search import refresh_search_vectors
from articles.search_jobs import refresh_search_vectors_job
from articles.text import keep_text_clean


def _refresh_later(article_id):
    transaction.on_commit(lambda: refresh_search_vectors([article_id]))


@receiver(post_save, sender=Article, dispatch_uid="article-search-vector")
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_later(instance.pk)


@receiver(m2m_changed, sender=TaggedItem, dispatch_uid="article-tags-search-vector")
def article_tags_changed(sender, instance, action, **kwargs):
    if isinstance(instance, Article) and action in ("post_add", "post_remove", "post_clear"):
        refresh_search_vectors_job.delay_on_commit([instance.pk])  # a job (articles/search_jobs.py)


# What of an image the search vector of a story showing it in its body holds (articles/search.py).
SEARCHED_IMAGE_FIELDS = {"caption", "credit", "creator"}


@receiver(post_save, sender=Image, dispatch_uid="body-image-search-vectors")
def image_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or (update_fields is not None and not SEARCHED_IMAGE_FIELDS & set(update_fields)):
        return
    ids = list(BodyImage.objects.filter(image=instance).values_list("article_id", flat=True))
    if ids:
        transaction.on_commit(lambda: refresh_search_vectors(ids))


def _refresh_tagged_later(tag):
    """Refresh the search vectors of the articles carrying `tag` (tags are part of them) in a background job
    enqueued after commit: a common tag may be on thousands of stories."""
    article_type = ContentType.objects.get_for_model(Article)
    ids = list(
        TaggedItem.objects.filter(tag=tag, content_type=article_type).values_list("object_id", flat=True)
    )
    if ids:
        refresh_search_vectors_job.delay_on_commit(ids)


@receiver(post_save, sender=Tag, dispatch_uid="tag-renamed-search-vectors")
def tag_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:  # a rename: search finds the articles by the new name, not the old
        _refresh_tagged_later(instance)


@receiver(pre_delete, sender=Tag, dispatch_uid="tag-deleted-search-vectors")
def tag_deleted(sender, instance, **kwargs):
    _refresh_tagged_later(instance)  # read now: its tagged items go with it; refreshed after commit


@receiver(post_save, sender=Article, dispatch_uid="article-live-poll")
def live_story_saved(sender, instance, raw=False, **kwargs):
    """A live story's state, summary or address changed: its poll answer is rebuilt after commit."""
    if raw:
        return
    if instance.is_live_story:
        live.refresh_after_commit(instance.pk)
    else:  # no longer live, if it was: the next poll finds no entry and learns so from the database
        transaction.on_commit(lambda: live.forget_poll_entry(instance.pk))


@receiver(post_save, sender=LiveUpdate, dispatch_uid="live-update-saved-poll")
@receiver(post_delete, sender=LiveUpdate, dispatch_uid="live-update-deleted-poll")
def live_update_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        live.refresh_after_commit(instance.article_id)


# Everything of this app that readers see (taggit's TaggedItem: an article's tags; RetiredSlug: redirects),
# text included.
for model in (
    Article, ArticleAuthor, Author, Correction, Image, LiveUpdate, Page, RetiredSlug, Section, Tag,
    TaggedItem,
):  # fmt: skip
    watch(model)
    keep_text_clean(model)
watch(BodyImage)  # where a picture appears: the AI images page lists the stories of each
# A front page: readers see its live revision only, so publishing (a new revision made live) retires kept
# pages at once, and editing the working copy (Container, Pin) retires nothing.
watch(FrontPage)
watch(FrontRevision)
keep_text_clean(Container)  # its title is shown once published
keep_text_clean(FrontRevision)
