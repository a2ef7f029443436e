"""Draw the PNG icons (home screen, manifest, Apple touch) from the shapes of static/favicon.svg."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

# static/favicon.svg on its 64-unit grid: a red square with round corners and the white "N" path
# (M18 48V16h6l16 20V16h6v32h-6L24 28v20z). Keep the two in step when the logo changes.
RED = (0xB3, 0x26, 0x1E, 255)
WHITE = (255, 255, 255, 255)
CORNER = 12
LETTER = [(18, 48), (18, 16), (24, 16), (40, 36), (40, 16), (46, 16), (46, 48), (40, 48), (24, 28), (24, 48)]
SUPERSAMPLE = 4  # drawn larger, then scaled down: smooth edges without an SVG renderer

# name: (size, round corners with transparency outside them, letter scale within the square)
ICONS = {
    "icon-192.png": (192, True, 1.0),
    "icon-512.png": (512, True, 1.0),
    # Maskable: the platform cuts its own shape, keeping a circle of 80% of the side; the letter fits in it.
    "icon-maskable-512.png": (512, False, 0.75),
    # iOS rounds the corners itself and shows transparency as black: a full square.
    "apple-touch-icon.png": (180, False, 1.0),
}


def draw_icon(size, round_corners, letter_scale) -> Image.Image:
    big = size * SUPERSAMPLE
    unit = big / 64
    picture = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(picture)
    if round_corners:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(CORNER * unit), fill=RED)
    else:
        pen.rectangle((0, 0, big - 1, big - 1), fill=RED)
    centre = 32
    pen.polygon(
        [
            ((centre + (x - centre) * letter_scale) * unit, (centre + (y - centre) * letter_scale) * unit)
            for x, y in LETTER
        ],
        fill=WHITE,
    )
    picture = picture.resize((size, size), Image.Resampling.LANCZOS)
    return picture if round_corners else picture.convert("RGB")


class Command(BaseCommand):
    help = "Draw static/icons/*.png (manifest, maskable, apple-touch-icon) from the favicon's shapes."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "static" / "icons"))

    def handle(self, *args, out, **options):
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for name, spec in ICONS.items():
            draw_icon(*spec).save(folder / name, optimize=True)
            self.stdout.write(f"Wrote {folder / name}")
