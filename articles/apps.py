from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Publishing")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from articles import signals  # noqa: F401 (connects the receivers)

        # Pillow warns above this many pixels and refuses at twice as many: a decompression bomb guard.
        Image.MAX_IMAGE_PIXELS = settings.NEWSMAG_IMAGE_MAX_PIXELS
