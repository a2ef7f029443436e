"""Property-based fuzzing: random and hostile input to every public form and the admin forms.

The properties: no response is a 500 (the test client re-raises any exception a view lets through),
and nothing is half-saved: a row appears only when the response says it was accepted, complete with
everything that goes with it.

Examples are kept few (the suite runs on two cores); on CI the examples are derandomized so a run is
repeatable, and a local run explores new ones each time.
"""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from articles.html import sanitize_html
from articles.models import Article, ArticleEvent, ArticleRevision, Image
from comments import posting
from comments.models import Comment, CommentReport
from comments.text import clean_body
from newsmag.middleware import UNSTORABLE
from tests.factories import CommentFactory
from tests.security.vectors import VECTORS

pytestmark = pytest.mark.django_db

fuzz = hypothesis_settings(
    max_examples=int(os.environ.get("NEWSMAG_FUZZ_EXAMPLES", "30")),
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD = [
    "", " ", "\x00", "a\x00b", "\ufeff", "\u202eevil", "\r\n" * 20, "%00", "%", "' OR 1=1 --", "\\",
    "0", "-1", "99999999999999999999999", "1e309", "NaN", "null", "[]", "{}", "2026-02-30", "9999-12-31",
    "😀" * 50, "Z\u0351\u0352\u0353\u0354\u0355\u0356" * 20, "a" * 5000, "../../etc/passwd",
]  # fmt: skip
any_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=200),
    st.sampled_from(VECTORS + ODD),
    st.text(max_size=3).map(lambda s: s * 1000),
)
maybe_text = st.one_of(st.none(), any_text)


def without_none(data):
    return {key: value for key, value in data.items() if value is not None}


def carries_nul(*values):
    """Whether a request with these values is one the site refuses whole, with a 400, before any view
    (newsmag.middleware.UnstorableInputMiddleware): a NUL anywhere in it."""
    return any(isinstance(value, str) and UNSTORABLE.search(value) for value in values)


# Public endpoints --------------------------------------------------------------------------------------------


@pytest.fixture
def open_article(article, settings):
    settings.NEWSMAG_COMMENT_FLOOD_SECONDS = 0  # let more examples reach the end of the pipeline
    CommentFactory(article=article, name="First", body="An approved comment to reply to.")
    return article


@fuzz
@given(
    name=maybe_text, email=st.one_of(maybe_text, st.emails()), body=maybe_text, website=maybe_text,
    parent=st.one_of(maybe_text, st.integers(-(2**70), 2**70).map(str), st.just("approved")),
    issued=st.one_of(maybe_text, st.just("valid")), user_agent=any_text,
)  # fmt: skip
def test_posting_anything_as_a_comment_or_reply_never_fails_or_half_saves(
    client, open_article, name, email, body, website, parent, issued, user_agent
):
    article = open_article
    if parent == "approved":
        parent = str(Comment.objects.filter(article=article).earliest("pk").pk)
    if issued == "valid":
        issued = posting.make_form_token(article, now=timezone.now() - timedelta(seconds=60))
    before = set(Comment.objects.values_list("pk", flat=True))
    data = without_none(
        {"name": name, "email": email, "body": body, "website": website, "parent": parent, "issued": issued}
    )
    response = client.post(
        reverse("comments:post", kwargs={"article_pk": article.pk}), data, HTTP_USER_AGENT=user_agent[:1000]
    )
    assert response.status_code in {302, 400, 403, 409, 429}
    new = Comment.objects.exclude(pk__in=before)
    if response.status_code != 302:
        assert not new.exists()
        return
    assert new.count() <= 1  # a duplicate redirects without a second row
    for comment in new:
        assert comment.body == clean_body(body)
        assert comment.body
        assert comment.name
        assert comment.email
        assert comment.status in Comment.Status.values
        assert comment.moderation_reasons is not None


@fuzz
@given(
    pk=st.integers(-1, 2**70),
    method=st.sampled_from(["get", "post"]),
    accept=st.one_of(st.none(), any_text, st.sampled_from(["application/json", "text/html", "*/*", ";;"])),
)
def test_reporting_or_replying_to_any_comment_number_never_fails(client, open_article, pk, method, accept):
    comment = Comment.objects.get(article=open_article)
    target = comment.pk if pk == -1 else pk
    headers = {} if accept is None else {"HTTP_ACCEPT": accept[:500]}
    reports = CommentReport.objects.count()
    response = getattr(client, method)(reverse("comments:report", kwargs={"pk": target}), **headers)
    if carries_nul(accept):
        assert response.status_code == 400
        assert CommentReport.objects.count() == reports
        return
    assert response.status_code in {200, 302, 404}
    assert CommentReport.objects.count() - reports in ({0, 1} if target == comment.pk else {0})
    response = client.get(reverse("comments:reply", kwargs={"pk": target}), **headers)
    assert response.status_code in {200, 302, 404}


@fuzz
@given(
    q=maybe_text, section=maybe_text, since=maybe_text, until=maybe_text,
    page=st.one_of(maybe_text, st.integers(-5, 2**70).map(str)),
)  # fmt: skip
def test_searching_for_anything_never_fails(client, article, q, section, since, until, page):
    params = without_none({"q": q, "section": section, "since": since, "until": until, "page": page})
    response = client.get(reverse("articles:search"), params)
    if carries_nul(*params.values()):
        assert response.status_code == 400
        return
    assert response.status_code in {200, 404}  # 404: a page number past the end


# Admin forms -------------------------------------------------------------------------------------------------


def jpeg_bytes(width, height):
    output = io.BytesIO()
    PILImage.new("RGB", (width, height), (90, 120, 40)).save(output, "JPEG")
    return output.getvalue()


@fuzz
@given(
    fields=st.fixed_dictionaries({
        "kicker": any_text, "headline": any_text, "slug": any_text, "dek": any_text, "source_label": any_text,
        "body": any_text, "byline_text": any_text, "tags": any_text,
        "comment_policy": st.one_of(any_text, st.sampled_from(["open", "closed", "premoderated"])),
        "publish_at_0": any_text, "publish_at_1": any_text, "section": st.one_of(any_text, st.just("valid")),
        "bylines-TOTAL_FORMS": st.one_of(st.just("0"), any_text),
        "_transition": st.one_of(st.none(), st.sampled_from(["submit", "publish", "unpublish", "bogus"]), any_text),
    }),
)  # fmt: skip
def test_the_admin_article_form_refuses_or_saves_whole(editor_client, section, fields):
    data = {
        "bylines-INITIAL_FORMS": "0", "corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0",
        "expires_at_0": "", "expires_at_1": "", **without_none(fields),
    }  # fmt: skip
    if data["section"] == "valid":
        data["section"] = str(section.pk)
    before = set(Article.objects.values_list("pk", flat=True))
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    new = Article.objects.exclude(pk__in=before)
    if carries_nul(*data.values()):
        assert response.status_code == 400
        assert not new.exists()
        return
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert not new.exists()
        return
    article = new.get()
    assert article.body == sanitize_html(article.body)
    assert ArticleEvent.objects.filter(article=article, action=ArticleEvent.Action.CREATED).exists()
    assert ArticleRevision.objects.filter(article=article).exists()


@fuzz
@given(
    fields=st.fixed_dictionaries({
        "title": any_text, "alt_text": any_text, "caption": any_text, "credit": any_text, "creator": any_text,
        "copyright_notice": any_text, "licence": any_text, "ai_system": any_text, "is_decorative": maybe_text,
        "source_type": st.one_of(any_text, st.sampled_from(["digitalCapture", "trainedAlgorithmicMedia"])),
        "focal_x": st.one_of(any_text, st.floats(allow_nan=True).map(str)),
        "focal_y": st.one_of(any_text, st.floats(-1, 2).map(str)),
        "pending_upload": maybe_text,
    }),
    file=st.one_of(
        st.none(),
        st.binary(max_size=2000),
        st.sampled_from([v.encode() for v in VECTORS[:5]]),
        st.tuples(st.integers(150, 400), st.integers(150, 400)).map(lambda size: jpeg_bytes(*size)),
    ),
    name=st.one_of(st.sampled_from(["photo.jpg", "x.svg", "a.php.jpg", ".htaccess", "x" * 300 + ".png"]), any_text),
)  # fmt: skip
def test_the_admin_image_form_refuses_or_saves_whole(editor_client, fields, file, name):
    data = without_none(fields)
    if file is not None:
        filename = (name or "x")[:200]
        if os.path.basename(filename) in {"", ".", ".."}:
            filename = "x"  # a part without a file name is not a file: Django's parser drops it
        data["file"] = SimpleUploadedFile(filename, file, content_type="image/jpeg")
    before = set(Image.objects.values_list("pk", flat=True))
    response = editor_client.post(reverse("admin:articles_image_add"), data)
    new = Image.objects.exclude(pk__in=before)
    if carries_nul(*data.values()):
        assert response.status_code == 400
        assert not new.exists()
        return
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert not new.exists()
        return
    image = new.get()
    assert default_storage.exists(image.file.name)
    assert image.alt_text or image.is_decorative
    for entry in image.renditions.values():
        assert default_storage.exists(entry["fallback"])
