"""The status of a story taken off the site is stored as "unpublished", as the newsroom calls it."""

from django.db import migrations, models


def rename_status(old, new):
    def forwards(apps, schema_editor):
        apps.get_model("articles", "Article").objects.filter(status=old).update(status=new)

    return forwards


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_page_cache")]

    operations = [
        migrations.RemoveConstraint(model_name="article", name="article_status_valid"),
        migrations.RunPython(rename_status("archived", "unpublished"), rename_status("unpublished", "archived")),
        migrations.AlterField(
            model_name="article",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                ],
                default="draft",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "review", "published", "unpublished"])),
                name="article_status_valid",
            ),
        ),
    ]
