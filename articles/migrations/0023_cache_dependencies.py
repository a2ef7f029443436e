from django.db import migrations, models


class Migration(migrations.Migration):
    """Per-dependency versions in a table replace the one content-version sequence."""

    dependencies = [
        ("articles", "0022_newsletters"),
    ]

    operations = [
        migrations.CreateModel(
            name="CacheVersion",
            fields=[
                ("key", models.CharField(max_length=200, primary_key=True, serialize=False, verbose_name="key")),
                ("version", models.BigIntegerField(db_index=True, verbose_name="version")),
            ],
            options={
                "verbose_name": "cache dependency version",
                "verbose_name_plural": "cache dependency versions",
                "ordering": ["key"],
            },
        ),
        migrations.RunSQL(
            "DROP SEQUENCE IF EXISTS articles_content_version;",
            "CREATE SEQUENCE IF NOT EXISTS articles_content_version; SELECT nextval('articles_content_version');",
        ),
    ]
