"""Finer statistics on which tag a tagged item carries, so that PostgreSQL knows a rare tag from a common
one. With the default 100 most-common values, every tag outside them is assumed as frequent as an average
one: a front page's tag container or a tag page for a tag of four stories then walks the whole archive
newest first, looking for stories that carry it (over 30 seconds at a million stories); with 1,000 it
reads the tag's few items instead, and still walks the newest stories for a common tag (tests/bench)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_pages"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(
            [
                "ALTER TABLE taggit_taggeditem ALTER COLUMN tag_id SET STATISTICS 1000",
                "ANALYZE taggit_taggeditem",
            ],
            "ALTER TABLE taggit_taggeditem ALTER COLUMN tag_id SET STATISTICS -1",
        ),
    ]
