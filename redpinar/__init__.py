"""RedPinar: a provincial government's portal for citizens."""
import logging

from flask_wtf.csrf import CSRFProtect

from . import cachecontrol, cli, config, delivery, errors, frontcache, i18n, pagecache, province, security, templating
from . import addresses
from .addresses import Portal
from .search import SearchIndex
from .sitecopy import mode as site_copy_mode
from .store.site import secret_key

csrf = CSRFProtect()
# Before any time zone is looked up, by the portal or by code importing it.
config.use_pinned_time_zones()


def create_app(test_config=None):
    """Build the app: settings, extensions, province, blueprints, commands."""
    settings = config.load(test_config)
    app = Portal(
        __name__,
        static_folder=config.PROJECT_ROOT + "/static",
        template_folder=config.PROJECT_ROOT + "/templates",
    )
    app.config.update(settings)
    if not app.logger.handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not app.config["SECRET_KEY"]:
        with app.app_context():
            app.config["SECRET_KEY"] = secret_key()

    province.configure_templates(app)
    csrf.init_app(app)
    # First: its after-request hook then runs last, when every cookie the response sets is known.
    cachecontrol.init_app(app)
    i18n.init_app(app)
    province.init_app(app)
    # After the province (its hook reads the languages offered); its WSGI layer sits under the front cache.
    addresses.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    delivery.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    site_copy_mode.init_app(app)

    app.extensions["redpinar_search"] = SearchIndex()

    from .admin import auth as admin_auth
    from .admin import bp as admin_bp
    from .participation import bp as participation_bp
    from .public import bp as public_bp
    from .services import bp as services_bp
    app.register_blueprint(public_bp)
    app.register_blueprint(participation_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(services_bp)
    admin_auth.init_app(app)
    # Last: its after-request hook then runs first, keeping the page before gzip and headers.
    pagecache.init_app(app)
    frontcache.init_app(app)
    return app
