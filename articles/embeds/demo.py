"""Demo embeds for the demo newsroom: the oEmbed answers of one YouTube video and one Bluesky post, as
their providers give them, with thumbnails drawn by Pillow, saved through the same path as a real
resolution (so the cards, credits and players are the real thing) without any network.

`load_demo_embeds()` is idempotent: embeds already there are returned as they are.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw

from articles.embeds.providers import BUILT_IN
from articles.embeds.resolve import Answer, normalise_url, save_answer
from articles.images.uploads import clean_upload
from articles.models import Embed

BLUESKY_DID = "did:plc:z72i7hdynmk6r22z27h6tvur"  # the account of bsky.app itself

DEMO = [
    {
        "provider": "youtube",
        "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        "colour": (196, 48, 43),
        "answer": Answer(
            type="video",
            title="Big Buck Bunny 60fps 4K - Official Blender Foundation Short Film",
            author_name="Blender",
            author_url="https://www.youtube.com/@BlenderOfficial",
            width=640,
            height=360,
            html=(
                '<iframe width="640" height="360" src="https://www.youtube.com/embed/aqz-KE-bpKQ?feature=oembed"'
                ' frameborder="0" allowfullscreen title="Big Buck Bunny"></iframe>'
            ),
            thumbnail_url="https://i.ytimg.com/vi/aqz-KE-bpKQ/hqdefault.jpg",
        ),
    },
    {
        "provider": "bluesky",
        "url": "https://bsky.app/profile/bsky.app/post/3kgbz6tc6gl2z",
        "colour": (17, 133, 254),
        "answer": Answer(
            type="rich",
            title="",
            author_name="Bluesky (@bsky.app)",
            author_url="https://bsky.app/profile/bsky.app",
            width=600,
            height=None,
            html=(
                '<blockquote class="bluesky-embed" data-bluesky-uri="at://'
                f'{BLUESKY_DID}/app.bsky.feed.post/3kgbz6tc6gl2z" data-bluesky-cid="demo"><p lang="en">'
                "Bluesky is open to everyone.</p>&mdash; Bluesky (@bsky.app)</blockquote>"
                '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'
            ),
            thumbnail_url="",
        ),
    },
]


def demo_thumbnail(colour, name) -> ContentFile:
    """A 480 × 270 picture in the provider's colour with a play mark, re-encoded like any thumbnail."""
    picture = PILImage.new("RGB", (480, 270), colour)
    draw = ImageDraw.Draw(picture)
    draw.polygon([(210, 95), (210, 175), (280, 135)], fill=(255, 255, 255))
    data = io.BytesIO()
    picture.save(data, "JPEG", quality=85)
    return clean_upload(ContentFile(data.getvalue(), name=name)).content


def load_demo_embeds() -> list[Embed]:
    """The demo embeds, created when missing (no network): [YouTube video, Bluesky post]."""
    providers = {provider.key: provider for provider in BUILT_IN}
    embeds = []
    for item in DEMO:
        url = normalise_url(item["url"])
        existing = Embed.objects.filter(url=url, resolved_at__isnull=False).first()
        if existing:
            embeds.append(existing)
            continue
        provider = providers[item["provider"]]
        thumbnail = demo_thumbnail(item["colour"], f"{provider.key}-demo.jpg")
        embeds.append(save_answer(url, provider, item["answer"], thumbnail, ""))
    return embeds
