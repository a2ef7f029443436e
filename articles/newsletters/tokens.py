"""The signed links in newsletter emails. Nothing secret is stored: the signature (SECRET_KEY) is the proof.

A confirmation link names a subscriber and the newsletters asked for, and expires after
NEWSMAG_NEWSLETTER_CONFIRM_DAYS. An unsubscribe link names a subscriber and one newsletter and never expires
(RFC 8058: the List-Unsubscribe URL of an old issue must keep working).
"""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsmag.newsletters.confirm"
UNSUBSCRIBE_SALT = "newsmag.newsletters.unsubscribe"


def confirm_token(subscriber_id: int, newsletter_ids) -> str:
    return signing.dumps({"s": subscriber_id, "n": sorted(newsletter_ids)}, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> tuple[int, list[int]]:
    """(subscriber id, newsletter ids); raises signing.BadSignature (SignatureExpired when too old)."""
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.NEWSMAG_NEWSLETTER_CONFIRM_DAYS * 86400)
    try:
        return int(data["s"]), [int(pk) for pk in data["n"]]
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("malformed token") from error


def unsubscribe_token(subscriber_id: int, newsletter_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object([subscriber_id, newsletter_id])


def read_unsubscribe_token(token: str) -> tuple[int, int]:
    data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    try:
        subscriber_id, newsletter_id = data
        return int(subscriber_id), int(newsletter_id)
    except (TypeError, ValueError) as error:
        raise signing.BadSignature("malformed token") from error
