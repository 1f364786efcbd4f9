"""Settings: defaults, then REDPINAR_* environment variables, then the mapping given to create_app."""
import os
import zoneinfo
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEGABYTE = 1024 * 1024


def _flag(value):
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _on_unless_off(value):
    return str(value).strip().lower() not in ("0", "false", "no", "off")


def _list(value):
    return tuple(part.strip() for part in str(value).split(",") if part.strip())


def _megabytes(value):
    return int(float(value) * MEGABYTE)


def public_address(value):
    """The portal's public address, checked and without a trailing slash (ValueError when unusable)."""
    parts = urlsplit(str(value).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or parts.username or parts.password:
        raise ValueError("give the address visitors type, such as https://portal.pinar.gob.cu")
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def derived_public_address(settings):
    """http(s)://HOST:PORT, for an install that has not said where visitors reach it."""
    scheme = "https" if settings["HTTPS"] else "http"
    host = settings["HOST"] or "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    port = int(settings["PORT"])
    default_port = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + ("" if port == default_port else f":{port}")


# Environment variable (without REDPINAR_) -> (config key, converter)
ENVIRONMENT = {
    "DATA_DIR": ("DATA_DIR", str),
    "HOST": ("HOST", str),
    "PORT": ("PORT", int),
    "SECRET_KEY": ("SECRET_KEY", str),
    "HTTPS": ("HTTPS", _flag),
    "TRUSTED_PROXIES": ("TRUSTED_PROXIES", _list),
    "RATE_LIMITS": ("RATE_LIMITS", _on_unless_off),
    "FORM_MIN_SECONDS": ("FORM_MIN_SECONDS", float),
    "PUBLIC_URL": ("PUBLIC_URL", public_address),
    "MAX_REQUEST_MB": ("MAX_CONTENT_LENGTH", _megabytes),
    "RESTORE_MAX_FILE_MB": ("RESTORE_MAX_FILE_BYTES", _megabytes),
    "RESTORE_MAX_TOTAL_MB": ("RESTORE_MAX_TOTAL_BYTES", _megabytes),
    "THREADS": ("THREADS", int),
    "CONNECTION_LIMIT": ("CONNECTION_LIMIT", int),
    "CHANNEL_TIMEOUT": ("CHANNEL_TIMEOUT", int),
    "PAGE_CACHE_MB": ("PAGE_CACHE_BYTES", _megabytes),
    "SMTP_HOST": ("SMTP_HOST", str),
    "SMTP_PORT": ("SMTP_PORT", int),
    "SMTP_USER": ("SMTP_USER", str),
    "SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "SMTP_FROM": ("SMTP_FROM", str),
    "REQUEST_FILES_TOTAL_MB": ("REQUEST_FILES_TOTAL_BYTES", _megabytes),
    "REQUEST_FILES_HOLD_SECONDS": ("REQUEST_FILES_HOLD_SECONDS", int),
}


def defaults():
    """The settings a fresh install runs with."""
    return {
        "DATA_DIR": os.path.join(PROJECT_ROOT, "data"),
        "DEMO_DIR": os.path.join(PROJECT_ROOT, "data", "demo"),
        "HOST": "127.0.0.1",
        "PORT": 8080,
        "THREADS": 4,
        # Absolute links (sitemap, feeds, calendars, emails) start with it; never with the request's Host.
        "PUBLIC_URL": None,
        # Open connections waitress holds at once (slow clients included), and the seconds a
        # connection may stay silent before it is closed.
        "CONNECTION_LIMIT": 500,
        "CHANNEL_TIMEOUT": 30,
        "SECRET_KEY": None,
        "HTTPS": False,
        "TRUSTED_PROXIES": (),
        "RATE_LIMITS": True,
        "FORM_MIN_SECONDS": 3.0,
        # Forms carry text; uploads of the webmaster's PDFs and photos are the largest bodies.
        "MAX_CONTENT_LENGTH": 8 * MEGABYTE,
        "MAX_FORM_MEMORY_SIZE": 512 * 1024,
        "MAX_FORM_PARTS": 200,
        # A restore refuses an archive beyond these before writing anything: a small .tar.gz can
        # expand to gigabytes. One file: well above the largest upload and any JSON file of the store.
        "RESTORE_MAX_FILE_BYTES": 64 * MEGABYTE,
        "RESTORE_MAX_TOTAL_BYTES": 2048 * MEGABYTE,
        # Rendered public pages kept in memory; their gzip copies get a quarter of this besides.
        "PAGE_CACHE_BYTES": 64 * MEGABYTE,
        "SMTP_HOST": None,
        "SMTP_PORT": 25,
        "SMTP_USER": None,
        "SMTP_PASSWORD": None,
        "SMTP_FROM": None,
        # Online requests: all the files of one request together; how long files sent with a form
        # that still had mistakes (or with a check page left open) are kept before they are swept.
        "REQUEST_FILES_TOTAL_BYTES": 20 * MEGABYTE,
        "REQUEST_FILES_HOLD_SECONDS": 3600,
        "BABEL_DEFAULT_LOCALE": "es",
        "BABEL_DEFAULT_TIMEZONE": "America/Havana",
        "SESSION_COOKIE_HTTPONLY": True,
        # The session's cookie is sent only when the session changes, never on public pages.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        # Every form message is the portal's own, translated with the rest; WTForms' catalogue is not needed.
        "WTF_I18N_ENABLED": False,
        "JSON_SORT_KEYS": False,
    }


def use_pinned_time_zones():
    """Read time zones from the pinned tzdata package, not the system's copy.

    Cuba's rules change from time to time; the same data everywhere means the hour typed in
    the editor is the hour every page, calendar file and date filter shows.
    """
    if zoneinfo.TZPATH:
        zoneinfo.reset_tzpath(to=())
        zoneinfo.ZoneInfo.clear_cache()


def load(overrides=None, environ=None):
    """Build the settings: defaults < environment < overrides."""
    settings = defaults()
    environ = os.environ if environ is None else environ
    for name, (key, convert) in ENVIRONMENT.items():
        raw = environ.get("REDPINAR_" + name)
        if raw not in (None, ""):
            try:
                settings[key] = convert(raw)
            except ValueError as error:
                raise SystemExit(f"REDPINAR_{name}={raw!r} is not valid: {error}") from error
    settings.update(overrides or {})
    settings["DATA_DIR"] = os.path.abspath(settings["DATA_DIR"])
    settings["PUBLIC_URL_DERIVED"] = not settings.get("PUBLIC_URL")
    try:
        settings["PUBLIC_URL"] = public_address(settings["PUBLIC_URL"] or derived_public_address(settings))
    except ValueError as error:
        raise SystemExit(f"REDPINAR_PUBLIC_URL={settings['PUBLIC_URL']!r} is not valid: {error}") from error
    settings["SESSION_COOKIE_SECURE"] = bool(settings["HTTPS"])
    settings["PREFERRED_URL_SCHEME"] = "https" if settings["HTTPS"] else "http"
    return settings
