"""A published story whose every reader-visible field carries a script-injection vector.

Shared by tests/security/test_injection.py (the server's HTML and feeds) and tests/browser/test_xss.py
(what Chromium makes of it).
"""

from articles.models import Article, Author, Correction, Image, Section, SourceType
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, ImageFactory, SectionFactory

IMAGE_FIELDS = ("title", "alt_text", "caption", "credit", "creator", "copyright_notice", "licence",
                "ai_system")  # fmt: skip


def fit(model, field, value):
    """The value cut to the column's length, as the admin form would have required."""
    limit = model._meta.get_field(field).max_length
    return value[:limit] if limit else value


def hostile_story(text, key):
    """A published story whose every visible field carries `text`, with an approved comment and reply.

    Each value is cut to its column's length, as the admin form would have required; `key` keeps slugs
    and unique names apart when several stories live side by side.
    """
    section = SectionFactory(
        name=fit(Section, "name", f"Zebra {key}: {text}"), slug=f"hostile-{key}", description=f"Zebra {text}"
    )
    author = AuthorFactory(
        name=fit(Author, "name", f"Zebra {text}"),
        slug=f"hostile-author-{key}",
        role=fit(Author, "role", text),
        bio=text,
    )
    image = ImageFactory(
        **{field: fit(Image, field, text) for field in IMAGE_FIELDS},
        source_type=SourceType.TRAINED_ALGORITHMIC_MEDIA,
    )
    article = ArticleFactory(
        section=section,
        kicker=fit(Article, "kicker", text),
        headline=fit(Article, "headline", f"Zebra {text}"),
        slug=f"hostile-story-{key}",
        dek=fit(Article, "dek", f"Zebra {text}"),
        body=f"<p>Zebra crossing.</p>{text}<p>{text}</p>",
        source_label=fit(Article, "source_label", text),
        byline_text=fit(Article, "byline_text", text),
        lead_image=image,
        authors=[author],
        tags=[fit(Article.tags.through.tag_model(), "name", f"zebra {key} {text}")],
    )
    Correction.objects.create(article=article, text=fit(Correction, "text", text))
    parent = CommentFactory(article=article, name=fit(Comment, "name", text), body=f"Zebra {text}")
    CommentFactory(article=article, parent=parent, name="Replier", body=text)
    return article, parent
