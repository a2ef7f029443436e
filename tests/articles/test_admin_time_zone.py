"""The admin says the newsroom's time zone once, in the header, and beside the publishing times."""

from django.utils import timezone


def test_every_admin_page_names_the_newsroom_time_zone(db, client, editor, settings):
    client.force_login(editor)
    for path in ("/admin/", "/admin/articles/article/add/"):
        html = client.get(path).content.decode()
        assert "Newsroom time" in html
        assert settings.TIME_ZONE in html
        assert "css/admin.css" in html  # which hides Django's per-field "hours behind" notes


def test_publishing_times_say_which_zone_they_are_in(db, client, editor, settings):
    client.force_login(editor)
    html = client.get("/admin/articles/article/add/").content.decode()
    assert html.count(f"Newsroom time ({timezone.get_current_timezone_name()}).") == 2
