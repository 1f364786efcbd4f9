"""The province the portal serves: its settings on every request, its theme over the templates."""
import logging
import os
import threading

from flask import g
from flask.templating import Environment
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from . import theme
from .store.errors import StoreCorrupt
from .store.site import load_site, site_problems, site_with_defaults, theme_templates_folder


log = logging.getLogger(__name__)


class Refused(ChainableUndefined):
    """What a template gets for an unsafe attribute: nothing, however far it reaches or calls."""

    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return self


class SandboxedTemplates(SandboxedEnvironment, Environment):
    """Flask's template environment inside Jinja's sandbox.

    Template overrides live in the data folder, and a restored backup brings its own: they
    are data, so they may show and arrange what the portal offers them but never reach Python.
    An unsafe attribute renders as nothing, so a page with one still answers.
    """

    def unsafe_undefined(self, obj, attribute):
        """Log the refusal and render nothing in its place."""
        log.warning("a template asked for %r of a %s object; refused", attribute, type(obj).__name__)
        return Refused(name=attribute, obj=obj)


class _MergedSite:
    """The site with defaults filled in, rebuilt only when site.json changed."""

    def __init__(self):
        self._lock = threading.Lock()
        self._source = None
        self._merged = None

    def get(self):
        source = load_site()
        with self._lock:
            if source is not self._source:
                self._merged = site_with_defaults(source)
                self._merged["theme_css"] = theme.css_variables(self._merged["colours"])
                self._source = source
            return self._merged


def template_problems(app):
    """Syntax errors in the province's own templates, each naming the file."""
    problems = []
    with app.app_context():
        folder = theme_templates_folder()
    for root, _folders, files in os.walk(folder):
        for name in sorted(files):
            if not name.endswith((".html", ".txt", ".xml")):
                continue
            path = os.path.join(root, name)
            shown = os.path.relpath(path, app.config["DATA_DIR"])
            try:
                with open(path, encoding="utf-8") as handle:
                    app.jinja_env.parse(handle.read())
            except (TemplateSyntaxError, UnicodeDecodeError) as error:
                problems.append(f"{shown}: {error}")
    return problems


def startup_problems(app):
    """What is wrong with the province's site.json and theme (contrast, fields, templates)."""
    with app.app_context():
        try:
            problems = [f"site.json: {problem}" for problem in site_problems(load_site())]
        except StoreCorrupt as error:
            problems = [f"site.json: is not valid JSON ({error.reason})"]
    return problems + template_problems(app)


def configure_templates(app):
    """Put the province's template folder before the shipped one (before anything builds jinja_env)."""
    with app.app_context():
        theme_folder = theme_templates_folder()
    # Sandboxed: MRO puts the sandbox's __init__ first, then Flask's (which needs the app).
    app.jinja_environment = SandboxedTemplates
    app.jinja_options = dict(app.jinja_options, trim_blocks=True, lstrip_blocks=True, loader=ChoiceLoader([
        FileSystemLoader(theme_folder), app.create_global_jinja_loader(),
    ]))


def init_app(app):
    """Load the province's settings on every request and report its problems at start-up."""
    merged = _MergedSite()

    @app.before_request
    def load_province():
        g.site = merged.get()
        g.theme_css = g.site["theme_css"]

    problems = startup_problems(app)
    for problem in problems:
        app.logger.error("province settings: %s", problem)
    app.config["PROVINCE_PROBLEMS"] = problems
