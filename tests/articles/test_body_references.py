"""The images a body shows are known to the database: where an image is used, deleting, publishing, forms."""

import pytest

from articles import roles, workflow
from articles.forms import ArticleAdminForm
from articles.models import Article, BodyImage, Image
from tests.factories import ArticleFactory, ImageFactory, UserFactory

pytestmark = pytest.mark.django_db


def figures(*images):
    return "".join(f'<figure data-image="{image.pk}"></figure>' for image in images)


def kept(article):
    return list(BodyImage.objects.filter(article=article).values_list("image_id", flat=True))


def test_every_save_keeps_the_bodys_images_in_order(section):
    first, second, third = ImageFactory(), ImageFactory(), ImageFactory()
    article = ArticleFactory(
        section=section, body=figures(second) + f'<div data-gallery="">{figures(first, second)}</div>'
    )
    assert kept(article) == [second.pk, first.pk]
    article.body = f'<p>x</p>{figures(third, first)}<figure data-image="999999"></figure>'
    article.save()
    assert kept(article) == [third.pk, first.pk]  # the missing id is left out, the removed one gone
    article.body = "<p>No pictures.</p>"
    article.save(update_fields=["body", "version"])
    assert kept(article) == []


def test_image_stories_include_stories_that_show_it_in_their_body(section):
    image = ImageFactory()
    as_lead = ArticleFactory(section=section, lead_image=image, body=figures(image))
    in_body = ArticleFactory(section=section, body=figures(image))
    ArticleFactory(section=section)
    assert sorted(image.stories().values_list("pk", flat=True)) == sorted([as_lead.pk, in_body.pk])


def test_deleting_an_image_a_body_shows_is_refused_in_the_admin_naming_the_story(client, section):
    image = ImageFactory(title="Quay at night")
    ArticleFactory(section=section, headline="Ferries return to the quay", body=figures(image))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/articles/image/{image.pk}/delete/"
    page = client.get(url).content.decode()
    assert "protected related objects" in page
    assert "Ferries return to the quay" in page
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "Ferries return to the quay" in response.content.decode()
    assert Image.objects.filter(pk=image.pk).exists()


def test_the_ai_images_page_counts_ai_images_shown_only_in_bodies(client, section):
    ai = ImageFactory(title="Dreamt harbour", source_type="trainedAlgorithmicMedia")
    ArticleFactory(section=section, headline="A harbour that never was", body=f"<p>x</p>{figures(ai)}")
    ArticleFactory(section=section, status=Article.Status.DRAFT, publish_at=None, headline="Unpublished use",
                   body=figures(ImageFactory(title="Draft only", source_type="trainedAlgorithmicMedia")))  # fmt: skip
    html = client.get("/ai-images/").content.decode()
    assert "A harbour that never was" in html
    assert html.count("A harbour that never was") == 1
    assert "Unpublished use" not in html
    assert "(People News/AI-generated image)" in html


@pytest.fixture
def editor():
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, username="editor")
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    return user


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"credit": "", "creator": ""}, "The picture “Harbour wall” (image {pk}) in the body has no credit."),
        ({"alt_text": "   "}, "The picture “Harbour wall” (image {pk}) in the body has no alt text."),
    ],
)
def test_publishing_is_refused_while_a_body_picture_lacks_alt_text_or_credit(
    editor, section, fields, message
):
    image = ImageFactory(title="Harbour wall", **fields)
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, publish_at=None,
                           body=f"<p>Text.</p>{figures(image)}")  # fmt: skip
    with pytest.raises(workflow.TransitionError) as refused:
        workflow.publish(draft, by=editor)
    assert message.format(pk=image.pk) in str(refused.value)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_a_decorative_body_picture_needs_no_alt_text(editor, section):
    image = ImageFactory(alt_text="", is_decorative=True)
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, publish_at=None, body=figures(image))
    assert workflow.publication_problems(draft) == []
    assert workflow.publish(draft, by=editor).status == Article.Status.PUBLISHED


def form_data(section, body):
    return {
        "headline": "Harbour ferries return", "slug": "harbour-ferries-return", "body": body,
        "section": section.pk, "status": "draft", "comment_policy": "open", "tags": "ferries",
    }  # fmt: skip


def test_the_article_form_refuses_a_body_showing_an_image_that_does_not_exist(section):
    image = ImageFactory()
    form = ArticleAdminForm(data=form_data(section, f'{figures(image)}<figure data-image="999999"></figure>'))
    assert not form.is_valid()
    assert form.errors["body"] == [
        "The body shows images that are not in the library: 999999. Remove them or pick others."
    ]
    assert ArticleAdminForm(data=form_data(section, f"<p>x</p>{figures(image)}")).is_valid()


def test_the_article_form_refuses_a_picture_without_a_credit_and_names_it(section):
    uncredited = ImageFactory(title="Quay at night", credit="", creator="")
    form = ArticleAdminForm(data=form_data(section, f"<p>x</p>{figures(uncredited)}"))
    assert not form.is_valid()
    assert form.errors["body"] == [
        f"Give these pictures alt text and a credit in the image library first: Quay at night ({uncredited.pk})."
    ]
    uncredited.creator = "Elena Marsh"
    uncredited.save()
    assert ArticleAdminForm(data=form_data(section, f"<p>x</p>{figures(uncredited)}")).is_valid()


def test_the_article_form_refuses_a_body_showing_an_embed_that_does_not_exist(section):
    form = ArticleAdminForm(data=form_data(section, '<p>x</p><figure data-embed="999999"></figure>'))
    assert not form.is_valid()
    assert form.errors["body"] == [
        "The body shows embeds that do not exist: 999999. Remove them and embed the link again."
    ]


def test_the_image_library_is_searchable_by_caption_credit_and_file_name(client, section):
    from tests.factories import UserFactory

    ImageFactory(title="Ferry", caption="The morning ferry leaves.", credit="Elena Marsh")
    ImageFactory(title="Quay", caption="Quay Street at night.", credit="People News")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    def found(term):
        html = client.get("/admin/articles/image/", {"q": term, "_popup": "1", "_to_field": "id"}).content
        return {title for title in ("Ferry", "Quay") if f">{title}</a>" in html.decode()}

    assert found("morning") == {"Ferry"}
    assert found("People News") == {"Quay"}
    assert found("picture") == {"Ferry", "Quay"}  # the factory's file name
