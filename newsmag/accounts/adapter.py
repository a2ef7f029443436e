from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class ReaderAccountAdapter(DefaultAccountAdapter):
    """allauth's adapter with the publication's name in every email (not the host name)."""

    def send_mail(self, template_prefix, email, context):
        context = {**context, "site_name": settings.NEWSMAG_SITE_NAME}
        return super().send_mail(template_prefix, email, context)
