"""Email to a citizen who gave an address: the receipt of a request and each change of its status."""
from flask import g
from flask_babel import force_locale
from flask_babel import gettext as _

from ..mail import date_in_words, mail_enabled, send
from ..store import catalogue
from ..store.site import localized
from ..urls import public_url


def notify_request(request_document, event):
    """Tell the citizen, in their language, that the request was received or changed; True when sent."""
    if request_document.get("example") or not request_document.get("email") or not mail_enabled():
        return False
    # Imported here: the views import this module.
    from .following import STATUS_NAMES
    language = request_document.get("language", "es")
    procedure = catalogue.optional("procedures", request_document.get("procedure")) or {}
    code = request_document["id"]
    with force_locale(language):
        subject = _("Recibimos su solicitud %(code)s", code=code) if event == "received" \
            else _("Novedades de su solicitud %(code)s", code=code)
        last = (request_document.get("history") or [{}])[-1]
        lines = [
            _("Código de seguimiento: %(code)s", code=code),
            _("Trámite: %(procedure)s", procedure=localized(procedure.get("title"), language)),
            _("Estado: %(status)s", status=STATUS_NAMES.get(request_document.get("status"), "")),
            last.get("note") or None,
            _("Se resolverá a más tardar el %(date)s", date=date_in_words(request_document.get("due"), language))
            if request_document.get("status") in ("received", "in_review", "more_info") else None,
            "",
            _("Siga su solicitud en %(address)s con el código y el PIN que le mostramos al enviarla.",
              address=public_url("participation.tracking")),
            "",
            localized(g.site.get("name"), language),
        ]
    return send(request_document["email"], subject, "\n".join(line for line in lines if line is not None))
