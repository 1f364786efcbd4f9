"""The public pages under load: wrk against `python app.py` on the large folder, ETags, the search index.

Traffic only ever goes to 127.0.0.1, to a server load.running_server started and always stops.
wrk (Debian's package; `make bench` installs it when missing) runs each page for a fixed time.
"""
import os
import re
import shutil
import subprocess
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from redpinar import create_app
from redpinar.search import SEARCHABLE
from redpinar.store import catalogue
from redpinar.store.site import load_site

from . import median_and_p95
from .load import HOST, fetch, memory_of, running_server

CONNECTIONS = 16
SECONDS = 10
# One wrk thread drives 16 connections easily and leaves the other core to the server.
WRK_THREADS = 1
WRK_TIMEOUT = "5s"
WRK_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk_summary.lua")
WRK_MARKER = "REDPINAR-WRK"
ALONE_REQUESTS = 10
INDEX_BUILDS = 5
GOAL_MS = 50
# The server's fixed cost: a tiny answer through waitress, Flask and the after-request hooks.
FLOOR_PATH = "/robots.txt"
FLOOR_WHAT = "Floor: `robots.txt`"
SETTLE_SECONDS = 1


def next_month(zone_name):
    """YYYY-MM of the month after this one, in the province's time zone."""
    today = datetime.now(ZoneInfo(zone_name)).date()
    return f"{(today.replace(day=1) + timedelta(days=32)):%Y-%m}"


def pages_to_measure(app):
    """[(what, address)] of the pages under test, the procedure being the one the home page shows first."""
    with app.app_context():
        procedure = catalogue.popular_procedures(1)[0]["slug"]
        month = next_month(load_site().get("timezone", "America/Havana"))
    return [
        ("Home", "/"),
        ("News list", "/noticias/"),
        ("A procedure (the most used)", f"/tramites/{procedure}/"),
        ("Search «licencia»", "/buscar?q=licencia"),
        ("Search «tramite» (finds «trámite»)", "/buscar?q=tramite"),
        ("Events, next month", f"/eventos/?mes={month}"),
    ]


def parse_wrk(stdout):
    """The figures of the summary line wrk_summary.lua prints, as numbers; None when there is none."""
    found = re.search(rf"^{WRK_MARKER} (.+)$", stdout, re.MULTILINE)
    if not found:
        return None
    figures = {}
    for pair in found.group(1).split():
        name, _, value = pair.partition("=")
        try:
            figures[name] = float(value)
        except ValueError:
            return None
    needed = {"requests", "duration_us", "p50_us", "p95_us"}
    return figures if needed <= figures.keys() and figures["duration_us"] > 0 else None


def run_wrk(port, path):
    """CONNECTIONS keep-alive connections asking for path for SECONDS; requests/s, median and p95 in ms."""
    command = ["wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", f"{SECONDS}s",
               "--timeout", WRK_TIMEOUT, "-s", WRK_SCRIPT, f"http://{HOST}:{port}{path}"]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 30)
    except subprocess.TimeoutExpired:
        return {"error": f"wrk did not finish within {SECONDS + 30} s"}
    figures = parse_wrk(finished.stdout)
    if finished.returncode != 0 or figures is None:
        said = (finished.stderr or finished.stdout).strip().splitlines()
        return {"error": f"wrk exited with {finished.returncode}: {said[-1] if said else 'no output'}"}
    errors = sum(figures.get(name, 0) for name in
                 ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {"requests": int(figures["requests"]), "per_second": figures["requests"] / figures["duration_us"] * 1e6,
            "median_ms": figures["p50_us"] / 1000, "p95_ms": figures["p95_us"] / 1000,
            "max_ms": figures.get("max_us", 0) / 1000, "errors": int(errors),
            "bytes_per_response": figures.get("bytes", 0) / max(figures["requests"], 1)}


def timed_fetch(port, path):
    """(ms, status) of one gzip GET."""
    started = time.perf_counter()
    status, _headers, _body = fetch(port, path, gzip=True)
    return (time.perf_counter() - started) * 1000, status


def one_at_a_time(port, path):
    """The first request's time (cold caches; the first search builds the index), then ALONE_REQUESTS more."""
    first_ms, first_status = timed_fetch(port, path)
    alone = [timed_fetch(port, path) for _ in range(ALONE_REQUESTS)]
    statuses = {first_status} | {status for _ms, status in alone}
    return {"first_ms": first_ms, "alone_ms": median_and_p95([ms for ms, _status in alone])[0],
            "statuses": sorted(statuses)}


def revalidation(port, path):
    """The 200 answer's gzipped bytes and ETag, and whether asking again with If-None-Match gives an empty 304."""
    status, headers, body = fetch(port, path, gzip=True)
    etag = headers.get("etag")
    result = {"status": status, "gzip_bytes": len(body), "encoding": headers.get("content-encoding", "none"),
              "etag": etag, "second_status": None, "second_bytes": None}
    if etag:
        second_status, _headers, second_body = fetch(port, path, gzip=True, headers={"If-None-Match": etag})
        result.update(second_status=second_status, second_bytes=len(second_body))
    result["not_modified"] = result["second_status"] == 304 and result["second_bytes"] == 0
    return result


def settle(port):
    """Wait until the server has finished what wrk left in its queue, so the next figures start clean."""
    # wrk stops sending at the deadline, but the requests it had in flight are still being served;
    # this one is answered after them.
    fetch(port, FLOOR_PATH)
    time.sleep(SETTLE_SECONDS)


def measure_pages(data_dir, pages):
    """Start the portal with rate limits off; each page one at a time first (warming it up), then under wrk."""
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (`make bench` installs it; or `apt-get install wrk`)"}
    with running_server(data_dir, settings={"RATE_LIMITS": "off"}, log_name="server-pages.log") as (
            process, port, _start_seconds):
        # Every first request before any load, so none of them waits behind another page's leftovers.
        measured = [{"what": what, "path": path, **one_at_a_time(port, path), **revalidation(port, path)}
                    for what, path in pages + [(FLOOR_WHAT, FLOOR_PATH)]]
        for page in measured:
            page["load"] = run_wrk(port, page["path"])
            settle(port)
        memory = memory_of(process.pid)
    return {"pages": measured[:-1], "floor": measured[-1], "memory": memory}


def measure_index_build(app):
    """The search index built in this process INDEX_BUILDS times (content already read); ms and documents."""
    with app.app_context():
        # Read every collection first, so the times are the index's own, not the first parse of the files.
        documents = {kind: len(catalogue.documents(collection)) for kind, (collection, _) in SEARCHABLE.items()}
        index = app.extensions["redpinar_search"]
        builds = [index.rebuild() * 1000 for _ in range(INDEX_BUILDS)]
    return {"builds_ms": builds, "documents": documents}


def measure(data_dir):
    """Section 5: the search index's build, then the pages under load."""
    load_average = os.getloadavg()[0]
    app = create_app({"DATA_DIR": data_dir})
    index = measure_index_build(app)
    return {"index": index, **measure_pages(data_dir, pages_to_measure(app)),
            "connections": CONNECTIONS, "seconds": SECONDS, "goal_ms": GOAL_MS, "load_average": load_average}
