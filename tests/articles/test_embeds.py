"""Embeds: resolution against a real oEmbed server on loopback (slow, huge and broken answers included), the
admin and its JSON endpoint, the readers' cards, the CSP, JSON-LD and the demo embeds."""

import io
import json
import re
import socket
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from articles.embeds import load_demo_embeds, render_cards, video_object
from articles.embeds.cards import player
from articles.embeds.providers import csp_origins, enabled_providers, provider_for
from articles.embeds.resolve import EmbedRefused, EmbedUnavailable, resolve
from articles.models import Embed
from tests.factories import UserFactory
from tests.oembed_server import PAYLOAD, PROVIDER_HTML, YOUTUBE


def oembed_requests(server):
    return [path for path in server.seen if path.startswith("/oembed/")]


# Resolution ---------------------------------------------------------------------------------------------


def test_resolving_a_youtube_link_stores_the_answer_and_a_re_encoded_copy_of_the_thumbnail(db, oembed):
    server = oembed()
    embed = resolve("  http://WWW.YouTube.com/watch?v=aqz-KE-bpKQ ")

    assert embed.pk
    assert embed.url == YOUTUBE
    assert (embed.provider, embed.type, embed.title) == ("youtube", "video", "Big Buck Bunny")
    assert (embed.author_name, embed.author_url) == ("Blender", "https://www.youtube.com/@BlenderOfficial")
    assert (embed.width, embed.height, embed.html) == (640, 360, PROVIDER_HTML)
    assert embed.thumbnail_credit == "YouTube/Blender"
    assert embed.resolved_at is not None
    assert embed.message == ""
    # The provider was asked for the normalised link, and the thumbnail now lives in our storage.
    assert parse_qs(urlsplit(oembed_requests(server)[0]).query)["url"] == [YOUTUBE]
    assert default_storage.exists(embed.thumbnail.name)
    with default_storage.open(embed.thumbnail.name) as stored:
        data = stored.read()
    assert PAYLOAD not in data  # re-encoded by Pillow: what was appended to the picture is gone
    assert (
        PILImage.open(io.BytesIO(data)).size == (480, 360) == (embed.thumbnail_width, embed.thumbnail_height)
    )


def test_resolving_again_updates_the_same_row_and_replaces_the_thumbnail(
    db, oembed, django_capture_on_commit_callbacks
):
    server = oembed()
    first = resolve(YOUTUBE)
    old_thumbnail = first.thumbnail.name
    with django_capture_on_commit_callbacks(execute=True):
        again = resolve(YOUTUBE)
    assert again.pk == first.pk
    assert Embed.objects.count() == 1
    assert len(oembed_requests(server)) == 2
    assert again.thumbnail.name != old_thumbnail
    assert default_storage.exists(again.thumbnail.name)
    assert not default_storage.exists(old_thumbnail)


@pytest.mark.parametrize(
    "url",
    ["https://example.com/watch?v=aqz-KE-bpKQ", "https://youtube.com.evil.example/watch?v=abc",
     "https://www.facebook.com/somebody/posts/1", "javascript:alert(1)", "ftp://youtube.com/watch?v=x"],
)  # fmt: skip
def test_a_link_from_outside_the_allowlist_is_refused_before_anything_is_fetched(db, oembed, url):
    server = oembed()
    with pytest.raises(EmbedRefused) as refused:
        resolve(url)
    assert str(refused.value)  # a sentence for the journalist
    assert Embed.objects.count() == 0
    assert server.seen == []


def test_the_refusal_names_the_services_that_can_be_embedded(db, oembed):
    with pytest.raises(EmbedRefused, match=r"Only links from these services.*YouTube.*example\.com"):
        resolve("https://example.com/a-video")


def test_a_provider_switched_off_in_the_settings_is_refused(db, oembed, settings):
    settings.NEWSMAG_EMBED_DISABLED = ["youtube"]
    with pytest.raises(EmbedRefused):
        resolve(YOUTUBE)
    assert resolve("https://vimeo.com/76979871").provider == "vimeo"


def test_mastodon_links_are_accepted_only_from_the_configured_servers(db, oembed, settings):
    settings.NEWSMAG_EMBED_MASTODON_INSTANCES = ["social.example.org"]
    embed = resolve("https://social.example.org/@newsroom/112233445566")
    assert embed.provider == "mastodon:social.example.org"
    assert player(embed) == {
        "kind": "frame",
        "src": "https://social.example.org/@newsroom/112233445566/embed",
    }
    with pytest.raises(EmbedRefused):
        resolve("https://mastodon.social/@newsroom/112233445566")


FAILURES = [
    ("slow", "did not answer within 1 seconds"),
    ("trickle", "did not answer within 1 seconds"),
    ("huge", "too large"),
    ("huge-unannounced", "too large"),
    ("broken", "not valid oEmbed JSON"),
    ("not-found", "does not know this link"),
    ("redirect-http", "not https"),
]


@pytest.mark.parametrize(("behaviour", "message"), FAILURES)
def test_a_provider_without_a_usable_answer_leaves_a_plain_link_card_and_says_why(
    db, oembed, behaviour, message
):
    oembed(behaviour)
    started = time.monotonic()
    with pytest.raises(EmbedUnavailable, match=message) as unavailable:
        resolve(YOUTUBE)
    assert time.monotonic() - started < 2.5  # bounded: a 1 s deadline, however the provider dawdles
    embed = unavailable.value.embed
    assert Embed.objects.get() == embed
    assert (embed.provider, embed.title, embed.type, embed.html, embed.thumbnail.name) == (
        "",
        "",
        "link",
        "",
        "",
    )
    assert message in embed.message
    card = render_cards([embed.pk])[embed.pk]
    assert f'href="{YOUTUBE}"' in card
    assert "Load content" not in card
    assert "<button" not in card


def test_an_unreachable_provider_leaves_a_plain_link_card(db, oembed, settings):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.NEWSMAG_EMBED_ENDPOINTS = {"youtube": f"http://127.0.0.1:{port}/oembed"}
    with pytest.raises(EmbedUnavailable, match="could not be reached") as unavailable:
        resolve(YOUTUBE)
    assert unavailable.value.embed.provider == ""


def test_a_failed_refresh_keeps_what_an_earlier_resolution_stored(db, oembed):
    oembed("ok")
    resolve(YOUTUBE)
    oembed("broken")
    with pytest.raises(EmbedUnavailable):
        resolve(YOUTUBE)
    embed = Embed.objects.get()
    assert (embed.provider, embed.title) == ("youtube", "Big Buck Bunny")
    assert embed.thumbnail
    assert "not valid oEmbed JSON" in embed.message


def test_outside_tests_only_https_is_fetched(db, oembed, settings):
    server = oembed()
    settings.NEWSMAG_EMBED_ALLOW_LOOPBACK_HTTP = False
    with pytest.raises(EmbedUnavailable, match="not https"):
        resolve(YOUTUBE)
    assert server.seen == []


def test_a_thumbnail_we_cannot_use_leaves_the_embed_without_one_and_says_so(db, oembed):
    oembed("bad-thumbnail")
    embed = resolve(YOUTUBE)
    assert embed.provider == "youtube"
    assert not embed.thumbnail
    assert "thumbnail was not copied" in embed.message
    assert "too small" in embed.message


def test_an_answer_with_fields_of_the_wrong_type_is_read_defensively(db, oembed):
    oembed("wrong-types")
    embed = resolve(YOUTUBE)
    assert (embed.type, embed.title, embed.author_name, embed.author_url) == ("link", "", "Ann Author", "")
    assert (embed.width, embed.height, embed.html) == (None, None, "")
    assert not embed.thumbnail
    assert embed.message == ""


# Providers and the Content-Security-Policy --------------------------------------------------------------

LINKS = [
    (YOUTUBE, "youtube", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
    ("https://youtu.be/aqz-KE-bpKQ?t=10", "youtube", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
    ("https://www.youtube.com/shorts/abcDEF12345", "youtube", "https://www.youtube-nocookie.com/embed/abcDEF12345"),
    ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://x.com/nasa/status/1234567890", "x", None),
    ("https://twitter.com/nasa/status/1234567890", "x", None),
    ("https://www.instagram.com/p/C1a2b3c4d5/", "instagram", None),
    ("https://www.tiktok.com/@scout2015/video/6718335390845095173", "tiktok", None),
    ("https://bsky.app/profile/did:plc:abc123/post/3kgbz6tc6gl2z", "bluesky", None),
    ("https://soundcloud.com/forss/flickermood", "soundcloud",
     "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood&visual=true"),
    ("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", "spotify", "https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC"),
    ("https://datawrapper.dwcdn.net/AbC12/3/", "datawrapper", "https://datawrapper.dwcdn.net/AbC12/3/"),
    ("https://public.flourish.studio/visualisation/1234567/", "flourish", "https://flo.uri.sh/visualisation/1234567/embed"),
    ("https://mastodon.social/@Gargron/109123456789", "mastodon:mastodon.social", "https://mastodon.social/@Gargron/109123456789/embed"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "key", "src"), LINKS)
def test_each_provider_recognises_its_links_and_builds_its_player_from_the_link(url, key, src):
    provider, groups = provider_for(url, enabled_providers(mastodon_instances=["mastodon.social"]))
    assert provider.key == key
    if src:
        assert provider.kind == "frame"
        assert provider.player_src(groups) == src
    else:
        assert provider.kind == "script"
        assert provider.script.startswith("https://")


def test_script_widgets_are_built_from_the_link_not_from_the_providers_html(db):
    embed = Embed.objects.create(
        url="https://x.com/nasa/status/1234567890", provider="x", type="rich",
        html='<blockquote class="twitter-tweet"><a href="https://evil.example/">x</a></blockquote>'
             '<script src="https://evil.example/widgets.js"></script>',
    )  # fmt: skip
    shown = player(embed)
    assert shown["script"] == "https://platform.twitter.com/widgets.js"
    assert json.loads(shown["widget"])["href"] == "https://x.com/nasa/status/1234567890"
    assert "evil" not in json.dumps(shown)


def test_csp_origins_are_exactly_those_of_the_enabled_providers():
    origins = csp_origins(disabled=["x", "instagram", "tiktok", "bluesky", "mastodon", "soundcloud"])
    assert origins == {
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com", "https://open.spotify.com",
                      "https://datawrapper.dwcdn.net", "https://flo.uri.sh"],
        "script-src": [],
    }  # fmt: skip
    everything = csp_origins(mastodon_instances=["mastodon.social", "social.example.org"])
    assert "https://social.example.org" in everything["frame-src"]
    assert everything["script-src"] == [
        "https://platform.twitter.com", "https://www.instagram.com", "https://www.tiktok.com", "https://embed.bsky.app",
    ]  # fmt: skip
    assert not any("*" in origin for origin in everything["frame-src"] + everything["script-src"])


def test_the_site_policy_frames_only_the_players_and_runs_only_their_widget_scripts(db, client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    expected = csp_origins(mastodon_instances=["mastodon.social"])
    assert directives["frame-src"] == expected["frame-src"]
    assert directives["script-src"] == ["'self'", *expected["script-src"]]
    assert "*" not in policy
    assert "unsafe-inline" not in policy


# The admin ----------------------------------------------------------------------------------------------


@pytest.fixture
def journalist(db):
    user = UserFactory(username="maria", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_embed", "change_embed", "view_embed"])
    )
    return user


def test_a_journalist_pastes_a_link_and_saving_resolves_it(oembed, client, journalist):
    client.force_login(journalist)
    response = client.post(reverse("admin:articles_embed_add"), {"url": YOUTUBE})
    embed = Embed.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_embed_change", args=[embed.pk])
    assert embed.title == "Big Buck Bunny"
    assert embed.thumbnail
    page = client.get(response.url).content.decode()
    assert "Big Buck Bunny" in page
    assert "YouTube/Blender" in page


def test_a_link_outside_the_allowlist_is_a_form_error_and_nothing_is_saved(oembed, client, journalist):
    client.force_login(journalist)
    response = client.post(reverse("admin:articles_embed_add"), {"url": "https://example.com/video"})
    assert response.status_code == 200
    assert "Only links from these services can be embedded" in response.content.decode()
    assert Embed.objects.count() == 0


def test_an_unavailable_provider_saves_a_link_card_and_tells_the_journalist(oembed, client, journalist):
    oembed("broken")
    client.force_login(journalist)
    response = client.post(reverse("admin:articles_embed_add"), {"url": YOUTUBE}, follow=True)
    assert response.status_code == 200
    assert "not valid oEmbed JSON" in response.content.decode()
    assert "plain link card" in response.content.decode()
    assert Embed.objects.get().provider == ""


def test_adding_a_link_again_refreshes_the_existing_embed(oembed, client, journalist):
    client.force_login(journalist)
    client.post(reverse("admin:articles_embed_add"), {"url": YOUTUBE})
    client.post(reverse("admin:articles_embed_add"), {"url": "https://youtu.be/aqz-KE-bpKQ"})
    client.post(reverse("admin:articles_embed_add"), {"url": YOUTUBE})
    assert Embed.objects.count() == 2  # youtu.be is its own address; the same address is one embed


def resolve_endpoint(client, data, **extra):
    return client.post(
        reverse("admin:articles_embed_resolve"), json.dumps(data), content_type="application/json", **extra
    )


@pytest.fixture
def csrf_client(journalist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(journalist)
    client.get(reverse("admin:articles_embed_add"))
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def test_the_resolve_endpoint_answers_json_for_the_body_editor(oembed, csrf_client):
    client, csrf = csrf_client
    response = resolve_endpoint(client, {"url": YOUTUBE}, **csrf)
    embed = Embed.objects.get()
    assert response.status_code == 200
    assert response.json() == {"id": embed.pk, "title": "Big Buck Bunny", "provider": "YouTube",
                               "thumbnail": embed.thumbnail.url, "message": ""}  # fmt: skip


def test_the_resolve_endpoint_reports_refusals_and_unavailable_providers(oembed, csrf_client):
    client, csrf = csrf_client
    refused = resolve_endpoint(client, {"url": "https://example.com/x"}, **csrf)
    assert refused.status_code == 400
    assert "Only links from these services" in refused.json()["message"]
    for bad in ({"link": YOUTUBE}, ["url"], {"url": 5}):
        assert resolve_endpoint(client, bad, **csrf).status_code == 400
    garbled = client.post(
        reverse("admin:articles_embed_resolve"), b"{not json", content_type="application/json", **csrf
    )
    assert garbled.status_code == 400
    oembed("not-found")
    unavailable = resolve_endpoint(client, {"url": YOUTUBE}, **csrf).json()
    assert unavailable["id"] == Embed.objects.get().pk
    assert unavailable["provider"] == ""
    assert "does not know this link" in unavailable["message"]


def test_the_resolve_endpoint_needs_post_the_csrf_token_and_the_permission(oembed, csrf_client, db):
    client, _csrf = csrf_client
    assert resolve_endpoint(client, {"url": YOUTUBE}).status_code == 403  # no CSRF token
    assert client.get(reverse("admin:articles_embed_resolve")).status_code == 405
    anonymous = Client().post(reverse("admin:articles_embed_resolve"), {"url": YOUTUBE})
    assert anonymous.status_code == 302
    assert "/login/" in anonymous.url
    reader = Client()
    reader.force_login(UserFactory(username="nosy", is_staff=True))
    assert resolve_endpoint(reader, {"url": YOUTUBE}).status_code == 403
    assert Embed.objects.count() == 0


# Readers' cards, JSON-LD, demo --------------------------------------------------------------------------


def test_a_card_shows_our_thumbnail_and_a_consent_button_but_never_the_providers_html(db, oembed):
    embed = resolve(YOUTUBE)
    cards = render_cards([embed.pk, embed.pk + 1000, "nonsense"])
    assert list(cards) == [embed.pk]  # missing ids are absent
    card = cards[embed.pk]
    assert f'src="{embed.thumbnail.url}"' in card
    assert f'href="{YOUTUBE}"' in card
    assert "Big Buck Bunny" in card
    assert "YouTube · Blender" in card
    assert "YouTube/Blender" in card
    assert "Load content from YouTube" in card
    assert "YouTube may set cookies and collect data." in card
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"' in card
    assert "youtube.com/embed" not in card
    assert "<iframe" not in card
    assert "127.0.0.1" not in card
    # Nothing a browser would load from elsewhere: every src is ours.
    assert all(src.startswith("/") for src in re.findall(r'\ssrc="([^"]*)"', card))


def test_a_card_of_a_disabled_provider_is_a_plain_link(db, oembed, settings):
    embed = resolve(YOUTUBE)
    settings.NEWSMAG_EMBED_DISABLED = ["youtube"]
    card = render_cards([embed.pk])[embed.pk]
    assert "Load content" not in card
    assert "data-embed-src" not in card
    assert f'href="{YOUTUBE}"' in card


def test_render_cards_reads_all_embeds_in_one_query(db, oembed, django_assert_num_queries):
    ids = [resolve(YOUTUBE).pk, resolve("https://vimeo.com/76979871").pk]
    with django_assert_num_queries(1):
        assert set(render_cards(ids)) == set(ids)
    with django_assert_num_queries(0):
        assert render_cards([]) == {}


def test_a_video_embed_gives_a_video_object_for_json_ld(db, oembed, rf):
    embed = resolve(YOUTUBE)
    data = video_object(embed, request=rf.get("/", HTTP_HOST="localhost"))
    assert data == {
        "@type": "VideoObject",
        "name": "Big Buck Bunny",
        "url": YOUTUBE,
        "thumbnailUrl": f"http://localhost{embed.thumbnail.url}",
        "embedUrl": "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        "author": {"@type": "Person", "name": "Blender"},
    }  # uploadDate: not in oEmbed, so left out
    assert (
        video_object(Embed.objects.create(url="https://x.com/a/status/1", provider="x", type="rich")) is None
    )


def test_the_demo_embeds_load_without_network_and_only_once(db, settings):
    settings.NEWSMAG_EMBED_ENDPOINTS = {
        "youtube": "http://192.0.2.1/unreachable",
        "bluesky": "http://192.0.2.1/x",
    }
    video, post = load_demo_embeds()
    assert (video.provider, video.type, post.provider) == ("youtube", "video", "bluesky")
    assert video.thumbnail
    assert post.thumbnail
    assert default_storage.exists(video.thumbnail.name)
    assert player(post)["kind"] == "script"
    assert json.loads(player(post)["widget"])["attrs"]["data-bluesky-uri"].startswith("at://did:plc:")
    assert video_object(video)["embedUrl"] == "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
    again = load_demo_embeds()
    assert [embed.pk for embed in again] == [video.pk, post.pk]
    assert Embed.objects.count() == 2
    assert again[0].thumbnail.name == video.thumbnail.name


def test_the_admin_policy_leaves_out_the_embed_players(db, client, journalist):
    client.force_login(journalist)
    policy = client.get(reverse("admin:articles_embed_add")).headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["frame-src"] == ["'none'"]
    assert not any(origin.startswith("https://") for origin in directives["script-src"])
