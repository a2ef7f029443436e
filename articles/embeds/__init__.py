"""Embeds without trackers: posts, videos, tracks and charts from an allowlist of oEmbed providers, shown in
story bodies as click-to-load cards.

- `providers.py`: the allowlist (link patterns, oEmbed endpoints, player origins), free of Django so the
  settings can build the Content-Security-Policy from it;
- `resolve.py`: `resolve(url)`, the one way an `Embed` row is made or refreshed (admin only);
- `cards.py`: `render_cards(ids)`, the readers' HTML (templates/includes/embed_card.html, with
  static/js/embeds.js building the player after a click), and `video_object(embed)` for JSON-LD;
- `demo.py`: `load_demo_embeds()`, two embeds without network;
- `admin.py`: the Embed admin and the JSON resolve endpoint for the body editor.

The names below are the package's interface. They import on first use because the settings import
`providers` (and so this package) before the apps, and with them the models, are loaded.
"""


def render_cards(ids, *, request=None) -> dict[int, str]:
    """The reader HTML of each existing Embed among `ids`: {id: html}; missing ids are absent."""
    from articles.embeds.cards import render_cards as render

    return render(ids, request=request)


def video_object(embed, *, request=None) -> dict | None:
    """schema.org VideoObject for a video embed (None for any other type)."""
    from articles.embeds.cards import video_object as build

    return build(embed, request=request)


def resolve(url):
    """The Embed for `url`, from its provider's oEmbed answer (see articles.embeds.resolve)."""
    from articles.embeds.resolve import resolve as resolve_url

    return resolve_url(url)


def load_demo_embeds():
    """The demo embeds (one YouTube video, one Bluesky post), made without network."""
    from articles.embeds.demo import load_demo_embeds as load

    return load()
