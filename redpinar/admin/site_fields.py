"""Reading the settings' municipalities and colours, refusing what would break the public pages."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from .. import theme
from ..store.offices import list_offices
from ..store.references import documents_naming
from ..store.site import SLUG


def _title(document):
    title = document.get("title") or document.get("name") or document.get("slug", "")
    return title.get("es", "") if isinstance(title, dict) else title


def read_municipalities(text):
    """([{"slug", "name"}], [messages]) from 'slug | nombre' lines."""
    municipalities, errors, seen = [], [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        slug, separator, name = (part.strip() for part in line.partition("|"))
        if not separator or not SLUG.match(slug) or not name:
            errors.append(_l("Línea %(line)d: escriba «slug | nombre», con el slug en minúsculas, sin tildes y con "
                             "guiones, como «san-juan-y-martinez | San Juan y Martínez».", line=number))
            continue
        if slug in seen:
            errors.append(_l("El municipio «%(slug)s» aparece dos veces.", slug=slug))
        seen.add(slug)
        municipalities.append({"slug": slug, "name": name})
    return municipalities, errors


def municipalities_in_use(site, kept):
    """[(name, [(title, editor address)])] of each removed municipality that content still names."""
    kept_slugs = {municipality["slug"] for municipality in kept}
    in_use = []
    for municipality in site.get("municipalities", []):
        if municipality["slug"] in kept_slugs:
            continue
        users = [(_title(document), url_for("admin.content_edit", collection=collection, document_id=document["id"]))
                 for collection, document in documents_naming("municipalities", municipality["slug"])]
        users += [(office["name"].get("es") or office["slug"], url_for("admin.office_edit", slug=office["slug"]))
                  for office in list_offices() if office["municipality"] == municipality["slug"]]
        if users:
            in_use.append((municipality["name"], users))
    return in_use


def read_colours(text):
    """({name: #rrggbb}, [messages]) from 'nombre = #rrggbb' lines; every palette colour is needed."""
    colours, errors = {}, []
    names = ", ".join(theme.COLOUR_NAMES)
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, separator, value = (part.strip() for part in line.partition("="))
        if not separator:
            errors.append(_l("Línea %(line)d: escriba «nombre = #rrggbb».", line=number))
        elif name not in theme.COLOUR_NAMES:
            errors.append(_l("«%(name)s» no es un color de la paleta. Los colores son: %(names)s.", name=name, names=names))
        elif not theme.HEX_COLOUR.match(value):
            errors.append(_l("«%(value)s» no es un color: escríbalo como #rrggbb, por ejemplo #0a4f8c.", value=value))
        else:
            colours[name] = value
    if not errors:
        errors = [_l("Falta el color «%(name)s».", name=name) for name in theme.COLOUR_NAMES if name not in colours]
    return colours, errors
