"""Decoupled side effects of publishing: fresh search vectors and retired kept pages (after commit: what shows
the change, articles/caching.py; a tag change refreshes search vectors in a background job), and no control
character in any text readers see (before each save)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from articles import caching, live
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


# --- What a change retires (articles/caching.py): readers see these models; each change names its keys ---


def article_keys(ids, *, sections=()):
    """What shows articles `ids`: the articles themselves (their pages, cards, threads), and the lists they
    appear on: their sections and parent sections (`sections`: more, e.g. the one a story left), tags and
    authors, the home page, feeds, sitemaps and search."""
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return []
    article_type = ContentType.objects.get_for_model(Article)
    section_ids = set(sections) | set(
        Article._base_manager.filter(pk__in=ids).values_list("section_id", flat=True)
    )
    section_ids |= set(Section.objects.filter(pk__in=section_ids).values_list("parent_id", flat=True))
    tag_ids = TaggedItem.objects.filter(content_type=article_type, object_id__in=ids).values_list(
        "tag_id", flat=True
    )
    author_ids = ArticleAuthor.objects.filter(article_id__in=ids).values_list("author_id", flat=True)
    return [
        *(caching.article_key(pk) for pk in ids),
        *(caching.thread_key(pk) for pk in ids),  # its comment policy shows in the thread
        *(caching.section_key(pk) for pk in section_ids if pk),
        *(caching.tag_key(pk) for pk in tag_ids),
        *(caching.author_key(pk) for pk in author_ids),
        caching.HOME,
        caching.FEEDS,
        caching.SITEMAPS,
        caching.SEARCH,
    ]


@receiver(pre_save, sender=Article, dispatch_uid="article-section-left")
def note_section_left(sender, instance, raw=False, **kwargs):
    """The section a story leaves must drop it too: note it before the save."""
    if not raw and instance.pk:
        instance._section_before = (
            Article._base_manager.filter(pk=instance.pk).values_list("section_id", flat=True).first()
        )


def _article_changed(article):
    left = getattr(article, "_section_before", None)
    return article_keys([article.pk], sections=[left, article.section_id])


def _tag_links(instance, pk_set, reverse):
    """An article's tags changed (article.tags.add...), or a tag's articles (reverse)."""
    if reverse:
        return [caching.tag_key(instance.pk), *article_keys(pk_set or [])]
    return [*article_keys([instance.pk]), *(caching.tag_key(pk) for pk in pk_set or [])]


def image_keys(image):
    """Where a picture appears: the stories it leads or illustrates (and their lists), the AI images page."""
    ids = set(Article._base_manager.filter(lead_image=image).values_list("pk", flat=True))
    ids |= set(BodyImage.objects.filter(image=image).values_list("article_id", flat=True))
    return [*article_keys(ids), caching.AI_IMAGES]


def _front_keys(front):
    return [caching.section_key(front.section_id) if front.section_id else caching.HOME]


watch(
    Article,
    keys=_article_changed,
    shown=lambda article: [caching.article_key(article.pk)],
)
watch(
    ArticleAuthor,
    keys=lambda byline: [caching.author_key(byline.author_id), *article_keys([byline.article_id])],
)
watch(
    TaggedItem,
    keys=lambda item: [caching.tag_key(item.tag_id), *article_keys([item.object_id])],
    links=_tag_links,
)
watch(Correction, keys=lambda correction: [caching.article_key(correction.article_id), caching.CORRECTIONS])
watch(LiveUpdate, keys=lambda update: [caching.article_key(update.article_id)])
watch(Image, keys=image_keys)
watch(BodyImage, keys=lambda use: [caching.article_key(use.article_id), caching.AI_IMAGES])
watch(RetiredSlug, keys=lambda retired: [caching.article_key(retired.article_id)])
# Rare changes shown on many pages (navigation, bylines, tag names, site pages): everything retires.
for model in (Author, Page, Section, Tag):
    watch(model)
# A front page: readers see its live revision only, so publishing (a new revision made live) retires the
# page it is the front of at once, and editing the working copy (Container, Pin) retires nothing.
watch(FrontPage, keys=_front_keys)
watch(FrontRevision, keys=lambda revision: _front_keys(revision.front))

# Text readers see is cleaned of control characters.
for model in (
    Article, ArticleAuthor, Author, Correction, Image, LiveUpdate, Page, RetiredSlug, Section, Tag,
    TaggedItem, Container, FrontRevision,
):  # fmt: skip
    keep_text_clean(model)
