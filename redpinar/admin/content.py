"""Editing every kind of content: create, edit, preview, publish, schedule, trash."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..security import client_address
from ..store import InvalidName, NotFound, audit, catalogue, content
from ..store.editing import EditConflict, SlugTaken, save_content, set_deleted
from . import bp
from .editor import fill_choices, form_class, form_values, refuse_missing_references, refuse_online_without_form
from .schemas import COLLECTION_NAMES, PUBLIC_ENDPOINTS, SCHEMAS, to_document, to_values
from .forms import EmptyForm


def _collection_or_404(collection):
    if collection not in SCHEMAS:
        abort(404)
    return collection


def _document_or_404(collection, document_id):
    try:
        return content.get_document(collection, document_id)
    except (NotFound, InvalidName):
        abort(404)


def status_of(document):
    """Published, draft, scheduled or in the trash."""
    if document.get("deleted"):
        return _l("En la papelera")
    if document.get("draft"):
        return _l("Borrador")
    if document.get("publish_at") and not catalogue.is_public(document):
        return _l("Programado")
    return _l("Publicado")


def title_of(document):
    """A document's title in Spanish, whatever its kind."""
    title = document.get("title") or document.get("name") or document.get("slug", "")
    return title.get("es", "") if isinstance(title, dict) else title


@bp.route("/contenido/")
@login_required
def content_home():
    """Every kind of content with its count, and the procedures and pages due for review."""
    counts = {collection: len(content.all_documents(collection)) for collection in SCHEMAS}
    overdue = [(collection, document) for collection in ("procedures", "pages")
               for document in catalogue.documents(collection) if catalogue.needs_review(document)]
    return render_template("admin/content_home.html", counts=counts, names=COLLECTION_NAMES, overdue=overdue)


@bp.route("/contenido/<collection>/")
@login_required
def content_list(collection):
    """The documents of one kind, with their state."""
    _collection_or_404(collection)
    documents = sorted(content.all_documents(collection), key=lambda document: document.get("updated", ""),
                       reverse=True)
    return render_template("admin/content_list.html", collection=collection, name=COLLECTION_NAMES[collection],
                           documents=documents, status_of=status_of, title_of=title_of)


@bp.route("/contenido/<collection>/nuevo", methods=["GET", "POST"])
@bp.route("/contenido/<collection>/<document_id>/", methods=["GET", "POST"])
@login_required
def content_edit(collection, document_id=None):
    """The edit form; 'preview' shows the page as it will be published, 'save' stores it."""
    _collection_or_404(collection)
    current = _document_or_404(collection, document_id) if document_id else None
    zone = g.site.get("timezone", "America/Havana")
    form = form_class(collection)(data=to_values(collection, current, zone)
                                  if current and request.method == "GET" else None)
    fill_choices(form, collection)
    if current and request.method == "GET":
        form.version.data = str(current.get("version", 1))
    conflict = None
    document = None
    if request.method == "POST":
        valid = form.validate()
        document = to_document(collection, form_values(form, collection), zone)
        # References are checked even when another field failed, so every problem shows at once.
        references_exist = refuse_missing_references(form, collection, document)
        online_has_form = refuse_online_without_form(form, collection, document, current)
        if not (references_exist and online_has_form and valid):
            document = None
    if document is not None:
        if request.form.get("accion") == "vista-previa":
            return _preview(collection, document)
        try:
            saved = save_content(collection, document, current_user.username, document_id,
                                 expected_version=form.version.data or None)
        except EditConflict as error:
            conflict = error.current
        except SlugTaken:
            form.slug.errors = list(form.slug.errors) + [_l("Ya hay otro documento con esta dirección.")]
        except InvalidName:
            form.slug.errors = list(form.slug.errors) + [_l("La dirección no es válida.")]
        else:
            audit.record(current_user.username, "content-save" if document_id else "content-create",
                         target=f"{collection}/{saved['id']}", title=title_of(saved), address=client_address())
            flash(_l("Guardado."), "ok")
            return redirect(url_for("admin.content_edit", collection=collection, document_id=saved["id"]), 303)
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render_template("admin/content_edit.html", form=form, collection=collection, current=current,
                           name=COLLECTION_NAMES[collection], schema=SCHEMAS[collection], conflict=conflict,
                           empty=EmptyForm(), status_of=status_of, title_of=title_of,
                           is_public=bool(current) and catalogue.is_public(current) and not current.get("deleted"),
                           public_endpoint=PUBLIC_ENDPOINTS[collection]), status


def _preview(collection, document):
    """The public template of this kind, rendered with the unsaved document."""
    document = content.with_rendered_text(dict(document, id="vista-previa", updated="", created=""))
    contexts = {
        "procedures": lambda: ("public/procedure.html", {
            "procedure": document, "guides": [], "related": [], "topic": None, "responsible": None,
            "entity": catalogue.optional("entities", document.get("entity")), "out_of_date": False}),
        "news": lambda: ("public/news_item.html", {"item": document, "topic": None}),
        "notices": lambda: ("public/notice.html", {"notice": document, "expired": False}),
        "events": lambda: ("public/event.html", {"event": document, "categories": {}}),
        "pages": lambda: ("public/page.html", {"page": document, "topic": catalogue.optional(
            "topics", document.get("topic")) or {"slug": document.get("topic") or "tema", "name": {"es": ""}}}),
        "guides": lambda: ("public/guide.html", {"guide": document, "topic": None, "steps": [
            (step, catalogue.optional("procedures", step.get("procedure"))) for step in document.get("steps", [])]}),
        "entities": lambda: ("public/entity.html", {"entity": document, "procedures": []}),
        "topics": lambda: ("public/topic.html", {"topic": document, "procedures": [], "guides": [], "entities": [],
                                                 "news": [], "pages": [], "questions": []}),
    }
    template, context = contexts[collection]()
    return render_template(template, preview=True, **context)


@bp.route("/contenido/<collection>/<document_id>/<action>", methods=["POST"])
@login_required
def content_trash(collection, document_id, action):
    """Move to the trash, or take out of it."""
    _collection_or_404(collection)
    document = _document_or_404(collection, document_id)
    if action not in ("papelera", "recuperar") or not EmptyForm().validate_on_submit():
        abort(400)
    set_deleted(collection, document_id, current_user.username, deleted=action == "papelera")
    audit.record(current_user.username, "content-" + action, target=f"{collection}/{document_id}",
                 title=title_of(document), address=client_address())
    flash(_l("En la papelera.") if action == "papelera" else _l("Recuperado de la papelera."), "ok")
    return redirect(url_for("admin.content_edit", collection=collection, document_id=document_id), 303)
