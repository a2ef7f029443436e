"""Signing in by email for readers, kept apart from the newsroom's sign-in by username."""

from allauth.account.auth_backends import AuthenticationBackend


class EmailLoginBackend(AuthenticationBackend):
    """allauth's backend for its own sign-in form only (credentials with an `email`).

    The admin's login sends a `username`: it stays with Django's ModelBackend behind the throttling
    backends (newsmag.logins), exactly as before readers had accounts.
    """

    def authenticate(self, request, **credentials):
        if "email" not in credentials:
            return None
        return super().authenticate(request, **credentials)


def login_name(request, credentials):
    """AXES_USERNAME_CALLABLE: the name a sign-in attempt is for, a username (admin) or an email (readers),
    so django-axes pauses (name, network) pairs for both forms alike."""
    source = credentials or getattr(request, "POST", None) or {}
    return source.get("username") or source.get("email") or source.get("login")
