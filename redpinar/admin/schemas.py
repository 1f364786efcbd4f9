"""What the editor shows for each kind of content, and how form text becomes a stored document."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..text import slugify

# (field, kind, label, required); kinds are turned into form fields by admin/editor.py
COMMON_TITLE = ("title", "localized", _l("Título"), True)
SCHEMAS = {
    "topics": [("name", "localized", _l("Nombre"), True), ("summary", "localized", _l("Resumen"), False),
               ("order", "number", _l("Orden en el menú"), False)],
    "entities": [("name", "text", _l("Nombre"), True), ("acronym", "text", _l("Siglas"), False),
                 ("description", "localized", _l("Qué hace"), False), ("head", "text", _l("Titular"), False),
                 ("address", "text", _l("Dirección"), False), ("municipality", "municipality", _l("Municipio"), False),
                 ("phone", "text", _l("Teléfono"), False), ("email", "text", _l("Correo"), False),
                 ("hours", "localized", _l("Horario"), False), ("topics", "lines", _l("Temas (un slug por línea)"), False)],
    "procedures": [COMMON_TITLE, ("summary", "localized", _l("Resumen en lenguaje claro"), True),
                   ("topic", "topic", _l("Tema"), False), ("entity", "entity", _l("Entidad competente"), False),
                   ("who_may_apply", "markdown", _l("Quién puede solicitarlo"), False),
                   ("requirements", "lines", _l("Requisitos (uno por línea)"), False),
                   ("documents", "lines", _l("Documentos que debe llevar (uno por línea)"), False),
                   ("steps", "lines", _l("Pasos, en orden (uno por línea)"), False),
                   ("offices", "offices", _l("Oficinas: nombre | dirección | municipio | horario (una por línea)"), False),
                   ("cost_cup", "money", _l("Costo en CUP"), False), ("cost_stamps", "text", _l("Sellos"), False),
                   ("cost_note", "text", _l("Nota sobre el costo"), False),
                   ("resolve_days", "days", _l("Días para resolver"), False),
                   ("time_to_resolve", "text", _l("Plazo de respuesta"), False), ("validity", "text", _l("Vigencia"), False),
                   ("legal_basis", "lines", _l("Base legal (una norma por línea)"), False),
                   ("forms", "links", _l("Formularios: título | dirección del archivo (uno por línea)"), False),
                   ("related", "lines", _l("Trámites relacionados (un slug por línea)"), False),
                   ("reviewed", "date", _l("Revisado el"), False),
                   ("review_period_days", "count", _l("Revisar cada (días)"), False),
                   ("responsible_entity", "entity", _l("Entidad responsable del texto"), False),
                   ("municipalities", "lines", _l("Municipios donde se hace (vacío: todos)"), False),
                   ("popularity", "count", _l("Popularidad"), False),
                   ("featured", "bool", _l("Destacado en la página de inicio"), False),
                   ("online", "bool", _l("Se puede solicitar en línea"), False)],
    "guides": [COMMON_TITLE, ("summary", "localized", _l("Resumen"), False), ("topic", "topic", _l("Tema"), False),
               ("steps", "guide_steps", _l("Pasos: slug del trámite | y/o | nota (uno por línea)"), True),
               ("featured", "bool", _l("Destacado en la página de inicio"), False)],
    "news": [COMMON_TITLE, ("summary", "localized", _l("Resumen"), False), ("body", "markdown", _l("Texto"), True),
             ("topic", "topic", _l("Tema"), False), ("municipality", "municipality", _l("Municipio"), False),
             ("published", "datetime", _l("Fecha de la noticia"), True)],
    "notices": [COMMON_TITLE, ("summary", "localized", _l("Resumen"), False), ("body", "markdown", _l("Texto"), False),
                ("entity", "entity", _l("Entidad"), False), ("municipality", "municipality", _l("Municipio (vacío: toda la provincia)"), False),
                ("valid_from", "date", _l("Vigente desde"), True), ("valid_until", "date", _l("Vigente hasta"), True)],
    "events": [COMMON_TITLE, ("summary", "localized", _l("Resumen"), False),
               ("description", "markdown", _l("Descripción"), False), ("category", "category", _l("Categoría"), True),
               ("start", "datetime", _l("Empieza"), True), ("end", "datetime", _l("Termina"), False),
               ("place", "text", _l("Lugar"), False), ("municipality", "municipality", _l("Municipio"), False),
               ("price", "text", _l("Precio"), False), ("organiser", "text", _l("Organiza"), False)],
    "pages": [COMMON_TITLE, ("body", "markdown", _l("Texto"), True), ("topic", "topic", _l("Tema"), True),
              ("reviewed", "date", _l("Revisado el"), False),
              ("review_period_days", "count", _l("Revisar cada (días)"), False)],
}
COLLECTION_NAMES = {
    "topics": _l("Temas"), "entities": _l("Entidades"), "procedures": _l("Trámites"), "guides": _l("Guías"),
    "news": _l("Noticias"), "notices": _l("Avisos"), "events": _l("Eventos"), "pages": _l("Páginas"),
}
PUBLIC_ENDPOINTS = {
    "topics": "public.topic", "entities": "public.entity", "procedures": "public.procedure", "guides": "public.guide",
    "news": "public.news_item", "notices": "public.notice", "events": "public.event", "pages": "public.page",
}


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _parts(line, count):
    parts = [part.strip() for part in line.split("|")]
    return (parts + [""] * count)[:count]


def link_lines(text):
    """(title, address) of each line of a links field ('título | dirección')."""
    return [tuple(_parts(line, 2)) for line in _lines(text)]


def amount(text):
    """An amount of money from '25', '25,50' or '25.50' (an int when whole), or None when empty."""
    raw = str(text or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = round(float(raw), 2)
    except ValueError:  # refused by the form's own check
        return None
    return int(value) if value.is_integer() else value


def _moment(value, zone):
    """A datetime-local value ('2026-12-01T20:00') as ISO 8601 in the province's time zone."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=moment.tzinfo or ZoneInfo(zone)).isoformat()


def to_document(collection, values, zone):
    """Stored fields from the editor's values (a {field: value} of strings)."""
    document = {}
    for name, kind, _label, _required in SCHEMAS[collection]:
        if kind == "localized":
            document[name] = {"es": (values.get(name + "_es") or "").strip(),
                              "en": (values.get(name + "_en") or "").strip()}
        elif kind == "lines":
            document[name] = _lines(values.get(name))
        elif kind == "offices":
            document[name] = [dict(zip(("name", "address", "municipality", "hours"), _parts(line, 4)))
                              for line in _lines(values.get(name))]
        elif kind == "links":
            document[name] = [dict(zip(("title", "url"), parts)) for parts in link_lines(values.get(name))]
        elif kind == "guide_steps":
            document[name] = [{"procedure": step[0], "connector": "or" if step[1].lower() in ("o", "or") else "and",
                               "note": step[2]} for step in (_parts(line, 3) for line in _lines(values.get(name)))]
        elif kind in ("number", "count", "days"):
            raw = str(values.get(name) or "").strip()
            document[name] = int(raw) if raw.lstrip("-").isdigit() else None
        elif kind == "money":
            document[name] = amount(values.get(name))
        elif kind == "datetime":
            document[name] = _moment(values.get(name), zone)
        elif kind == "bool":
            document[name] = bool(values.get(name))
        else:
            document[name] = (values.get(name) or "").strip() if isinstance(values.get(name), str) else values.get(name)
    if collection == "procedures":
        document["cost"] = {"cup": document.pop("cost_cup"), "stamps": document.pop("cost_stamps"),
                            "note": document.pop("cost_note")}
        document["municipalities"] = document["municipalities"] or "all"
    if collection == "notices" and not document.get("municipality"):
        document["municipality"] = None
    title = document.get("title") or document.get("name")
    slug = (values.get("slug") or "").strip() or slugify(title.get("es", "") if isinstance(title, dict) else title)
    document["slug"] = slugify(slug)
    document["draft"] = bool(values.get("draft"))
    document["publish_at"] = _moment(values.get("publish_at"), zone)
    return document


def _local(value, zone):
    """Stored ISO 8601 as the naive local time a datetime-local field shows, or None."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return (moment.astimezone(ZoneInfo(zone)) if moment.tzinfo else moment).replace(tzinfo=None)


def _day(value):
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def to_values(collection, document, zone):
    """The editor's values from a stored document (the reverse of to_document)."""
    values = {"slug": document.get("slug", ""), "draft": bool(document.get("draft")),
              "publish_at": _local(document.get("publish_at"), zone)}
    cost = document.get("cost") or {}
    flat = dict(document, cost_cup=cost.get("cup"), cost_stamps=cost.get("stamps"), cost_note=cost.get("note"))
    for name, kind, _label, _required in SCHEMAS[collection]:
        value = flat.get(name)
        if kind == "localized":
            value = value if isinstance(value, dict) else {"es": value or ""}
            values[name + "_es"], values[name + "_en"] = value.get("es", ""), value.get("en", "")
        elif kind == "lines":
            values[name] = "\n".join(value) if isinstance(value, list) else ""
        elif kind == "offices":
            values[name] = "\n".join(" | ".join(office.get(key, "") or "" for key in ("name", "address", "municipality", "hours"))
                                     for office in value or [])
        elif kind == "links":
            values[name] = "\n".join(f"{link.get('title', '')} | {link.get('url', '')}" for link in value or [])
        elif kind == "guide_steps":
            values[name] = "\n".join(f"{step.get('procedure', '')} | {'o' if step.get('connector') == 'or' else 'y'}"
                                     f" | {step.get('note', '')}" for step in value or [])
        elif kind == "datetime":
            values[name] = _local(value, zone)
        elif kind == "date":
            values[name] = _day(value)
        elif kind in ("number", "count", "days"):
            values[name] = "" if value is None else str(value)
        elif kind == "money":
            values[name] = "" if not isinstance(value, (int, float)) else (
                str(int(value)) if float(value).is_integer() else f"{value:.2f}")
        elif kind == "bool":
            values[name] = bool(value)
        else:
            values[name] = "" if value is None else value
    return values
