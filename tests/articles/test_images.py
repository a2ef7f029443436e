"""Image provenance, safe uploads and renditions, with real files made by Pillow."""

import io
import json
import os
import re
import struct
import zlib

import lxml.html
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles.images.metadata import read_metadata
from articles.images.renditions import build_renditions, crop_box
from articles.images.uploads import clean_upload
from articles.models import Article, Image, SourceType
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, ImageFactory, UserFactory, ai_xmp

pytestmark = pytest.mark.django_db

XMP_AI = ai_xmp(
    alt="A bakery window glowing at night",
    description="A bakery before dawn.",
    creator="Newsroom Bot",
    rights="© 2026 People News",
)


def jpeg(width=1200, height=800, *, xmp=None, exif=None):
    output = io.BytesIO()
    options = {"quality": 85}
    if xmp:
        options["xmp"] = xmp.encode()
    if exif is not None:
        options["exif"] = exif
    PILImage.new("RGB", (width, height), (200, 120, 40)).save(output, "JPEG", **options)
    return output.getvalue()


def camera_exif():
    exif = PILImage.Exif()
    exif[0x013B] = "Jane Doe"  # Artist
    exif[0x8298] = "(c) Jane Doe"  # Copyright (EXIF is ASCII)
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0132] = "2026:11:01 10:00:00"  # DateTime
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPS
    return exif


def with_iptc(jpeg_bytes, records):
    """Insert an IPTC IIM block (Photoshop APP13) into a JPEG, as newsroom tools write it."""
    iim = b"".join(
        b"\x1c" + bytes([rec, ds]) + struct.pack(">H", len(v)) + v for (rec, ds), v in records.items()
    )
    resource = (
        b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + (b"\x00" if len(iim) % 2 else b"")
    )
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_claiming(width, height):
    """A tiny PNG whose header claims width x height pixels: a decompression bomb's calling card."""
    output = io.BytesIO()
    PILImage.new("L", (1, 1)).save(output, "PNG")
    data = bytearray(output.getvalue())
    ihdr = data[12:29]
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


# Metadata --------------------------------------------------------------------------------------------------


def test_xmp_provenance_is_read():
    found = read_metadata(PILImage.open(io.BytesIO(jpeg(xmp=XMP_AI))))
    assert found == {
        "source_type": "trainedAlgorithmicMedia",
        "ai_system": "Imagen 4",
        "alt_text": "A bakery window glowing at night",
        "credit": "People News",
        "creator": "Newsroom Bot",
        "copyright_notice": "© 2026 People News",
        "caption": "A bakery before dawn.",
    }


def test_iptc_and_exif_credits_are_read():
    data = with_iptc(
        jpeg(exif=camera_exif()),
        {
            (2, 80): b"Jane Doe",
            (2, 110): b"People News",
            (2, 116): "© 2026 Jane Doe".encode(),
            (2, 120): b"Dockers",
        },
    )
    found = read_metadata(PILImage.open(io.BytesIO(data)))
    assert found["creator"] == "Jane Doe"
    assert found["credit"] == "People News"
    assert found["copyright_notice"] == "© 2026 Jane Doe"
    assert found["caption"] == "Dockers"


def test_exif_alone_fills_creator_and_copyright():
    found = read_metadata(PILImage.open(io.BytesIO(jpeg(exif=camera_exif()))))
    assert found == {"creator": "Jane Doe", "copyright_notice": "(c) Jane Doe"}


def test_clean_upload_strips_gps_device_and_time_and_an_appended_payload():
    payload = b"<html><script>alert(1)</script></html>"
    result = clean_upload(upload(jpeg(exif=camera_exif()) + payload))
    data = result.content.read()
    assert b"<script>" not in data
    stored = PILImage.open(io.BytesIO(data))
    assert dict(stored.getexif()) == {}
    assert result.metadata["creator"] == "Jane Doe"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x()</script></svg>',
            "not an image",
        ),
        ("page.jpg", b"<!doctype html><html><body><script>alert(1)</script></body></html>", "not an image"),
        ("empty.jpg", b"", "not an image"),
        ("bomb.png", png_claiming(40000, 40000), "too many pixels"),
        ("tiny.jpg", jpeg(50, 50), "too small"),
    ],
)
def test_unsafe_or_unusable_uploads_are_refused_with_a_clear_message(name, data, message):
    from articles.images.uploads import UploadRefused

    with pytest.raises(UploadRefused, match=message):
        clean_upload(upload(data, name=name))


def test_animated_gifs_are_refused():
    from articles.images.uploads import UploadRefused

    frames = [PILImage.new("RGB", (300, 300), (i * 100, 50, 0)) for i in range(3)]
    output = io.BytesIO()
    frames[0].save(output, "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(UploadRefused, match="Animated"):
        clean_upload(upload(output.getvalue(), name="anim.gif"))


def test_oversize_files_are_refused(settings):
    from articles.images.uploads import UploadRefused

    settings.NEWSMAG_IMAGE_MAX_BYTES = 1000
    with pytest.raises(UploadRefused, match="larger than"):
        clean_upload(upload(jpeg()))


# Admin upload ------------------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    from django.contrib.auth.models import Group

    from articles import roles

    user = UserFactory(username="picture-desk", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    client.force_login(user)
    return client


def image_form(**fields):
    return {
        "title": "",
        "alt_text": "",
        "caption": "",
        "credit": "",
        "creator": "",
        "copyright_notice": "",
        "licence": "",
        "source_type": SourceType.DIGITAL_CAPTURE,
        "ai_system": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }


def test_admin_upload_prefills_from_the_file_and_builds_renditions(editor_client):
    response = editor_client.post(
        "/admin/articles/image/add/", image_form(file=upload(jpeg(1800, 1200, xmp=XMP_AI)))
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    image = Image.objects.get()
    assert image.source_type == SourceType.TRAINED_ALGORITHMIC_MEDIA
    assert image.credit_line() == "Newsroom Bot/People News/AI-generated image"
    assert image.alt_text == "A bakery window glowing at night"
    assert image.metadata["ai_system"] == "Imagen 4"
    # The request made only the interim picture; the renditions job runs after the commit.
    assert image.rendition("16x9") is None
    assert image.renditions["interim"]["w"] == 1200
    run_after_commit_work()
    image.refresh_from_db()
    widths = [width for width, _ in image.rendition("16x9")["webp"]]
    assert widths == [400, 800, 1200, 1600]
    with default_storage.open(image.rendition("original")["webp"][-1][1]) as handle:
        rendition = PILImage.open(handle)
        rendition.load()
        assert b"trainedAlgorithmicMedia" in rendition.info["xmp"]
        assert dict(rendition.getexif()) == {}


def test_editor_choices_win_over_the_files_metadata(editor_client):
    editor_client.post(
        "/admin/articles/image/add/",
        image_form(
            file=upload(jpeg(xmp=XMP_AI)),
            credit="Our own desk",
            source_type="compositeWithTrainedAlgorithmicMedia",
        ),
    )
    image = Image.objects.get()
    assert image.credit == "Our own desk"
    assert image.source_type == "compositeWithTrainedAlgorithmicMedia"


def test_upload_without_alt_text_is_kept_while_the_editor_fixes_the_form(editor_client):
    first = editor_client.post(
        "/admin/articles/image/add/", image_form(file=upload(jpeg(exif=camera_exif())))
    )
    assert first.status_code == 200
    html = first.content.decode()
    assert "Describe the image, or mark it as decorative." in html
    assert "Your upload is kept" in html
    assert 'value="Jane Doe"' in html  # pre-filled from EXIF, shown to the editor
    token = re.search(r'name="pending_upload" value="([^"]+)"', html).group(1)
    assert not Image.objects.exists()
    second = editor_client.post(
        "/admin/articles/image/add/",
        image_form(
            pending_upload=token, alt_text="Dockers at dawn", creator="Jane Doe", credit="People News"
        ),
    )
    assert second.status_code == 302
    image = Image.objects.get()
    assert image.credit_line() == "Jane Doe/People News"
    assert image.file.size > 0
    assert image.metadata["creator"] == "Jane Doe"


@pytest.mark.parametrize(
    "data",
    [b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", b"<html>hi</html>"],
)
def test_admin_refuses_non_images_with_a_form_error_and_no_row(editor_client, data):
    response = editor_client.post(
        "/admin/articles/image/add/", image_form(file=upload(data, name="x.jpg"), alt_text="x", credit="y")
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Image.objects.exists()


# Renditions and rendering -------------------------------------------------------------------------------------


def test_crop_keeps_the_focal_point_in_view():
    assert crop_box(1600, 900, 1.0, focal_x=0.9) == (700, 0, 1600, 900)
    assert crop_box(1600, 900, 1.0, focal_x=0.0) == (0, 0, 900, 900)
    assert crop_box(1600, 900, None) == (0, 0, 1600, 900)
    assert crop_box(900, 1600, 16 / 9, focal_y=0.5) == (0, 547, 900, 1053)


def test_pages_serve_webp_srcsets_with_dimensions_and_the_credit(client, article):
    image = article.lead_image
    image.renditions = build_renditions(image)
    image.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="' in html
    assert re.search(r'original-400\.webp 400w, [^"]*original-640\.webp 640w', html)
    assert 'fetchpriority="high"' in html
    assert "(People News/AI-generated image)" in html
    home = client.get("/").content.decode()
    assert "16x9-400.webp 400w" in home


def test_article_json_ld_carries_credit_and_digital_source_type(client, article):
    article.lead_image.caption = "Bread </script><script>alert(1)</script>"
    article.lead_image.save()
    html = client.get(article.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data, breadcrumbs = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == ["Home", "Culture", article.headline]
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "People News"}
    assert "dateline" not in data  # a place, not the agency
    assert data["image"][0]["creditText"] == "People News/AI-generated image"
    assert data["image"][0]["digitalSourceType"] == "https://schema.org/TrainedAlgorithmicMediaDigitalSource"
    assert data["image"][0]["caption"] == "Bread </script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_schema_org_mapping_covers_every_source_type():
    for source_type in SourceType:
        assert re.fullmatch(r"https://schema\.org/[A-Z][A-Za-z]+DigitalSource", source_type.schema_org)


def test_feed_items_carry_the_image_and_its_credit(client, article):
    xml = client.get("/feed/").content.decode()
    assert "People News/AI-generated image" in xml
    assert "<enclosure" in xml


def test_transparency_page_lists_ai_images_of_published_articles_only(client, article, section):
    hidden = ImageFactory(
        title="Secret AI draft", source_type=SourceType.TRAINED_ALGORITHMIC_MEDIA, ai_system="X"
    )
    ArticleFactory(section=section, status=Article.Status.DRAFT, publish_at=None, lead_image=hidden)
    ImageFactory(title="Camera", source_type=SourceType.DIGITAL_CAPTURE)
    html = client.get("/ai-images/").content.decode()
    assert "Imagen" in html
    assert article.headline.replace("'", "&#x27;") in html
    assert "(People News/AI-generated image)" in html
    assert "Secret AI draft" not in html
    assert html.count('class="figure ai-image-entry') == 1


# One answer to "which file, at what size, shows this image" -------------------------------------------------


def big_image(**fields):
    image = ImageFactory(file=SimpleUploadedFile("wide.jpg", jpeg(2400, 1200), "image/jpeg"), **fields)
    image.renditions = build_renditions(image)
    image.save()
    return image


def pixel_size(name):
    with default_storage.open(name, "rb") as handle:
        return PILImage.open(handle).size


def test_shown_at_picks_the_narrowest_rendition_wide_enough_and_says_its_real_size():
    from articles.images.renditions import shown_at

    image = big_image()
    shown = shown_at(image, 500)
    assert (shown.width, shown.height, shown.mime) == (800, 400, "image/webp")
    assert pixel_size(shown.name) == (800, 400)
    assert shown_at(image, 5000).width == 1600  # the widest there is
    square = shown_at(image, 64, crop="1x1")
    assert pixel_size(square.name) == (square.width, square.height) == (400, 400)
    jpeg_file = shown_at(image, crop="16x9", jpeg=True)
    assert jpeg_file.mime == "image/jpeg"
    assert pixel_size(jpeg_file.name) == (jpeg_file.width, jpeg_file.height) == (800, 450)
    assert jpeg_file.size() == default_storage.size(jpeg_file.name)


def test_shown_at_falls_back_to_the_original_while_renditions_are_missing():
    from articles.images.renditions import shown_at

    image = ImageFactory()
    assert image.renditions == {}
    for shown in (shown_at(image, 400), shown_at(image, crop="1x1", jpeg=True)):
        assert shown.name == image.file.name
        assert (shown.width, shown.height) == (image.width, image.height)
        assert shown.url == image.file.url


def test_json_ld_gives_the_lead_in_three_shapes_at_least_1200_wide_with_the_size_of_each_file(
    client, section
):
    image = big_image(alt_text="Wide", credit="People News", source_type=SourceType.TRAINED_ALGORITHMIC_MEDIA)
    article = ArticleFactory(section=section, lead_image=image)
    html = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))[
        0
    ]
    sizes = []
    for entry in data["image"]:
        name = entry["url"].split(default_storage.base_url, 1)[1]
        assert pixel_size(name) == (entry["width"], entry["height"])
        # The AI disclosure travels with every shape, not just the first.
        assert entry["digitalSourceType"] == image.source.schema_org
        assert entry["digitalSourceType"] == "https://schema.org/TrainedAlgorithmicMediaDigitalSource"
        assert entry["creditText"] == image.credit_line()
        sizes.append((entry["width"], entry["height"]))
    assert sizes == [(1200, 675), (1200, 900), (1200, 1200)]  # 16:9, 4:3, 1:1


def test_json_ld_of_a_picture_narrower_than_1200_gives_the_widest_rendition_there_is(client, section):
    image = ImageFactory(file=SimpleUploadedFile("small.jpg", jpeg(1000, 1000), "image/jpeg"))
    image.renditions = build_renditions(image)
    image.save()
    article = ArticleFactory(section=section, lead_image=image)
    html = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))[
        0
    ]
    assert [(entry["width"], entry["height"]) for entry in data["image"]] == [
        (1000, 562),
        (1000, 750),
        (1000, 1000),
    ]


def test_the_social_card_is_a_1200_wide_16x9_jpeg_and_og_gives_its_real_size(client, section):
    image = big_image(alt_text="A harbour at dawn")
    article = ArticleFactory(section=section, lead_image=image)
    tree = lxml.html.fromstring(client.get(article.get_absolute_url()).content)

    def og(name):
        return tree.xpath(f'//meta[@property="og:{name}"]/@content')[0]

    name = og("image").split(default_storage.base_url, 1)[1]
    with default_storage.open(name, "rb") as handle:
        picture = PILImage.open(handle)
        assert (picture.format, picture.size) == ("JPEG", (int(og("image:width")), int(og("image:height"))))
    assert picture.size == (1200, 675)
    assert og("image:type") == "image/jpeg"
    assert og("image:alt") == "A harbour at dawn"
    assert tree.xpath('//meta[@name="twitter:card"]/@content') == ["summary_large_image"]


def test_images_stored_before_the_large_jpeg_are_rebuilt_by_the_command_and_on_their_next_save(section):
    from django.core.management import call_command

    from articles.images.jobs import schedule_renditions
    from articles.images.renditions import renditions_outdated, shown_at

    old, other = big_image(), big_image()
    for image in (old, other):  # as the previous rendition set stored them: the 800 px JPEG only
        image.renditions.pop("key")  # nor did it name its folders after their content
        for entry in image.renditions.values():
            entry.pop("jpeg")
        image.save()
        assert renditions_outdated(image.renditions)
        assert shown_at(image, 1200, crop="16x9", jpeg=True).width == 800  # what exists, with its real size
    # Saving it with a change that alone would not rebuild (a caption) brings it up to date...
    old.caption = "New caption"
    old.save()
    assert schedule_renditions(old, ["caption"])
    run_after_commit_work()
    old.refresh_from_db()
    assert not renditions_outdated(old.renditions)
    assert pixel_size(shown_at(old, 1200, crop="16x9", jpeg=True).name) == (1200, 675)
    # ...and the command rebuilds every other outdated image.
    call_command("rebuild_renditions", stdout=io.StringIO())
    other.refresh_from_db()
    assert not renditions_outdated(other.renditions)
    assert shown_at(other, 1200, crop="16x9", jpeg=True).width == 1200
    assert not renditions_outdated(big_image().renditions)  # a new image is built complete


def test_admin_lists_show_small_square_renditions_never_the_original(client, section):
    image = big_image(title="Harbour at dawn")
    ArticleFactory(section=section, lead_image=image, headline="Harbour story")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in ("/admin/articles/article/", "/admin/articles/image/"):
        html = client.get(url).content.decode()
        thumbnails = re.findall(r'<img class="admin-thumb" src="([^"]+)"', html)
        assert thumbnails, url
        assert all("/renditions/" in src and src.endswith("1x1-400.webp") for src in thumbnails), thumbnails
        assert image.file.url not in html


# Hostile files: deep XMP, strips no WebP can hold, control characters ------------------------------------------


def deeply_nested_xmp(depth):
    """An XMP packet whose description nests `depth` levels of rdf:li lists: valid XML, absurd shape."""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Bag>'
        + "<rdf:li/><rdf:li>" * depth
        + "deep"
        + "</rdf:li>" * depth
        + "</rdf:Bag></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def png(width, height, *, xmp=None):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    if xmp:
        info.add_itxt("XML:com.adobe.xmp", xmp)
    output = io.BytesIO()
    PILImage.new("L", (width, height), 128).save(output, "PNG", pnginfo=info)
    return output.getvalue()


def media_files(settings):
    root = settings.MEDIA_ROOT
    return {
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    }


@pytest.mark.parametrize(
    ("name", "data"),
    [
        # Deep enough for our own walk to exhaust Python's recursion limit, shallow enough for Pillow's.
        ("deep.jpg", with_iptc(jpeg(xmp=deeply_nested_xmp(500)), {(2, 110): b"People News"})),
        # Deep enough for Pillow's getxmp() itself.
        ("deeper.png", png(400, 300, xmp=deeply_nested_xmp(3000))),
    ],
)
def test_xmp_nested_hundreds_of_levels_deep_is_ignored_and_the_upload_accepted(editor_client, name, data):
    found = read_metadata(PILImage.open(io.BytesIO(data)))
    assert "caption" not in found  # the deep XMP yields nothing...
    assert found.get("credit") == ("People News" if name == "deep.jpg" else None)  # ...the rest is still read
    response = editor_client.post(
        "/admin/articles/image/add/",
        image_form(file=upload(data, name=name), alt_text="Dockers", credit="People News"),
    )
    assert response.status_code == 302
    run_after_commit_work()
    image = Image.objects.get()
    assert (image.caption, image.credit) == ("", "People News")
    assert image.rendition("original")


def test_real_xmp_a_few_levels_deep_is_still_read():
    xmp = deeply_nested_xmp(10)
    assert read_metadata(PILImage.open(io.BytesIO(jpeg(xmp=xmp)))) == {"caption": "deep"}


def test_an_image_too_tall_for_webp_is_refused_with_the_limit_and_leaves_no_file(editor_client, settings):
    before = media_files(settings)
    response = editor_client.post(
        "/admin/articles/image/add/",
        image_form(file=upload(png(200, 60000), name="strip.png"), alt_text="A strip", credit="People News"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "too tall for the web" in html
    assert "WebP holds at most 16383 pixels on a side" in html
    assert "Crop it to at most 16383 pixels tall" in html
    assert not Image.objects.exists()
    assert media_files(settings) == before


def test_web_size_limits_are_known_before_any_rendition_is_made():
    from articles.images.renditions import web_size_problem

    assert web_size_problem(1200, 800) is None
    assert web_size_problem(200, 16383) is None
    assert "16383" in web_size_problem(200, 16384)
    assert "32766 pixels tall" in web_size_problem(3200, 40000)  # renditions are at most 1600 wide
    assert web_size_problem(20000, 1000) is None  # a panorama shrinks to fit
    assert "too flat" in web_size_problem(160000, 200)  # its 400 px rendition would be 0 px tall


def test_a_rendition_failure_keeps_no_rendition_file_no_500_and_tells_the_editor(settings):
    from django.core.files.base import ContentFile

    from articles.images.jobs import make_renditions
    from articles.images.renditions import rendition_problem

    # Stored without the upload form's check: WebP refuses its 800 px rendition after the 400 px one exists.
    image = ImageFactory(file=ContentFile(png(800, 17000), name="strip.png"))
    before = media_files(settings)
    assert make_renditions.apply(args=[image.pk]).get() == "failed"  # not retried: it would fail again
    image.refresh_from_db()
    problem = rendition_problem(image)
    assert "its web sizes could not be made" in problem
    assert "WebP limit of 16383 pixels" in problem
    assert not any(crop in image.renditions for crop in ("original", "16x9", "4x3", "1x1"))
    assert media_files(settings) == before
    assert default_storage.exists(image.file.name)  # the image itself is whole: pages show the original


def test_control_characters_in_a_files_metadata_never_reach_the_form_or_the_database(editor_client):
    exif = PILImage.Exif()
    exif[0x013B] = "Jane\x0bDoe"  # Artist, with a word processor's line break
    exif[0x8298] = "(c)\x1f Jane Doe\x7f"  # Copyright, with a unit separator and DEL
    data = with_iptc(
        jpeg(exif=exif),
        {(2, 110): b"People\x1fNews", (2, 120): b"Dockers\x0bat dawn\x00", (2, 116): b"\x1c\x1d"},
    )
    found = read_metadata(PILImage.open(io.BytesIO(data)))
    assert found == {
        "creator": "Jane Doe",
        "credit": "PeopleNews",
        "copyright_notice": "(c) Jane Doe",
        "caption": "Dockers\nat dawn",
    }
    response = editor_client.post(
        "/admin/articles/image/add/", image_form(file=upload(data), alt_text="Dockers at dawn")
    )
    assert response.status_code == 302
    image = Image.objects.get()
    stored = [image.creator, image.credit, image.copyright_notice, image.caption, image.title,
              *image.metadata.values()]  # fmt: skip
    assert not [value for value in stored if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", value)]
    assert image.credit_line() == "Jane Doe/PeopleNews"


def test_metadata_longer_than_its_field_is_cut_to_fit_not_refused(editor_client):
    data = with_iptc(jpeg(), {(2, 110): b"A" * 250})
    response = editor_client.post(
        "/admin/articles/image/add/", image_form(file=upload(data), alt_text="Dockers")
    )
    assert response.status_code == 302
    assert Image.objects.get().credit == "A" * 120


def test_a_jpeg_is_cleaned_losslessly_and_a_sideways_phone_photo_stays_upright(editor_client):
    """A phone stores its photo sideways with an EXIF orientation: the stored file keeps the camera's
    compressed pixels bit for bit and the orientation as its only EXIF tag; sizes, interim picture and
    renditions are upright."""
    exif = camera_exif()
    exif[0x0112] = 6  # turn 90° clockwise to show
    sideways = PILImage.new("RGB", (1600, 1000), (200, 120, 40))
    sideways.paste((20, 40, 200), (0, 0, 400, 1000))  # a blue band on the left: at the top once upright
    output = io.BytesIO()
    sideways.save(output, "JPEG", quality=90, exif=exif, comment=b"<script>alert(1)</script>")
    data = output.getvalue() + b"<html>payload</html>"
    response = editor_client.post(
        "/admin/articles/image/add/",
        image_form(file=upload(data), alt_text="A band", credit="People News"),
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (1000, 1600)
    with default_storage.open(image.file.name, "rb") as handle:
        stored_bytes = handle.read()
    assert b"<script>" not in stored_bytes
    assert b"payload" not in stored_bytes
    stored = PILImage.open(io.BytesIO(stored_bytes))
    assert dict(stored.getexif()) == {0x0112: 6}
    assert stored.tobytes() == PILImage.open(io.BytesIO(data)).tobytes()  # not re-encoded
    assert (image.renditions["interim"]["w"], image.renditions["interim"]["h"]) == (750, 1200)
    run_after_commit_work()
    image.refresh_from_db()
    assert image.rendition("original")["w"] == 1000
    with default_storage.open(image.rendition("original")["webp"][-1][1], "rb") as handle:
        rendition = PILImage.open(handle).convert("RGB")
        assert rendition.size == (1000, 1600)
        assert rendition.getpixel((500, 50))[2] > 150  # the blue band is at the top
