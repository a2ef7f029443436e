from django.core.management.base import BaseCommand

from articles.images.renditions import renditions_outdated, update_renditions
from articles.models import Image


class Command(BaseCommand):
    help = (
        "Rebuild the web sizes of images stored before the current rendition set (after a deploy that adds "
        "widths or crops), or of every image with --all. One image at a time: safe to stop and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild every image, not only outdated ones")

    def handle(self, *args, all=False, **options):
        rebuilt = failed = 0
        for image in Image.objects.order_by("pk").iterator(chunk_size=100):
            if not all and not renditions_outdated(image.renditions):
                continue
            problem = update_renditions(image)  # None: treated as new, so always rebuilt
            if problem:
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image.title}): {problem}")
            else:
                rebuilt += 1
        self.stdout.write(f"Rebuilt the renditions of {rebuilt} image(s); {failed} failed.")
