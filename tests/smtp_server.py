"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests that read the site's mail."""

import email
import email.policy
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd handler: every message received, parsed, with its envelope recipients."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._arrived = threading.Condition()
        # Addresses refused at RCPT TO with a permanent "550 no such mailbox" (a hard bounce at send time).
        self.rejected: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 15) -> list[email.message.EmailMessage]:
        """The messages, once at least `count` have arrived (mail sent by a worker arrives later)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} message(s), the SMTP server got {len(self.messages)}"
                    )
                self._arrived.wait(remaining)
            return list(self.messages)

    def clear(self):
        with self._arrived:
            self.messages.clear()
        self.rejected.clear()


class SMTPServer:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.inbox = Inbox()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        """EMAIL_URL for a process the test starts (a gunicorn site, a Celery worker)."""
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self._controller.start()

    def stop(self):
        self._controller.stop()


@pytest.fixture(scope="session")
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """Django sends through the loopback SMTP server; the test reads `mailbox.messages` or `wait_for(n)`."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    smtp_server.inbox.clear()
    yield smtp_server.inbox
    smtp_server.inbox.clear()
