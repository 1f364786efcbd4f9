"""The portal as deploy/ runs it: nginx (the site of deploy/nginx/redpinar.conf) in front of 2 waitress processes.

Three servers answer the same page under wrk, taking turns: nginx from its page cache, nginx sending a static
file of exactly the page's bytes (the ceiling: nginx with nothing behind it), and nginx with its cache off,
passing every request to the 2 processes. One process asked directly is measured too, for comparison.
The cache's goal is at least GOAL_SHARE of the static file's throughput.
"""
import contextlib
import os
import shutil
import subprocess
import time

from . import OUTPUT_DIR, PROJECT_ROOT
from .load import fetch, free_port, running_server, stop_process
from .nginx_site import NGINX, nginx_command, unprivileged_configuration
from .pages import run_wrk, settle

PAGE = "/"
GOAL_SHARE = 0.8
ROUNDS = 2
PROCESSES = 2
WORK = os.path.join(OUTPUT_DIR, "nginx")
# Served by the site's own /static/ location, as the portal's stylesheet is.
STATIC_FILE = "same-bytes-as-the-page.html"
START_TIMEOUT_SECONDS = 20
# What a province sets when nginx runs in front (deploy/systemd/redpinar@.service); limits off for one loopback client.
BEHIND_NGINX = {"RATE_LIMITS": "off", "TRUSTED_PROXIES": "127.0.0.1"}


def _wait_for(port, process, path):
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped; see {WORK}")
        try:
            fetch(port, path)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not answer; see {WORK}")


def _install_dir():
    """A folder laid out like the portal's install folder, holding only what nginx serves itself."""
    root = os.path.join(WORK, "root")
    os.makedirs(os.path.join(root, "static"))
    os.makedirs(os.path.join(root, "deploy", "nginx"))
    shutil.copy(os.path.join(PROJECT_ROOT, "deploy", "nginx", "unavailable.html"),
                os.path.join(root, "deploy", "nginx", "unavailable.html"))
    return root


@contextlib.contextmanager
def _nginx(name, upstream_ports, root, cache):
    """nginx on a free port with the deployed site (access log off, as under load), until the block ends."""
    folder = os.path.join(WORK, name)
    os.makedirs(folder)
    port = free_port()
    config = unprivileged_configuration(folder, port, upstream_ports, install_dir=root, access_log=False,
                                        cache=cache)
    process = subprocess.Popen(nginx_command(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process, "/robots.txt")
        yield port
    finally:
        stop_process(process)


def _best(runs):
    failed = [run["error"] for run in runs if "error" in run]
    if failed:
        raise RuntimeError(failed[0])
    return max(runs, key=lambda run: run["per_second"])


def measure(data_dir):
    """wrk against nginx's cache, a static file of the same bytes, nginx without cache, and one process; best of ROUNDS."""
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (`make bench` installs it; or `apt-get install wrk`)"}
    if NGINX is None:
        return {"skipped": "nginx is not installed (`make test` installs it; or `apt-get install nginx-light`)"}
    shutil.rmtree(WORK, ignore_errors=True)
    root = _install_dir()
    load_before = os.getloadavg()[0]
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(running_server(data_dir, settings=BEHIND_NGINX,
                                                      log_name=f"server-nginx-{number}.log"))
                   for number in range(1, PROCESSES + 1)]
        upstream_ports = [port for _process, port, _start in servers]
        cached = stack.enter_context(_nginx("cached", upstream_ports, root, cache=True))
        uncached = stack.enter_context(_nginx("uncached", upstream_ports, root, cache=False))
        # The answer wrk gets from the cache (gzip, Spanish); the static file holds exactly its bytes.
        fetch(cached, PAGE, gzip=True)
        status, headers, body = fetch(cached, PAGE, gzip=True)
        if status != 200 or headers.get("x-cache") != "HIT":
            return {"skipped": f"nginx did not keep {PAGE} (status {status}, X-Cache {headers.get('x-cache')})"}
        with open(os.path.join(root, "static", STATIC_FILE), "wb") as handle:
            handle.write(body)
        static_path = f"/static/{STATIC_FILE}"
        if len(fetch(cached, static_path, gzip=True)[2]) != len(body):
            return {"skipped": "nginx did not send the static file as it is"}
        turns = {"cache": (cached, PAGE), "static": (cached, static_path), "uncached": (uncached, PAGE),
                 "alone": (upstream_ports[0], PAGE)}
        runs = {name: [] for name in turns}
        # Taking turns spreads a slow moment of the machine (other work shares it) over all four.
        for _ in range(ROUNDS):
            for name, (port, path) in turns.items():
                runs[name].append(run_wrk(port, path))
                settle(port)
    try:
        best = {name: _best(name_runs) for name, name_runs in runs.items()}
    except RuntimeError as error:
        return {"skipped": str(error)}
    return {"page": PAGE, "bytes": len(body), "static_path": static_path, "best": best, "rounds": ROUNDS,
            "share": best["cache"]["per_second"] / best["static"]["per_second"], "goal": GOAL_SHARE,
            "load_before": load_before, "load_after": os.getloadavg()[0]}


ROWS = [
    ("static", "nginx, a static file of the same bytes"),
    ("cache", "nginx's page cache"),
    ("uncached", f"nginx, cache off, to {PROCESSES} waitress processes"),
    ("alone", "One waitress process, no nginx"),
]


def markdown(result):
    """The section of results.md."""
    title = "## 8. Through nginx, as deploy/ runs the portal\n\n"
    if "skipped" in result:
        return title + f"Not measured: {result['skipped']}.\n"
    lines = [title, f"`{result['page']}` ({result['bytes']} bytes gzipped), the site of deploy/nginx/redpinar.conf "
             f"(one nginx worker, access log off) in front of {PROCESSES} `python app.py` on the large folder; "
             f"wrk as in section 5, the four taking turns, best of {result['rounds']} turns each. "
             f"Load average {result['load_before']:.1f} before, {result['load_after']:.1f} after.\n\n",
             "| Server | Requests/s | Median ms | p95 ms | Bytes a response | Errors |\n"
             "|---|---:|---:|---:|---:|---:|\n"]
    for name, what in ROWS:
        run = result["best"][name]
        lines.append(f"| {what} | {run['per_second']:.0f} | {run['median_ms']:.1f} | {run['p95_ms']:.1f} "
                     f"| {run['bytes_per_response']:.0f} | {run['errors']} |\n")
    verdict = "met" if result["share"] >= result["goal"] else "missed"
    lines.append(f"\nnginx's cache serves the page at **{result['share']:.0%}** of the static file's throughput "
                 f"(goal: at least {result['goal']:.0%}: {verdict}).\n")
    return "".join(lines)
