"""The images story bodies show (BodyImage), kept on every article save.

Nothing to fill in: until now the sanitizer dropped every data-image reference, so no stored body has one.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0012_preview_revocation_and_old_slugs'),
    ]

    operations = [
        migrations.CreateModel(
            name='BodyImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='body_image_uses', to='articles.article', verbose_name='article')),
                ('image', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='body_uses', to='articles.image', verbose_name='image')),
            ],
            options={
                'verbose_name': 'picture in a story body',
                'verbose_name_plural': 'pictures in story bodies',
                'ordering': ['position', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('article', 'image'), name='body_image_once_per_article')],
            },
        ),
    ]
