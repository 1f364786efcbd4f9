"""The online request form of a procedure, built in the panel: questions in order, a working copy, versions."""
import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..security import client_address
from ..store import InvalidName, NotFound, audit, content
from ..store import form_drafts
from ..store.request_forms import form_slug, form_version, form_versions
from . import bp
from .content import title_of
from .forms import EmptyForm
from .question_forms import (CHOICE_TYPES, DEFAULT_MAX_MB, TYPE_NAMES, NewQuestionForm, QuestionForm, form_data,
                             largest_file_mb, question_from)


def _procedure_or_404(procedure_id):
    try:
        procedure = content.get_document("procedures", procedure_id)
    except (NotFound, InvalidName):
        abort(404)
    if procedure.get("deleted"):
        abort(404)
    return procedure


def _question_or_404(questions, key):
    for position, question in enumerate(questions):
        if question.get("key") == key:
            return position, question
    abort(404)


def _record(action, procedure, **facts):
    audit.record(current_user.username, action, target=f"procedures/{procedure['id']}", title=title_of(procedure),
                 address=client_address(), facts=facts)


def _builder_url(procedure):
    return url_for("admin.form_builder", procedure_id=procedure["id"])


def _render_builder(procedure, new_form=None, status=200):
    """The builder page: the working copy's questions, the form to add one, publishing and the versions."""
    slug = form_slug(procedure)
    if new_form is None:
        new_form = NewQuestionForm(data={"obligatoria": True, "tamano": min(DEFAULT_MAX_MB, largest_file_mb())})
    return render_template("admin/form_builder.html", procedure=procedure, title=title_of(procedure),
                           copy=form_drafts.working_copy(slug), versions=form_versions(slug), new_form=new_form,
                           empty=EmptyForm(), type_names=TYPE_NAMES, largest_mb=largest_file_mb(),
                           most=form_drafts.MAX_QUESTIONS), status


@bp.route("/tramites/<procedure_id>/formulario")
@login_required
def form_builder(procedure_id):
    """The procedure's online form as the webmaster is building it."""
    return _render_builder(_procedure_or_404(procedure_id))


@bp.route("/tramites/<procedure_id>/formulario/nueva", methods=["POST"])
@login_required
def form_question_add(procedure_id):
    """Add a question at the end of the working copy."""
    procedure = _procedure_or_404(procedure_id)
    form = NewQuestionForm()
    valid = form.validate()
    question = question_from(form, form.tipo.data) if form.tipo.data in TYPE_NAMES else None
    if not valid or question is None:
        return _render_builder(procedure, form, 400)
    try:
        added = form_drafts.add_question(form_slug(procedure), question, current_user.username)
    except form_drafts.FormFull:
        form.tipo.errors = list(form.tipo.errors) + [_l(
            "El formulario ya tiene %(most)d preguntas, el máximo: quite alguna antes de añadir otra.",
            most=form_drafts.MAX_QUESTIONS)]
        return _render_builder(procedure, form, 400)
    _record("form-question-add", procedure, question=added["label"]["es"])
    flash(_l("Pregunta añadida. Los cambios no se ven en el portal hasta que publique el formulario."), "ok")
    return redirect(_builder_url(procedure) + f"#pregunta-{added['key']}", 303)


@bp.route("/tramites/<procedure_id>/formulario/preguntas/<key>", methods=["GET", "POST"])
@login_required
def form_question_edit(procedure_id, key):
    """Change a question's wording and settings; it keeps its key, its type and its place."""
    procedure = _procedure_or_404(procedure_id)
    slug = form_slug(procedure)
    _position, question = _question_or_404(form_drafts.working_copy(slug)["questions"], key)
    form = QuestionForm(data=form_data(question) if request.method == "GET" else None)
    if request.method == "POST":
        valid = form.validate()
        changed = question_from(form, question["type"])
        if valid and changed is not None:
            try:
                form_drafts.update_question(slug, key, changed, current_user.username)
            except NotFound:  # removed in another tab meanwhile
                abort(404)
            _record("form-question-edit", procedure, question=changed["label"]["es"])
            flash(_l("Pregunta guardada. Los cambios no se ven en el portal hasta que publique el formulario."), "ok")
            return redirect(_builder_url(procedure) + f"#pregunta-{key}", 303)
    return render_template("admin/form_question.html", procedure=procedure, title=title_of(procedure),
                           question=question, form=form, type_names=TYPE_NAMES, choice_types=CHOICE_TYPES,
                           largest_mb=largest_file_mb()), 400 if request.method == "POST" else 200


@bp.route("/tramites/<procedure_id>/formulario/preguntas/<key>/mover", methods=["POST"])
@login_required
def form_question_move(procedure_id, key):
    """Move a question one place up or down."""
    procedure = _procedure_or_404(procedure_id)
    direction = request.form.get("direccion")
    if direction not in ("subir", "bajar") or not EmptyForm().validate_on_submit():
        abort(400)
    try:
        moved = form_drafts.move_question(form_slug(procedure), key, -1 if direction == "subir" else 1,
                                          current_user.username)
    except NotFound:
        abort(404)
    _record("form-question-move", procedure, question=moved["label"]["es"])
    return redirect(_builder_url(procedure) + f"#pregunta-{key}", 303)


@bp.route("/tramites/<procedure_id>/formulario/preguntas/<key>/quitar", methods=["GET", "POST"])
@login_required
def form_question_remove(procedure_id, key):
    """Ask first; then take the question out of the working copy (published versions keep it)."""
    procedure = _procedure_or_404(procedure_id)
    slug = form_slug(procedure)
    _position, question = _question_or_404(form_drafts.working_copy(slug)["questions"], key)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            form_drafts.remove_question(slug, key, current_user.username)
        except NotFound:
            abort(404)
        _record("form-question-remove", procedure, question=question["label"]["es"])
        flash(_l("Pregunta quitada. Los cambios no se ven en el portal hasta que publique el formulario."), "ok")
        return redirect(_builder_url(procedure), 303)
    return render_template("admin/form_question_remove.html", procedure=procedure, title=title_of(procedure),
                           question=question, form=form, type_names=TYPE_NAMES)


@bp.route("/tramites/<procedure_id>/formulario/publicar", methods=["POST"])
@login_required
def form_publish(procedure_id):
    """Save the working copy as the form's next version; earlier versions stay as they were."""
    procedure = _procedure_or_404(procedure_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        published = form_drafts.publish(form_slug(procedure), current_user.username)
    except form_drafts.NothingToPublish:
        flash(_l("No hay nada que publicar: añada o cambie alguna pregunta primero."), "error")
        return redirect(_builder_url(procedure), 303)
    _record("form-publish", procedure, version=published["version"])
    flash(_l("Publicada la versión %(version)d del formulario.", version=published["version"]), "ok")
    return redirect(_builder_url(procedure), 303)


@bp.route("/tramites/<procedure_id>/formulario/descartar", methods=["POST"])
@login_required
def form_discard(procedure_id):
    """Forget the unpublished changes: back to the newest published version."""
    procedure = _procedure_or_404(procedure_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    form_drafts.discard_changes(form_slug(procedure))
    _record("form-discard", procedure)
    flash(_l("Cambios descartados: el formulario es otra vez el publicado."), "ok")
    return redirect(_builder_url(procedure), 303)


@bp.route("/tramites/<procedure_id>/formulario/vista-previa")
@login_required
def form_preview(procedure_id):
    """The working copy as the citizen will see it, in the panel's language, without sending anything."""
    procedure = _procedure_or_404(procedure_id)
    return render_template("admin/form_version.html", procedure=procedure, title=title_of(procedure),
                           questions=form_drafts.working_copy(form_slug(procedure))["questions"], version=None,
                           type_names=TYPE_NAMES)


@bp.route("/tramites/<procedure_id>/formulario/versiones/<version>")
@login_required
def form_version_view(procedure_id, version):
    """One published version, read-only, as its citizens saw it."""
    procedure = _procedure_or_404(procedure_id)
    if not re.fullmatch(r"[1-9][0-9]{0,8}", version):
        abort(404)
    try:
        document = form_version(form_slug(procedure), int(version))
    except NotFound:
        abort(404)
    return render_template("admin/form_version.html", procedure=procedure, title=title_of(procedure),
                           questions=document["questions"], version=document, type_names=TYPE_NAMES)
