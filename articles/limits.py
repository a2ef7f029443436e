"""Who a request comes from, and how often it may do a thing.

- `client_ip()` is the one answer to "which address is this reader at?" (comments, reports, the read beacon,
  login throttling); `client_network()` groups it as limits must: an IPv6 client holds a whole /64, so
  one /64 is one client.
- `hit()` counts an action in a fixed window and says whether it is still within its limit; `hits()` reads
  a count. The counters are shared by every process and app server, and no cache eviction (a burst of
  cache-busting requests) can reset them:
  - with NEWSMAG_LIMITS_REDIS_URL (REDIS_URL by default), in Redis: one atomic script per hit, a hash
    per counter that Redis expires with its window. Should Redis be unreachable, the PostgreSQL counters
    stand in (counts restart there; the limits still hold).
  - otherwise in PostgreSQL (articles.models.RateCounter, an UNLOGGED table on the primary), one atomic
    upsert per hit; inside a transaction the count is part of it, so an action its transaction undoes does
    not count (in Redis it does). Expired rows are swept as the table is used.
  Keys are keyed hashes, so neither store holds an address, an email or a name.
"""

import ipaddress
import logging
import random
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

SWEEP_CHANCE = 0.01  # share of hits that also delete expired counters
REDIS_PREFIX = "newsmag:limit:"


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


def network_of(address):
    """The network one client controls: the IPv4 address itself, or the IPv6 /64 (as "2001:db8:1:2::")."""
    if address is None:
        return None
    parsed = ipaddress.ip_address(address)
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:203.0.113.7 is the IPv4 client 203.0.113.7
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)


def client_network(request):
    """The network of `client_ip(request)`, or None. It is an address, so it fits wherever one does
    (django-axes stores it: AXES_CLIENT_IP_CALLABLE)."""
    return network_of(client_ip(request))


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    hits: int  # in the current window, this one included
    retry_after: int  # seconds until the window ends


_HIT_SQL = """
INSERT INTO articles_ratecounter (key, window_start, expires_at, hits) VALUES (%(key)s, %(now)s, %(ends)s, 1)
ON CONFLICT (key) DO UPDATE SET
    window_start = CASE WHEN articles_ratecounter.expires_at <= %(now)s
                        THEN EXCLUDED.window_start ELSE articles_ratecounter.window_start END,
    expires_at = CASE WHEN articles_ratecounter.expires_at <= %(now)s
                      THEN EXCLUDED.expires_at ELSE articles_ratecounter.expires_at END,
    hits = CASE WHEN articles_ratecounter.expires_at <= %(now)s THEN 1 ELSE articles_ratecounter.hits + 1 END
RETURNING hits, expires_at
"""


def _key(scope, identity):
    text = "\x1f".join([scope, *map(str, identity)])
    return salted_hmac("newsmag.limits", text, algorithm="sha256").hexdigest()


# KEYS[1] the counter; ARGV: now and window length in ms. Times come from the caller (the application's
# clock, as with PostgreSQL), and Redis drops the hash once its window is over.
_REDIS_HIT = """
local ends = tonumber(redis.call('HGET', KEYS[1], 'ends') or '0')
local now = tonumber(ARGV[1])
local hits
if ends <= now then
  ends = now + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'ends', ends, 'hits', 1)
  hits = 1
else
  hits = redis.call('HINCRBY', KEYS[1], 'hits', 1)
end
redis.call('PEXPIRE', KEYS[1], ends - now)
return {hits, ends}
"""


@cache
def _redis(url):
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return client, client.register_script(_REDIS_HIT)


def _milliseconds(moment) -> int:
    return int(moment.timestamp() * 1000)


def _allowance(hits, limit, seconds_left) -> Allowance:
    return Allowance(allowed=hits <= limit, hits=hits, retry_after=max(1, int(seconds_left + 0.999)))


def hit(scope, *identity, limit, seconds, now=None) -> Allowance:
    """Count one `scope` action of `identity` (a network, an email...) and say whether it is within `limit`
    actions per `seconds`-long window, which starts with the first action.

    Atomic under concurrency, in Redis (one script) and in PostgreSQL (one statement): two app servers
    cannot both let the last action through. In PostgreSQL, inside a transaction the count is part of it
    (a comment refused later in its transaction does not count) and the row stays locked until it ends,
    which orders simultaneous attempts.
    """
    now = now or timezone.now()
    url = settings.NEWSMAG_LIMITS_REDIS_URL
    if url:
        _, script = _redis(url)
        try:
            hits, ends = script(keys=[REDIS_PREFIX + _key(scope, identity)],
                                args=[_milliseconds(now), int(seconds * 1000)])  # fmt: skip
            return _allowance(hits, limit, (ends - _milliseconds(now)) / 1000)
        except redis.RedisError as error:
            logger.warning("Rate limits: Redis unavailable (%s), counting in PostgreSQL", error)
    with connection.cursor() as cursor:
        cursor.execute(
            _HIT_SQL, {"key": _key(scope, identity), "now": now, "ends": now + timedelta(seconds=seconds)}
        )
        hits, ends = cursor.fetchone()
        if random.random() < SWEEP_CHANCE:
            cursor.execute("DELETE FROM articles_ratecounter WHERE expires_at <= %s", [now])
    return _allowance(hits, limit, (ends - now).total_seconds())


def hits(scope, *identity, now=None) -> int:
    """How many `scope` actions `identity` made in its current window (0 when it has none)."""
    now = now or timezone.now()
    url = settings.NEWSMAG_LIMITS_REDIS_URL
    if url:
        client, _ = _redis(url)
        try:
            count, ends = client.hmget(REDIS_PREFIX + _key(scope, identity), ["hits", "ends"])
            return int(count) if count and int(ends) > _milliseconds(now) else 0
        except redis.RedisError as error:
            logger.warning("Rate limits: Redis unavailable (%s), counting in PostgreSQL", error)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT hits FROM articles_ratecounter WHERE key = %s AND expires_at > %s",
            [_key(scope, identity), now],
        )
        row = cursor.fetchone()
    return row[0] if row else 0
