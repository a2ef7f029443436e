"""Who may change an image shared by stories, and the record of every change to its provenance."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles import roles
from articles.models import Article, ImageProvenanceChange, SourceType
from tests.articles.test_images import jpeg, upload
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, UserFactory, ai_xmp

pytestmark = pytest.mark.django_db

AI = SourceType.TRAINED_ALGORITHMIC_MEDIA
CAMERA = SourceType.DIGITAL_CAPTURE


def with_role(role, username, **kwargs):
    user = UserFactory(username=username, is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def maria():
    user = with_role(roles.JOURNALIST, "maria", first_name="Maria", last_name="Keller")
    AuthorFactory(name="Maria Keller", slug="maria-keller", user=user)
    return user


@pytest.fixture
def jonas():
    user = with_role(roles.JOURNALIST, "jonas", first_name="Jonas", last_name="Berg")
    AuthorFactory(name="Jonas Berg", slug="jonas-berg", user=user)
    return user


@pytest.fixture
def editor():
    return with_role(roles.EDITOR, "desk", first_name="Erik", last_name="Stone")


def ai_image(**fields):
    return ImageFactory(
        **{
            "title": "Bakery at night",
            "credit": "People News",
            "source_type": AI,
            "ai_system": "Imagen",
            **fields,
        }
    )


def story(image, by, status=Article.Status.PUBLISHED, **fields):
    publish_at = None if status in (Article.Status.DRAFT, Article.Status.REVIEW) else timezone.now()
    return ArticleFactory(
        lead_image=image, created_by=by, status=status, **{"publish_at": publish_at, **fields}
    )


def change_url(image):
    return f"/admin/articles/image/{image.pk}/change/"


def change_data(image, **overrides):
    """The image change form's POST data as a browser sends it (no new file)."""
    data = {
        name: getattr(image, name)
        for name in (
            "title", "alt_text", "caption", "credit", "creator", "copyright_notice", "licence", "source_type",
            "ai_system", "focal_x", "focal_y",
        )
    }  # fmt: skip
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# A journalist and someone else's live story --------------------------------------------------------------


@pytest.mark.parametrize("when", ["published", "scheduled"])
def test_journalist_cannot_change_or_delete_an_image_of_another_journalists_live_story(
    client, maria, jonas, when
):
    image = ai_image()
    live = story(image, jonas, headline="Jonas on the night bakery")
    if when == "scheduled":
        Article.objects.filter(pk=live.pk).update(publish_at=timezone.now() + timedelta(days=1))
    client.force_login(maria)

    page = client.get(change_url(image))
    assert page.status_code == 200  # she may look: the library is shared
    html = page.content.decode()
    assert 'name="source_type"' not in html  # read-only
    assert 'name="caption"' not in html
    assert 'name="_save"' not in html

    response = client.post(
        change_url(image), change_data(image, source_type=CAMERA, ai_system="", caption="x")
    )
    assert response.status_code == 403
    assert client.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"}).status_code == 403
    image.refresh_from_db()
    assert (image.source_type, image.ai_system, image.caption) == (AI, "Imagen", "A caption.")
    assert not ImageProvenanceChange.objects.exists()


def test_journalist_edits_an_image_of_her_own_drafts_and_only_its_caption_once_her_story_is_live(
    client, maria, jonas
):
    client.force_login(maria)
    drafted = ai_image(title="For my draft")
    story(drafted, maria, status=Article.Status.DRAFT)
    response = client.post(change_url(drafted), change_data(drafted, source_type=CAMERA, ai_system=""))
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert (drafted.source_type, drafted.ai_system) == (CAMERA, "")

    # Her own story is live: she may still fix the caption, but the provenance is the editors'.
    own_live = ai_image(title="In my live story")
    story(own_live, maria)
    html = client.get(change_url(own_live)).content.decode()
    assert 'name="caption"' in html
    for field in ("source_type", "ai_system", "credit", "creator", "file"):
        assert f'name="{field}"' not in html
    assert "only an editor may change the file" in html
    response = client.post(
        change_url(own_live),
        change_data(own_live, caption="A better caption.", source_type=CAMERA, ai_system="", credit="Me"),
    )
    assert response.status_code == 302
    own_live.refresh_from_db()
    assert own_live.caption == "A better caption."
    assert (own_live.source_type, own_live.ai_system, own_live.credit) == (AI, "Imagen", "People News")
    assert own_live.credit_line() == "People News/AI-generated image"


def test_used_by_shows_a_journalist_her_stories_and_published_ones_never_others_drafts(
    client, maria, jonas, editor
):
    image = ai_image()
    story(image, maria, status=Article.Status.DRAFT, headline="Maria drafts the bakery")
    story(image, jonas, status=Article.Status.DRAFT, headline="Jonas has a secret scoop")
    story(image, jonas, headline="Jonas published the bakery")
    scheduled = story(image, jonas, headline="Jonas schedules an exclusive")
    Article.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() + timedelta(days=1))

    client.force_login(maria)
    html = client.get(change_url(image)).content.decode()
    assert "Maria drafts the bakery" in html
    assert "Jonas published the bakery" in html
    assert "Jonas has a secret scoop" not in html
    assert "Jonas schedules an exclusive" not in html

    client.force_login(editor)
    html = client.get(change_url(image)).content.decode()
    for headline in ("Maria drafts", "secret scoop", "Jonas published", "Jonas schedules"):
        assert headline in html


# Editors and the record ------------------------------------------------------------------------------------


def test_editors_provenance_change_of_a_live_image_is_recorded_and_shown_on_every_storys_history(
    client, maria, jonas, editor
):
    image = ai_image()
    first = story(image, maria, headline="The night baker")
    second = story(image, jonas, headline="Bread at dawn")
    unrelated = story(ImageFactory(), jonas, headline="Other picture")
    client.force_login(editor)

    response = client.post(
        change_url(image),
        change_data(
            image,
            source_type=CAMERA,
            ai_system="",
            credit="Jane Doe Photography",
            provenance_reason="The agency confirmed it is a photo; the AI tag was their mistake.",
        ),
    )
    assert response.status_code == 302
    change = ImageProvenanceChange.objects.get()
    assert change.changed_by == editor
    assert change.image == image
    assert (change.before["source_type"], change.after["source_type"]) == (AI, CAMERA)
    assert (change.before["ai_system"], change.after["ai_system"]) == ("Imagen", "")
    assert (change.before["credit"], change.after["credit"]) == ("People News", "Jane Doe Photography")
    assert change.reason == "The agency confirmed it is a photo; the AI tag was their mistake."
    assert set(change.articles.all()) == {first, second}

    for article in (first, second):
        html = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
        row = re.search(r'<tr class="image-provenance-change">(.*?)</tr>', html, re.S).group(1)
        assert "Erik Stone" in row
        assert "<del>AI-generated</del> → <ins>Photo or video taken with a camera</ins>" in row
        assert "<del>Imagen</del> → <ins>—</ins>" in row
        assert "<del>People News</del> → <ins>Jane Doe Photography</ins>" in row
        assert "the AI tag was their mistake" in row
    history = client.get(f"/admin/articles/article/{unrelated.pk}/history/").content.decode()
    assert "image-provenance-change" not in history

    # The journalist whose story it is sees it too.
    client.force_login(maria)
    assert (
        "AI tag was their mistake"
        in client.get(f"/admin/articles/article/{first.pk}/history/").content.decode()
    )


def test_removing_the_ai_type_of_a_live_image_needs_a_reason(client, jonas, editor):
    image = ai_image()
    story(image, jonas)
    client.force_login(editor)

    response = client.post(change_url(image), change_data(image, source_type=CAMERA, ai_system=""))
    assert response.status_code == 200
    assert "say why the label goes" in response.content.decode()
    image.refresh_from_db()
    assert (image.source_type, image.ai_system) == (AI, "Imagen")
    assert not ImageProvenanceChange.objects.exists()

    # Another AI type keeps the label: no reason needed, still recorded.
    edited = SourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA
    assert client.post(change_url(image), change_data(image, source_type=edited)).status_code == 302
    change = ImageProvenanceChange.objects.get()
    assert (change.before["source_type"], change.after["source_type"], change.reason) == (AI, edited, "")


def test_a_new_file_whose_metadata_turns_a_live_ai_image_into_a_photo_needs_a_reason_too(
    client, jonas, editor
):
    image = ai_image()
    story(image, jonas)
    client.force_login(editor)
    camera_xmp = ai_xmp(alt="Dockers", description="Dockers at dawn.").replace(
        "trainedAlgorithmicMedia", "digitalCapture"
    )
    # The editor leaves the source type as it is; the new file's metadata would pre-fill "camera".
    response = client.post(change_url(image), change_data(image, file=upload(jpeg(xmp=camera_xmp))))
    assert response.status_code == 200
    html = response.content.decode()
    assert "say why the label goes" in html
    assert "Your upload is kept" in html
    token = re.search(r'name="pending_upload" value="([^"]+)"', html).group(1)
    image.refresh_from_db()
    assert image.source_type == AI

    # The kept file is used on the next try: the editor only adds the reason.
    response = client.post(
        change_url(image),
        change_data(image, source_type=CAMERA, pending_upload=token, provenance_reason="A new, real photo."),
    )
    assert response.status_code == 302
    run_after_commit_work()  # the renditions job
    image.refresh_from_db()
    change = ImageProvenanceChange.objects.get()
    assert change.before["file"] != change.after["file"] == image.file.name
    assert (change.after["source_type"], change.reason) == (CAMERA, "A new, real photo.")
    assert image.renditions["original"]["w"] == 1200  # rebuilt from the new file
