import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail

from newsmag.settings import email_settings


def test_email_url_gives_django_smtp_settings():
    assert email_settings("smtp://news%40example.org:p%2Fw@mail.example.org:587") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "news@example.org",
        "EMAIL_HOST_PASSWORD": "p/w",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 10,
    }
    implicit = email_settings("smtps://mail.example.org")
    assert (implicit["EMAIL_PORT"], implicit["EMAIL_USE_SSL"], implicit["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )
    assert email_settings("smtp://relay:2525?tls=1&timeout=3")["EMAIL_USE_TLS"] is True


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org:25"])
def test_an_email_url_that_is_not_smtp_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings(url)


def test_mail_goes_through_a_real_smtp_server(mailbox):
    send_mail("Subject line", "Body text", "newsroom@example.org", ["reader@example.org"])
    [message] = mailbox.wait_for(1)
    assert message["Subject"] == "Subject line"
    assert message["X-Envelope-To"] == "reader@example.org"
    assert message.get_content().strip() == "Body text"
