"""The activity log in words: each audit entry as a sentence in the panel's language, naming the item by its
title ("Reenvió el mensaje K7X9-P2MQ a Dirección Provincial de Salud", "Editó el trámite «Carné de identidad»")."""
from datetime import date

from flask_babel import format_date, gettext, ngettext
from flask_babel import lazy_gettext as _l

from ..participation.forms import STATUS_NAMES
from ..store import InvalidName, NotFound, content, media
from ..store.audit import COMMAND_LINE, EVERY_ADDRESS
from .content import title_of

# Each kind of content as it is named inside a sentence.
ITEMS = {
    "procedures": _l("el trámite «%(title)s»"),
    "guides": _l("la guía «%(title)s»"),
    "news": _l("la noticia «%(title)s»"),
    "notices": _l("el aviso «%(title)s»"),
    "events": _l("el evento «%(title)s»"),
    "pages": _l("la página «%(title)s»"),
    "entities": _l("la entidad «%(title)s»"),
    "topics": _l("el tema «%(title)s»"),
}

# Placeholders: %(item)s (a content item, named as above), %(title)s (the item's title), %(code)s (a message's
# tracking code), %(target)s (what the entry is about, as recorded), and the entry's facts by name.
SENTENCES = {
    "login": _l("Entró al panel."),
    "login-failed": _l("Intentó entrar al panel con una contraseña incorrecta."),
    "login-throttled": _l("Intentó entrar al panel mientras su conexión esperaba por demasiados intentos fallidos."),
    "logout": _l("Salió del panel."),
    "confirm-failed": _l("Escribió mal su contraseña al confirmar una acción."),
    "confirm-throttled": _l("Intentó confirmar una acción mientras su conexión esperaba por demasiados intentos "
                            "fallidos."),
    "password-changed": _l("Cambió su contraseña."),
    "password-change-failed": _l("Intentó cambiar su contraseña, pero la contraseña actual no era correcta."),
    "password-throttled": _l("Intentó cambiar su contraseña mientras su conexión esperaba por demasiados intentos "
                             "fallidos."),
    "settings-saved": _l("Guardó los ajustes de la provincia."),
    "backup-downloaded": _l("Descargó una copia de seguridad desde el panel."),
    "export-csv": _l("Exportó la lista de mensajes en CSV."),
    "content-create": _l("Creó %(item)s."),
    "content-save": _l("Editó %(item)s."),
    "content-papelera": _l("Llevó a la papelera %(item)s."),
    "content-recuperar": _l("Sacó de la papelera %(item)s."),
    "content-restore": _l("Recuperó una versión anterior de %(item)s."),
    "media-image": _l("Subió la imagen «%(title)s»."),
    "media-document": _l("Subió el documento «%(title)s»."),
    "media-text": _l("Cambió el texto de «%(title)s»."),
    "media-replace": _l("Sustituyó el archivo de «%(title)s»."),
    "media-delete": _l("Borró el archivo «%(title)s»."),
    "content-delete-for-good": _l("Borró para siempre %(item)s."),
    "account-add": _l("Añadió la cuenta de webmaster «%(target)s»."),
    "account-disable": _l("Desactivó la cuenta de webmaster «%(target)s» y cerró sus sesiones."),
    "account-enable": _l("Activó de nuevo la cuenta de webmaster «%(target)s»."),
    "submission-reenviar": _l("Reenvió el mensaje %(code)s a %(entity)s."),
    "submission-estado": _l("Cambió el estado del mensaje %(code)s a «%(status)s»."),
    "submission-responder": _l("Respondió el mensaje %(code)s."),
    "submission-nota": _l("Añadió una nota interna al mensaje %(code)s."),
    "submission-spam": _l("Descartó como spam el mensaje %(code)s."),
    "submission-unir": _l("Unió el mensaje %(code)s al mensaje %(into)s."),
    "submission-publicar": _l("Publicó el mensaje %(code)s como pregunta frecuente."),
    "submission-retirar-pregunta": _l("Retiró del portal la pregunta frecuente del mensaje %(code)s."),
    "logins-unlocked": _l("Olvidó los intentos fallidos de entrar desde %(address)s."),
    "backup-written": _l("Escribió una copia de seguridad en %(path)s."),
    "backup-restored": _l("Restauró la copia de seguridad %(path)s."),
    "admin-created": _l("Creó la cuenta de webmaster «%(target)s»."),
    "admin-password-set": _l("Puso una contraseña nueva a la cuenta de webmaster «%(target)s»."),
    "purge": _l("Anonimizó los mensajes recibidos antes del %(before)s y borró los borradores caducados."),
    "office-create": _l("Creó la oficina de citas «%(title)s»."),
    "office-save": _l("Editó la oficina de citas «%(title)s»."),
    "office-exception-add": _l("Añadió a la oficina de citas «%(title)s» un día distinto: el %(day)s."),
    "office-exception-remove": _l("Quitó de la oficina de citas «%(title)s» el día distinto del %(day)s."),
    "form-publish": _l("Publicó la versión %(version)s del formulario en línea del trámite «%(title)s»."),
    "form-question-add": _l("Añadió la pregunta «%(question)s» al formulario en línea del trámite «%(title)s»."),
    "form-question-edit": _l("Editó la pregunta «%(question)s» del formulario en línea del trámite «%(title)s»."),
    "form-question-move": _l("Cambió de lugar la pregunta «%(question)s» del formulario en línea del trámite «%(title)s»."),
    "form-question-remove": _l("Quitó la pregunta «%(question)s» del formulario en línea del trámite «%(title)s»."),
    "form-discard": _l("Descartó los cambios sin publicar del formulario en línea del trámite «%(title)s»."),
    "appointment-outcome": _l("Marcó la cita %(code)s de la oficina «%(title)s»: %(outcome)s."),
    "appointment-move": _l("Movió la cita %(code)s de la oficina «%(title)s» al %(day)s, %(time)s."),
    "appointment-cancel": _l("Anuló la cita %(code)s de la oficina «%(title)s»."),
    "request-status": _l("Cambió el estado de la solicitud %(code)s a «%(request_status)s»."),
    "request-note": _l("Añadió una nota interna a la solicitud %(code)s."),
    "request-export-csv": _l("Exportó la lista de solicitudes en CSV."),
    "request-assisted": _l("Registró la solicitud %(code)s del trámite «%(title)s», recibida %(channel)s."),
    "submission-assisted": _l("Registró el mensaje %(code)s, recibido %(channel)s."),
}
# How a case reached the office, inside a sentence ("recibida en persona").
CHANNEL_PHRASES = {
    "web": _l("en línea"),
    "in_person": _l("en persona"),
    "phone": _l("por teléfono"),
    "letter": _l("por carta"),
}

# When an entry lacks a value its sentence needs (entries written before the value was recorded).
WITHOUT_FACTS = {
    "submission-reenviar": _l("Reenvió el mensaje %(code)s a la entidad competente."),
    "submission-estado": _l("Cambió el estado del mensaje %(code)s."),
    "submission-unir": _l("Unió el mensaje %(code)s a otro mensaje."),
    "logins-unlocked": _l("Olvidó los intentos fallidos de entrar desde todas las direcciones."),
    "backup-written": _l("Escribió una copia de seguridad."),
    "backup-restored": _l("Restauró una copia de seguridad."),
    "purge": _l("Anonimizó los mensajes más antiguos que el plazo de conservación."),
    "form-publish": _l("Publicó una versión nueva del formulario en línea del trámite «%(title)s»."),
}


def actor_name(entry):
    """Who did it: a webmaster's user name, or the command line in the panel's language."""
    actor = entry.get("actor", "")
    return gettext("línea de órdenes") if actor == COMMAND_LINE else actor


def describe(entry):
    """What an audit entry records, as a sentence in the panel's language."""
    action = entry.get("action", "")
    if action == "submission-prorrogar":
        return _extension(entry)
    values = _values(entry)
    sentence = SENTENCES.get(action)
    if sentence is None:
        return _generic(action, values)
    try:
        return str(sentence) % values
    except KeyError:  # a value the sentence needs was not recorded
        fallback = WITHOUT_FACTS.get(action)
        return str(fallback) % values if fallback else _generic(action, values)


def _values(entry):
    target = entry.get("target", "")
    title = _title(entry)
    values = {"target": target, "code": target, "title": title, "item": _item(target, title)}
    facts = {name: value for name, value in (entry.get("facts") or {}).items() if value not in ("", None)}
    for name in ("before", "day"):
        if name in facts:
            facts[name] = _day(facts[name])
    if "status" in facts:
        facts["status"] = str(STATUS_NAMES.get(facts["status"], facts["status"]))
    if "request_status" in facts:
        from ..services.following import STATUS_NAMES as REQUEST_STATUS_NAMES
        facts["request_status"] = str(REQUEST_STATUS_NAMES.get(facts["request_status"], facts["request_status"]))
    if "channel" in facts:
        facts["channel"] = str(CHANNEL_PHRASES.get(facts["channel"], facts["channel"]))
    if entry.get("action") == "logins-unlocked" and target and target != EVERY_ADDRESS:
        facts["address"] = target
    return dict(values, **facts)


def _day(iso_date):
    """A date of the record in words, as the panel writes dates."""
    try:
        return format_date(date.fromisoformat(iso_date), "long")
    except (TypeError, ValueError):
        return iso_date


def _extension(entry):
    days = (entry.get("facts") or {}).get("days")
    if isinstance(days, int):
        return ngettext("Prorrogó %(num)d día el plazo del mensaje %(code)s.",
                        "Prorrogó %(num)d días el plazo del mensaje %(code)s.", days, code=entry.get("target", ""))
    return gettext("Prorrogó el plazo del mensaje %(code)s.", code=entry.get("target", ""))


def _generic(action, values):
    """An action this module does not know yet, still in words."""
    what = action.replace("-", " ").strip() or "?"
    about = values["item"] if values["item"] != values["target"] else values["target"]
    if about:
        return gettext("Acción «%(action)s» sobre %(about)s.", action=what, about=about)
    return gettext("Acción «%(action)s».", action=what)


def _title(entry):
    """The item's title as recorded, or as it is now for entries written before titles were recorded."""
    if entry.get("title"):
        return entry["title"]
    target = entry.get("target", "")
    if entry.get("action", "").startswith("media-"):
        try:
            item = media.get_media(target)
        except NotFound:
            return target
        return item.get("alt") or item.get("title") or target
    collection, _, document_id = target.partition("/")
    if collection in ITEMS and document_id:
        try:
            document = content.get_document(collection, document_id)
        except (NotFound, InvalidName):
            return document_id
        return title_of(document) or document_id
    return target


def _item(target, title):
    """A content item named in a sentence: 'el trámite «Carné de identidad»'."""
    collection = target.partition("/")[0]
    if collection in ITEMS:
        return str(ITEMS[collection]) % {"title": title}
    return target
