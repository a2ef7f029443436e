import pytest

from tests.celery_worker import broker, job_runs  # noqa: F401 (fixtures)
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory
from tests.oembed_server import oembed, provider_server  # noqa: F401 (fixtures)
from tests.production_site import gunicorn_site, throwaway_postgres  # noqa: F401 (fixtures)
from tests.s3_server import s3_bucket, s3_bucket_behind_cdn, s3_server  # noqa: F401 (fixtures)
from tests.smtp_server import mailbox, smtp_server  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    from articles import caching

    for cache in caches.all():
        cache.clear()
    caching.forget_versions()  # the database is reset between tests: versions start again
    yield
    for cache in caches.all():
        cache.clear()
    caching.forget_versions()


@pytest.fixture
def version_read_once(settings):
    """This process learns of content changes through its own changes of versions (not a re-read once a
    second) and of the clock through the versions' memo being reset around the test: kept pages and parts
    turn over exactly when the test changes something."""
    from articles import caching

    settings.NEWSMAG_PAGE_CACHE_VERSION_SECONDS = 1000
    caching._memo.state = None
    yield
    caching._memo.state = None


@pytest.fixture(autouse=True)
def _requests_see_committed_work():
    from django.core.signals import request_started

    # In production a reader's request sees only committed data, so everything a test wrote before a request
    # has had its after-commit effects by then (a new content version retiring kept pages, fresh search
    # vectors): they run when each test-client request starts.
    request_started.connect(run_after_commit_work, dispatch_uid="tests-commit-before-request")
    yield
    request_started.disconnect(dispatch_uid="tests-commit-before-request")


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
