"""Resolution: a pasted link → an `Embed` row, by asking the provider's oEmbed endpoint.

Runs when a journalist adds or refreshes an embed (the admin), never on a reader's request: the row is
the cache. Only allowlisted links are accepted (`EmbedRefused` otherwise, nothing saved). Every fetch is
bounded: https only (plain http to loopback when NEWSMAG_EMBED_ALLOW_LOOPBACK_HTTP, for tests), no
redirect to anything else, a connect+read deadline of NEWSMAG_EMBED_TIMEOUT_SECONDS for the whole answer
and NEWSMAG_EMBED_MAX_BYTES at most. When the provider cannot give a usable answer (unreachable, slow,
too large, not JSON, does not know the link) the embed is still saved, as a plain link card, and
`EmbedUnavailable` says why. The thumbnail is copied into our storage, re-encoded by Pillow like an upload,
so readers' browsers never ask the provider for it.
"""

import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.embeds.providers import Provider, enabled_providers, provider_for
from articles.images.uploads import STORAGE_ERRORS, UploadRefused, clean_upload, storage_reason
from articles.models import Embed
from articles.text import clean_text

logger = logging.getLogger(__name__)

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


class EmbedRefused(ValueError):
    """The link cannot be embedded at all (not from an allowed provider); nothing is saved."""


class EmbedUnavailable(Exception):
    """The provider gave no usable answer; `embed` is the saved row (a plain link card if it was new)."""

    def __init__(self, message, embed=None):
        super().__init__(message)
        self.message = message
        self.embed = embed


class FetchFailed(Exception):
    """One fetch failed; the message is for the journalist."""


def providers():
    return enabled_providers(settings.NEWSMAG_EMBED_DISABLED, settings.NEWSMAG_EMBED_MASTODON_INSTANCES)


def normalise_url(url: str) -> str:
    """The link as we store and match it: trimmed, https, lower-case host, no user info or port."""
    text = clean_text(url or "", one_line=True).strip()
    if len(text) > 1000:
        raise EmbedRefused(_("This address is too long (more than 1,000 characters)."))
    if "//" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:  # "javascript:alert(1)" read as a host and a port
        port = -1
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname or port == -1:
        raise EmbedRefused(_("This is not a web address (it should start with https://)."))
    if parts.username or parts.password or port not in (None, 80, 443):
        raise EmbedRefused(_("This address cannot be embedded: remove the user name or port from it."))
    return urlunsplit(("https", parts.hostname.lower(), parts.path or "/", parts.query, parts.fragment))


def allowed_provider(url: str) -> tuple[Provider, dict]:
    provider, groups = provider_for(url, providers())
    if provider is None:
        names = sorted({provider.name for provider in providers()})
        raise EmbedRefused(
            _("Only links from these services can be embedded: %(names)s. This one is from %(host)s.")
            % {"names": ", ".join(names), "host": urlsplit(url).hostname}
        )
    return provider, groups


# Fetching ------------------------------------------------------------------------------------------------


def check_fetchable(url: str):
    """Refuse what we must never fetch: anything but https (http to loopback only when allowed for tests),
    and, in production, an address on a private, loopback or link-local network (a thumbnail address in a
    provider's answer pointing inside our network)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    loopback_ok = settings.NEWSMAG_EMBED_ALLOW_LOOPBACK_HTTP and host in LOOPBACK_NAMES
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback_ok):
        raise FetchFailed(_("The provider pointed to an address that is not https."))
    if loopback_ok:
        return
    try:
        addresses = {
            info[4][0] for info in socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        }
    except (OSError, UnicodeError):
        raise FetchFailed(_("The provider's server %(host)s could not be found.") % {"host": host}) from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise FetchFailed(_("The provider pointed to an address inside a private network."))


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 3

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_fetchable(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_CheckedRedirects)


def _limit_wait(response, seconds):
    """Make the next receive wait `seconds` at most: a provider trickling its answer a byte at a time
    cannot outlast the deadline. (urllib offers no public handle on the socket; without one the socket's
    own timeout still bounds each receive.)"""
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.01))


def fetch(url: str, *, max_bytes: int, accept: str) -> tuple[bytes, str]:
    """GET `url`: (body, content type), within the deadline and size limit, or FetchFailed."""
    check_fetchable(url)
    timeout = settings.NEWSMAG_EMBED_TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "Newsmag-oEmbed/1.0"})
    host = urlsplit(url).hostname
    try:
        with _opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchFailed(_("The provider's answer is too large."))
            chunks, size = [], 0
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                _limit_wait(response, remaining)
                # read1: one receive at most, so the deadline is checked between receives.
                chunk = response.read1(min(65536, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise FetchFailed(_("The provider's answer is too large."))
            return b"".join(chunks), response.headers.get_content_type()
    except FetchFailed:
        raise
    except urllib.error.HTTPError as error:
        if error.code in (401, 403, 404):
            raise FetchFailed(
                _("%(host)s does not know this link or does not allow embedding it (HTTP %(code)d).")
                % {"host": host, "code": error.code}
            ) from None
        raise FetchFailed(
            _("%(host)s answered with an error (HTTP %(code)d).") % {"host": host, "code": error.code}
        ) from None
    except TimeoutError:
        raise FetchFailed(
            _("%(host)s did not answer within %(seconds)g seconds.") % {"host": host, "seconds": timeout}
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise FetchFailed(
                _("%(host)s did not answer within %(seconds)g seconds.") % {"host": host, "seconds": timeout}
            ) from None
        raise FetchFailed(
            _("%(host)s could not be reached (%(reason)s).") % {"host": host, "reason": reason}
        ) from None


# The oEmbed answer ---------------------------------------------------------------------------------------


@dataclass
class Answer:
    type: str
    title: str
    author_name: str
    author_url: str
    width: int | None
    height: int | None
    html: str
    thumbnail_url: str


def _text(data, name, limit):
    value = data.get(name)
    if not isinstance(value, str):
        return ""
    return clean_text(value, one_line=True).strip()[:limit]


def _dimension(data, name):
    value = data.get(name)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 10_000:
        return value
    return None


def _web_url(value):
    if isinstance(value, str) and urlsplit(value).scheme in {"http", "https"} and len(value) <= 1000:
        return value
    return ""


def parse_answer(body: bytes) -> Answer:
    """The fields we keep from an oEmbed JSON answer, each checked for its type and length."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise FetchFailed(_("The provider's answer is not valid oEmbed JSON.")) from None
    if not isinstance(data, dict):
        raise FetchFailed(_("The provider's answer is not valid oEmbed JSON."))
    kind = data.get("type") if data.get("type") in {"video", "rich", "photo", "link"} else "link"
    html = data.get("html") if isinstance(data.get("html"), str) else ""
    return Answer(
        type=kind,
        title=_text(data, "title", 300),
        author_name=_text(data, "author_name", 200),
        author_url=_web_url(data.get("author_url")),
        width=_dimension(data, "width"),
        height=_dimension(data, "height"),
        html=html[:100_000],
        thumbnail_url=_web_url(data.get("thumbnail_url"))
        or (_web_url(data.get("url")) if kind == "photo" else ""),
    )


def oembed_endpoint(provider: Provider) -> str:
    endpoints = settings.NEWSMAG_EMBED_ENDPOINTS
    return endpoints.get(provider.key) or endpoints.get(provider.key.split(":")[0]) or provider.endpoint


def ask_provider(provider: Provider, url: str) -> Answer:
    endpoint = oembed_endpoint(provider)
    query = urlencode({"url": url, "format": "json", "maxwidth": 1280, "dnt": "true"})
    body, _type = fetch(
        f"{endpoint}?{query}", max_bytes=settings.NEWSMAG_EMBED_MAX_BYTES, accept="application/json"
    )
    return parse_answer(body)


def copy_thumbnail(answer: Answer, provider: Provider) -> tuple[ContentFile | None, str]:
    """The thumbnail, fetched and re-encoded (no metadata, no payload), or (None, why not)."""
    if not answer.thumbnail_url:
        return None, ""
    try:
        data, _type = fetch(
            answer.thumbnail_url, max_bytes=settings.NEWSMAG_EMBED_THUMBNAIL_MAX_BYTES, accept="image/*"
        )
        cleaned = clean_upload(ContentFile(data, name=f"{provider.key.split(':')[0]}-thumbnail.jpg"))
    except (FetchFailed, UploadRefused) as error:
        return None, _("The thumbnail was not copied: %(reason)s") % {"reason": error}
    return cleaned.content, ""


def thumbnail_credit(provider_name: str, author_name: str) -> str:
    """The thumbnail's credit line, "YouTube/Jane Doe" (the provider alone when the author is unknown)."""
    return "/".join(part for part in (provider_name, author_name) if part)


# The one entry point -------------------------------------------------------------------------------------


def resolve(url: str) -> Embed:
    """The Embed for `url`, created or updated from its provider's oEmbed answer.

    EmbedRefused: not an allowlisted link (nothing saved). EmbedUnavailable: the provider gave no usable
    answer; the row is saved all the same (a new one as a plain link card; one resolved before keeps
    what it had) and carried by the exception.
    """
    normalised = normalise_url(url)
    provider, _groups = allowed_provider(normalised)
    try:
        answer = ask_provider(provider, normalised)
    except FetchFailed as error:
        logger.info("oEmbed for %s failed: %s", normalised, error)
        embed = save_unavailable(normalised, str(error))
        raise EmbedUnavailable(str(error), embed) from None
    thumbnail, thumbnail_message = copy_thumbnail(answer, provider)
    return save_answer(normalised, provider, answer, thumbnail, thumbnail_message)


@transaction.atomic
def save_unavailable(url, message):
    embed, created = Embed.objects.select_for_update().get_or_create(url=url)
    if created or not embed.provider:
        embed.provider = embed.title = embed.author_name = embed.author_url = embed.html = ""
        embed.type = Embed.Type.LINK
        embed.width = embed.height = None
    embed.message = message[:500]
    embed.save()
    return embed


@transaction.atomic
def save_answer(url, provider, answer, thumbnail, thumbnail_message):
    embed, _created = Embed.objects.select_for_update().get_or_create(url=url)
    old_thumbnail = embed.thumbnail.name
    embed.provider = provider.key
    embed.type = answer.type
    embed.title = answer.title
    embed.author_name = answer.author_name
    embed.author_url = answer.author_url
    embed.width, embed.height = answer.width, answer.height
    embed.html = answer.html
    embed.thumbnail_credit = thumbnail_credit(provider.name, answer.author_name)[:330]
    embed.message = thumbnail_message
    embed.resolved_at = timezone.now()
    if thumbnail is not None:
        try:
            embed.thumbnail.save(thumbnail.name, thumbnail, save=False)
        except STORAGE_ERRORS as error:  # a full disk, an unreachable bucket
            logger.error("Storing the thumbnail of %s failed: %s", url, error)
            embed.thumbnail = old_thumbnail or None
            embed.message = _("The thumbnail could not be stored (%(reason)s).") % {
                "reason": storage_reason(error)
            }
    embed.save()
    if old_thumbnail and old_thumbnail != embed.thumbnail.name:
        transaction.on_commit(lambda: default_storage.delete(old_thumbnail))
    return embed
