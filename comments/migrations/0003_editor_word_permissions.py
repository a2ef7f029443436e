from django.db import migrations

from articles.roles import sync_roles


def sync(apps, schema_editor):
    sync_roles(apps)  # Editors edit the banned and suspect words


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_moderation"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
