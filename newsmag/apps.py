from django.apps import AppConfig


class NewsmagConfig(AppConfig):
    """The project package as an app: its management commands, and the login-failure counter."""

    name = "newsmag"
    verbose_name = "Newsmag"

    def ready(self):
        from newsmag import logins  # noqa: F401 (connects the login-failure receiver)
