"""A document's history: every earlier version, who wrote it and when, what changed field by field."""
import difflib
from datetime import date, datetime

from babel import dates
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..security import client_address
from ..store import NotFound, audit
from ..store.editing import restore_revision, revisions
from ..store.users import get_user
from ..templating import province_zone
from . import bp
from .content import _collection_or_404, _document_or_404, title_of
from .forms import EmptyForm
from .schemas import COLLECTION_NAMES, SCHEMAS, to_values

ROLE_NAMES = {"webmaster": _l("webmaster")}
CONTEXT_LINES = 2


def _as_text(value):
    """A field's value as the webmaster reads it: line breaks as lines, dates and yes/no in words."""
    locale = get_locale()
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Sí") if value else gettext("No")
    if isinstance(value, datetime):
        return dates.format_datetime(value, "medium", locale=locale)
    if isinstance(value, date):
        return dates.format_date(value, "long", locale=locale)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def field_texts(collection, document):
    """(label, text) of every field of a document, as the editor shows them."""
    values = to_values(collection, document, g.site.get("timezone", "America/Havana"))
    labelled = []
    for name, kind, label, _required in SCHEMAS[collection]:
        if kind == "localized":
            labelled.append((_l("%(label)s (en español)", label=label), values[name + "_es"]))
            labelled.append((_l("%(label)s (en inglés)", label=label), values[name + "_en"]))
        else:
            labelled.append((label, values[name]))
    labelled += [(_l("Dirección (slug)"), values["slug"]), (_l("Borrador: guardarlo sin publicarlo"), values["draft"]),
                 (_l("Publicar a partir de (opcional)"), values["publish_at"]),
                 (_l("En la papelera"), bool(document.get("deleted")))]
    return [(label, _as_text(value)) for label, value in labelled]


def field_changes(collection, older, newer):
    """(label, lines) of each field that differs; each line is (mark, text), mark '-', '+', ' ' or '…'."""
    changes = []
    for (label, before), (_same_label, after) in zip(field_texts(collection, older), field_texts(collection, newer)):
        if before == after:
            continue
        lines = []
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=CONTEXT_LINES):
            if line.startswith(("---", "+++")):
                continue
            lines.append(("…", "") if line.startswith("@@") else (line[:1], line[1:]))
        if lines and lines[0][0] == "…":
            lines = lines[1:]  # the first hunk needs no separator
        changes.append((label, lines))
    return changes


def written_at(moment):
    """'20 de noviembre de 2026 a las 10:00 (hora de Cuba)': when a version was written, in words."""
    if not moment:
        return ""
    moment = datetime.fromisoformat(moment)
    zone, locale = province_zone(), get_locale()
    return gettext("%(date)s a las %(time)s (%(zone)s)",
                   date=dates.format_date(moment.astimezone(zone).date(), "long", locale=locale),
                   time=dates.format_time(moment, "short", tzinfo=zone, locale=locale),
                   zone=dates.get_timezone_name(zone, locale=locale))


def written_by(account_name):
    """'ana (webmaster)': the account that wrote a version, with its role; '' when nobody is recorded."""
    if not account_name:
        return ""
    account = get_user(account_name)
    role = ROLE_NAMES.get((account or {}).get("role"))
    return f"{account_name} ({role})" if role else account_name


@bp.route("/contenido/<collection>/<document_id>/historial")
@login_required
def content_history(collection, document_id):
    """The current version and every earlier one, each with when and by whom, and what the next one changed."""
    _collection_or_404(collection)
    current = _document_or_404(collection, document_id)
    earlier = revisions(collection, document_id)
    # A revision's "by" is whoever replaced it, so it names the author of the next version when the
    # version itself does not say (documents saved before versions recorded their author).
    authors = [current.get("edited_by") or (earlier[0]["by"] if earlier else "")]
    authors += [revision["snapshot"].get("edited_by") or (earlier[index + 1]["by"] if index + 1 < len(earlier) else "")
                for index, revision in enumerate(earlier)]
    history, newer = [], current
    for index, revision in enumerate(earlier):
        snapshot = revision["snapshot"]
        history.append({"revision": revision, "number": snapshot.get("version", len(earlier) - index),
                        "written": written_at(snapshot.get("updated")), "by": written_by(authors[index + 1]),
                        "next_number": newer.get("version", len(earlier) - index + 1),
                        "changes": field_changes(collection, snapshot, newer)})
        newer = snapshot
    return render_template("admin/content_history.html", collection=collection, current=current, history=history,
                           current_written=written_at(current.get("updated")), current_by=written_by(authors[0]),
                           empty=EmptyForm(), title_of=title_of, name=COLLECTION_NAMES[collection])


@bp.route("/contenido/<collection>/<document_id>/historial/<revision_id>", methods=["POST"])
@login_required
def content_restore(collection, document_id, revision_id):
    """Bring an earlier version back."""
    _collection_or_404(collection)
    document = _document_or_404(collection, document_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        restore_revision(collection, document_id, revision_id, current_user.username)
    except NotFound:
        abort(404)
    audit.record(current_user.username, "content-restore", target=f"{collection}/{document_id}",
                 detail=revision_id, title=title_of(document), address=client_address())
    flash(_l("Versión recuperada."), "ok")
    return redirect(url_for("admin.content_edit", collection=collection, document_id=document_id), 303)
