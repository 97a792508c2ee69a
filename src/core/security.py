"""Security headers every response carries: a Content-Security-Policy with a per-request nonce, and a
Permissions-Policy. (Django's SecurityMiddleware sets HSTS, nosniff, the referrer and opener policies.)

Scripts may only come from our own origin, or be inline with the request's nonce (`request.csp_nonce`, which
django-dsfr's `dsfr_js` tag and our templates put on their `<script>` tags); inline event handlers
(`onchange="…"`) are refused. Styles allow 'unsafe-inline' because the DSFR header and footer templates and
htmx's indicator styles use style attributes, which a nonce cannot cover.
"""

import secrets

from django.conf import settings

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


def content_security_policy(nonce: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    if getattr(settings, "PROCONNECT_ENABLED", False):
        # The logout form redirects to ProConnect's end_session_endpoint, which form-action also governs.
        from accounts.proconnect import provider_origin

        directives["form-action"] += f" {provider_origin()}"
    if getattr(settings, "CSP_REPORT_URI", ""):
        directives["report-uri"] = settings.CSP_REPORT_URI
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        response.headers.setdefault(header, content_security_policy(request.csp_nonce))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
