"""A real S3-compatible server on loopback (moto's server, spoken to over HTTP by boto3 as any S3 would be),
for tests of media on object storage.

- `s3_server` (session): the server, on a free port of 127.0.0.1.
- `s3_bucket`: a fresh bucket, and Django's default storage and AWS_* settings pointing at it, as
  newsmag/settings.py sets them when AWS_STORAGE_BUCKET_NAME is given. `s3_bucket.keys()` lists what is
  stored, `s3_bucket.get(key)` reads an object, and `s3_bucket.env()` gives the environment variables
  for a process the test starts (gunicorn, a Celery worker).
"""

import contextlib
import json
import socket
import time
import uuid
from dataclasses import dataclass

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
KEY_ID, SECRET = "newsmag-test", "newsmag-test-secret"  # the server accepts any; boto3 needs some


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3Server:
    def __init__(self):
        self.port = free_port()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self._server.start()
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self):
        self._server.stop()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
            config=Config(s3={"addressing_style": "path"}),
        )


@dataclass
class Bucket:
    name: str
    server: S3Server
    custom_domain: str | None = None

    def keys(self, prefix="") -> list[str]:
        pages = (
            self.server.client().get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def get(self, key) -> bytes:
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()

    def head(self, key) -> dict:
        return self.server.client().head_object(Bucket=self.name, Key=key)

    def env(self) -> dict:
        """The environment that points a Newsmag process at this bucket (newsmag/settings.py reads it)."""
        env = {
            "AWS_STORAGE_BUCKET_NAME": self.name,
            "AWS_S3_ENDPOINT_URL": self.server.endpoint,
            "AWS_ACCESS_KEY_ID": KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_ADDRESSING_STYLE": "path",
        }
        if self.custom_domain:
            env |= {"AWS_S3_CUSTOM_DOMAIN": self.custom_domain, "AWS_S3_URL_PROTOCOL": "http:"}
        return env

    def delete(self):
        """Empty and remove the bucket (a storage fault for the site, or the end of the test)."""
        client = self.server.client()
        for key in self.keys():
            client.delete_object(Bucket=self.name, Key=key)
        client.delete_bucket(Bucket=self.name)


def point_settings_at(settings, bucket: Bucket):
    """Django's settings as newsmag/settings.py makes them from `bucket.env()` (the ones it sets whatever
    the storage, ACLs, signatures, overwriting and Cache-Control, are already there)."""
    env = bucket.env()
    settings.AWS_STORAGE_BUCKET_NAME = env["AWS_STORAGE_BUCKET_NAME"]
    settings.AWS_S3_ENDPOINT_URL = env["AWS_S3_ENDPOINT_URL"]
    settings.AWS_ACCESS_KEY_ID = env["AWS_ACCESS_KEY_ID"]
    settings.AWS_SECRET_ACCESS_KEY = env["AWS_SECRET_ACCESS_KEY"]
    settings.AWS_S3_REGION_NAME = env["AWS_S3_REGION_NAME"]
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_S3_CUSTOM_DOMAIN = bucket.custom_domain
    settings.AWS_S3_URL_PROTOCOL = "http:"
    settings.AWS_S3_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 2})
    # Last: changing STORAGES makes Django build the default storage anew, from the settings above.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server()
    server.start()
    yield server
    server.stop()


def public_read_policy(bucket) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*",
        }],
    }  # fmt: skip


def make_bucket(server, *, custom_domain=False) -> Bucket:
    name = f"newsmag-{uuid.uuid4().hex[:12]}"
    client = server.client()
    client.create_bucket(Bucket=name)
    # Media are public through the bucket's policy (as README says to set it up), never through ACLs.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    # A CDN in front of the bucket: here the server itself under its path-style address.
    domain = f"127.0.0.1:{server.port}/{name}" if custom_domain else None
    return Bucket(name, server, domain)


def _bucket_fixture(server, settings, **options):
    bucket = make_bucket(server, **options)
    point_settings_at(settings, bucket)
    yield bucket
    with contextlib.suppress(Exception):  # already deleted by the test (a storage fault)
        bucket.delete()


@pytest.fixture
def s3_bucket(s3_server, settings):
    """A fresh bucket, and Django's default storage on it (page URLs on the endpoint itself)."""
    yield from _bucket_fixture(s3_server, settings)


@pytest.fixture
def s3_bucket_behind_cdn(s3_server, settings):
    """The same with AWS_S3_CUSTOM_DOMAIN set: page URLs on the "CDN" domain."""
    yield from _bucket_fixture(s3_server, settings, custom_domain=True)
