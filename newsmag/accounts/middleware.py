"""The reader cookie: tells the page cache that a session belongs to a reader, not to staff."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from articles.caching import READER_COOKIE


@receiver(user_logged_in, dispatch_uid="newsmag-reader-cookie-in")
def _signed_in(sender, request, user, **kwargs):
    if request is not None:
        request.reader_cookie = not (user.is_staff or user.is_superuser)


@receiver(user_logged_out, dispatch_uid="newsmag-reader-cookie-out")
def _signed_out(sender, request, **kwargs):
    if request is not None:
        request.reader_cookie = False


class ReaderCookieMiddleware:
    """Sets READER_COOKIE when a reader signs in and removes it when anyone signs in as staff or signs out.

    With it, the page cache serves the reader the public copy of every page (articles.caching); the header
    and the comment form learn who is signed in from small uncached requests (static/js/account.js,
    comments.views.form_token). The cookie holds no secret and is readable by scripts: account.js asks
    /accounts/me/ only when it is there, so readers who never signed in cost no extra request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        verdict = getattr(request, "reader_cookie", None)
        if verdict is True:
            remember = not request.session.get_expire_at_browser_close()
            response.set_cookie(
                READER_COOKIE, "1", max_age=settings.SESSION_COOKIE_AGE if remember else None,
                secure=settings.SESSION_COOKIE_SECURE, httponly=False, samesite="Lax",
            )  # fmt: skip
        elif verdict is False:
            response.delete_cookie(READER_COOKIE, samesite="Lax")
        return response
