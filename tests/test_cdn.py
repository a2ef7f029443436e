"""Purging a CDN by dependency: a real HTTP purge endpoint on loopback receives the keys a change retires."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from articles import caching
from articles.cdn import purge
from comments import moderation
from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db(transaction=True)


class PurgeEndpoint(ThreadingHTTPServer):
    """A CDN's purge API: records each POST; answers 503 to the first `failures` of them."""

    def __init__(self, failures=0):
        super().__init__(("127.0.0.1", 0), PurgeHandler)
        self.requests = []
        self.failures = failures
        self.lock = threading.Lock()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/service/demo/purge"

    def keys(self, field="surrogate_keys"):
        return [
            key for request in self.requests if request["status"] == 200 for key in request["body"][field]
        ]


class PurgeHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            status = 503 if self.server.failures > 0 else 200
            self.server.failures -= 1
            self.server.requests.append(
                {"path": self.path, "headers": dict(self.headers), "body": body, "status": status}
            )
        payload = b'{"status": "ok"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint(settings):
    server = PurgeEndpoint()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NEWSMAG_CDN_PURGE_URL = server.url
    settings.NEWSMAG_CDN_PURGE_HEADER = "Fastly-Key"
    settings.NEWSMAG_CDN_PURGE_TOKEN = "test-token"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_an_edit_purges_the_story_and_its_lists_at_the_cdn_after_commit(endpoint, article):
    endpoint.requests.clear()  # the article's creation purged too
    article.headline = "Purged everywhere"
    article.save()
    keys = set(endpoint.keys())
    assert {caching.article_key(article.pk), caching.section_key(article.section_id), caching.HOME} <= keys
    assert caching.SITE not in keys  # the long tail stays at the CDN
    request = endpoint.requests[0]
    assert request["path"] == "/service/demo/purge"
    assert request["headers"]["Fastly-Key"] == "test-token"
    assert request["headers"]["Content-Type"] == "application/json"


def test_a_comment_approval_purges_only_its_thread(endpoint, article):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    endpoint.requests.clear()
    moderation.approve([comment], moderator=None)
    assert set(endpoint.keys()) == {caching.thread_key(article.pk), caching.ANY}


def test_keys_go_in_batches_in_the_field_the_cdn_expects(endpoint, settings):
    settings.NEWSMAG_CDN_PURGE_BATCH = 3
    settings.NEWSMAG_CDN_PURGE_FIELD = "tags"  # Cloudflare's purge_cache
    keys = [f"a{n}" for n in range(7)]
    purge.delay(keys)
    assert [len(request["body"]["tags"]) for request in endpoint.requests] == [3, 3, 1]
    assert sorted(endpoint.keys("tags")) == sorted(keys)


def test_a_failing_endpoint_is_retried_until_it_takes_the_purge(endpoint):
    endpoint.failures = 2
    purge.delay(["a1", "home"])
    assert [request["status"] for request in endpoint.requests] == [503, 503, 200]
    assert sorted(endpoint.keys()) == ["a1", "home"]


def test_without_a_purge_url_nothing_is_sent(endpoint, settings, article):
    settings.NEWSMAG_CDN_PURGE_URL = ""
    endpoint.requests.clear()
    article.headline = "Quietly edited"
    article.save()
    assert endpoint.requests == []
