"""Sending an online request with a 1 MB file: as cheap with 50,000 earlier requests as with none.

`python -m bench.requests [--earlier 50000] [--sends 30]`. Two data folders under bench/output/requests/
(the example province alone, and the same with the earlier requests spread over 24 months); in each, a
citizen fills in the form with a 1 MB PDF, sees the check page and sends it, through the Flask app as
waitress would run it. Prints the median and 95th percentile of a whole send (form post with the file +
confirmation) and the ratio. Everything is bounded: a fixed number of sends and 120 s for each folder.
"""
import argparse
import os
import random
import shutil
import sys
import time
from datetime import datetime, timedelta, timezone

from . import OUTPUT_DIR, PROJECT_ROOT, median_and_p95

sys.path.insert(0, PROJECT_ROOT)

from redpinar.store.request_forms import latest_form  # noqa: E402
from redpinar.store.requests import count_requests, import_requests  # noqa: E402
from tests.conftest import make_app  # noqa: E402
from tests.request_helpers import SLUG, confirm, minimal_pdf, post_request_form  # noqa: E402

BUDGET_SECONDS = 120
WARM_UP = 3


def earlier_requests(app, count, seed=12):
    """Store `count` requests received over the last 24 months, answers and file entries included."""
    randomness = random.Random(seed)
    with app.app_context():
        questions = latest_form(SLUG)["questions"]
        now = datetime.now(timezone.utc)
        documents = []
        for number in range(count):
            created = (now - timedelta(minutes=randomness.randint(0, 24 * 30 * 24 * 60))).isoformat(timespec="seconds")
            documents.append({
                "id": f"B{number:07d}", "created": created, "updated": created, "procedure": SLUG,
                "form_version": 1, "questions": questions, "status": randomness.choice(["received", "closed"]),
                "answers": {"carne": "85031512345", "nombre": f"Persona {number}", "declaro": True,
                            "direccion_nueva": {"municipality": "guane", "street": "Calle Martí 12"},
                            "fecha_mudanza": "2026-03-15", "vivienda": 0, "documento": f"{number:032x}"},
                "files": [{"id": f"{number:032x}", "question": "documento", "name": "contrato.pdf", "type": "pdf",
                           "bytes": 1048576, "sha256": "0" * 64, "path": f"{created[:7]}/{number:032x}.pdf"}],
                "history": [{"status": "received", "at": created, "by": "", "note": ""}],
                "channel": "web", "email": "", "language": "es", "due": created[:10], "pin_hash": "x",
            })
        import_requests(documents)
        return count_requests()


def time_sends(app, sends):
    """Durations of whole sends (form with a 1 MB PDF, then the check page's button), warm-up left out."""
    client = app.test_client()
    document = minimal_pdf("x" * (1024 * 1024 - 400))
    durations = []
    deadline = time.monotonic() + BUDGET_SECONDS
    for number in range(sends + WARM_UP):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        checked = post_request_form(client, files={"documento": (document, "contrato.pdf")})
        sent = confirm(client, checked.get_data(as_text=True))
        elapsed = time.perf_counter() - started
        assert sent.status_code == 303, sent.status_code
        if number >= WARM_UP:
            durations.append(elapsed)
    return durations


def run(earlier, sends):
    """Measure both folders; returns the lines of the report."""
    root = os.path.join(OUTPUT_DIR, "requests")
    shutil.rmtree(root, ignore_errors=True)
    results = {}
    for name, count in (("none", 0), ("earlier", earlier)):
        folder = os.path.join(root, name)
        os.makedirs(folder)
        app = make_app(folder, RATE_LIMITS=False, FORM_MIN_SECONDS=0)
        stored = earlier_requests(app, count) if count else 0
        results[name] = (stored, median_and_p95(time_sends(app, sends)))
    shutil.rmtree(root, ignore_errors=True)
    lines = ["| Earlier requests | Median send (ms) | p95 (ms) |", "| ---: | ---: | ---: |"]
    for stored, (median, p95) in results.values():
        lines.append(f"| {stored:,} | {median * 1000:.0f} | {p95 * 1000:.0f} |")
    ratio = results["earlier"][1][0] / results["none"][1][0]
    lines.append(f"\nRatio of the medians: {ratio:.2f} (budget: at most 1.5)")
    return lines, ratio


def main():
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--earlier", type=int, default=50_000)
    parser.add_argument("--sends", type=int, default=30)
    arguments = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    lines, ratio = run(arguments.earlier, arguments.sends)
    print("\n".join(lines))
    sys.exit(0 if ratio <= 1.5 else 1)


if __name__ == "__main__":
    main()
