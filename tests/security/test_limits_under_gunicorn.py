"""The comment flood limit and the read beacon's limits hold as production runs: two gunicorn workers (each
with its own local-memory cache), and readers who churn that cache with cache-busting requests.

Every request goes on a fresh connection, so consecutive requests land on either worker.
"""

import json
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import psycopg

from tests.production_site import needs_postgres_binaries

pytestmark = needs_postgres_binaries

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def post_comment(site, number, address):
    """One reader's comment, with a fresh CSRF token and form timestamp, from `address` (forwarded by the
    trusted proxy the site is configured for)."""
    article = site.article
    token = site.request("token", "GET", f"/comments/token/{article['pk']}/", headers={"User-Agent": BROWSER})
    assert token.status == 200, token.body
    form = json.loads(token.body)
    # The CSRF cookie is Secure (production settings): sent by hand, as a browser would over HTTPS.
    csrf = SimpleCookie("\n".join(token.headers["Set-Cookie"]))["csrftoken"].value
    data = {
        "name": f"Reader {number}", "email": f"reader{number}@example.com",
        "body": f"Comment number {number} on the ferries.", "issued": form["issued"],
        "csrfmiddlewaretoken": form["csrf"],
    }  # fmt: skip
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf}",
        "Referer": f"http://127.0.0.1:{site.port}{article['url']}",
        "X-Forwarded-For": address,
        "User-Agent": BROWSER,
    }
    return site.request("post", "POST", f"/comments/post/{article['pk']}/", urlencode(data), headers)


def stored(postgres, sql, *params):
    with psycopg.connect(**postgres.connection_kwargs("newsmag")) as db:
        return db.execute(sql, params).fetchone()[0]


def test_one_address_posts_once_per_window_whichever_worker_answers_and_whatever_evicts_the_cache(
    gunicorn_site, throwaway_postgres
):
    site = gunicorn_site
    assert post_comment(site, 0, "203.0.113.10").status == 302
    again = [post_comment(site, number, "203.0.113.10") for number in range(1, 9)]
    assert [hit.status for hit in again] == [429] * 8, [hit.body[:300] for hit in again if hit.status != 429]
    assert all(0 < int(hit.headers["Retry-After"]) <= 15 for hit in again)
    # A burst of cache-busting requests, which pushed the old per-process counters out of the cache.
    for number in range(400):
        assert site.request("read", "GET", f"/robots.txt?x={number}").status == 200
    assert post_comment(site, 9, "203.0.113.10").status == 429
    assert post_comment(site, 10, "2001:db8:9:9::1").status == 302  # another reader is not limited
    assert post_comment(site, 11, "2001:db8:9:9::2").status == 429  # ...but their whole /64 is one reader
    count = stored(throwaway_postgres, "SELECT count(*) FROM comments_comment")
    assert count == 2
    assert len(site.worker_pids()) == 2


def test_a_beacon_flood_from_one_address_adds_one_read(gunicorn_site, throwaway_postgres):
    site = gunicorn_site
    beacon = f"/stats/read/{site.article['pk']}/"
    for _ in range(300):
        hit = site.request(
            "beacon", "POST", beacon, headers={"X-Forwarded-For": "203.0.113.20", "User-Agent": BROWSER}
        )
        assert hit.status == 204
    for network in ("198.51.100.1", "198.51.100.2", "2001:db8:20::1"):
        site.request("beacon", "POST", beacon, headers={"X-Forwarded-For": network, "User-Agent": BROWSER})
    for bot in ("", "Googlebot/2.1", "curl/8.5.0"):
        site.request("beacon", "POST", beacon, headers={"X-Forwarded-For": "192.0.2.1", "User-Agent": bot})
    reads = stored(
        throwaway_postgres,
        "SELECT coalesce(sum(count), 0) FROM articles_articlereadcount WHERE article_id = %s",
        site.article["pk"],
    )
    assert reads == 4
