"""Every error becomes a clear page in the visitor's language, with a way back."""
import logging

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .store import InvalidName, NotFound, StoreCorrupt, StoreWriteError
from .store.catalogue import Moved

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Solicitud incorrecta"),
          _l("No pudimos entender lo que envió. Vuelva a la página anterior e inténtelo de nuevo.")),
    403: (_l("Acceso no permitido"),
          _l("No tiene permiso para ver esta página.")),
    404: (_l("Página no encontrada"),
          _l("La dirección no existe o la página se ha movido. Compruebe la dirección o use el buscador.")),
    405: (_l("Acción no permitida"),
          _l("Esta dirección no acepta esa acción. Vuelva a la página anterior.")),
    413: (_l("Envío demasiado grande"),
          _l("Lo que envió supera el tamaño permitido. Acorte el texto o use un archivo más pequeño.")),
    429: (_l("Demasiados intentos"),
          _l("Ha hecho demasiadas solicitudes seguidas. Espere unos minutos y vuelva a intentarlo.")),
    500: (_l("Error del servidor"),
          _l("Algo falló de nuestro lado. Inténtelo de nuevo dentro de unos minutos.")),
    503: (_l("Servicio no disponible"),
          _l("El portal no puede atender ahora. Inténtelo de nuevo dentro de unos minutos.")),
}
# What the portal's own forms send; any other body (JSON, XML) is not read at all, since form
# libraries would otherwise take a JSON body as form data, nested values and all.
FORM_BODIES = ("application/x-www-form-urlencoded", "multipart/form-data")
METHODS_WITH_BODIES = ("POST", "PUT", "PATCH", "DELETE")
# Form fields that are never shown back (secrets and machinery).
HIDDEN_FIELDS = ("csrf_token", "password", "pin", "website", "started")


def error_page(code, title=None, message=None):
    """Render the error page for an HTTP status."""
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    try:
        return render_template(
            "errors/error.html", code=code, title=title or default_title,
            message=message or default_message,
        ), code
    except Exception:  # the error page must never fail itself
        log.exception("error page %s could not be rendered", code)
        return f"Error {code}", code


def kept_form_fields():
    """The text a visitor posted, to be shown back so nothing typed is lost."""
    kept = []
    for name, value in request.form.items(multi=True):
        if any(hidden in name.lower() for hidden in HIDDEN_FIELDS):
            continue
        kept.append((name, value))
    return kept


def sends_something_else_than_a_form():
    """True when a request carries a body that is not a form."""
    if request.method not in METHODS_WITH_BODIES or request.mimetype in FORM_BODIES:
        return False
    return bool(request.mimetype) or bool(request.content_length)


def init_app(app):
    """Register the handlers."""

    @app.before_request
    def refuse_bodies_that_are_not_forms():
        if sends_something_else_than_a_form():
            return error_page(400, message=_l(
                "Lo que envió no es un formulario de este portal. Vuelva a la página y use el formulario."))
        return None

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code in (301, 302, 303, 307, 308) or error.code is None:
            return error
        page, code = error_page(error.code)
        response = app.make_response((page, code))
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        retry_after = getattr(error, "retry_after", None)
        if retry_after:
            response.headers["Retry-After"] = str(int(retry_after))
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(400, message=_l(
            "El formulario caducó o no se envió desde este portal. Vuelva a cargarlo e inténtelo de nuevo."))

    @app.errorhandler(StoreWriteError)
    def not_saved(error):
        log.error("write failed: %s", error)
        return render_template("errors/not_saved.html", fields=kept_form_fields(),
                               action=request.script_root + request.path), 503

    @app.errorhandler(NotFound)
    @app.errorhandler(InvalidName)
    def not_found(error):
        if isinstance(error, Moved) and request.endpoint and "slug" in (request.view_args or {}):
            return redirect(url_for(request.endpoint, **dict(request.view_args, slug=error.slug)), 301)
        return error_page(404)

    @app.errorhandler(StoreCorrupt)
    def corrupt(error):
        log.error("data folder problem: %s", error)
        return error_page(500)

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        return error_page(500)
