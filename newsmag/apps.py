from django.apps import AppConfig


class NewsmagConfig(AppConfig):
    """The project package as an app: its management commands, the login-failure counter, reader accounts."""

    name = "newsmag"
    verbose_name = "Newsmag"

    def ready(self):
        from newsmag import logins  # noqa: F401 (connects the login-failure receiver)
        from newsmag.accounts import middleware  # noqa: F401 (connects the reader-cookie receivers)
