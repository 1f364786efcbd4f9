"""Assisted entry: the office registers a message or a request for a citizen who came in person, phoned or
wrote a letter; the citizen gets the same code and PIN as online, on a printed receipt."""
from datetime import datetime

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..mail import notify_citizen
from ..participation.cases import form_fields, new_pin, new_submission
from ..participation.forms import ANSWER_CHANNELS, SUBMISSION_TYPES, UNKNOWN_ENTITY, SubmissionForm
from ..sealing import seal, unseal
from ..security import client_address
from ..services.answers import check_answers, field_id, raw_values
from ..services.handling import register_request
from ..services.journey import _seal_json, _take_uploads, held_files
from ..store import NotFound, audit, catalogue
from ..store.requests import get_request, online_form
from ..store.site import localized
from ..store.submissions import get_submission, save_submission
from ..templating import province_zone
from . import bp
from .requests_panel import CHANNEL_NAMES, procedure_title

# The ways a case reaches the office other than the web.
OFFICE_CHANNELS = [SelectChoice(key, CHANNEL_NAMES[key]) for key in ("in_person", "phone", "letter")]
LANGUAGES = [SelectChoice("es", "Español"), SelectChoice("en", "English")]
RECEIPTS_KEPT = 5
CHANNEL_REQUIRED = _l("Elija cómo llegó el caso.")


class CaseChannelForm(FlaskForm):
    """How the case reached the office, and the language the citizen reads."""

    canal = SelectField(_l("Cómo llegó"), choices=[SelectChoice("", _l("Elija"))] + OFFICE_CHANNELS,
                        validators=[InputRequired(CHANNEL_REQUIRED)], invalid_choice_message=CHANNEL_REQUIRED)
    idioma = SelectField(_l("Idioma del ciudadano"), choices=LANGUAGES, default="es")


class AssistedMessageForm(SubmissionForm):
    """The citizen's message as the office writes it down, with the way it arrived."""

    tipo = SelectField(_l("Tipo de mensaje"), choices=[SelectChoice("", _l("Elija"))] + [
                           SelectChoice(key, value[0]) for key, value in SUBMISSION_TYPES.items()],
                       validators=[InputRequired(_l("Elija qué quiere enviar."))])
    respuesta = SelectField(_l("Cómo quiere recibir la respuesta"),
                            choices=[SelectChoice("", _l("Elija"))] + ANSWER_CHANNELS, default="codigo",
                            validators=[InputRequired(_l("Elija cómo quiere recibir la respuesta."))])
    canal = CaseChannelForm.canal
    idioma = CaseChannelForm.idioma


def _message_form():
    form = AssistedMessageForm()
    language = str(get_locale())
    form.tema.choices = [("", _l("Elija un tema"))] + [
        (topic["slug"], localized(topic.get("name"), language)) for topic in catalogue.topics()]
    form.entidad.choices = [(UNKNOWN_ENTITY, _l("No lo sabe: que la dirija el gobierno"))] + [
        (entity["slug"], entity.get("name", "")) for entity in catalogue.documents("entities")]
    form.municipio.choices = [("", _l("Elija el municipio"))] + [
        (municipality["slug"], municipality["name"]) for municipality in g.site.get("municipalities", [])]
    return form


def _remember_receipt(kind, code, pin):
    """Keep the PIN (sealed) for the receipt page, as the citizen's own receipt does."""
    receipts = dict(session.get("office_receipts") or {})
    receipts[code] = {"kind": kind, "pin": seal(pin)}
    session["office_receipts"] = dict(list(receipts.items())[-RECEIPTS_KEPT:])


def _online_procedures():
    return [procedure for procedure in catalogue.documents("procedures") if online_form(procedure) is not None]


@bp.route("/registrar/")
@login_required
def assisted_entry():
    """Register a case that arrived in person, by phone or by letter: a message, or a procedure's request."""
    return render_template("admin/assisted_entry.html", procedures=_online_procedures())


@bp.route("/registrar/mensaje", methods=["GET", "POST"])
@login_required
def assisted_message():
    """A message written down by the office; the citizen gets a code and PIN on paper."""
    form = _message_form()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("admin/assisted_message.html", form=form), 200 if request.method == "GET" else 400
    pin = new_pin()
    fields = dict(form_fields(form), channel=form.canal.data)
    saved = save_submission(new_submission(fields, g.site, datetime.now(province_zone()).date(), form.idioma.data, pin))
    notify_citizen(saved, "received")
    audit.record(current_user.username, "submission-assisted", target=saved["id"],
                 facts={"channel": form.canal.data}, address=client_address())
    _remember_receipt("message", saved["id"], pin)
    return redirect(url_for("admin.assisted_receipt", code=saved["id"]), 303)


@bp.route("/registrar/tramite/<slug>", methods=["GET", "POST"])
@login_required
def assisted_request(slug):
    """A procedure's request filled in by the office (files included), with the way it arrived."""
    try:
        procedure = catalogue.by_slug("procedures", slug)
    except NotFound:
        abort(404)
    form = online_form(procedure)
    if form is None:
        abort(404)
    channel = CaseChannelForm(prefix="caso")
    questions = form["questions"]
    if request.method == "GET":
        return _request_page(procedure, form, channel)
    raw = raw_values(questions, request.form)
    held, file_problems = _take_uploads(questions, held_files(request.form.get("archivos"), questions))
    answers, problems = check_answers(questions, raw, held, g.site, str(get_locale()), file_problems)
    if not channel.validate_on_submit():
        problems = [(channel.canal.id, CHANNEL_REQUIRED)] + list(problems)
    if problems:
        return _request_page(procedure, form, channel, raw, held, problems, 400)
    saved, pin = register_request(procedure, form, answers, list(held.values()), channel.canal.data,
                                  channel.idioma.data)
    audit.record(current_user.username, "request-assisted", target=saved["id"],
                 facts={"channel": channel.canal.data}, title=procedure_title(slug, "es"), address=client_address())
    _remember_receipt("request", saved["id"], pin)
    return redirect(url_for("admin.assisted_receipt", code=saved["id"]), 303)


def _request_page(procedure, form, channel, raw=None, held=None, problems=(), status=200):
    return render_template(
        "admin/assisted_request.html", procedure=procedure, form=form, channel=channel, raw=raw or {},
        held=held or {}, held_token=_seal_json(held or {}, "request-files"), problems=list(problems),
        problem_of=dict(problems), field_id=field_id), status


@bp.route("/registrar/recibo/<code>/")
@login_required
def assisted_receipt(code):
    """The receipt to print and hand over: code, PIN, what was registered and how to follow it."""
    kept = (session.get("office_receipts") or {}).get(code)
    pin = unseal(kept.get("pin")) if isinstance(kept, dict) else None
    if pin is None:
        abort(404)
    try:
        case = get_request(code) if kept.get("kind") == "request" else get_submission(code)
    except NotFound:
        abort(404)
    return render_template("admin/assisted_receipt.html", case=case, kind=kept.get("kind"), pin=pin,
                           channels=CHANNEL_NAMES, types=SUBMISSION_TYPES,
                           procedure_name=procedure_title(case.get("procedure", "")) if kept.get("kind") == "request" else "")
