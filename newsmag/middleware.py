from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide CSP, relaxed for styles in the admin only.

    Django's admin still writes a few `style=""` attributes (widgets, the calendar). The public site has
    no such exception: no inline scripts and no inline styles.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(reverse("admin:index")):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
