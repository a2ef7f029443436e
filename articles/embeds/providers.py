"""The oEmbed providers we embed from: what their links look like, where their oEmbed endpoint is, and how
their player is built and loaded once a reader asks for it.

Plain data and pure functions, with no Django import: `newsmag/settings.py` reads the origins from here to
write the Content-Security-Policy (`csp_origins()`), before any app is loaded.

Two kinds of player:
- "frame": an iframe whose `src` we build from the link (`player_src`), never from the provider's HTML, so
  only a known player address on a known origin is ever framed (YouTube's is youtube-nocookie.com);
- "script": the provider's own widget script turns a `<blockquote>` into the post (X, Instagram, TikTok,
  Bluesky). The blockquote is built from the link too (`widget`), and the script address is ours.
Both are created only after the reader clicks "Load content from …" (static/js/embeds.js).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    patterns: tuple[re.Pattern, ...]  # a match (with named groups) is an embeddable link
    endpoint: str  # the oEmbed endpoint (https)
    kind: str  # "frame" or "script"
    frame_origins: tuple[str, ...] = ()
    script_origins: tuple[str, ...] = ()
    player_src: Callable[[dict], str] | None = None  # "frame": the iframe's src, from the match's groups
    script: str = ""  # "script": the widget script's address
    widget: Callable[[dict, str, str], dict | None] | None = field(default=None)  # (groups, url, html)

    def match(self, url: str) -> dict | None:
        """The named groups of the first pattern `url` matches (None when it matches none)."""
        for pattern in self.patterns:
            found = pattern.fullmatch(url)
            if found:
                return {name: value for name, value in found.groupdict().items() if value is not None}
        return None


def _patterns(*expressions):
    # Links are matched after normalising to https (resolve.normalise_url); a query or fragment may follow.
    return tuple(re.compile(rf"https://{expression}(?:[?#].*)?", re.IGNORECASE) for expression in expressions)


_ID = r"[A-Za-z0-9_-]+"


def _twitter_widget(groups, url, html):
    return {"class": "twitter-tweet", "attrs": {"data-dnt": "true"}, "href": url}


def _instagram_widget(groups, url, html):
    permalink = f"https://www.instagram.com/{groups['path']}/{groups['id']}/"
    return {
        "class": "instagram-media",
        "attrs": {"data-instgrm-permalink": permalink, "data-instgrm-version": "14"},
        "href": permalink,
    }


def _tiktok_widget(groups, url, html):
    return {"class": "tiktok-embed", "attrs": {"cite": url, "data-video-id": groups["id"]}, "href": url}


_AT_URI = re.compile(
    r'data-bluesky-uri="(at://did:[a-z0-9]+:[A-Za-z0-9._:%-]+/app\.bsky\.feed\.post/[A-Za-z0-9]+)"'
)


def _bluesky_widget(groups, url, html):
    # The widget needs the post's at:// address, whose account part is a DID: the link may carry it, or
    # else the provider's answer does (the only thing ever read from the stored HTML, by this pattern).
    if groups["handle"].startswith("did:"):
        uri = f"at://{groups['handle']}/app.bsky.feed.post/{groups['id']}"
    else:
        found = _AT_URI.search(html or "")
        if not found:
            return None
        uri = found.group(1)
    return {"class": "bluesky-embed", "attrs": {"data-bluesky-uri": uri}, "href": url}


def _datawrapper_src(groups):
    version = f"{groups['version']}/" if groups.get("version") else ""
    return f"https://datawrapper.dwcdn.net/{groups['id']}/{version}"


BUILT_IN = (
    Provider(
        key="youtube",
        name="YouTube",
        patterns=_patterns(
            rf"(?:www\.|m\.)?youtube\.com/watch\?(?:.*&)?v=(?P<id>{_ID})(?:&.*)?",
            rf"(?:www\.|m\.)?youtube\.com/(?:shorts|embed|live)/(?P<id>{_ID})",
            rf"youtu\.be/(?P<id>{_ID})",
        ),
        endpoint="https://www.youtube.com/oembed",
        kind="frame",
        frame_origins=("https://www.youtube-nocookie.com",),
        player_src=lambda groups: f"https://www.youtube-nocookie.com/embed/{groups['id']}",
    ),
    Provider(
        key="vimeo",
        name="Vimeo",
        patterns=_patterns(
            r"(?:www\.)?vimeo\.com/(?P<id>[0-9]+)", r"player\.vimeo\.com/video/(?P<id>[0-9]+)"
        ),
        endpoint="https://vimeo.com/api/oembed.json",
        kind="frame",
        frame_origins=("https://player.vimeo.com",),
        player_src=lambda groups: f"https://player.vimeo.com/video/{groups['id']}?dnt=1",
    ),
    Provider(
        key="x",
        name="X",
        patterns=_patterns(rf"(?:www\.|mobile\.)?(?:twitter|x)\.com/{_ID}/status/(?P<id>[0-9]+)"),
        endpoint="https://publish.twitter.com/oembed",
        kind="script",
        frame_origins=("https://platform.twitter.com",),
        script_origins=("https://platform.twitter.com",),
        script="https://platform.twitter.com/widgets.js",
        widget=_twitter_widget,
    ),
    Provider(
        key="instagram",
        name="Instagram",
        patterns=_patterns(rf"(?:www\.)?instagram\.com/(?P<path>p|reel|tv)/(?P<id>{_ID})/?"),
        endpoint="https://graph.facebook.com/v19.0/instagram_oembed",
        kind="script",
        frame_origins=("https://www.instagram.com",),
        script_origins=("https://www.instagram.com",),
        script="https://www.instagram.com/embed.js",
        widget=_instagram_widget,
    ),
    Provider(
        key="tiktok",
        name="TikTok",
        patterns=_patterns(r"(?:www\.)?tiktok\.com/@[A-Za-z0-9._-]+/video/(?P<id>[0-9]+)"),
        endpoint="https://www.tiktok.com/oembed",
        kind="script",
        frame_origins=("https://www.tiktok.com",),
        script_origins=("https://www.tiktok.com",),
        script="https://www.tiktok.com/embed.js",
        widget=_tiktok_widget,
    ),
    Provider(
        key="bluesky",
        name="Bluesky",
        patterns=_patterns(r"bsky\.app/profile/(?P<handle>[A-Za-z0-9._:-]+)/post/(?P<id>[A-Za-z0-9]+)"),
        endpoint="https://embed.bsky.app/oembed",
        kind="script",
        frame_origins=("https://embed.bsky.app",),
        script_origins=("https://embed.bsky.app",),
        script="https://embed.bsky.app/static/embed.js",
        widget=_bluesky_widget,
    ),
    Provider(
        key="soundcloud",
        name="SoundCloud",
        patterns=_patterns(
            r"(?:www\.|m\.)?soundcloud\.com/(?P<path>[A-Za-z0-9_-]+/[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)?)"
        ),
        endpoint="https://soundcloud.com/oembed",
        kind="frame",
        frame_origins=("https://w.soundcloud.com",),
        player_src=lambda groups: (
            "https://w.soundcloud.com/player/?url="
            + quote(f"https://soundcloud.com/{groups['path']}", safe="")
            + "&visual=true"
        ),
    ),
    Provider(
        key="spotify",
        name="Spotify",
        patterns=_patterns(
            r"open\.spotify\.com/(?:intl-[a-z-]+/)?(?P<type>track|album|playlist|episode|show|artist)/(?P<id>[A-Za-z0-9]+)"
        ),
        endpoint="https://open.spotify.com/oembed",
        kind="frame",
        frame_origins=("https://open.spotify.com",),
        player_src=lambda groups: f"https://open.spotify.com/embed/{groups['type']}/{groups['id']}",
    ),
    Provider(
        key="datawrapper",
        name="Datawrapper",
        patterns=_patterns(
            r"datawrapper\.dwcdn\.net/(?P<id>[A-Za-z0-9]{5})(?:/(?P<version>[0-9]+))?/?",
            r"www\.datawrapper\.de/_/(?P<id>[A-Za-z0-9]{5})/?",
        ),
        endpoint="https://api.datawrapper.de/v3/oembed",
        kind="frame",
        frame_origins=("https://datawrapper.dwcdn.net",),
        player_src=_datawrapper_src,
    ),
    Provider(
        key="flourish",
        name="Flourish",
        patterns=_patterns(
            r"public\.flourish\.studio/(?P<type>visualisation|story)/(?P<id>[0-9]+)/?",
            r"flo\.uri\.sh/(?P<type>visualisation|story)/(?P<id>[0-9]+)(?:/embed)?/?",
        ),
        endpoint="https://app.flourish.studio/api/v1/oembed",
        kind="frame",
        frame_origins=("https://flo.uri.sh",),
        player_src=lambda groups: f"https://flo.uri.sh/{groups['type']}/{groups['id']}/embed",
    ),
)

_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


def mastodon(instance: str) -> Provider:
    """The provider for one Mastodon server (each server is its own origin and its own oEmbed endpoint)."""
    host = instance.strip().lower()
    if not _HOST.fullmatch(host):
        raise ValueError(f"Not a Mastodon server's host name: {instance!r}")
    return Provider(
        key=f"mastodon:{host}",
        name="Mastodon",
        patterns=_patterns(
            rf"{re.escape(host)}/@(?P<user>[A-Za-z0-9_]+(?:@[A-Za-z0-9.-]+)?)/(?P<id>[0-9]+)/?"
        ),
        endpoint=f"https://{host}/api/oembed",
        kind="frame",
        frame_origins=(f"https://{host}",),
        player_src=lambda groups: f"https://{host}/@{groups['user']}/{groups['id']}/embed",
    )


def enabled_providers(disabled=(), mastodon_instances=()) -> tuple[Provider, ...]:
    """The allowlist: built-in providers whose key is not in `disabled`, then one per Mastodon server
    (all of them off when "mastodon" is disabled)."""
    off = {key.strip().lower() for key in disabled}
    providers = [provider for provider in BUILT_IN if provider.key not in off]
    if "mastodon" not in off:
        providers += [mastodon(instance) for instance in mastodon_instances]
    return tuple(providers)


def csp_origins(disabled=(), mastodon_instances=()) -> dict[str, list[str]]:
    """{"frame-src": [...], "script-src": [...]}: exactly the origins the enabled providers' players need,
    each once, in a stable order."""
    frames, scripts = [], []
    for provider in enabled_providers(disabled, mastodon_instances):
        frames += [origin for origin in provider.frame_origins if origin not in frames]
        scripts += [origin for origin in provider.script_origins if origin not in scripts]
    return {"frame-src": frames, "script-src": scripts}


def provider_for(url: str, providers) -> tuple[Provider, dict] | tuple[None, None]:
    """The provider whose patterns `url` (normalised, https) matches, with the match's groups."""
    for provider in providers:
        groups = provider.match(url)
        if groups is not None:
            return provider, groups
    return None, None
