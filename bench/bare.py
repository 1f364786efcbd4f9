"""A kept page of the portal beside a bare WSGI app answering the same bytes, both under waitress and wrk.

The bare app is the ceiling: waitress with nothing behind it. The portal's share of it says what the
request machinery costs a kept page. The goal is at least GOAL_SHARE.

`python -m bench.bare BODY HEADERS PORT THREADS` is the bare server itself (its own process, like the portal).
"""
import json
import os
import shutil
import subprocess
import sys
import time

from waitress import serve

from . import OUTPUT_DIR, PROJECT_ROOT
from .load import HOST, fetch, free_port, running_server
from .pages import run_wrk, settle

PAGE = "/"
GOAL_SHARE = 0.5
ROUNDS = 2
# The portal's defaults, so the two servers differ only in what runs behind waitress.
THREADS = 4
START_TIMEOUT_SECONDS = 20


def bare_app(body, headers):
    """A WSGI app answering every request with these bytes and headers."""
    def application(environ, start_response):
        start_response("200 OK", headers)
        return [body]
    return application


def _wait_for(port, process):
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the bare server stopped")
        try:
            fetch(port, PAGE)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the bare server did not answer")


def measure(data_dir):
    """wrk against the portal's kept page and the bare app, taking turns ROUNDS times; the best of each."""
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (`make bench` installs it; or `apt-get install wrk`)"}
    body_file = os.path.join(OUTPUT_DIR, "bare-body")
    headers_file = os.path.join(OUTPUT_DIR, "bare-headers.json")
    with running_server(data_dir, settings={"RATE_LIMITS": "off"}, log_name="server-bare.log") as (
            _process, portal_port, _start):
        # The exact answer wrk gets (gzip, Spanish), headers included but for the ones waitress adds.
        fetch(portal_port, PAGE, gzip=True)
        status, headers, body = fetch(portal_port, PAGE, gzip=True)
        kept = [(name.title(), value) for name, value in headers.items()
                if name not in ("date", "server", "connection", "via")]
        with open(body_file, "wb") as handle:
            handle.write(body)
        with open(headers_file, "w", encoding="utf-8") as handle:
            json.dump(kept, handle)
        bare_port = free_port()
        bare = subprocess.Popen([sys.executable, "-m", "bench.bare", body_file, headers_file, str(bare_port),
                                 str(THREADS)], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.STDOUT)
        try:
            _wait_for(bare_port, bare)
            portal_runs, bare_runs = [], []
            for _ in range(ROUNDS):
                portal_runs.append(run_wrk(portal_port, PAGE))
                settle(portal_port)
                bare_runs.append(run_wrk(bare_port, PAGE))
                settle(bare_port)
        finally:
            bare.terminate()
            bare.wait(timeout=10)
    failed = [run["error"] for run in portal_runs + bare_runs if "error" in run]
    if failed:
        return {"skipped": failed[0]}
    best_portal = max(portal_runs, key=lambda run: run["per_second"])
    best_bare = max(bare_runs, key=lambda run: run["per_second"])
    return {"page": PAGE, "status": status, "bytes": len(body), "portal": best_portal, "bare": best_bare,
            "share": best_portal["per_second"] / best_bare["per_second"], "goal": GOAL_SHARE, "rounds": ROUNDS}


def markdown(result):
    """The section of results.md."""
    title = "## 7. A kept page beside a bare WSGI app\n\n"
    if "skipped" in result:
        return title + f"Not measured: {result['skipped']}.\n"
    rows = [("The portal (kept page)", result["portal"]), ("Bare WSGI app, same bytes", result["bare"])]
    lines = [title, f"`{result['page']}` ({result['bytes']} bytes gzipped), waitress with {THREADS} threads each, "
             f"wrk as in section 5; best of {result['rounds']} turns each.\n\n",
             "| Server | Requests/s | Median ms | p95 ms | Errors |\n|---|---:|---:|---:|---:|\n"]
    for what, run in rows:
        lines.append(f"| {what} | {run['per_second']:.0f} | {run['median_ms']:.1f} | {run['p95_ms']:.1f} "
                     f"| {run['errors']} |\n")
    verdict = "met" if result["share"] >= result["goal"] else "missed"
    lines.append(f"\nThe portal serves **{result['share']:.0%}** of the bare app's throughput "
                 f"(goal: at least {result['goal']:.0%}: {verdict}).\n")
    return "".join(lines)


def main(arguments):
    """Serve the bytes of BODY with the headers of HEADERS (a JSON list of pairs) on 127.0.0.1:PORT."""
    body_file, headers_file, port, threads = arguments
    with open(body_file, "rb") as handle:
        body = handle.read()
    with open(headers_file, encoding="utf-8") as handle:
        headers = [tuple(pair) for pair in json.load(handle)]
    serve(bare_app(body, headers), host=HOST, port=int(port), threads=int(threads), asyncore_use_poll=True,
          ident="RedPinar", _quiet=True)


if __name__ == "__main__":
    main(sys.argv[1:])
