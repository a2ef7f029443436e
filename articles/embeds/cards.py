"""What readers get for an embed: a card (our copied thumbnail, title, provider, author, a plain link
without JavaScript), and the player's description for static/js/embeds.js, which builds it after a click.

The provider's stored HTML is never part of the page: the player is built from the link by the provider's
entry in the allowlist (an iframe `src` on a known origin, or a widget blockquote plus the provider's
script), so the Content-Security-Policy can name exactly those origins.
"""

import json

from django.template.loader import render_to_string
from django.utils.translation import gettext

from articles.embeds.providers import Provider
from articles.embeds.resolve import providers
from articles.models import Embed


def provider_of(embed: Embed) -> Provider | None:
    """The enabled provider the embed was resolved with (None for a link card or a disabled provider)."""
    if not embed.provider:
        return None
    return next((provider for provider in providers() if provider.key == embed.provider), None)


def player(embed: Embed, provider: Provider | None = None) -> dict | None:
    """{"kind": "frame", "src"} or {"kind": "script", "script", "widget"} for embeds.js; None: link only."""
    provider = provider or provider_of(embed)
    groups = provider.match(embed.url) if provider else None
    if groups is None:
        return None
    if provider.kind == "frame":
        return {"kind": "frame", "src": provider.player_src(groups)}
    widget = provider.widget(groups, embed.url, embed.html)
    if widget is None:
        return None
    return {"kind": "script", "script": provider.script, "widget": json.dumps(widget)}


def card_context(embed: Embed) -> dict:
    provider = provider_of(embed)
    # The player's shape, when the provider gave both sides (a post's height depends on its text).
    aspect = f"{embed.width} / {embed.height}" if embed.width and embed.height else "16 / 9"
    if embed.title:
        title = embed.title
    elif embed.author_name:
        title = gettext("Post by %(author)s") % {"author": embed.author_name}
    else:
        title = embed.url
    return {
        "embed": embed,
        "title": title,
        "provider_name": provider.name if provider else "",
        "player": player(embed, provider),
        "thumbnail_url": embed.thumbnail.url if embed.thumbnail else "",
        "aspect": aspect,
    }


def render_card(embed: Embed, *, request=None) -> str:
    """The reader HTML of one embed: the click-to-load card (templates/includes/embed_card.html)."""
    return render_to_string("includes/embed_card.html", card_context(embed), request=request)


def render_cards(ids, *, request=None) -> dict[int, str]:
    """The reader HTML of each existing Embed among `ids` (one query): {id: html}."""
    wanted = {int(value) for value in ids if str(value).isdigit()}
    if not wanted:
        return {}
    return {embed.pk: render_card(embed, request=request) for embed in Embed.objects.filter(pk__in=wanted)}


def video_object(embed: Embed, *, request=None) -> dict | None:
    """A schema.org VideoObject for a video embed: name, our thumbnail's absolute address, the player's
    address (embedUrl) and the original page (url). The provider's upload date is not in oEmbed: omitted."""
    if embed.type != Embed.Type.VIDEO:
        return None
    data = {"@type": "VideoObject", "name": embed.title or embed.url, "url": embed.url}
    if embed.thumbnail:
        url = embed.thumbnail.url
        data["thumbnailUrl"] = request.build_absolute_uri(url) if request is not None else url
    shown = player(embed)
    if shown and shown["kind"] == "frame":
        data["embedUrl"] = shown["src"]
    if embed.author_name:
        data["author"] = {"@type": "Person", "name": embed.author_name}
    return data
