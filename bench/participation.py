"""Citizens' messages under load: saving through waitress, following with code and PIN, public figures.

`python -m bench.participation` (also part of `make bench`). Traffic goes only to 127.0.0.1,
to servers this module starts and always stops; every loop is bounded in count and time.
"""
import http.client
import os
import re
import shutil
import threading
import time
import urllib.parse

from . import OUTPUT_DIR, PROJECT_ROOT, median_and_p95
from .load import HOST, running_server

CLIENTS = 8
STORM_SECONDS = 8
LOOKUPS = 100
FIGURE_PAGES = 40
LOAD_SETTINGS = {"RATE_LIMITS": "off", "FORM_MIN_SECONDS": "0"}
MESSAGE = {"tipo": "queja", "tema": "salud", "entidad": "no-se", "municipio": "guane", "asunto": "Medicamentos",
           "mensaje": "En la farmacia principal no hay medicamentos para la presión desde hace un mes.",
           "nombre": "María Pérez", "respuesta": "codigo", "accion": "enviar"}
HIDDEN = re.compile(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"'
                    r'|<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')


class Browser:
    """One visitor on one kept-alive connection, with its session cookie."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookie = ""

    def request(self, method, path, fields=None):
        """(status, headers, body) of one request; the first cookie is kept."""
        body = urllib.parse.urlencode(fields) if fields is not None else None
        headers = {"Cookie": self.cookie, "Accept-Language": "es"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, response, content.decode("utf-8", "replace")

    def hidden_fields(self, path):
        """The hidden inputs of a form page."""
        _, _, html = self.request("GET", path)
        return {match[0] or match[2]: match[1] or match[3] for match in HIDDEN.findall(html)}


def storm(port, seconds=STORM_SECONDS):
    """Messages per second with CLIENTS visitors sending for `seconds`; and each save's latency."""
    latencies, errors, stop = [], [], time.monotonic() + seconds

    def visitor():
        browser = Browser(port)
        fields = dict(browser.hidden_fields("/participa/"), **MESSAGE)
        while time.monotonic() < stop:
            started = time.perf_counter()
            status, _, _ = browser.request("POST", "/participa/", fields)
            if status != 303:
                errors.append(status)
                return
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=visitor) for _ in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - began
    median, p95 = median_and_p95(latencies)
    return {"sent": len(latencies), "per_second": len(latencies) / elapsed, "median_ms": median * 1000,
            "p95_ms": p95 * 1000, "errors": len(errors)}


def send_one(port):
    """Send one message; its (code, PIN) from the receipt."""
    browser = Browser(port)
    status, response, _ = browser.request("POST", "/participa/", dict(browser.hidden_fields("/participa/"), **MESSAGE))
    receipt = response.getheader("Location")
    _, _, html = browser.request("GET", receipt)
    code = receipt.rstrip("/").split("/")[-1]
    pin = re.search(r'<dt>PIN</dt><dd class="code">(\d{6})</dd>', html).group(1)
    return code, pin


def follow_times(port, code, pin, count=LOOKUPS):
    """Latency of opening a message with code and PIN (post, then its page), first call apart."""
    durations = []
    for _ in range(count):
        browser = Browser(port)
        fields = dict(browser.hidden_fields("/seguimiento/"), codigo=code, pin=pin)
        started = time.perf_counter()
        status, response, _ = browser.request("POST", "/seguimiento/", fields)
        browser.request("GET", response.getheader("Location"))
        durations.append(time.perf_counter() - started)
        assert status == 303, status
    median, p95 = median_and_p95(durations[1:])
    return {"first_ms": durations[0] * 1000, "median_ms": median * 1000, "p95_ms": p95 * 1000}


def figures_times(port, count=FIGURE_PAGES):
    """Latency of /transparencia/: the first request after start, then the median of the next ones."""
    browser = Browser(port)
    durations = []
    for _ in range(count):
        started = time.perf_counter()
        status, _, _ = browser.request("GET", "/transparencia/")
        durations.append(time.perf_counter() - started)
        assert status == 200, status
    median, p95 = median_and_p95(durations[1:])
    return {"first_ms": durations[0] * 1000, "median_ms": median * 1000, "p95_ms": p95 * 1000}


def measure(large_data, work_dir):
    """Both folders, each served fresh: the storm, then following a message, then the figures."""
    results = {}
    empty = os.path.join(work_dir, "empty")
    copy = os.path.join(work_dir, "large-copy")
    shutil.rmtree(work_dir, ignore_errors=True)
    os.makedirs(empty, exist_ok=True)
    shutil.copytree(large_data, copy, ignore=shutil.ignore_patterns("*.lock"))
    try:
        for label, folder in (("0", empty), ("100,000", copy)):
            with running_server(folder, LOAD_SETTINGS, log_name=f"server-participation-{label.replace(',', '')}.log") \
                    as (_process, port, _):
                figures = figures_times(port)
                code, pin = send_one(port)
                results[label] = {"figures": figures, "follow": follow_times(port, code, pin), "storm": storm(port)}
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return results


def markdown(results):
    """The results as Markdown tables."""
    lines = ["## 6. Citizens' messages through waitress", "",
             f"{CLIENTS} visitors posting the form on kept-alive connections for {STORM_SECONDS} s "
             "(`REDPINAR_RATE_LIMITS=off`, `REDPINAR_FORM_MIN_SECONDS=0`); each answer is the 303 to the receipt, "
             "sent after the message was fsync'd.", "",
             "| Earlier submissions | Messages saved | Per second | Median (ms) | p95 (ms) | Errors |",
             "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, result in results.items():
        storm_result = result["storm"]
        lines.append(f"| {label} | {storm_result['sent']} | {storm_result['per_second']:.1f} | "
                     f"{storm_result['median_ms']:.1f} | {storm_result['p95_ms']:.1f} | {storm_result['errors']} |")
    ratio = results["100,000"]["storm"]["per_second"] / results["0"]["storm"]["per_second"]
    lines += ["", f"Messages per second with 100,000 earlier ÷ with none: **{ratio:.2f}** (goal: within 1.5×).", "",
              "| Earlier submissions | Follow with code + PIN: first (ms) | median (ms) | p95 (ms) | "
              "/transparencia/: first (ms) | median (ms) | p95 (ms) |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, result in results.items():
        follow, figures = result["follow"], result["figures"]
        lines.append(f"| {label} | {follow['first_ms']:.0f} | {follow['median_ms']:.1f} | {follow['p95_ms']:.1f} | "
                     f"{figures['first_ms']:.0f} | {figures['median_ms']:.1f} | {figures['p95_ms']:.1f} |")
    return "\n".join(lines) + "\n"


def main():
    """Measure with the large folder of `make bench` (generated when missing) and print the tables."""
    from .run import large_data_folder, LARGE_DATA
    from . import generate
    large_data_folder(generate.DEFAULT_SEED)
    text = markdown(measure(LARGE_DATA, os.path.join(OUTPUT_DIR, "participation-work")))
    with open(os.path.join(OUTPUT_DIR, "participation.md"), "w", encoding="utf-8") as handle:
        handle.write(text)
    print(text)
    print(f"Written to {os.path.relpath(os.path.join(OUTPUT_DIR, 'participation.md'), PROJECT_ROOT)}.")


if __name__ == "__main__":
    main()
