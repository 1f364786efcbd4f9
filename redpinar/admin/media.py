"""The media library: upload images and PDF documents, see their public addresses and HTML."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..pagination import Page, page_number
from ..security import client_address
from ..store import audit, media
from . import bp

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
