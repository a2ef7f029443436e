"""Media on S3-compatible object storage (a real server on loopback, tests/s3_server.py) and renditions as a
job: uploads land in the bucket stripped, pages show the interim picture until the job has run, then the
renditions from the bucket's (or the CDN's) URLs; a storage fault is a form error."""

import io
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import lxml.html
import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.test import Client
from PIL import Image as PILImage
from storages.backends.s3 import S3Storage

from articles.images.renditions import CROPS, content_key, refresh_renditions, shown_at
from articles.models import Image
from tests.articles.test_images import camera_exif, editor_client, image_form, jpeg, upload  # noqa: F401
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, ImageFactory
from tests.s3_server import S3Server, make_bucket, point_settings_at

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parent.parent.parent
GPS, MAKE = 0x8825, 0x010F


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers


def lead_picture(html):
    """(srcset URLs, <img> element) of the first <picture> of a page."""
    picture = lxml.html.fromstring(html).xpath("//picture")[0]
    sources = picture.xpath(".//source")
    srcset = [part.strip().split(" ")[0] for part in sources[0].get("srcset").split(",")] if sources else []
    return srcset, picture.xpath(".//img")[0]


def hold_commit_work():
    """Take the after-commit callbacks waiting in the test's transaction (the renditions job among them)
    out of it, for the test to run later: until then pages are rendered as before the job ran."""
    held, connection.run_on_commit = connection.run_on_commit, []
    return held


def read_page(url):
    response = Client().get(url)  # an anonymous reader
    assert response.status_code == 200
    return response.content.decode()


def test_an_admin_upload_lands_in_the_bucket_stripped_and_pages_turn_over_to_its_renditions(
    editor_client,  # noqa: F811
    s3_bucket,
    section,
):
    response = editor_client.post(
        "/admin/articles/image/add/",
        image_form(
            file=upload(jpeg(2400, 1600, exif=camera_exif())), alt_text="Dockers", credit="People News"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = hold_commit_work()  # the commit has happened; the job has not run yet
    image = Image.objects.get()
    interim = image.renditions["interim"]
    assert s3_bucket.keys() == sorted([image.file.name, interim["name"]])  # nothing else yet
    for key in (image.file.name, interim["name"]):
        stored = PILImage.open(io.BytesIO(s3_bucket.get(key)))
        assert GPS not in stored.getexif()
        assert MAKE not in stored.getexif()
    assert PILImage.open(io.BytesIO(s3_bucket.get(image.file.name))).size == (2400, 1600)
    assert (interim["w"], interim["h"]) == (1200, 800)

    article = ArticleFactory(section=section, lead_image=image, headline="Dockers at dawn")
    # Until the job has run, readers get the interim picture from the bucket, with its size.
    srcset, img = lead_picture(read_page(article.get_absolute_url()))
    assert srcset == []
    assert img.get("src") == f"{s3_bucket.server.endpoint}/{s3_bucket.name}/{interim['name']}"
    assert (img.get("width"), img.get("height")) == ("1200", "800")
    body, _headers = fetch(img.get("src"))
    assert PILImage.open(io.BytesIO(body)).size == (1200, 800)

    for _savepoints, callback, _robust in job:  # now the renditions job runs (in-process, no broker here)
        callback()
    image.refresh_from_db()
    key = content_key(image)
    made = s3_bucket.keys(f"renditions/{image.pk}/{key}/")
    assert len(made) >= 4 * len(CROPS)
    assert {name for crop in CROPS for _w, name in image.rendition(crop)["webp"]} <= set(made)

    srcset, img = lead_picture(read_page(article.get_absolute_url()))  # the page turned over by itself
    assert len(srcset) >= 3
    for url in srcset:
        assert url.startswith(f"{s3_bucket.server.endpoint}/{s3_bucket.name}/renditions/{image.pk}/{key}/")
        body, headers = fetch(url)
        assert body[:4] == b"RIFF"
        assert body[8:12] == b"WEBP"
        assert "immutable" in headers["Cache-Control"]  # its name changes when its content does
        assert GPS not in PILImage.open(io.BytesIO(body)).getexif()
    assert img.get("src").endswith(".jpg")
    assert "/renditions/" in img.get("src")


def test_pages_link_to_the_cdn_domain_when_one_is_set(s3_server, settings, section):
    bucket = make_bucket(s3_server, custom_domain=True)
    bucket.custom_domain = bucket.custom_domain.replace("127.0.0.1", "localhost")  # another host: the "CDN"
    point_settings_at(settings, bucket)
    image = ImageFactory(file=upload(jpeg(1600, 900), name="harbour.jpg"))
    assert refresh_renditions(image.pk) == "built"
    article = ArticleFactory(section=section, lead_image=image)
    srcset, img = lead_picture(read_page(article.get_absolute_url()))
    for url in [*srcset, img.get("src")]:
        assert url.startswith(f"http://localhost:{s3_server.port}/{bucket.name}/renditions/")
        assert fetch(url)[0]  # the CDN's origin is the bucket: the file is there
    bucket.delete()


def test_the_environment_alone_puts_media_on_s3_and_their_origin_in_the_csp(s3_bucket):
    """newsmag.settings read in a fresh process, as gunicorn or a worker would (no test overlay)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_SETTINGS"))},
        **s3_bucket.env(),
        "AWS_S3_CUSTOM_DOMAIN": "media.example.net",
        "DJANGO_SECRET_KEY": "x" * 50,
        "PYTHONPATH": str(BASE_DIR),
    }
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'newsmag.settings'; django.setup();"
        "from django.conf import settings; from django.core.files.storage import storages;"
        "print(type(storages['default']).__name__); print(storages['default'].url('images/a b.jpg'));"
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    lines = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, cwd=BASE_DIR
    ).stdout.splitlines()
    assert lines[0] == "S3Storage"
    assert lines[1] == "https://media.example.net/images/a%20b.jpg"  # no signature: stable, cacheable
    assert "https://media.example.net" in lines[2].split()
    without = {k: v for k, v in env.items() if not k.startswith("AWS_")}
    script = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'newsmag.settings'; django.setup();"
    script += "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", script], env=without, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "django.core.files.storage.FileSystemStorage"  # local disk by default


# Storage faults ----------------------------------------------------------------------------------------------


def test_a_deleted_bucket_is_a_form_error_and_saves_nothing(editor_client, s3_bucket):  # noqa: F811
    s3_bucket.delete()
    response = editor_client.post(
        "/admin/articles/image/add/",
        image_form(file=upload(jpeg()), alt_text="Dockers", credit="People News"),
    )
    assert response.status_code == 200
    assert "The image could not be stored (NoSuchBucket" in response.content.decode()
    assert not Image.objects.exists()


def test_a_storage_server_that_is_down_is_a_form_error_and_saves_nothing(editor_client, settings):  # noqa: F811
    server = S3Server()
    server.start()
    bucket = make_bucket(server)
    point_settings_at(settings, bucket)
    server.stop()
    response = editor_client.post(
        "/admin/articles/image/add/",
        image_form(file=upload(jpeg()), alt_text="Dockers", credit="People News"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The image could not be stored (Could not connect to the endpoint URL" in html
    assert not Image.objects.exists()


class FailsOnInterim(S3Storage):
    """The bucket refuses every write after the original (its policy changed, say)."""

    def _save(self, name, content):
        if name.startswith("interim/"):
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "PutObject")
        return super()._save(name, content)


def test_the_interim_is_written_too_or_nothing_is_kept(editor_client, s3_bucket, settings):  # noqa: F811
    """A store that fails between the original and the interim picture leaves neither behind."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FailsOnInterim"}}
    response = editor_client.post(
        "/admin/articles/image/add/",
        image_form(file=upload(jpeg()), alt_text="Dockers", credit="People News"),
    )
    assert response.status_code == 200
    assert "The image could not be stored (AccessDenied: Access Denied)" in response.content.decode()
    assert not Image.objects.exists()
    assert s3_bucket.keys() == []


# The renditions job ------------------------------------------------------------------------------------------


def test_the_job_is_idempotent_follows_changes_and_cleans_up_after_a_deleted_image(s3_bucket):
    image = ImageFactory(file=upload(jpeg(1600, 900), name="quay.jpg"))
    assert refresh_renditions(image.pk) == "built"
    assert refresh_renditions(image.pk) == "current"  # run twice: nothing to do
    image.refresh_from_db()
    first = set(s3_bucket.keys(f"renditions/{image.pk}/"))
    assert first
    assert all(f"/{content_key(image)}/" in key for key in first)

    image.focal_x = 0.1  # a new crop centre: new files under new names, the old ones go after the commit
    image.save()
    assert refresh_renditions(image.pk) == "built"
    run_after_commit_work()
    image.refresh_from_db()
    second = set(s3_bucket.keys(f"renditions/{image.pk}/"))
    assert second
    assert not second & first
    assert shown_at(image, 400).name in second

    Image.objects.filter(pk=image.pk).delete()
    assert refresh_renditions(image.pk) == "gone"
    assert s3_bucket.keys(f"renditions/{image.pk}/") == []
    assert default_storage.exists(image.file.name)  # the original stays (backups, provenance record)


class ChangesTheImageWhileRenditionsAreWritten(FileSystemStorage):
    """Local disk; the first rendition written moves the image's focal point, as an editor saving the image
    while the job runs would."""

    image_id = None

    def _save(self, name, content):
        if name.startswith("renditions/") and type(self).image_id:
            Image.objects.filter(pk=type(self).image_id).update(focal_x=0.2)
            type(self).image_id = None
        return super()._save(name, content)


def test_renditions_of_content_that_changed_meanwhile_are_dropped_not_saved(settings):
    image = ImageFactory(file=upload(jpeg(1600, 900), name="quay.jpg"))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.ChangesTheImageWhileRenditionsAreWritten"},
    }
    ChangesTheImageWhileRenditionsAreWritten.image_id = image.pk
    key = content_key(image)
    assert refresh_renditions(image.pk) == "stale"  # the save that moved the focal point enqueued its own job
    image.refresh_from_db()
    assert image.rendition("original") is None
    assert not default_storage.exists(f"renditions/{image.pk}/{key}/original-400.webp")  # its files went
    assert refresh_renditions(image.pk) == "built"  # that job: renditions of what the image holds now
    image.refresh_from_db()
    assert image.renditions["key"] == content_key(image) != key


def test_rebuild_renditions_can_hand_the_work_to_the_workers(s3_bucket):
    from django.core.management import call_command

    image = ImageFactory(file=upload(jpeg(1600, 900), name="quay.jpg"))
    out = io.StringIO()
    call_command("rebuild_renditions", "--enqueue", stdout=out)  # no broker here: each job runs at once
    assert "Enqueued the renditions of 1 image(s)" in out.getvalue()
    image.refresh_from_db()
    assert image.renditions["key"] == content_key(image)
    assert s3_bucket.keys(f"renditions/{image.pk}/{content_key(image)}/")


def test_the_sweep_makes_the_renditions_whose_job_was_lost_and_leaves_fresh_and_failed_ones(db):
    from datetime import timedelta

    from django.utils import timezone

    from articles.images.jobs import sweep_renditions

    lost, fresh, refused = (
        ImageFactory(file=upload(jpeg(1600, 900), name=f"{name}.jpg"))
        for name in ("lost", "fresh", "refused")
    )
    an_hour_ago = timezone.now() - timedelta(hours=1)
    # As a broker that refused the jobs leaves them: no renditions yet (the refused one recorded a problem).
    Image.objects.filter(pk__in=[lost.pk, refused.pk]).update(uploaded_at=an_hour_ago, renditions={})
    Image.objects.filter(pk=fresh.pk).update(renditions={})
    Image.objects.filter(pk=refused.pk).update(renditions={"problem": "The encoder refused this picture."})
    assert sweep_renditions() == 1  # no broker here: the job runs at once
    for image in (lost, fresh, refused):
        image.refresh_from_db()
    assert lost.renditions["key"] == content_key(lost)
    assert fresh.renditions == {}
    assert refused.renditions == {"problem": "The encoder refused this picture."}
