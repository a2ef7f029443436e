import base64
import hashlib
import re

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse

IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide CSP, with two admin-only allowances.

    Django's admin still writes a few `style=""` attributes (widgets, the calendar), and the article body
    editor needs an import map, an inline `<script type="importmap">`: it is allowed by its exact hash,
    never by 'unsafe-inline'. The public site has neither exception.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or not request.path_info.startswith(reverse("admin:index")):
            return parts
        update = {"style-src": [UNSAFE_INLINE]}
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            hashes = [
                f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
                for body in IMPORTMAP.findall(response.content)
            ]
            if hashes:
                update["script-src"] = hashes
        parts.update = {**(parts.update or {}), **update}
        return parts


class PermissionsPolicyMiddleware:
    """Sends `Permissions-Policy` (neither Django nor django-csp does): the site needs no camera,
    microphone, location, payment or other powerful feature, so no page (or anything injected into one)
    may ask for them. The policy is NEWSMAG_PERMISSIONS_POLICY: {feature: [allowed origins]}, [] = none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.NEWSMAG_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
