"""The figures of online requests and of channels, for /transparencia/ and /datos/ (no group under 5 apart)."""
from collections import Counter

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..store import catalogue
from ..store.figures import median_from_counts
from ..store.request_figures import message_channels, request_figures
from ..store.requests import CHANNELS
from ..store.site import localized

SMALLEST_GROUP = 5
OTHERS = "(otros)"
LANGUAGES = ("es", "en")
# The open data tables this module adds, and their columns.
REQUEST_TABLES = {
    "solicitudes": ("procedure", "procedure_es", "procedure_en", "received", "resolved", "resolved_on_time",
                    "median_days"),
    "vias": ("channel", "channel_es", "channel_en", "messages", "requests"),
}
CHANNEL_LABELS = {
    "web": _l("En línea"),
    "in_person": _l("En persona"),
    "phone": _l("Por teléfono"),
    "letter": _l("Por carta"),
}


def _procedure_label(slug, language):
    with force_locale(language):
        if slug == OTHERS:
            return str(_l("Otros (trámites con menos de 5 solicitudes)"))
        procedure = catalogue.optional("procedures", slug)
        return localized(procedure.get("title"), language) if procedure else slug


def _channel_label(channel, language):
    with force_locale(language):
        return str(CHANNEL_LABELS.get(channel, channel))


def procedure_rows():
    """[(slug, received, resolved, resolved on time, median days)]: procedures with 5 requests or more, most
    received first, then one row adding up the others (their median over all their resolved requests)."""
    procedures = request_figures()["procedures"]
    rows, others = [], {"received": 0, "resolved": 0, "on_time": 0, "days": Counter()}
    for slug, summary in sorted(procedures.items(), key=lambda item: (-item[1]["received"], item[0])):
        if summary["received"] >= SMALLEST_GROUP:
            rows.append((slug, summary["received"], summary["resolved"], summary["on_time"],
                         median_from_counts(summary["days"])))
            continue
        for name in ("received", "resolved", "on_time"):
            others[name] += summary[name]
        others["days"].update(summary["days"])
    if others["received"]:
        rows.append((OTHERS, others["received"], others["resolved"], others["on_time"],
                     median_from_counts(others["days"])))
    return rows


def small(count):
    """A count of 1 to 4 is not shown (None): too few to publish without someone being recognised."""
    return None if 0 < count < SMALLEST_GROUP else count


def channel_rows():
    """[(channel, messages, requests)] for every channel; counts of 1 to 4 are None ("fewer than 5")."""
    messages, requests = message_channels(), request_figures()["channels"]
    return [(channel, small(messages.get(channel, 0)), small(requests.get(channel, 0))) for channel in CHANNELS]


def figures_for_page(language):
    """The two tables as the page shows them, labels in the visitor's language."""
    return {
        "procedures": [(_procedure_label(slug, language), *counts) for slug, *counts in procedure_rows()],
        "channels": [(_channel_label(channel, language), messages, requests)
                     for channel, messages, requests in channel_rows()],
    }


def request_table(name):
    """(columns, rows) of one of the open data tables of requests and channels, labels in both languages."""
    if name == "solicitudes":
        rows = [(slug, *(_procedure_label(slug, language) for language in LANGUAGES), *counts)
                for slug, *counts in procedure_rows()]
    else:
        rows = [(channel, *(_channel_label(channel, language) for language in LANGUAGES), messages, requests)
                for channel, messages, requests in channel_rows()]
    return REQUEST_TABLES[name], rows
