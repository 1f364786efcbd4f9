"""Appointments with a province's worth of history: the cost of a booking, the free days and times under load.

`python -m bench.appointments`. It copies the large folder of `make bench` (generated when missing),
adds 50,000 earlier appointments to the copy through the store, then
1. times store bookings on the copy and on another copy without the history;
2. serves the copy with `python app.py` and runs wrk (16 connections, 10 s) on an office's page of
   free days, on its page of one day's free times and on robots.txt (the server's floor).
Traffic only goes to 127.0.0.1, to a server this module starts and always stops; every loop is bounded.
"""
import os
import random
import shutil
from datetime import datetime, timedelta, timezone

from . import OUTPUT_DIR, PROJECT_ROOT, median_and_p95
from .load import running_server
from .pages import FLOOR_PATH, run_wrk, settle

EARLIER = 50_000
BOOKINGS = 150
SEED = 1130
OFFICE = "carne-identidad-pinar-del-rio"
PROCEDURE = "carne-identidad"
WORK = os.path.join(OUTPUT_DIR, "appointments-work")
LOAD_SETTINGS = {"RATE_LIMITS": "off", "FORM_MIN_SECONDS": "0"}
# Offices of the history besides the example's three: ten identity and registry offices in all.
EXTRA_OFFICES = 7


def _portal(data_dir):
    from redpinar import create_app
    return create_app({"DATA_DIR": data_dir})


def _history_office(number):
    """A generated office like the example's identity card office."""
    weekdays = {str(day): [["08:00", "12:00"], ["13:00", "16:00"]] for day in range(1, 6)}
    return {"slug": f"oficina-historica-{number}", "name": {"es": f"Oficina {number}", "en": f"Office {number}"},
            "entity": "", "municipality": "pinar-del-rio", "address": f"Calle {number}", "bring": {"es": "", "en": ""},
            "procedures": [PROCEDURE, "pasaporte-ordinario"], "slot_minutes": 15, "places": 3, "weekly": weekdays,
            "exceptions": [], "book_from_days": 1, "book_until_days": 30, "cutoff_hours": 12, "active": True}


def add_history(data_dir, count=EARLIER, seed=SEED):
    """Store `count` past appointments (24 months) over ten offices, and their holders, in bulk."""
    from redpinar.store import appointments, db, slots
    from redpinar.store.offices import list_offices, save_office
    rng = random.Random(seed)
    app = _portal(data_dir)
    with app.app_context():
        for number in range(1, EXTRA_OFFICES + 1):
            save_office(_history_office(number))
        offices = list_offices()
        zone = appointments.province_zone()
        today = datetime.now(zone).date()
        by_file, holders = {}, {}
        for number in range(count):
            office = offices[number % len(offices)]
            day = today - timedelta(days=rng.randint(1, 730))
            times = slots.day_times(office, day) or [("09:00", 1)]
            clock = rng.choice(times)[0]
            card = f"{rng.randint(40, 99):02d}0{rng.randint(1, 9)}{rng.randint(10, 28):02d}{rng.randint(0, 99999):05d}"
            procedure = rng.choice(office["procedures"])
            code = f"H{number:07d}"
            document = db.stamp_new({
                "id": code, "office": office["slug"], "procedure": procedure, "day": day.isoformat(), "time": clock,
                "start": slots.start_of(day, clock, zone).isoformat(), "status": rng.choice(["booked"] * 9 + ["cancelled"]),
                "outcome": rng.choice(["attended", "attended", "not_attended"]), "name": "Persona Histórica",
                "id_card": card, "phone": "", "email": "", "language": "es", "pin_hash": "x", "history": []})
            by_file.setdefault(appointments.month_path(office["slug"], day.isoformat()[:7]), []).append(document)
            key = appointments.holder_key(card, procedure)
            holders.setdefault(appointments._holders_path(key), {})[key] = code
        for path, documents in by_file.items():
            with db.transaction(path) as tinydb:
                tinydb.insert_multiple(documents)
        for path, entries in holders.items():
            with db.transaction(path) as tinydb:
                tinydb.insert_multiple({"key": key, "code": code} for key, code in entries.items())
        appointments.rebuild_code_index()
    return len(by_file)


def time_bookings(data_dir, count=BOOKINGS, seed=SEED):
    """Milliseconds of each of `count` store bookings at the example's identity card office."""
    import time
    from redpinar.participation.cases import hash_pin
    from redpinar.store import appointments, availability
    from redpinar.store.offices import get_office, save_office
    rng = random.Random(seed)
    app = _portal(data_dir)
    durations = []
    with app.app_context():
        # Enough desks that every booking finds a place: what is measured is the write, not a refusal.
        save_office(dict(get_office(OFFICE), places=50))
        free = [slot for slot in availability.places_left(get_office(OFFICE)) if slot["places_left"]]
        pin_hash = hash_pin("123456")
        for number in range(count):
            slot = rng.choice(free)
            person = {"name": "Persona de prueba", "id_card": f"900101{number:05d}", "phone": "", "email": ""}
            started = time.perf_counter()
            appointments.book(OFFICE, PROCEDURE, slot["day"], slot["time"], person, pin_hash)
            durations.append((time.perf_counter() - started) * 1000)
    return durations


def free_times_day(data_dir):
    """A day of the office with free times, as the page's ?dia= takes it."""
    from redpinar.store import availability
    from redpinar.store.offices import get_office
    with _portal(data_dir).app_context():
        return availability.free_days(get_office(OFFICE))[0][0].isoformat()


def measure(large_data):
    """Both measurements, on two copies of the large folder (one given the history); returns a dict of figures."""
    from .run import remove_tree
    remove_tree(WORK)
    os.makedirs(WORK)
    without, large = os.path.join(WORK, "without-history"), os.path.join(WORK, "large")
    shutil.copytree(large_data, without)
    shutil.copytree(large_data, large)
    files = add_history(large)
    results = {"files": files}
    for name, folder in (("none", without), ("earlier", large)):
        median, p95 = median_and_p95(time_bookings(folder))
        results[name] = {"median_ms": median, "p95_ms": p95}
    day = free_times_day(large)
    pages = {"days": f"/citas/{OFFICE}/?tramite={PROCEDURE}",
             "times": f"/citas/{OFFICE}/?tramite={PROCEDURE}&dia={day}",
             "floor": FLOOR_PATH}
    with running_server(large, LOAD_SETTINGS, log_name="server-appointments.log") as (_, port, _seconds):
        for name, path in pages.items():
            settle(port)
            results[name] = dict(run_wrk(port, path), path=path)
    remove_tree(WORK)
    return results


def markdown(results):
    """The figures as the tables of docs/benchmarks.md."""
    none, earlier = results["none"], results["earlier"]
    ratio = earlier["median_ms"] / none["median_ms"]
    lines = [
        f"Booking (store, fsync'd), {BOOKINGS} bookings each, median and p95 in ms:", "",
        "| Folder | Median | p95 |", "| --- | ---: | ---: |",
        f"| Large folder, no earlier appointments | {none['median_ms']:.1f} | {none['p95_ms']:.1f} |",
        f"| Large folder + {EARLIER:,} earlier appointments ({results['files']} month files) | "
        f"{earlier['median_ms']:.1f} | {earlier['p95_ms']:.1f} |",
        f"| Ratio of medians (goal ≤ 1.5) | {ratio:.2f} | |", "",
        "Free days and times of an office under wrk (16 connections, 10 s) on the large folder "
        "(the floor: `robots.txt`, what any answer costs this server now):", "",
        "| Page | Requests/s | Median ms | p95 ms | Errors |", "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in ("days", "times", "floor"):
        page = results[name]
        if "error" in page:
            lines.append(f"| `{page['path']}` | {page['error']} | | | |")
        else:
            lines.append(f"| `{page['path']}` | {page['per_second']:.0f} | {page['median_ms']:.1f} | "
                         f"{page['p95_ms']:.1f} | {page['errors']} |")
    return "\n".join(lines) + "\n"


def main():
    """Measure with the large folder of `make bench` (generated when missing) and print the tables."""
    from . import generate
    from .run import LARGE_DATA, large_data_folder
    large_data_folder(generate.DEFAULT_SEED)
    text = markdown(measure(LARGE_DATA))
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    with open(os.path.join(OUTPUT_DIR, "appointments.md"), "w", encoding="utf-8") as handle:
        handle.write(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n\n" + text)
    print(text)
    print(f"Written to {os.path.relpath(os.path.join(OUTPUT_DIR, 'appointments.md'), PROJECT_ROOT)}.")


if __name__ == "__main__":
    main()
