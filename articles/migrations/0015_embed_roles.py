from django.db import migrations

from articles.roles import sync_roles


def sync(apps, schema_editor):
    sync_roles(apps)  # journalists add and change embeds; editors also delete them


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_embeds")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
