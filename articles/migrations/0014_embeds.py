"""Embeds: the cached oEmbed answer of a link shown in story bodies as a click-to-load card."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_body_images'),
    ]

    operations = [
        migrations.CreateModel(
            name='Embed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=1000, unique=True, verbose_name='address')),
                ('provider', models.CharField(blank=True, editable=False, max_length=120, verbose_name='provider')),
                ('type', models.CharField(choices=[('video', 'video'), ('rich', 'rich content'), ('photo', 'photo'), ('link', 'link')], default='link', editable=False, max_length=10, verbose_name='type')),
                ('title', models.CharField(blank=True, editable=False, max_length=300, verbose_name='title')),
                ('author_name', models.CharField(blank=True, editable=False, max_length=200, verbose_name='author')),
                ('author_url', models.URLField(blank=True, editable=False, max_length=1000, verbose_name="author's address")),
                ('width', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='width')),
                ('height', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='height')),
                ('html', models.TextField(blank=True, editable=False, verbose_name="provider's HTML")),
                ('thumbnail', models.ImageField(blank=True, editable=False, height_field='thumbnail_height', upload_to='embeds/%Y/%m/', verbose_name='thumbnail', width_field='thumbnail_width')),
                ('thumbnail_width', models.PositiveIntegerField(default=0, editable=False)),
                ('thumbnail_height', models.PositiveIntegerField(default=0, editable=False)),
                ('thumbnail_credit', models.CharField(blank=True, editable=False, max_length=330, verbose_name='thumbnail credit')),
                ('message', models.CharField(blank=True, editable=False, max_length=500, verbose_name='last resolution')),
                ('resolved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='resolved at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='added at')),
            ],
            options={
                'verbose_name': 'embed',
                'verbose_name_plural': 'embeds',
                'ordering': ['-created_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('type__in', ['video', 'rich', 'photo', 'link'])), name='embed_type_valid')],
            },
        ),
    ]
