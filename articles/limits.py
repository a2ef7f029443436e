"""The one answer to "which address is this reader at?", for comments (flood limits, reports) and for
login throttling (django-axes calls it through AXES_CLIENT_IP_CALLABLE)."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's IP address, or None.

    Behind NEWSMAG_TRUSTED_PROXY_COUNT proxies, each appending to X-Forwarded-For, the address the
    outermost one saw is that many entries from the end; anything before it the client could have forged.
    With no trusted proxy (the default) the header is ignored and REMOTE_ADDR is the answer, so a client
    cannot choose its own address by sending the header.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NEWSMAG_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        candidate = forwarded[-proxies] if len(forwarded) >= proxies else ""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
