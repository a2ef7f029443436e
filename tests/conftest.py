import pytest

from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def section(db):
    return SectionFactory(name="Culture", slug="culture")


@pytest.fixture
def ai_image(db):
    return ImageFactory(
        title="Bakery at night",
        caption="A bakery window before dawn.",
        credit="People News",
        source_type="trainedAlgorithmicMedia",
        ai_system="Imagen",
    )


@pytest.fixture
def article(db, section, ai_image):
    """The model page: an agency story with an AI-generated lead image."""
    return ArticleFactory(
        section=section,
        kicker="People",
        headline="The night baker who keeps a town's lights on",
        slug="night-baker",
        source_label="People News",
        lead_image=ai_image,
        authors=[AuthorFactory(name="People News", slug="people-news")],
        tags=["people", "food"],
    )
