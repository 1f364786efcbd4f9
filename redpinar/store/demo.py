"""Loading a shipped example province into an empty data folder."""
import json
import os
import shutil
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from filelock import FileLock, Timeout
from flask import current_app

from . import content
from .errors import InvalidName, StoreBusy, StoreCorrupt, StoreWriteError
from .appointment_upkeep import load_example_appointments
from .examples import load_example_messages
from .paths import data_path
from .request_forms import load_example_forms
from .site import SLUG, save_site, site_exists, site_problems


def demo_provinces():
    """Slugs of the example provinces shipped in data/demo/."""
    root = current_app.config["DEMO_DIR"]
    return sorted(
        name for name in os.listdir(root)
        if SLUG.match(name) and os.path.isfile(os.path.join(root, name, "site.json"))
    )


def load_demo(province="pinar-del-rio"):
    """Copy an example province (site, theme, content, example messages) into the data folder; returns its site."""
    if province not in demo_provinces():
        raise InvalidName(f"no example province {province!r}; there are: {', '.join(demo_provinces())}")
    source = os.path.join(current_app.config["DEMO_DIR"], province)
    with open(os.path.join(source, "site.json"), encoding="utf-8") as handle:
        site = json.load(handle)
    theme_source = os.path.join(source, "theme")
    if os.path.isdir(theme_source):
        try:
            shutil.copytree(theme_source, data_path("theme"), dirs_exist_ok=True)
        except OSError as error:
            raise StoreWriteError(data_path("theme"), error) from error
    problems = site_problems(site)
    if problems:
        raise StoreCorrupt(os.path.join(source, "site.json"), "; ".join(problems))
    content_source = os.path.join(source, "content")
    if os.path.isdir(content_source):
        for file_name in sorted(os.listdir(content_source)):
            collection, extension = os.path.splitext(file_name)
            if extension != ".json":
                continue
            with open(os.path.join(content_source, file_name), encoding="utf-8") as handle:
                documents = json.load(handle)
            zone = ZoneInfo(site.get("timezone", "America/Havana"))
            today = datetime.now(zone).date()
            documents = [with_real_dates(document, today, zone) for document in documents]
            content.replace_collection(collection, documents)
    try:
        load_example_messages(source, site)
    except (KeyError, TypeError, ValueError) as error:
        raise StoreCorrupt(os.path.join(source, "messages.json"), f"not an example messages file: {error}") from error
    try:
        load_example_forms(os.path.join(source, "request-forms.json"))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise StoreCorrupt(os.path.join(source, "request-forms.json"), f"not an example forms file: {error}") from error
    try:
        load_example_appointments(source)
    except (KeyError, TypeError, ValueError) as error:
        raise StoreCorrupt(os.path.join(source, "appointments.json"), f"not an example appointments file: {error}") from error
    # site.json last: its presence is what marks the folder as loaded.
    save_site(site)
    return site


FIRST_START_WAIT_SECONDS = 300


def load_demo_if_empty(province="pinar-del-rio"):
    """Load the example province when no province is there yet; True when it loaded.

    Several server processes started together on a new folder would each load it (twice the
    example messages): one loads it while the others wait, then find it there.
    """
    if site_exists():
        return False
    lock_path = data_path("first-start.lock")
    try:
        os.makedirs(os.path.dirname(lock_path), exist_ok=True)
        with FileLock(lock_path, timeout=FIRST_START_WAIT_SECONDS):
            if site_exists():
                return False
            load_demo(province)
            return True
    except Timeout as error:
        raise StoreBusy(lock_path, "another process is loading the example province") from error


def _at(day, clock, zone):
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zone).isoformat()


def with_real_dates(document, today, zone):
    """Turn an example's dates written relative to today into real ones (docs/content-model.md)."""
    document = dict(document)
    if "published_days_ago" in document:
        day = today - timedelta(days=document.pop("published_days_ago"))
        document["published"] = _at(day, "10:00", zone)
    if "valid_from_days" in document:
        document["valid_from"] = (today + timedelta(days=document.pop("valid_from_days"))).isoformat()
    if "valid_until_days" in document:
        document["valid_until"] = (today + timedelta(days=document.pop("valid_until_days"))).isoformat()
    if "starts_in_days" in document:
        first_day = today + timedelta(days=document.pop("starts_in_days"))
        last_day = today + timedelta(days=document.pop("ends_in_days", (first_day - today).days))
        document["start"] = _at(first_day, document.pop("start_time", "10:00"), zone)
        document["end"] = _at(last_day, document.pop("end_time", "12:00"), zone)
    if "reviewed_days_ago" in document:
        document["reviewed"] = (today - timedelta(days=document.pop("reviewed_days_ago"))).isoformat()
    return document
