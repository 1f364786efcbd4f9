"""Security headers and safe redirects."""
import base64
import hashlib
from urllib.parse import urlsplit

from flask import current_app, g, request


def style_hash(css):
    """The CSP source that allows exactly this inline <style> content."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy():
    """No inline script or style except the theme's colour rule, no framing, forms only to us."""
    styles = ["'self'"]
    theme_css = g.get("theme_css")
    if theme_css:
        styles.append(style_hash(theme_css))
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src " + " ".join(styles),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def add_security_headers(response):
    """Strict headers on every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["HTTPS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def is_safe_redirect(target):
    """True only for a local path: no scheme, no host, no '//' or '/\\' tricks."""
    if not target or not isinstance(target, str):
        return False
    if any(ord(character) < 32 for character in target) or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


def safe_redirect_target(target, fallback="/"):
    """target when it is a safe local path, else fallback."""
    return target if is_safe_redirect(target) else fallback


def client_address():
    """The visitor's address; X-Forwarded-For is believed only from trusted proxies."""
    remote = request.remote_addr or ""
    if remote in current_app.config["TRUSTED_PROXIES"]:
        forwarded = request.headers.get("X-Forwarded-For", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return remote


def init_app(app):
    """Register the header hook."""
    app.after_request(add_security_headers)
