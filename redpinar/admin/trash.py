"""The bin: every document in the trash, of every kind, to take back or to delete for good."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..security import client_address
from ..store import NotFound, audit
from ..store.editing import NotInTrash, delete_for_good, set_deleted, trashed_documents
from . import bp
from .content import _collection_or_404, _document_or_404, title_of
from .forms import EmptyForm
from .schemas import COLLECTION_NAMES, SCHEMAS


@bp.route("/papelera/")
@login_required
def trash():
    """Deleted documents of every kind, most recently deleted first."""
    return render_template("admin/trash.html", documents=trashed_documents(SCHEMAS), names=COLLECTION_NAMES,
                           title_of=title_of, empty=EmptyForm())


def _trashed_or_404(collection, document_id):
    _collection_or_404(collection)
    document = _document_or_404(collection, document_id)
    if not document.get("deleted"):
        abort(404)
    return document


@bp.route("/papelera/<collection>/<document_id>/recuperar", methods=["POST"])
@login_required
def trash_restore(collection, document_id):
    """Take a document out of the trash, as it was."""
    document = _trashed_or_404(collection, document_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    set_deleted(collection, document_id, current_user.username, deleted=False)
    audit.record(current_user.username, "content-recuperar", target=f"{collection}/{document_id}",
                 title=title_of(document), address=client_address())
    flash(_l("«%(title)s» ha salido de la papelera.", title=title_of(document)), "ok")
    return redirect(url_for("admin.trash"), 303)


@bp.route("/papelera/<collection>/<document_id>/borrar", methods=["GET", "POST"])
@login_required
def trash_delete(collection, document_id):
    """Ask first; then delete the document and its earlier versions for good."""
    document = _trashed_or_404(collection, document_id)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            delete_for_good(collection, document_id)
        except (NotFound, NotInTrash):
            abort(404)
        audit.record(current_user.username, "content-delete-for-good", target=f"{collection}/{document_id}",
                     title=title_of(document), address=client_address())
        flash(_l("«%(title)s» se ha borrado para siempre.", title=title_of(document)), "ok")
        return redirect(url_for("admin.trash"), 303)
    return render_template("admin/trash_delete.html", document=document, collection=collection,
                           name=COLLECTION_NAMES[collection], title_of=title_of, form=form)
