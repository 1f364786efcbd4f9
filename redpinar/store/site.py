"""The province: data/site.json, its theme folder and the secret key."""
import copy
import os
import re
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l

from .. import theme
from ..problems import Problem
from . import db
from .errors import StoreCorrupt
from .paths import data_path, safe_file_name
from .storage import atomic_write_bytes

SITE_SCHEMA = 1
SUPPORTED_LANGUAGES = ("es", "en")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TIME_LIMITS = ("answer_days", "extension_days", "extension_notice_days", "forward_days")

# Used until a province is loaded, so a new install can still show a page and run its CLI.
DEFAULT_SITE = {
    "schema": SITE_SCHEMA,
    "slug": "redpinar",
    "name": {"es": "Portal provincial", "en": "Provincial portal"},
    "short_name": "RedPinar",
    "tagline": {"es": "Información, trámites y participación", "en": "Information, procedures and participation"},
    "colours": {
        "text": "#1d1d1b", "muted_text": "#4d4d4a", "background": "#ffffff", "surface": "#f2f4f3",
        "link": "#0a4f8c", "primary": "#0b5a3a", "on_primary": "#ffffff", "header": "#0b5a3a",
        "on_header": "#ffffff", "footer": "#232a26", "on_footer": "#ffffff", "accent": "#f4c430",
    },
    "logo": None,
    "municipalities": [],
    "contact": {"address": "", "phone": "", "email": "", "hours": {"es": "", "en": ""}},
    "languages": ["es", "en"],
    "default_language": "es",
    "timezone": "America/Havana",
    "legal_time_limits": {"answer_days": 30, "extension_days": 30, "extension_notice_days": 7, "forward_days": 5},
    "retention_days": 1825,
}


def site_path():
    """data/site.json."""
    return data_path("site.json")


def site_exists():
    """True once a province has been loaded into the data folder."""
    return os.path.exists(site_path())


def load_site():
    """The province settings, read from disk only when site.json changed."""
    site = db.read_json_file(site_path())
    if site is None:
        return DEFAULT_SITE
    return site


def save_site(site):
    """Replace site.json atomically."""
    db.write_json_file(site_path(), site)


def site_problems(site):
    """Messages naming what is wrong in a site.json (empty when it is valid)."""
    problems = []
    if not isinstance(site, dict):
        return ["site.json must hold a JSON object"]

    def need(key, kind, label):
        value = site.get(key)
        if not isinstance(value, kind):
            problems.append(f"'{key}' must be {label}")
            return None
        return value

    need("schema", int, "a whole number")
    if isinstance(site.get("schema"), int) and site["schema"] > SITE_SCHEMA:
        problems.append(f"'schema' {site['schema']} is newer than this code understands ({SITE_SCHEMA})")
    slug = need("slug", str, "a slug such as 'pinar-del-rio'")
    if slug is not None and not SLUG.match(slug):
        problems.append(f"'slug' {slug!r} may hold only lower-case letters, digits and hyphens")
    need("short_name", str, "text")
    languages = need("languages", list, "a list such as [\"es\", \"en\"]") or []
    for language in languages:
        if language not in SUPPORTED_LANGUAGES:
            problems.append(f"language {language!r} is not supported (use {', '.join(SUPPORTED_LANGUAGES)})")
    if site.get("default_language") not in languages:
        problems.append("'default_language' must be one of 'languages'")
    for key in ("name", "tagline"):
        value = need(key, dict, "an object with one text per language")
        for language in languages if value is not None else ():
            if not isinstance(value.get(language), str) or not value.get(language).strip():
                problems.append(f"'{key}' has no text for language {language!r}")
    try:
        ZoneInfo(str(site.get("timezone", "America/Havana")))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"'timezone' {site.get('timezone')!r} is not a time zone name such as 'America/Havana'")
    colours = need("colours", dict, "an object of #rrggbb colours")
    if colours is not None:
        problems.extend(theme.colour_problems(colours))
    logo = site.get("logo")
    if logo is not None:
        try:
            safe_file_name(logo)
        except Exception:
            problems.append(f"'logo' {logo!r} must be a file name in theme/static/")
        else:
            if not os.path.isfile(data_path("theme", "static", logo)):
                problems.append(f"'logo' {logo!r} is not in theme/static/ of the data folder")
    municipalities = need("municipalities", list, "a list of {\"slug\", \"name\"}") or []
    seen = set()
    for position, municipality in enumerate(municipalities, start=1):
        if not isinstance(municipality, dict) or not SLUG.match(str(municipality.get("slug", ""))) \
                or not str(municipality.get("name", "")).strip():
            problems.append(Problem(f"municipality {position} needs a 'slug' and a 'name'", _l(
                "El municipio %(position)s necesita un slug (minúsculas, cifras y guiones) y un nombre."),
                position=position))
            continue
        if municipality["slug"] in seen:
            problems.append(Problem(f"municipality slug {municipality['slug']!r} appears twice",
                                    _l("El municipio «%(slug)s» aparece dos veces."), slug=municipality["slug"]))
        seen.add(municipality["slug"])
    need("contact", dict, "an object with address, phone, email and hours")
    limits = need("legal_time_limits", dict, "an object of day counts") or {}
    for key in TIME_LIMITS if limits else ():
        if not isinstance(limits.get(key), int) or limits.get(key) < 1:
            problems.append(f"'legal_time_limits.{key}' must be a whole number of days, 1 or more")
    notices = site.get("notifications")
    if notices is not None and (not isinstance(notices, dict) or not isinstance(notices.get("enabled", False), bool)
                                or not isinstance(notices.get("email", ""), str)):
        problems.append("'notifications' must be {\"enabled\": true or false, \"email\": an address}")
    elif notices and notices.get("enabled") and "@" not in notices.get("email", ""):
        problems.append("'notifications.email' must be an address when 'notifications.enabled' is true")
    retention = site.get("retention_days")
    if not isinstance(retention, int) or retention < 1:
        problems.append("'retention_days' must be a whole number of days, 1 or more")
    return problems


def localized(value, language, fallback="es"):
    """The text of a {language: text} value in a language (or the fallback)."""
    if isinstance(value, dict):
        return value.get(language) or value.get(fallback) or next(iter(value.values()), "")
    return value or ""


def site_with_defaults(site):
    """A copy of the site where anything missing is taken from the defaults."""
    merged = copy.deepcopy(DEFAULT_SITE)
    for key, value in site.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key].update(value)
        else:
            merged[key] = value
    return merged


def theme_templates_folder():
    """data/theme/templates: a province's own versions of any template."""
    return data_path("theme", "templates")


def theme_static_folder():
    """data/theme/static: a province's logo and other files."""
    return data_path("theme", "static")


def theme_static_file(name):
    """Path of a file in the theme's static folder, the name checked."""
    parts = [safe_file_name(part) for part in name.split("/")]
    return os.path.join(theme_static_folder(), *parts)


def _read_secret_key(path):
    try:
        with open(path, "r", encoding="ascii") as handle:
            return handle.read().strip()
    except FileNotFoundError:
        return ""


def secret_key():
    """The key that signs sessions: data/secret_key, created (mode 0600) on first use.

    Every server process on the data folder must sign with the same key (a form fetched from
    one is posted to another), so when several start at once on a new folder the first key
    written is the one all of them take.
    """
    path = data_path("secret_key")
    key = _read_secret_key(path)
    if len(key) >= 32:
        return key
    new_key = secrets.token_hex(32)
    if not key:
        # Written whole beside the key's place, then linked there only if nothing is there yet.
        draft = data_path(".secret_key-" + secrets.token_hex(8) + ".tmp")
        atomic_write_bytes(draft, new_key.encode("ascii"))
        os.chmod(draft, 0o600)
        try:
            os.link(draft, path)
            return new_key
        except FileExistsError:
            key = _read_secret_key(path)
            if len(key) >= 32:
                return key
        except OSError:
            pass  # a file system without hard links: the plain replace below
        finally:
            os.unlink(draft)
    # A damaged key (cut short): replaced, which ends the sessions it signed anyway.
    atomic_write_bytes(path, new_key.encode("ascii"))
    os.chmod(path, 0o600)
    return new_key


def require_valid(site):
    """Raise StoreCorrupt naming the problems of an invalid site.json."""
    problems = site_problems(site)
    if problems:
        raise StoreCorrupt(site_path(), "; ".join(problems))
