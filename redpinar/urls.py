"""Absolute addresses of the portal, built from the configured public URL, never from the request.

A kept page, a sitemap or an email is seen by many people: the Host header of whoever asked
first must not decide where their links lead.
"""
from urllib.parse import quote, urlsplit

from flask import current_app

from .addresses import has_own_address, language_prefix, page_language


def public_base():
    """The configured public URL (REDPINAR_PUBLIC_URL), without a trailing slash."""
    return current_app.config["PUBLIC_URL"]


def public_host():
    """host[:port] of the public URL, for identifiers such as calendar UIDs."""
    return urlsplit(public_base()).netloc


def absolute(path):
    """The public address of a path of the portal ('/noticias/' -> 'https://…/noticias/')."""
    return public_base() + "/" + path.lstrip("/")


def public_url(endpoint, _language=None, **values):
    """The public address of an endpoint, like url_for(..., _external=True) but from the configured URL.

    In the page's language (or force_locale's) unless `_language` names one: `/en/…` for English.
    Works in a request, in a command or in a thread without one.
    """
    parts = urlsplit(public_base())
    prefix = language_prefix(_language or page_language()) if has_own_address(endpoint) else ""
    adapter = current_app.url_map.bind(parts.netloc, script_name=(parts.path.rstrip("/") + prefix) or "/",
                                       url_scheme=parts.scheme)
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    address = adapter.build(endpoint, values, force_external=True)
    return f"{address}#{quote(anchor)}" if anchor else address

