"""`make bench`: the store and the server with a province's worth of data.

Generates (or reuses) bench/output/large-data, measures, prints a table and writes it to
bench/output/results.md. docs/benchmarks.md explains every figure.
`python -m bench.run --only pages-vs-bare` measures only the kept page beside a bare WSGI app,
`python -m bench.run --only nginx` only the pages through nginx (section 8), `--only appointments` only
booking and the free days and times (section 9), `--only requests` only online requests with a file (section 10).
"""
import argparse
import contextlib
import hashlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone

from redpinar import create_app
from redpinar.store import NotFound, content, db, submissions
from redpinar.store.demo import load_demo
from redpinar.store.paths import collection_path
from redpinar.store.site import load_site

from . import OUTPUT_DIR, PROJECT_ROOT, appointments, bare, export, generate, load, nginx, pages, participation
from . import requests as online_requests
from .report import results_markdown

LARGE_DATA = os.path.join(OUTPUT_DIR, "large-data")
MANIFEST = os.path.join(OUTPUT_DIR, "large-data.json")
EXAMPLE_DIR = os.path.join(PROJECT_ROOT, "data", "demo", generate.PROVINCE)
WORK_DIR = os.path.join(OUTPUT_DIR, "work")
RESULTS = os.path.join(OUTPUT_DIR, "results.md")
INSERTS = 300
READS = 1000
UNKNOWN_LOOKUPS = 100
LOOP_BUDGET_SECONDS = 30
GENERATE_TIMEOUT_SECONDS = 180


def elapsed_ms(started):
    """Milliseconds since a time.perf_counter() reading."""
    return (time.perf_counter() - started) * 1000


def time_calls(call, arguments, budget_seconds=LOOP_BUDGET_SECONDS):
    """How long call(argument) took for each argument, in ms; stops early once the budget is spent."""
    durations = []
    deadline = time.monotonic() + budget_seconds
    for argument in arguments:
        started = time.perf_counter()
        call(argument)
        durations.append(elapsed_ms(started))
        if time.monotonic() > deadline:
            break
    return durations


def remove_tree(path):
    """Delete a folder the bench made itself (under bench/output/ only)."""
    if not os.path.realpath(path).startswith(os.path.realpath(OUTPUT_DIR) + os.sep):
        raise ValueError(f"refusing to delete {path}: not under {OUTPUT_DIR}")
    shutil.rmtree(path, ignore_errors=True)


def portal(data_dir, with_example=False):
    """An app on data_dir (the example province loaded into it first, when asked)."""
    app = create_app({"DATA_DIR": data_dir})
    if with_example:
        with app.app_context():
            load_demo(generate.PROVINCE)
    return app


def example_fingerprint():
    """A hash of the example province's files, which every generated folder starts from."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(EXAMPLE_DIR):
        subfolders.sort()
        for name in sorted(name for name in files if not name.endswith(".lock")):
            path = os.path.join(folder, name)
            digest.update(os.path.relpath(path, EXAMPLE_DIR).encode() + b"\0")
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16]


def large_data_folder(seed):
    """The generated folder: reused when a complete one of this seed, month and example is there; its manifest."""
    # The example matters too: a folder generated before the example gained guides would lack them.
    wanted = {"version": generate.VERSION, "seed": seed, "month": f"{datetime.now(timezone.utc):%Y-%m}",
              "counts": generate.COUNTS, "example": example_fingerprint()}
    try:
        with open(MANIFEST, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError):
        manifest = {}
    # The manifest is written only after the generator succeeded and its folder was renamed into place.
    if {key: manifest.get(key) for key in wanted} == wanted and os.path.isfile(os.path.join(LARGE_DATA, "site.json")):
        print(f"Reusing {LARGE_DATA} (generated {manifest['generated']}).", flush=True)
        return dict(manifest, reused=True)
    partial = LARGE_DATA + ".partial"
    for stale in (LARGE_DATA, partial):
        remove_tree(stale)
    with contextlib.suppress(FileNotFoundError):
        os.remove(MANIFEST)
    print(f"Generating {LARGE_DATA} ...", flush=True)
    started = time.monotonic()
    # A separate process, so that this one's store caches start cold for the measurements.
    subprocess.run([sys.executable, "-m", "bench.generate", partial, "--seed", str(seed)],
                   cwd=PROJECT_ROOT, check=True, timeout=GENERATE_TIMEOUT_SECONDS)
    os.replace(partial, LARGE_DATA)
    manifest = dict(wanted, generated=f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
                    seconds=round(time.monotonic() - started, 1))
    with open(MANIFEST, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1)
    return dict(manifest, reused=False)


def citizen_form(rng, province, taken_codes):
    """A new submission's fields as the portal's form would save them, with a fresh tracking code."""
    code = generate.new_tracking_code(rng)
    while code in taken_codes:
        code = generate.new_tracking_code(rng)
    taken_codes.add(code)
    now = datetime.now(timezone.utc)
    fields = generate.make_submission(rng, code, now, province, now)
    # save_submission stamps these itself, in the current month, as it does for the live form.
    del fields["created"], fields["updated"]
    return fields


def province_of(app):
    """What citizen_form needs to know about the province of an app."""
    with app.app_context():
        site = load_site()
        return {"municipalities": site["municipalities"],
                "find_entity": generate.entity_finder(content.all_documents("entities")),
                "answer_days": site["legal_time_limits"]["answer_days"]}


def measure_inserts(empty_app, large_app, province, taken_codes, rng):
    """save_submission into both folders, taking turns; returns ({folder: [ms]}, codes saved in the empty one)."""
    timings = {"empty": [], "large": []}
    saved_in_empty = []
    deadline = time.monotonic() + 2 * LOOP_BUDGET_SECONDS
    for number in range(INSERTS):
        turns = [("empty", empty_app), ("large", large_app)]
        # Taking turns, and swapping who goes first, spreads any slow moment of the disk over both.
        for name, app in turns if number % 2 == 0 else reversed(turns):
            fields = citizen_form(rng, province, taken_codes)
            with app.app_context():
                started = time.perf_counter()
                saved = submissions.save_submission(fields)
                timings[name].append(elapsed_ms(started))
            if name == "empty":
                saved_in_empty.append(saved["id"])
        if time.monotonic() > deadline:
            break
    return timings, saved_in_empty


def files_parsed(paths):
    """How many times this process has parsed these files so far."""
    return sum(db.parse_count(path) for path in paths)


def unknown_codes(rng, taken_codes, count=UNKNOWN_LOOKUPS):
    """Well-formed tracking codes that no submission has."""
    codes = []
    while len(codes) < count:
        code = generate.new_tracking_code(rng)
        if code not in taken_codes:
            codes.append(code)
    return codes


def look_up_missing(code):
    """get_submission of a code that does not exist; NotFound is the expected answer."""
    try:
        submissions.get_submission(code)
    except NotFound:
        return
    raise AssertionError(f"{code} should not exist")


def measure_lookups(app, codes, missing, rng):
    """get_submission: the first call, READS random known codes, then unknown codes; with files parsed."""
    with app.app_context():
        shards = submissions.shard_paths()
        before = files_parsed(shards)
        memory_before = load.memory_of(os.getpid())["VmRSS"]
        started = time.perf_counter()
        submissions.get_submission(rng.choice(codes))
        first = {"ms": elapsed_ms(started), "parsed": files_parsed(shards) - before,
                 "memory_mib": load.memory_of(os.getpid())["VmRSS"] - memory_before}
        chosen = [rng.choice(codes) for _ in range(READS)]
        before = files_parsed(shards)
        time_calls(submissions.get_submission, chosen)
        first_pass_parsed = files_parsed(shards) - before
        # The same lookups again: every file they need was read once already, so none is read now.
        before = files_parsed(shards)
        known = time_calls(submissions.get_submission, chosen)
        known_parsed = files_parsed(shards) - before
        before = files_parsed(shards)
        unknown = time_calls(look_up_missing, missing)
        return {"first": first, "known": known, "known_parsed": known_parsed, "first_pass_parsed": first_pass_parsed,
                "unknown": unknown, "unknown_parsed": files_parsed(shards) - before, "files": len(shards)}


def measure_content_reads(app, rng):
    """all_documents("news") and get_document("news", id) READS times each, and how often news.json was parsed."""
    with app.app_context():
        news_file = collection_path("news")
        before = db.parse_count(news_file)
        started = time.perf_counter()
        news_ids = [news["id"] for news in content.all_documents("news")]
        first = {"ms": elapsed_ms(started), "parsed": db.parse_count(news_file) - before}
        before = db.parse_count(news_file)
        every_news = time_calls(lambda _: content.all_documents("news"), range(READS))
        one_news = time_calls(lambda news_id: content.get_document("news", news_id),
                              [rng.choice(news_ids) for _ in range(READS)])
        return {"first": first, "count": len(news_ids), "all": every_news, "one": one_news,
                "parsed": db.parse_count(news_file) - before, "size": os.path.getsize(news_file)}


def measure_store(seed):
    """Inserts and reads in an empty folder, a copy of the large one, and the large one itself."""
    empty_dir = os.path.join(WORK_DIR, "empty-data")
    copy_dir = os.path.join(WORK_DIR, "large-copy")
    remove_tree(WORK_DIR)
    os.makedirs(empty_dir)
    # Inserts go to a copy, so the generated folder stays as generated and can be reused.
    shutil.copytree(LARGE_DATA, copy_dir)
    empty_app, copy_app, large_app = portal(empty_dir, with_example=True), portal(copy_dir), portal(LARGE_DATA)
    rng = random.Random(f"{seed}-measurements")
    generated_codes = generate.tracking_codes(seed)
    taken_codes = set(generated_codes)
    print(f"Saving {INSERTS} submissions into each folder ...", flush=True)
    inserts, saved_in_empty = measure_inserts(empty_app, copy_app, province_of(large_app), taken_codes, rng)
    print("Reading ...", flush=True)
    missing = unknown_codes(rng, taken_codes)
    results = {
        "inserts": inserts,
        "lookups_empty": measure_lookups(empty_app, saved_in_empty, missing, rng),
        "lookups_large": measure_lookups(large_app, generated_codes, missing, rng),
        "content": measure_content_reads(large_app, rng),
    }
    # Counted last: counting parses every file of the copy, which would blur the memory figure above.
    with copy_app.app_context():
        results["earlier_in_copy"] = submissions.count_submissions() - len(inserts["large"])
    return results


def code_version():
    """The commit measured, and whether the portal's code had uncommitted changes ('' outside git)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--", "redpinar", "templates", "static"],
                                 cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return f"code of commit {commit}" + (" with uncommitted changes" if changed.strip() else "")


def machine():
    """A line about where the figures were measured."""
    # The load average says whether other work shared the machine (times move with it, ratios less).
    code = code_version()
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} CPU cores, "
            f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the start"
            + (f", {code}" if code else ""))


def main():
    """Generate or reuse the large folder, measure, print and save the results."""
    began, where = time.monotonic(), machine()
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    seed = generate.DEFAULT_SEED
    manifest = large_data_folder(seed)
    try:
        store = measure_store(seed)
    finally:
        remove_tree(WORK_DIR)
    print("Starting the server on 127.0.0.1 ...", flush=True)
    server = load.measure_server(LARGE_DATA)
    print(f"Loading the public pages with wrk ({pages.CONNECTIONS} connections, {pages.SECONDS} s each) ...",
          flush=True)
    public_pages = pages.measure(LARGE_DATA)
    print("Sending citizens' messages through waitress ...", flush=True)
    messages = participation.measure(LARGE_DATA, os.path.join(OUTPUT_DIR, "participation-work"))
    print("A kept page beside a bare WSGI app ...", flush=True)
    beside_bare = bare.measure(LARGE_DATA)
    print("Through nginx: its cache, a static file, 2 processes ...", flush=True)
    through_nginx = nginx.measure(LARGE_DATA)
    markdown = results_markdown({
        "measured": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", "machine": where,
        "manifest": manifest, "store": store, "server": server, "pages": public_pages,
        "seconds": time.monotonic() - began,
    })
    markdown += "\n" + participation.markdown(messages)
    markdown += "\n" + bare.markdown(beside_bare)
    markdown += "\n" + nginx.markdown(through_nginx)
    print("Appointments: booking with 50,000 earlier ones, free days and times under wrk ...", flush=True)
    markdown += "\n" + appointments_section(LARGE_DATA)
    print("Online requests with a 1 MB file, with 50,000 earlier ones and with none ...", flush=True)
    markdown += "\n" + requests_section()
    print("Exporting the site ...", flush=True)
    markdown += "\n" + export.markdown(export.measure(LARGE_DATA, os.path.join(OUTPUT_DIR, "export-work")))
    with open(RESULTS, "w", encoding="utf-8") as handle:
        handle.write(markdown)
    print()
    print(markdown)
    print(f"Written to {os.path.relpath(RESULTS, PROJECT_ROOT)}.")


def pages_vs_bare():
    """Only the kept page beside the bare app, on a fresh copy of the example province."""
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    where = machine()
    data_dir = os.path.join(OUTPUT_DIR, "bare-work")
    remove_tree(data_dir)
    os.makedirs(data_dir)
    portal(data_dir, with_example=True)
    try:
        markdown = f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {where}.\n\n" + bare.markdown(
            bare.measure(data_dir))
    finally:
        remove_tree(data_dir)
    print(markdown)


def site_export():
    """Only the export of the large folder (mirror and offline zip)."""
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    where = machine()
    large_data_folder(generate.DEFAULT_SEED)
    result = export.measure(LARGE_DATA, os.path.join(OUTPUT_DIR, "export-work"))
    print(f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {where}.\n\n" + export.markdown(result))


def through_nginx():
    """Only section 8, on the large folder (generated first when there is none to reuse)."""
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    where = machine()
    large_data_folder(generate.DEFAULT_SEED)
    markdown = f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {where}.\n\n" + nginx.markdown(
        nginx.measure(LARGE_DATA))
    print(markdown)


def appointments_section(large_data):
    """Section 9: booking with and without 50,000 earlier appointments, an office's free days and times under wrk."""
    return ("## 9. Appointments\n\n`python -m bench.appointments` (the same figures): two copies of the large "
            f"folder, one given {appointments.EARLIER:,} earlier appointments. Goals: booking with the history within "
            "1.5x of none; the free days and times pages' median under 50 ms at 16 connections.\n\n"
            + appointments.markdown(appointments.measure(large_data)))


def requests_section():
    """Section 10: sending an online request with a 1 MB file, with 50,000 earlier requests and with none."""
    earlier = 50_000
    lines, _ratio = online_requests.run(earlier, 30)
    return ("## 10. Online requests with a file\n\n`python -m bench.requests` (the same figures): the example "
            f"province alone, and with {earlier:,} earlier requests over 24 months; a whole send (the form with a "
            "1 MB PDF, the check page's button) through the Flask app. Goal: within 1.5x of none.\n\n"
            + "\n".join(lines) + "\n")


def _only(section, large_data=True):
    """Print one section of the report with when and where it was measured (generating the large folder if used)."""
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    where = machine()
    if large_data:
        large_data_folder(generate.DEFAULT_SEED)
    markdown = section()
    print(f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {where}; "
          f"load average {os.getloadavg()[0]:.1f} at the end.\n\n" + markdown)


PARTS = {"pages-vs-bare": pages_vs_bare, "export": site_export, "nginx": through_nginx,
         "appointments": lambda: _only(lambda: appointments_section(LARGE_DATA)),
         "requests": lambda: _only(requests_section, large_data=False)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="RedPinar's benchmarks (docs/benchmarks.md).")
    parser.add_argument("--only", choices=sorted(PARTS), help="measure only this part")
    chosen = parser.parse_args().only
    if chosen:
        PARTS[chosen]()
    else:
        main()
