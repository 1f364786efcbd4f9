"""The procedures guide: procedures, step-by-step guides and the entities that handle them."""
from flask import render_template

from ..pagecache import query_parameters
from ..store import catalogue
from ..store.requests import online_form
from . import bp
from .filters import entity_filter, municipality_filter, topic_filter


@bp.route("/tramites/")
@query_parameters("tema", "entidad", "municipio")
def procedures():
    """The procedures catalogue, filtered by topic, entity and municipality."""
    topic, entity, municipality = topic_filter(), entity_filter(), municipality_filter()
    return render_template(
        "public/procedures.html",
        procedures=catalogue.procedures(topic=topic, entity=entity, municipality=municipality),
        topics=catalogue.topics(), entities=catalogue.documents("entities"),
        chosen={"tema": topic, "entidad": entity, "municipio": municipality},
    )


@bp.route("/tramites/<slug>/")
def procedure(slug):
    """One procedure's card (prints as a one-page sheet)."""
    procedure = catalogue.by_slug("procedures", slug)
    return render_template(
        "public/procedure.html", procedure=procedure,
        topic=catalogue.optional("topics", procedure.get("topic")),
        entity=catalogue.optional("entities", procedure.get("entity")),
        responsible=catalogue.optional("entities", procedure.get("responsible_entity")),
        related=[catalogue.optional("procedures", other) for other in procedure.get("related", [])],
        guides=catalogue.guides_with_procedure(slug),
        out_of_date=catalogue.needs_review(procedure),
        online=online_form(procedure) is not None,
    )


@bp.route("/guias/")
def guides():
    """Every step-by-step guide."""
    return render_template("public/guides.html", guides=catalogue.documents("guides"))


@bp.route("/guias/<slug>/")
def guide(slug):
    """A life event, step by step, with the procedures in order."""
    guide = catalogue.by_slug("guides", slug)
    steps = [(step, catalogue.optional("procedures", step.get("procedure"))) for step in guide.get("steps", [])]
    return render_template("public/guide.html", guide=guide, steps=steps,
                           topic=catalogue.optional("topics", guide.get("topic")))


@bp.route("/entidades/")
@query_parameters("tema", "municipio")
def entities():
    """The directory of the entities of the Provincial Administration Council."""
    topic, municipality = topic_filter(), municipality_filter()
    return render_template(
        "public/entities.html", entities=catalogue.entities(topic=topic, municipality=municipality),
        topics=catalogue.topics(), chosen={"tema": topic, "municipio": municipality},
    )


@bp.route("/entidades/<slug>/")
def entity(slug):
    """One entity: what it does, where it is, the procedures it handles."""
    entity = catalogue.by_slug("entities", slug)
    return render_template("public/entity.html", entity=entity,
                           procedures=catalogue.procedures(entity=slug))
