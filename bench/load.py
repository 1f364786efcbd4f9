"""The portal as a visitor's browser meets it: a real server process, its memory and its page weight.

Traffic only ever goes to 127.0.0.1, to a `python app.py` this module started itself and
always stops, and every loop has a bounded count and a time budget.
"""
import collections
import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from . import OUTPUT_DIR, PROJECT_ROOT, median_and_p95

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 30
REQUEST_TIMEOUT_SECONDS = 15
TRAFFIC_REQUESTS = 200
TRAFFIC_BUDGET_SECONDS = 60
MAX_OTHER_PAGES = 12
MISSING_PAGE = "/pagina-que-no-existe"
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fetch(port, path, gzip=False, headers=None):
    """(status, lower-cased headers, body exactly as sent) of one GET to the local server."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        # http.client never decompresses, so len(body) is what travelled over the wire.
        connection.request("GET", path, headers={
            "Accept-Encoding": "gzip" if gzip else "identity", "Accept-Language": "es", **(headers or {}),
        })
        response = connection.getresponse()
        body = response.read()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, body
    finally:
        connection.close()


def memory_of(pid):
    """The process's resident memory now (VmRSS) and at its peak (VmHWM), in MiB."""
    figures = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = int(value.split()[0]) / 1024  # the kernel reports kB
    return figures


def stop_process(process):
    """End a server the bench started: politely first, then for good."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _wait_until_answering(process, port, log_path):
    started = time.monotonic()
    while time.monotonic() - started < START_TIMEOUT_SECONDS:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {process.returncode}; see {log_path}")
        try:
            fetch(port, "/robots.txt")
            return time.monotonic() - started
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT_SECONDS} s; see {log_path}")


@contextlib.contextmanager
def running_server(data_dir, settings=None, log_name="server.log"):
    """`python app.py` serving data_dir on a free local port; yields (process, port, seconds to answer).

    settings: more REDPINAR_* variables, without the prefix, like {"RATE_LIMITS": "off"}.
    """
    port = free_port()
    # The bench decides the settings; a developer's own REDPINAR_* must not change the figures.
    environment = {name: value for name, value in os.environ.items() if not name.startswith("REDPINAR_")}
    environment.update({f"REDPINAR_{name}": value for name, value in (settings or {}).items()})
    environment.update(REDPINAR_DATA_DIR=data_dir, REDPINAR_PORT=str(port), REDPINAR_HOST=HOST)
    log_path = os.path.join(OUTPUT_DIR, log_name)
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "app.py"], cwd=PROJECT_ROOT, env=environment,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process, port, _wait_until_answering(process, port, log_path)
    finally:
        stop_process(process)


class _PageLinks(HTMLParser):
    """The same-site pages a page links to, and the files a browser loads to show it."""

    def __init__(self):
        super().__init__()
        self.pages = []
        self.files = []

    def handle_starttag(self, tag, attrs):
        """Note where an <a>, <link>, <img>, <script> or <source> points."""
        attributes = dict(attrs)
        relations = set((attributes.get("rel") or "").lower().split())
        if tag == "a" and attributes.get("href"):
            self.pages.append(attributes["href"])
        elif tag == "link" and attributes.get("href") and relations & {"stylesheet", "icon", "preload"}:
            self.files.append(attributes["href"])
        elif tag in ("img", "script", "source") and attributes.get("src"):
            self.files.append(attributes["src"])


def _local(addresses, base="/"):
    """The addresses that stay on this site, as paths with their query, in order, once each."""
    paths = []
    for address in addresses:
        parts = urlsplit(urljoin(base, address))
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/admin"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in paths:
            paths.append(path)
    return paths


def links_of(html):
    """(pages, files) a page refers to on this site."""
    parser = _PageLinks()
    parser.feed(html.decode("utf-8", "replace"))
    return _local(parser.pages), _local(parser.files)


def _kind(path, headers):
    mimetype = headers.get("content-type", "").split(";")[0]
    if mimetype == "text/css":
        return "stylesheet"
    if mimetype.startswith("image/"):
        return "icon" if "favicon" in path else "image"
    return mimetype or "file"


def page_weight(port, path="/"):
    """What a first visit to a page downloads: the HTML and every file it (and its CSS) refers to."""
    _status, _headers, html = fetch(port, path)
    _status, headers, html_sent = fetch(port, path, gzip=True)
    rows = [{"path": path, "kind": "HTML", "bytes": len(html), "sent": len(html_sent),
             "encoding": headers.get("content-encoding", "none")}]
    queue = links_of(html)[1]
    seen = set(queue)
    while queue and len(rows) < 50:
        file_path = queue.pop(0)
        status, _headers, plain = fetch(port, file_path)
        _status, headers, sent = fetch(port, file_path, gzip=True)
        kind = _kind(file_path, headers)
        rows.append({"path": file_path, "kind": kind if status == 200 else f"{kind} (status {status})",
                     "bytes": len(plain), "sent": len(sent), "encoding": headers.get("content-encoding", "none")})
        if kind == "stylesheet":
            for found in _local(CSS_URL.findall(plain.decode("utf-8", "replace")), base=file_path):
                if found not in seen:
                    seen.add(found)
                    queue.append(found)
    return rows


def traffic_plan(port):
    """What to request between visits to the home page: pages it links to, robots.txt, a missing page, its files."""
    _status, _headers, html = fetch(port, "/")
    pages, files = links_of(html)
    others = [page for page in pages if page != "/"][:MAX_OTHER_PAGES]
    others += ["/robots.txt", MISSING_PAGE] + files
    return others


def send_traffic(port, others, count=TRAFFIC_REQUESTS, budget_seconds=TRAFFIC_BUDGET_SECONDS):
    """GET the home page and the other addresses, count times at most; times in ms and status counts."""
    statuses = collections.Counter()
    unexpected = {}
    home_ms, all_ms, slowest = [], [], (0.0, "")
    deadline = time.monotonic() + budget_seconds
    for number in range(count):
        path = "/" if number % 2 == 0 else others[(number // 2) % len(others)]
        started = time.perf_counter()
        status, _headers, _body = fetch(port, path, gzip=True)
        elapsed = (time.perf_counter() - started) * 1000
        statuses[status] += 1
        if status != (404 if path == MISSING_PAGE else 200):
            unexpected[path] = status
        all_ms.append(elapsed)
        if path == "/":
            home_ms.append(elapsed)
        slowest = max(slowest, (elapsed, path))
        if time.monotonic() > deadline:
            break
    return {"requests": len(all_ms), "statuses": dict(sorted(statuses.items())), "unexpected": unexpected,
            "home_ms": median_and_p95(home_ms), "all_ms": median_and_p95(all_ms), "slowest": slowest}


def measure_server(data_dir):
    """Start the portal on data_dir, send it traffic, and report its memory and its home page's weight."""
    with running_server(data_dir) as (process, port, start_seconds):
        memory_at_start = memory_of(process.pid)
        others = traffic_plan(port)
        traffic = send_traffic(port, others)
        memory_after = memory_of(process.pid)
        weight = page_weight(port)
    return {"start_seconds": start_seconds, "memory_at_start": memory_at_start, "memory_after": memory_after,
            "addresses": ["/"] + others, "traffic": traffic, "weight": weight}
