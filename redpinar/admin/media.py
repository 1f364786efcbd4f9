"""The media library: upload images and PDF documents, see their public addresses and HTML, and change
an item: its text, a new file under the same addresses, or deleting it when nothing uses it."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..pagination import Page, page_number
from ..security import client_address
from ..store import NotFound, audit, media
from ..store.media_changes import MediaInUse, delete_media, media_usage, replace_media, set_media_text
from . import bp
from .forms import EmptyForm

PER_PAGE = 24
IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/gif"


class ImageForm(FlaskForm):
    """An image and the text that replaces it for whoever cannot see it."""

    archivo = FileField(_l("Imagen"), validators=[FileRequired(_l("Elija la imagen que quiere subir."))],
                        render_kw={"accept": IMAGE_TYPES})
    texto_alternativo = StringField(_l("Texto alternativo"), validators=[
        DataRequired(_l("Escriba el texto alternativo: qué muestra la imagen, para quien no puede verla.")),
        Length(max=media.MAX_TEXT_LENGTH)])


class DocumentForm(FlaskForm):
    """A PDF document and its title."""

    archivo = FileField(_l("Documento PDF"), validators=[FileRequired(_l("Elija el documento que quiere subir."))],
                        render_kw={"accept": "application/pdf,.pdf"})
    titulo = StringField(_l("Título"), validators=[
        DataRequired(_l("Escriba el título del documento.")), Length(max=media.MAX_TEXT_LENGTH)])


def _library(image_form=None, document_form=None, status=200):
    page = Page(media.list_media(), page_number(request.args.get("pagina")), per_page=PER_PAGE)
    return render_template(
        "admin/media.html", page=page, widths=media.WIDTHS, max_size=media.size_text(media.max_bytes()),
        image_form=image_form or ImageForm(prefix="imagen"),
        document_form=document_form or DocumentForm(prefix="documento"),
    ), status


@bp.route("/medios/")
@login_required
def media_library():
    """Every published image and document, newest first, with the two upload forms."""
    return _library()


@bp.route("/medios/imagenes", methods=["POST"])
@login_required
def upload_image():
    """Publish an image; a refusal shows the form again with the reason."""
    form = ImageForm(prefix="imagen")
    return _upload(form, lambda: media.save_image(form.archivo.data, form.texto_alternativo.data),
                   _l("Imagen publicada."), image_form=form)


@bp.route("/medios/documentos", methods=["POST"])
@login_required
def upload_document():
    """Publish a PDF document; a refusal shows the form again with the reason."""
    form = DocumentForm(prefix="documento")
    return _upload(form, lambda: media.save_document(form.archivo.data, form.titulo.data),
                   _l("Documento publicado."), document_form=form)


def _upload(form, save, done, **forms):
    if form.validate_on_submit():
        try:
            item = save()
        except media.MediaRefused as refusal:
            form.archivo.errors.append(refusal.message)
        else:
            audit.record(current_user.username, "media-" + item["kind"], target=item["id"],
                         title=item.get("alt") or item.get("title", ""), address=client_address())
            flash(done, "ok")
            return redirect(url_for("admin.media_library", _anchor="medio-" + item["id"]), 303)
    return _library(status=400, **forms)


class TextForm(FlaskForm):
    """An image's alternative text, or a document's title."""

    texto = StringField(_l("Texto"), validators=[
        DataRequired(_l("Escriba el texto: nunca puede quedar vacío.")), Length(max=media.MAX_TEXT_LENGTH)])


class ReplaceForm(FlaskForm):
    """A new file for the item, of the same kind."""

    archivo = FileField(_l("Archivo nuevo"), validators=[FileRequired(_l("Elija el archivo nuevo."))])


def places(uses):
    """Where an item is used, for people: (kind, title, link to the editor, in the trash)."""
    from .content import title_of
    from .schemas import COLLECTION_NAMES
    shown = []
    for collection, document in uses:
        if collection == "site":
            shown.append((_l("Ajustes"), _l("Ajustes de la provincia"), url_for("admin.settings"), False))
        else:
            shown.append((COLLECTION_NAMES[collection], title_of(document) or document.get("slug", ""),
                          url_for("admin.content_edit", collection=collection, document_id=document["id"]),
                          bool(document.get("deleted"))))
    return shown


def _item_or_404(media_id):
    try:
        return media.get_media(media_id)
    except NotFound:
        abort(404)


def _item_page(item, text_form=None, replace_form=None, status=200):
    text_form = text_form or TextForm(prefix="texto", data={"texto": item.get("alt") or item.get("title", "")})
    text_form.texto.label.text = _l("Texto alternativo") if item["kind"] == "image" else _l("Título")
    replace_form = replace_form or ReplaceForm(prefix="sustituir")
    replace_form.archivo.render_kw = {"accept": IMAGE_TYPES if item["kind"] == "image" else "application/pdf,.pdf"}
    return render_template("admin/media_item.html", item=item, uses=places(media_usage(item)), text_form=text_form,
                           replace_form=replace_form, max_size=media.size_text(media.max_bytes())), status


@bp.route("/medios/<media_id>/")
@login_required
def media_item(media_id):
    """One item: its text, a new file for it, where it is used, and deleting it."""
    return _item_page(_item_or_404(media_id))


@bp.route("/medios/<media_id>/texto", methods=["POST"])
@login_required
def media_text(media_id):
    """Change an image's alternative text or a document's title."""
    item = _item_or_404(media_id)
    form = TextForm(prefix="texto")
    if form.validate_on_submit():
        try:
            changed = set_media_text(media_id, form.texto.data)
        except media.MediaRefused as refusal:
            form.texto.errors = [refusal.message]
        else:
            audit.record(current_user.username, "media-text", target=media_id,
                         title=changed.get("alt") or changed.get("title", ""), address=client_address())
            flash(_l("Texto guardado."), "ok")
            return redirect(url_for("admin.media_item", media_id=media_id), 303)
    return _item_page(item, text_form=form, status=400)


@bp.route("/medios/<media_id>/sustituir", methods=["POST"])
@login_required
def media_replace(media_id):
    """Put a new file in the item's place: the same addresses show the new image or document."""
    item = _item_or_404(media_id)
    form = ReplaceForm(prefix="sustituir")
    if form.validate_on_submit():
        try:
            replace_media(media_id, form.archivo.data)
        except media.MediaRefused as refusal:
            form.archivo.errors = [refusal.message]
        else:
            audit.record(current_user.username, "media-replace", target=media_id,
                         title=item.get("alt") or item.get("title", ""), address=client_address())
            flash(_l("Archivo sustituido: las mismas direcciones muestran ya el nuevo."), "ok")
            return redirect(url_for("admin.media_item", media_id=media_id), 303)
    return _item_page(item, replace_form=form, status=400)


@bp.route("/medios/<media_id>/borrar", methods=["GET", "POST"])
@login_required
def media_delete(media_id):
    """Ask first; delete the item and its files unless content or the settings still use it."""
    item = _item_or_404(media_id)
    form = EmptyForm()
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            delete_media(media_id)
        except MediaInUse:
            status = 409  # the page below names where it is used
        except NotFound:
            abort(404)
        else:
            audit.record(current_user.username, "media-delete", target=media_id,
                         title=item.get("alt") or item.get("title", ""), address=client_address())
            flash(_l("«%(text)s» se ha borrado.", text=item.get("alt") or item.get("title", "")), "ok")
            return redirect(url_for("admin.media_library"), 303)
    return render_template("admin/media_delete.html", item=item, uses=places(media_usage(item)), form=form), status
