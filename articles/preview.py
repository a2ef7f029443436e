"""Signed, expiring preview links: the article as readers will see it, before it is published."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "articles.preview"


def preview_url(article) -> str:
    token = signing.dumps(article.pk, salt=SALT, compress=True)
    return reverse("articles:preview", kwargs={"token": token})


def article_pk_from_token(token) -> int:
    """The article's pk; raises signing.SignatureExpired or signing.BadSignature."""
    max_age = timedelta(seconds=settings.NEWSMAG_PREVIEW_SECONDS)
    return int(signing.loads(token, salt=SALT, max_age=max_age))
