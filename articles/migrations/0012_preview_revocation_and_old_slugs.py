"""Preview links that can be revoked (a per-article generation), and the former addresses of articles.

The former addresses are filled from the revisions kept so far, so a slug edited before this release
redirects too: each slug an article's revisions had and the article has no longer, for the article that
had it last.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def backfill_retired_slugs(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO articles_retiredslug (slug, article_id, created_at)
            SELECT DISTINCT ON (revision.data->>'slug')
                   revision.data->>'slug', revision.article_id, revision.created_at
              FROM articles_articlerevision revision
              JOIN articles_article article ON article.id = revision.article_id
             WHERE revision.data->>'slug' <> ''
               AND revision.data->>'slug' <> article.slug
             ORDER BY revision.data->>'slug', revision.created_at DESC, revision.id DESC
            ON CONFLICT (slug) DO NOTHING
            """
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_rate_counters")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="preview_generation",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Goes up when an editor revokes the preview links: every earlier link stops working.",
                verbose_name="preview generation",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="slug",
            field=models.SlugField(
                help_text=(
                    "The article's address. Avoid changing it once published: the old address keeps working "
                    "(it redirects here), but links already shared show the old one."
                ),
                max_length=200,
                unique=True,
                verbose_name="slug",
            ),
        ),
        migrations.AlterField(
            model_name="articleevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "created"),
                    ("edited", "edited"),
                    ("submitted", "submitted for review"),
                    ("changes_requested", "requested changes"),
                    ("published", "published"),
                    ("scheduled", "scheduled"),
                    ("unpublished", "unpublished"),
                    ("restored", "restored a revision"),
                    ("corrected", "added a correction"),
                    ("previews_revoked", "revoked preview links"),
                ],
                max_length=24,
                verbose_name="action",
            ),
        ),
        migrations.CreateModel(
            name="RetiredSlug",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=200, unique=True, verbose_name="slug")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="retired at"),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="retired_slugs",
                        to="articles.article",
                        verbose_name="article",
                    ),
                ),
            ],
            options={
                "verbose_name": "former address",
                "verbose_name_plural": "former addresses",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.RunPython(backfill_retired_slugs, migrations.RunPython.noop),
    ]
