"""The legal clock of a submission (defaults: Ley 167/2023 and Decreto 112/2024; set in site.json)."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..store.submissions import forwarding_dates

DEFAULT_LIMITS = {"answer_days": 30, "extension_days": 30, "extension_notice_days": 7, "forward_days": 5}
OPEN_STATUSES = ("received", "forwarded", "in_progress", "extended")
# The forwarding deadline, when it was missed: still not forwarded, or forwarded after it.
FORWARDING_FLAGS = {"overdue": _l("sin enviar a la entidad competente, fuera de plazo"),
                    "late": _l("enviado a la entidad competente fuera de plazo")}


def province_today(site):
    """Today in the province: the day its deadlines are counted in, wherever the server runs."""
    return datetime.now(ZoneInfo(site.get("timezone") or "America/Havana")).date()


def limits_of(site):
    """The province's time limits, defaults filled in."""
    return dict(DEFAULT_LIMITS, **(site.get("legal_time_limits") or {}))


def received_on(submission):
    """The day a submission was received."""
    return datetime.fromisoformat(submission["created"]).date()


def first_due_date(received, site):
    """When an answer is due: calendar days after receipt."""
    return received + timedelta(days=limits_of(site)["answer_days"])


def forward_by(received, site):
    """By when a submission must reach the competent entity: calendar days after receipt, like the answer."""
    return received + timedelta(days=limits_of(site)["forward_days"])


def forwarding_state(case, today):
    """How the forwarding deadline stands for a case with `status`, `forward_by` and `forwarded_on`.

    'on_time' or 'late' once forwarded; while open and not forwarded, 'pending' or 'overdue' (past the
    last day); None when it was settled without forwarding (answered, closed, withdrawn).
    """
    forward_by, forwarded_on = case.get("forward_by") or "", case.get("forwarded_on") or ""
    if forwarded_on:
        return "late" if forward_by and forwarded_on > forward_by else "on_time"
    if case.get("status") not in OPEN_STATUSES or not forward_by:
        return None
    return "overdue" if forward_by < today.isoformat() else "pending"


def forwarding_of(submission, today):
    """A stored submission's forwarding deadline: forward_by, forwarded_on and its state."""
    dates = forwarding_dates(submission)
    return dict(dates, state=forwarding_state(dict(submission, **dates), today))


def can_extend(submission, site, today=None):
    """One extension only, asked at least the notice period before the due date."""
    today = today or date.today()
    if submission.get("extension") or submission.get("status") not in OPEN_STATUSES:
        return False
    due = date.fromisoformat(submission["due"])
    return (due - today).days >= limits_of(site)["extension_notice_days"]


def last_day_to_extend(submission, site):
    """The last day an extension may be asked: the notice period before the due date."""
    return date.fromisoformat(submission["due"]) - timedelta(days=limits_of(site)["extension_notice_days"])


def extended_due_date(submission, days, site):
    """The new due date after an extension of `days` (at most the legal maximum)."""
    days = min(int(days), limits_of(site)["extension_days"])
    return date.fromisoformat(submission["due"]) + timedelta(days=days)


def days_left(submission, today=None):
    """Days until the answer is due (negative: overdue); None once answered or closed."""
    if submission.get("status") not in OPEN_STATUSES:
        return None
    today = today or date.today()
    return (date.fromisoformat(submission["due"]) - today).days


def is_overdue(submission, today=None):
    """True when an open submission is past its due date."""
    left = days_left(submission, today)
    return left is not None and left < 0


def answered_on_time(submission):
    """True/False for an answered submission, None when there is no answer yet."""
    answered = submission.get("answered")
    if not answered:
        return None
    return answered[:10] <= submission["due"]
