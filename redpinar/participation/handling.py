"""What the webmaster does with a submission; each change is written into its history."""
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from ..store.db import utc_now
from ..store.privacy import PERSONAL_FIELDS
from ..store.submissions import forwarding_dates
from ..text import render_markdown
from .deadlines import OPEN_STATUSES, can_extend, extended_due_date, last_day_to_extend, limits_of


class NotAllowed(ValueError):
    """The change breaks a rule (an extension too late, a second extension…)."""


def _log(document, status, by, note=""):
    document.setdefault("history", []).append({"status": status, "at": utc_now(), "note": note, "by": by})


def forward(document, entity_slug, entity_name, by, today=None):
    """Send the submission to the competent entity; the first time is what the forwarding deadline measures."""
    if not forwarding_dates(document)["forwarded_on"]:
        document["forwarded_on"] = (today or date.today()).isoformat()
    document["forwarded_to"] = entity_slug
    document["status"] = "forwarded"
    _log(document, "forwarded", by, entity_name)


def set_status(document, status, by):
    """Move the submission to a plain status (in progress, closed)."""
    if status not in ("in_progress", "closed"):
        raise NotAllowed(status)
    document["status"] = status
    _log(document, status, by)


def extend(document, days, reason, site, by, today=None):
    """One extension with its reason, only while at least the notice period remains."""
    if not reason.strip():
        raise NotAllowed(_l("la prórroga necesita un motivo"))
    if not can_extend(document, site, today or date.today()):
        raise NotAllowed(extension_refusal(document, site))
    new_due = extended_due_date(document, days, site)
    document["extension"] = {"reason": reason.strip(), "from": document["due"], "to": new_due.isoformat(), "by": by}
    document["due"] = new_due.isoformat()
    document["status"] = "extended"
    _log(document, "extended", by, reason.strip())


def extension_refusal(document, site):
    """Why this case cannot be extended, in the page's language, with the last day it was allowed."""
    if document.get("extension"):
        return _l("el plazo ya se prorrogó una vez y solo se permite una prórroga")
    if document.get("status") not in OPEN_STATUSES:
        return _l("el mensaje ya no está abierto")
    return _l("la prórroga se pide al menos %(days)d días antes del vencimiento; el último día para pedirla "
              "fue el %(date)s", days=limits_of(site)["extension_notice_days"],
              date=format_date(last_day_to_extend(document, site), "long"))


def answer(document, markdown_text, by):
    """The government's answer, sanitised on write."""
    document["answer"] = markdown_text
    document["answer_html"] = render_markdown(markdown_text)
    document["answered"] = utc_now()
    document["status"] = "answered"
    _log(document, "answered", by)


def add_note(document, text, by):
    """An internal note, never shown to the citizen."""
    document.setdefault("notes", []).append({"at": utc_now(), "by": by, "text": text})


def mark_spam(document, by):
    """Not a real message: left out of the figures."""
    document["status"] = "spam"
    _log(document, "spam", by)


def merge_into(document, other_code, by):
    """A duplicate of another submission: its citizen keeps their own code and reads the answer given to
    the other one, which stays internal (the history shown to the citizen never names it)."""
    document["status"] = "merged"
    document["merged_into"] = other_code
    _log(document, "merged", by)


def publish_faq(document, question, answer_text, by):
    """Publish question and answer without personal data (only with the citizen's consent)."""
    if not document.get("publish_consent"):
        raise NotAllowed("the citizen did not consent to publication")
    document["faq"] = {"question": question.strip(), "answer": answer_text,
                       "answer_html": render_markdown(answer_text), "published": utc_now(), "by": by}


def withdraw_faq(document, by):
    """Take a published question off the public pages."""
    if not document.pop("faq", None):
        raise NotAllowed(_l("no hay ninguna pregunta publicada"))
    document["faq_withdrawn"] = {"at": utc_now(), "by": by}


def withdraw_by_citizen(document):
    """The citizen erases their data: personal fields emptied, the published question removed, and an open
    case closed as withdrawn, so its clock stops (never overdue, never late in the figures)."""
    for field in PERSONAL_FIELDS:
        document[field] = ""
    document["replies"] = []
    document.pop("faq", None)
    document["erased"] = utc_now()
    if document.get("status") in OPEN_STATUSES:
        document["status"] = "withdrawn"
        _log(document, "withdrawn", "")
    _log(document, "erased", "")
