import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticleAuthor, Author, Image, LiveUpdate, NewsAlert, Section, SourceType
from comments.models import Comment


def jpeg_bytes(width=640, height=360, colour=(40, 90, 160)):
    """A real JPEG made by Pillow."""
    output = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(output, format="JPEG")
    return output.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    role = "Staff writer"


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Picture {n}")
    file = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="picture.jpg"))
    alt_text = "A blue rectangle"
    caption = "A caption."
    credit = "People News"
    source_type = SourceType.DIGITAL_CAPTURE


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-{n}")
    kicker = "News"
    dek = "What happened, in one sentence."
    body = "<p>First paragraph.</p><h2>A subheading</h2><ul><li>One</li><li>Two</li></ul>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        for position, author in enumerate(extracted or []):
            ArticleAuthor.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if extracted:
            self.tags.set(extracted)


class LiveUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveUpdate

    article = factory.SubFactory(
        ArticleFactory, live_coverage=Article.LiveCoverage.LIVE, headline="Storm over the coast: live"
    )
    author = factory.SubFactory(AuthorFactory)
    headline = ""
    body = factory.Sequence(lambda n: f"<p>Update number {n}: the wind is still rising.</p>")


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.LazyAttribute(lambda o: f"{o.name.replace(' ', '.').lower()}@example.com")
    body = "A thoughtful comment."
    status = Comment.Status.APPROVED


class ReaderFactory(factory.django.DjangoModelFactory):
    """A reader's account as sign-up leaves it once the email is confirmed: a user (password "correct horse
    battery staple"), a display name and the allauth email address, verified unless `verified=False`."""

    class Meta:
        model = "comments.ReaderProfile"
        skip_postgeneration_save = True

    class Params:
        email = factory.Sequence(lambda n: f"reader{n}@example.org")

    display_name = factory.Sequence(lambda n: f"Reader name {n}")
    user = factory.SubFactory(UserFactory, email=factory.SelfAttribute("..email"))

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        from allauth.account.models import EmailAddress

        if create:
            verified = True if extracted is None else extracted
            EmailAddress.objects.create(
                user=self.user, email=self.user.email, primary=True, verified=verified
            )


# Comments: the moderation word list and reader reports.


class ModeratedWordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "comments.ModeratedWord"
        django_get_or_create = ["phrase"]

    phrase = factory.Sequence(lambda n: f"badword{n}")
    action = "hold"


class CommentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "comments.CommentReport"

    comment = factory.SubFactory(CommentFactory)
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")


def ai_xmp(*, alt, description, credit="People News", ai_system="Imagen 4", creator="", rights=""):
    """An XMP packet as image generators export it: IPTC digital source type trainedAlgorithmicMedia."""

    def alt_text(value):
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{value}</rdf:li></rdf:Alt>'

    extra = (f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>" if creator else "") + (
        f"<dc:rights>{alt_text(rights)}</dc:rights>" if rights else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
        ' xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
        "</Iptc4xmpExt:DigitalSourceType>"
        f"<Iptc4xmpExt:AISystemUsed>{ai_system}</Iptc4xmpExt:AISystemUsed>"
        f"<Iptc4xmpCore:AltTextAccessibility>{alt_text(alt)}</Iptc4xmpCore:AltTextAccessibility>"
        f"<photoshop:Credit>{credit}</photoshop:Credit>{extra}"
        f"<dc:description>{alt_text(description)}</dc:description>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    )


class NewsAlertFactory(factory.django.DjangoModelFactory):
    """A breaking news alert running from now for two hours."""

    class Meta:
        model = NewsAlert

    kind = NewsAlert.Kind.BREAKING
    text = factory.Sequence(lambda n: f"Alert number {n}")
    starts_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
