"""Which content coding a response is sent in: the one the client prefers, never one it refused.

Both compressing layers ask `accepted_encoding()`: the page cache (pages stored brotli- and gzip-compressed)
and `GZipMiddleware` (every other response). Finding "br" or "gzip" anywhere in Accept-Encoding, as a
substring test does, would send brotli to a client that said `br;q=0`.
"""

import re

from django.middleware import gzip
from django.utils.cache import patch_vary_headers

# An HTTP q-value: 0 to 1 with at most three decimals (RFC 9110 12.4.2).
_QVALUE = re.compile(r"0(\.\d{0,3})?|1(\.0{0,3})?")
# The weight of identity when the header does not name it: acceptable, after anything named.
_LAST = 0.0001
# Aliases a recipient should treat as the coding itself (RFC 9110 8.4.1.3).
_ALIASES = {"x-gzip": "gzip"}


def _weights(accept_encoding: str) -> dict[str, float]:
    """{coding: q-value} of an Accept-Encoding value, names lower-cased; a member with a malformed q-value
    is left out (it says nothing reliable)."""
    weights = {}
    for member in accept_encoding.split(","):
        coding, *parameters = (part.strip().lower() for part in member.split(";"))
        if not coding:
            continue
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                value = value.strip()
                weight = float(value) if _QVALUE.fullmatch(value) else None
        if weight is not None:
            coding = _ALIASES.get(coding, coding)
            weights[coding] = max(weight, weights.get(coding, 0.0))
    return weights


def preferred_encoding(accept_encoding: str, offered) -> str | None:
    """The coding of `offered` (in the server's order of preference) to send for this Accept-Encoding value,
    or None for identity (RFC 9110 12.5.3).

    A coding's q-value is its own entry's, else that of "*", else 0. Identity, unnamed and not covered by
    "*", is acceptable but comes last: a client that lists only codings wants one of them. The highest
    q-value wins, the earlier of `offered` on a tie; a coding at q=0 is never sent. With no header, or
    with everything refused, identity.
    """
    weights = _weights(accept_encoding)
    default = weights.get("*")

    def weight(coding):
        found = weights.get(coding, default)
        if found is None:
            return _LAST if coding == "identity" else 0.0
        return found

    best = max((*offered, "identity"), key=weight)  # max() keeps the first of equals
    return best if best != "identity" and weight(best) > 0 else None


def accepted_encoding(request, offered) -> str | None:
    """`preferred_encoding()` for `request`'s Accept-Encoding header."""
    return preferred_encoding(request.headers.get("Accept-Encoding", ""), offered)


class GZipMiddleware(gzip.GZipMiddleware):
    """Django's, compressing only when the client prefers gzip to identity (Django's looks for the word
    "gzip" anywhere in the header, so `gzip;q=0` got gzip)."""

    def process_response(self, request, response):
        if accepted_encoding(request, ("gzip",)) == "gzip":
            return super().process_response(request, response)
        if not response.has_header("Content-Encoding"):
            patch_vary_headers(response, ("Accept-Encoding",))  # another header would get another answer
        return response
