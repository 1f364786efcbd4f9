"""The inbox as a spreadsheet: names instead of codes, the province's local times."""
from datetime import datetime

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..participation.forms import STATUS_NAMES, SUBMISSION_TYPES, UNKNOWN_ENTITY
from ..store import catalogue
from ..store.site import localized

COLUMNS = (_l("Código"), _l("Recibido"), _l("Vence"), _l("Tipo"), _l("Estado"), _l("Tema"), _l("Entidad"),
           _l("Municipio"), _l("Asunto"), _l("Enviar a la entidad antes de"), _l("Enviado a la entidad el"),
           _l("Ejemplo"))


def inbox_table(rows):
    """The header and one line per inbox row, every code replaced by its name in the webmaster's language."""
    names = _names()
    return [list(COLUMNS)] + [[
        row["id"], _moment(row["created"]), row["due"], names["type"](row["type"]), names["status"](row["status"]),
        names["topic"](row["topic"]), names["entity"](row["forwarded_to"] or row["entity"]),
        names["municipality"](row["municipality"]), row["subject"], row.get("forward_by", ""),
        row.get("forwarded_on", ""), str(_l("sí")) if row.get("example") else "",
    ] for row in rows]


def _moment(stored):
    """A stored time as a datetime, so the CSV writer puts it in the province's time zone."""
    try:
        return datetime.fromisoformat(stored)
    except ValueError:
        return stored


def _names():
    language = str(get_locale())
    topics = {topic["slug"]: localized(topic.get("name"), language) for topic in catalogue.topics()}
    entities = {entity["slug"]: localized(entity.get("name"), language) for entity in catalogue.documents("entities")}
    places = {place["slug"]: localized(place["name"], language) for place in g.site.get("municipalities", [])}
    unknown = {"": "", UNKNOWN_ENTITY: str(_l("No lo sabe"))}
    return {
        "type": lambda code: str(SUBMISSION_TYPES[code][0]) if code in SUBMISSION_TYPES else code,
        "status": lambda code: str(STATUS_NAMES.get(code, code)),
        "topic": lambda code: topics.get(code, code),
        "entity": lambda code: unknown[code] if code in unknown else entities.get(code, code),
        "municipality": lambda code: places.get(code, code),
    }
