"""Decoupled side effects of publishing, run after commit."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticleAuthor, Author, Correction, Image, Section
from articles.search import refresh_search_vectors
from newsmag.page_cache import content_changed


def _refresh_later(article_id):
    transaction.on_commit(lambda: refresh_search_vectors([article_id]))


@receiver(post_save, sender=Article, dispatch_uid="article-search-vector")
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_later(instance.pk)


@receiver(m2m_changed, sender=TaggedItem, dispatch_uid="article-tags-search-vector")
def article_tags_changed(sender, instance, action, **kwargs):
    if isinstance(instance, Article) and action in ("post_add", "post_remove", "post_clear"):
        _refresh_later(instance.pk)
        content_changed()


def public_content_changed(sender, raw=False, **kwargs):
    """Anything readers see changed: cached pages are stale once this transaction commits."""
    if not raw:
        content_changed()


for model in (Article, ArticleAuthor, Author, Correction, Image, Section, Tag):
    post_save.connect(public_content_changed, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
    post_delete.connect(
        public_content_changed, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}"
    )
