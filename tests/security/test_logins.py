"""Login throttling (django-axes), the one client-IP function, and password rules."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from articles.limits import client_ip
from tests.factories import UserFactory
from tests.security.scan import assert_nothing_executable

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True)


def login(client, username, password, ip="203.0.113.7", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
        **headers,
    )


def fail_until_locked(client, username="editor", ip="203.0.113.7", **headers):
    for _attempt in range(4):
        assert login(client, username, "wrong", ip, **headers).status_code == 200  # the form, with its error
    return login(client, username, "wrong", ip, **headers)


def test_five_wrong_passwords_pause_the_login_with_a_clear_page(client, editor):
    response = fail_until_locked(client)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(15 * 60)
    html = response.content.decode()
    assert "Too many login attempts" in html
    assert "Try again in 15 minutes" in html
    assert_nothing_executable(html, "lockout page")  # no inline script: the CSP would block it anyway
    # Even the right password is refused while the pause lasts.
    assert login(client, "editor", PASSWORD).status_code == 429


def test_the_pause_lifts_by_itself_after_the_cool_off(client, editor):
    with time_machine.travel("2026-11-28 10:00 +0000", tick=False) as traveller:
        assert fail_until_locked(client).status_code == 429
        traveller.shift(timedelta(minutes=14))
        assert login(client, "editor", PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=2))
        response = login(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_only_the_username_and_address_pair_is_paused(client, editor):
    UserFactory(username="moderator", is_staff=True)
    assert fail_until_locked(client, "editor", "203.0.113.7").status_code == 429
    # The real editor, from the newsroom's own address, still gets in...
    assert login(client, "editor", PASSWORD, ip="198.51.100.20").status_code == 302
    client.logout()
    # ...and so does a colleague behind the attacker's address.
    assert login(client, "moderator", PASSWORD, ip="203.0.113.7").status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_pause(client, editor, settings):
    settings.NEWSMAG_TRUSTED_PROXY_COUNT = 0
    for attempt in range(5):
        response = login(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    assert response.status_code == 429
    assert login(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_proxy_the_address_the_proxy_saw_is_paused(client, editor, settings):
    settings.NEWSMAG_TRUSTED_PROXY_COUNT = 1
    # The attacker prepends random entries; the proxy appends the address it really saw.
    for attempt in range(5):
        response = login(
            client, "editor", "wrong", ip="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.7"
        )
    assert response.status_code == 429
    # Another reader behind the same proxy is someone else.
    response = login(client, "editor", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "192.0.2.1", "203.0.113.7"),  # no proxy trusted: the header is ignored
        (1, "10.0.0.2", "192.0.2.1, 203.0.113.7", "203.0.113.7"),
        (2, "10.0.0.3", "192.0.2.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "10.0.0.3", "203.0.113.7", None),  # fewer entries than proxies: not trusted
        (1, "10.0.0.2", "not-an-address", None),
        (0, "2001:db8::1", "", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, proxies, remote, forwarded, expected):
    settings.NEWSMAG_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_comments_and_login_throttling_use_the_same_client_ip_function(settings):
    from axes.helpers import get_client_ip_address

    from comments import views

    assert views.client_ip is client_ip
    settings.NEWSMAG_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    assert get_client_ip_address(request) == "203.0.113.7"
    ipv6 = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="2001:db8:1:2:3:4:5:6")
    assert get_client_ip_address(ipv6) == "2001:db8:1:2::"  # login throttling counts the /64


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901234", "editor2026", "Editor2026!"])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="editor2026", email="editor@example.com")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_passphrase_is_accepted():
    validate_password("tide-lantern-orbit-pebble", UserFactory.build(username="editor"))


def test_an_ipv6_guesser_cannot_rotate_addresses_inside_its_64(client, editor):
    for host in range(1, 5):
        assert login(client, "editor", "wrong", ip=f"2001:db8:42:1::{host}").status_code == 200
    assert login(client, "editor", "wrong", ip="2001:db8:42:1:ffff::5").status_code == 429
    assert login(client, "editor", PASSWORD, ip="2001:db8:42:1::99").status_code == 429  # the same /64
    assert login(client, "editor", PASSWORD, ip="2001:db8:42:2::1").status_code == 302  # another network


def test_guessing_one_username_from_many_networks_slows_down_without_locking_out_its_owner(
    client, editor, settings
):
    settings.NEWSMAG_LOGIN_USERNAME_CEILING = 6
    with time_machine.travel("2026-11-28 10:00 +0000", tick=False) as traveller:
        for network in range(6):  # a botnet: few guesses per network, under the per-network pause
            assert login(client, "editor", "wrong", ip=f"192.0.2.{network}").status_code == 200
        # Past the ceiling each network may try the username once every few seconds...
        assert login(client, "editor", "wrong", ip="192.0.2.1").status_code == 200
        slowed = login(client, "editor", "wrong", ip="192.0.2.1")
        assert slowed.status_code == 429
        assert slowed["Retry-After"] == "10"
        assert "Try again in 10 seconds" in slowed.content.decode()
        # ...the owner, from their own network, gets in at the first try, with the right password...
        assert login(client, "editor", PASSWORD, ip="198.51.100.20").status_code == 302
        client.logout()
        # ...and a network that was slowed may try again a few seconds later.
        traveller.shift(timedelta(seconds=11))
        assert login(client, "editor", "wrong", ip="192.0.2.1").status_code == 200
        # Other usernames are not slowed.
        UserFactory(username="moderator", is_staff=True)
        assert login(client, "moderator", PASSWORD, ip="192.0.2.1").status_code == 302
