"""A real oEmbed provider on loopback for the tests: the `provider_server` and `oembed` fixtures
(tests/conftest.py). It answers like YouTube, Vimeo, Mastodon and Bluesky, with a thumbnail made by Pillow
(with a script appended), and on demand slowly, hugely, brokenly or not at all."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import jpeg_bytes

YOUTUBE = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
PAYLOAD = b"<script>alert('thumbnail')</script>"
PROVIDER_HTML = '<iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ?feature=oembed"></iframe>'


class OEmbedHandler(BaseHTTPRequestHandler):
    """A provider on loopback. /oembed/<behaviour>: ok, slow, trickle, huge, huge-unannounced, broken,
    not-found, wrong-types, redirect-http, bad-thumbnail; /thumbnail.jpg and /tiny.jpg serve Pillow JPEGs."""

    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json", length=True):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = urlsplit(self.path)
        self.server.seen.append(self.path)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if parts.path == "/thumbnail.jpg":
            return self.send(200, jpeg_bytes(480, 360, (200, 30, 30)) + PAYLOAD, "image/jpeg")
        if parts.path == "/tiny.jpg":
            return self.send(200, jpeg_bytes(40, 30), "image/jpeg")
        behaviour = parts.path.removeprefix("/oembed/")
        answer = {
            "type": "video",
            "version": "1.0",
            "title": "Big Buck Bunny",
            "author_name": "Blender",
            "author_url": "https://www.youtube.com/@BlenderOfficial",
            "provider_name": "YouTube",
            "width": 640,
            "height": 360,
            "html": PROVIDER_HTML,
            "thumbnail_url": f"{base}/thumbnail.jpg",
            "requested": parse_qs(parts.query).get("url", [""])[0],
        }
        if behaviour == "ok":
            return self.send(200, json.dumps(answer).encode())
        if behaviour == "bad-thumbnail":
            return self.send(200, json.dumps({**answer, "thumbnail_url": f"{base}/tiny.jpg"}).encode())
        if behaviour == "wrong-types":
            odd = {
                "type": "hologram",
                "title": ["a", "list"],
                "author_name": "Ann\x00 Author\n",
                "width": "wide",
                "height": True,
                "html": 42,
                "thumbnail_url": "javascript:alert(1)",
                "author_url": {"x": 1},
            }
            return self.send(200, json.dumps(odd).encode())
        if behaviour == "slow":
            time.sleep(3)
            return self.send(200, json.dumps(answer).encode())
        if behaviour == "trickle":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            for _ in range(30):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return None
                time.sleep(0.1)
            return None
        if behaviour == "huge":
            return self.send(200, b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}')
        if behaviour == "huge-unannounced":
            return self.send(200, b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}', length=False)
        if behaviour == "broken":
            return self.send(200, b'{"title": "Big Buck', "application/json")
        if behaviour == "not-found":
            return self.send(404, b"Not Found", "text/plain")
        if behaviour == "redirect-http":
            self.send_response(302)
            self.send_header("Location", "http://192.0.2.10/oembed")
            self.end_headers()
            return None
        return self.send(500, b"unknown behaviour", "text/plain")


@pytest.fixture
def provider_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), OEmbedHandler)
    server.daemon_threads = True
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def oembed(settings, provider_server):
    """Points the providers at the loopback server; `oembed("slow")` picks the endpoint's behaviour."""
    settings.NEWSMAG_EMBED_ALLOW_LOOPBACK_HTTP = True
    settings.NEWSMAG_EMBED_TIMEOUT_SECONDS = 1

    def point(behaviour="ok", providers=("youtube", "vimeo", "mastodon", "bluesky")):
        settings.NEWSMAG_EMBED_ENDPOINTS = dict.fromkeys(
            providers, f"{provider_server.base}/oembed/{behaviour}"
        )
        return provider_server

    point()
    return point
