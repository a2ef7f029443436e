from django.core.management.base import BaseCommand

from articles.images.jobs import make_renditions
from articles.images.renditions import refresh_renditions, renditions_complete
from articles.images.uploads import STORAGE_ERRORS
from articles.models import Image


class Command(BaseCommand):
    help = (
        "Make the web sizes of images that lack them or were stored before the current rendition set (after "
        "a deploy that adds widths or crops), or of every image with --all. One image at a time: safe to "
        "stop and run again. --enqueue leaves the work to the Celery workers instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild every image, not only outdated ones")
        parser.add_argument("--enqueue", action="store_true", help="enqueue one job per image and return")

    def handle(self, *args, all=False, enqueue=False, **options):
        rebuilt = failed = 0
        for pk, renditions, title in Image.objects.order_by("pk").values_list("pk", "renditions", "title"):
            if not all and renditions_complete(renditions):
                continue
            if enqueue:
                make_renditions.delay(pk, force=all)
                rebuilt += 1
                continue
            try:
                refresh_renditions(pk, force=all)
            except (*STORAGE_ERRORS, ValueError) as error:
                failed += 1
                self.stderr.write(f"Image {pk} ({title}): {error}")
            else:
                rebuilt += 1
        verb = "Enqueued" if enqueue else "Rebuilt"
        self.stdout.write(f"{verb} the renditions of {rebuilt} image(s); {failed} failed.")
