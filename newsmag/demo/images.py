"""Pictures for the demo, drawn locally with Pillow (no downloads, no stock photos)."""

import io
import math
import random

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900


def _rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw(spec) -> bytes:
    """Return a JPEG (2400x1350) for an IMAGES entry of demo_content: a gradient and a simple motif.

    Drawn at 1600x900 and enlarged: a newsroom's pictures are larger than the 1200 px that search engines
    ask of a story's square, 4:3 and 16:9 images, and the demo's should be too."""
    top, bottom = (_rgb(c) for c in spec["colors"])
    rng = random.Random(spec["key"])  # the same picture every time for the same key
    picture = PILImage.new("RGB", (WIDTH, HEIGHT))
    pixels = ImageDraw.Draw(picture)
    for y in range(HEIGHT):
        pixels.line([(0, y), (WIDTH, y)], fill=_mix(top, bottom, y / HEIGHT))
    layer = PILImage.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    shapes = ImageDraw.Draw(layer)
    light = (*_mix(bottom, (255, 255, 255), 0.6), 170)
    dark = (*_mix(top, (0, 0, 0), 0.5), 200)
    motif = spec.get("motif", "circles")
    if motif == "sun":
        shapes.ellipse([WIDTH * 0.55, HEIGHT * 0.25, WIDTH * 0.8, HEIGHT * 0.7], fill=light)
        shapes.rectangle([0, HEIGHT * 0.68, WIDTH, HEIGHT], fill=dark)
    elif motif == "bars":
        for i in range(14):
            h = rng.uniform(0.2, 0.75) * HEIGHT
            x = 80 + i * 105
            shapes.rectangle([x, HEIGHT - h, x + 70, HEIGHT], fill=light if i % 3 else dark)
    elif motif == "waves":
        for band in range(6):
            points = [
                (x, HEIGHT * (0.45 + band * 0.09) + 28 * math.sin(x / 90 + band))
                for x in range(0, WIDTH + 20, 20)
            ]
            shapes.line(points, fill=light, width=10)
    elif motif == "grid":
        for x in range(0, WIDTH, 100):
            for y in range(0, HEIGHT, 100):
                if rng.random() < 0.45:
                    shapes.rectangle(
                        [x + 10, y + 10, x + 90, y + 90], fill=light if rng.random() < 0.7 else dark
                    )
    elif motif == "mountains":
        for layer_index, colour in enumerate((light, dark)):
            base = HEIGHT * (0.55 + 0.15 * layer_index)
            points = [(0, HEIGHT)]
            for x in range(0, WIDTH + 200, 200):
                points.append((x, base - rng.uniform(60, 260)))
            points.append((WIDTH, HEIGHT))
            shapes.polygon(points, fill=colour)
    else:  # circles
        for _ in range(18):
            r = rng.uniform(30, 160)
            x, y = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
            shapes.ellipse([x - r, y - r, x + r, y + r], fill=light if rng.random() < 0.7 else dark)
    picture.paste(layer.filter(ImageFilter.GaussianBlur(2)), mask=layer.filter(ImageFilter.GaussianBlur(2)))
    picture = picture.resize((WIDTH * 3 // 2, HEIGHT * 3 // 2), PILImage.Resampling.LANCZOS)
    output = io.BytesIO()
    picture.save(output, format="JPEG", quality=82, optimize=True, progressive=True)
    return output.getvalue()
