"""A restore drill: back up, restore into an empty database, find the same articles, comments and images."""

from datetime import time

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from articles.models import Delivery, Issue, Newsletter, Subscriber, Subscription
from articles.models.newsletters import address_hash
from newsmag.backups import backup, libpq_env, restore
from tests.factories import ArticleFactory, CommentFactory, ImageFactory, ReaderFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def empty_database():
    """The name of a new, empty database beside the test database (dropped afterwards), to restore into."""
    name = connection.settings_dict["NAME"] + "_restore"
    env = libpq_env()
    admin = psycopg.connect(
        dbname="postgres", host=env.get("PGHOST"), port=env.get("PGPORT"), user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"), autocommit=True,
    )  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def test_backup_restores_into_an_empty_database_with_the_same_content(
    tmp_path, settings, section, empty_database
):
    image = ImageFactory(title="Harbour at dawn")
    article = ArticleFactory(section=section, headline="Backed-up story", lead_image=image)
    CommentFactory(article=article, body="A comment worth keeping")
    newsletter = Newsletter.objects.create(name="Daily", slug="daily", kind="daily", send_time=time(7))
    subscriber = Subscriber.objects.create(email="reader@example.org")
    Subscription.objects.create(subscriber=subscriber, newsletter=newsletter, confirmed_at=timezone.now())
    issue = Issue.objects.create(
        newsletter=newsletter, scheduled_for=timezone.now(), stories_since=timezone.now()
    )
    Delivery.objects.create(issue=issue, subscriber=subscriber, address_hash=address_hash(subscriber.email))
    ReaderFactory(display_name="Carlos", email="carlos@example.org")
    manifest = backup(tmp_path / "backup")
    assert manifest["counts"] == {
        "articles": 1, "comments": 1, "images": 1, "newsletter_subscribers": 1, "newsletter_deliveries": 1,
        "reader_accounts": 1,
    }  # fmt: skip

    name, env = empty_database, libpq_env()
    restore(tmp_path / "backup", database=name, media_root=tmp_path / "media")
    with psycopg.connect(
        dbname=name, host=env.get("PGHOST"), port=env.get("PGPORT"), user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
    ) as restored:  # fmt: skip
        assert restored.execute("SELECT headline FROM articles_article").fetchall() == [("Backed-up story",)]
        assert restored.execute("SELECT body FROM comments_comment").fetchall() == [
            ("A comment worth keeping",)
        ]
        assert restored.execute("SELECT file FROM articles_image").fetchall() == [(image.file.name,)]
        assert restored.execute(
            "SELECT email, confirmed_at IS NOT NULL FROM articles_subscriber"
            " JOIN articles_subscription ON articles_subscription.subscriber_id = articles_subscriber.id"
        ).fetchall() == [("reader@example.org", True)]
        assert restored.execute("SELECT address_hash FROM articles_delivery").fetchall() == [
            (address_hash("reader@example.org"),)
        ]
        # Reader accounts come back whole: profile, verified address, and the password to sign in with.
        assert restored.execute(
            "SELECT p.display_name, e.email, e.verified, u.password <> '' FROM comments_readerprofile p "
            "JOIN auth_user u ON u.id = p.user_id JOIN account_emailaddress e ON e.user_id = u.id"
        ).fetchall() == [("Carlos", "carlos@example.org", True, True)]
    assert (tmp_path / "media" / image.file.name).read_bytes() == image.file.read()


def test_media_on_s3_are_backed_up_from_the_bucket_and_restored_into_another(
    tmp_path, s3_bucket, s3_server, empty_database
):
    import tarfile

    from storages.backends.s3 import S3Storage

    from articles.images.renditions import refresh_renditions
    from tests.articles.test_images import jpeg
    from tests.s3_server import make_bucket

    image = ImageFactory(title="Harbour at dawn", file=ContentFile(jpeg(1600, 900), name="harbour.jpg"))
    refresh_renditions(image.pk)
    stored = s3_bucket.keys()
    assert image.file.name in stored
    assert len(stored) > 10  # the original and its renditions, all in the bucket

    manifest = backup(tmp_path / "backup")
    assert manifest["media_files"] == len(stored)
    with tarfile.open(tmp_path / "backup" / "media.tar.gz") as archive:
        assert sorted(member.name.removeprefix("media/") for member in archive) == stored

    target = make_bucket(s3_server)
    try:
        restore(tmp_path / "backup", database=empty_database, storage=S3Storage(bucket_name=target.name))
        assert target.keys() == stored
        for key in stored:
            assert target.get(key) == s3_bucket.get(key)
    finally:
        target.delete()
