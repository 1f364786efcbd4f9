"""Reading the filters of a list page from its query string: unknown values mean 'all'."""
from flask import g, request

from ..store import catalogue


def municipality_filter():
    """The ?municipio= slug when it names one of the province's municipalities."""
    wanted = request.args.get("municipio", "")
    known = {municipality["slug"] for municipality in g.site.get("municipalities", [])}
    return wanted if wanted in known else None


def topic_filter():
    """The ?tema= slug when it names a topic."""
    wanted = request.args.get("tema", "")
    return wanted if any(topic.get("slug") == wanted for topic in catalogue.topics()) else None


def entity_filter():
    """The ?entidad= slug when it names an entity."""
    wanted = request.args.get("entidad", "")
    return wanted if any(entity.get("slug") == wanted for entity in catalogue.documents("entities")) else None


def municipality_name(slug):
    """The name of a municipality from its slug ('' when unknown)."""
    for municipality in g.site.get("municipalities", []):
        if municipality["slug"] == slug:
            return municipality["name"]
    return ""
