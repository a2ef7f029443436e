"""A restore drill: back up, restore into an empty database, find the same articles, comments and images."""

import psycopg
import pytest
from django.db import connection

from newsmag.backups import backup, libpq_env, restore
from tests.factories import ArticleFactory, CommentFactory, ImageFactory, ReaderFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_restores_into_an_empty_database_with_the_same_content(tmp_path, settings, section):
    image = ImageFactory(title="Harbour at dawn")
    article = ArticleFactory(section=section, headline="Backed-up story", lead_image=image)
    CommentFactory(article=article, body="A comment worth keeping")
    ReaderFactory(display_name="Carlos", email="carlos@example.org")
    manifest = backup(tmp_path / "backup")
    assert manifest["counts"] == {"articles": 1, "comments": 1, "images": 1, "reader_accounts": 1}

    name = connection.settings_dict["NAME"] + "_restore"
    env = libpq_env()
    admin = psycopg.connect(
        dbname="postgres", host=env.get("PGHOST"), port=env.get("PGPORT"), user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"), autocommit=True,
    )  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        restore(tmp_path / "backup", database=name, media_root=tmp_path / "media")
        with psycopg.connect(
            dbname=name, host=env.get("PGHOST"), port=env.get("PGPORT"), user=env.get("PGUSER"),
            password=env.get("PGPASSWORD"),
        ) as restored:  # fmt: skip
            assert restored.execute("SELECT headline FROM articles_article").fetchall() == [
                ("Backed-up story",)
            ]
            assert restored.execute("SELECT body FROM comments_comment").fetchall() == [
                ("A comment worth keeping",)
            ]
            assert restored.execute("SELECT file FROM articles_image").fetchall() == [(image.file.name,)]
            # Reader accounts come back whole: profile, verified address, and the password to sign in with.
            assert restored.execute(
                "SELECT p.display_name, e.email, e.verified, u.password <> '' FROM comments_readerprofile p "
                "JOIN auth_user u ON u.id = p.user_id JOIN account_emailaddress e ON e.user_id = u.id"
            ).fetchall() == [("Carlos", "carlos@example.org", True, True)]
        assert (tmp_path / "media" / image.file.name).read_bytes() == image.file.read()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
