"""`python app.py` and `make run`: load the demo into an empty folder, then serve with waitress."""
import sys

from waitress import serve

from . import create_app, province
from .store.demo import load_demo_if_empty
from .store.request_files import sweep_request_files
from .store.users import has_webmaster


# Headers of a real browser fit many times over; each open connection may buffer this much.
MAX_HEADER_BYTES = 64 * 1024


def waitress_options(app):
    """Waitress settings derived from the app's: address, threads, limits, timeouts, proxies.

    A connection takes a thread only once its request is complete, so clients that open
    connections and send slowly hold only connection slots: there are many of them, and a
    silent one is closed after the channel timeout.
    """
    options = {
        "host": app.config["HOST"],
        "port": app.config["PORT"],
        "threads": app.config["THREADS"],
        "max_request_body_size": app.config["MAX_CONTENT_LENGTH"],
        "max_request_header_size": MAX_HEADER_BYTES,
        "connection_limit": app.config["CONNECTION_LIMIT"],
        "channel_timeout": app.config["CHANNEL_TIMEOUT"],
        # Silent connections are looked for this often, so one is closed soon after its timeout.
        "cleanup_interval": max(1, min(10, app.config["CHANNEL_TIMEOUT"] // 3)),
        # poll() has no limit on socket numbers; select() stops at 1024.
        "asyncore_use_poll": True,
        "ident": "RedPinar",
        "clear_untrusted_proxy_headers": True,
    }
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        options["trusted_proxy"] = proxies[0] if len(proxies) == 1 else "*"
        options["trusted_proxy_headers"] = "x-forwarded-for x-forwarded-proto"
    return options


def main():
    """Prepare the data folder and serve the portal until stopped."""
    app = create_app()
    with app.app_context():
        if load_demo_if_empty():
            print(f"Loaded the example province into {app.config['DATA_DIR']}.", flush=True)
        # What an interrupted send left behind: files no request or draft names, temp files.
        sweep_request_files()
    problems = province.startup_problems(app)
    if problems:
        print("The province settings need fixing before the portal can serve:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        sys.exit(1)
    if app.config["PUBLIC_URL_DERIVED"]:
        app.logger.warning("REDPINAR_PUBLIC_URL is not set: the sitemap, feeds, calendars and emails link to %s; "
                           "set it to the address visitors type", app.config["PUBLIC_URL"])
    options = waitress_options(app)
    print(f"RedPinar is serving on http://{options['host']}:{options['port']}/", flush=True)
    with app.app_context():
        if not has_webmaster():
            print("Create the webmaster's account with:  .venv/bin/flask --app app create-admin USERNAME", flush=True)
    serve(app, **options)
