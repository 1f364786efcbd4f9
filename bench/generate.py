"""A large data folder for the benchmarks: `python -m bench.generate PATH [--seed N]`.

Everything goes in through the store, the only code that writes a data folder: the
Pinar del Río example first, then generated entities, procedures, news and events
(fields as in docs/content-model.md), and 100,000 citizen submissions spread over the
24 months ending in the current month. The same seed on the same day gives the same
generated documents.
"""
import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from redpinar import create_app
from redpinar.store import content, submissions
from redpinar.store.demo import load_demo
from redpinar.store.site import load_site
from redpinar.text import slugify

from . import vocabulary as words

# Raise when the generator writes something else, so that `make bench` stops reusing older folders.
VERSION = 1
PROVINCE = "pinar-del-rio"
DEFAULT_SEED = 2026
COUNTS = {"entities": 60, "procedures": 300, "news": 2000, "events": 600, "submissions": 100_000}
MONTHS = 24
# Tracking codes leave out 0/O, 1/I and L: a citizen reads them aloud or copies them by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PROVINCE_TIME = ZoneInfo("America/Havana")
SUBMISSION_KINDS = [kind for kind, _weight in words.SUBMISSION_TYPES]
SUBMISSION_WEIGHTS = [weight for _kind, weight in words.SUBMISSION_TYPES]
# Which phrase pool each kind of submission talks about, and its placeholder in the texts.
SUBMISSION_MATTER = {
    "queja": ("problem", words.PROBLEMS), "peticion": ("problem", words.PROBLEMS),
    "denuncia": ("irregularity", words.IRREGULARITIES), "sugerencia": ("improvement", words.IMPROVEMENTS),
    "opinion": ("service", words.SERVICES), "pregunta": ("question", words.QUESTIONS),
}


def unique_slug(text, taken):
    """A slug of text not yet in taken (a number appended when needed); adds it to taken."""
    base = slugify(text)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def capitalized(text):
    """text with its first letter in upper case (the rest untouched, unlike str.capitalize)."""
    return text[:1].upper() + text[1:]


def utc_iso(moment):
    """ISO 8601 in UTC to the second, like the store's own timestamps."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def local_iso(moment):
    """ISO 8601 with the province's offset, as events and news carry it."""
    return moment.astimezone(PROVINCE_TIME).isoformat(timespec="seconds")


def window_start(now, months=MONTHS):
    """Midnight UTC on the first day of the oldest of the `months` months ending with now's month."""
    month_index = now.year * 12 + now.month - 1 - (months - 1)
    return datetime(month_index // 12, month_index % 12 + 1, 1, tzinfo=timezone.utc)


def new_tracking_code(rng):
    """A code like K7X9-P2MQ."""
    letters = "".join(rng.choices(CODE_ALPHABET, k=8))
    return f"{letters[:4]}-{letters[4:]}"


def tracking_codes(seed=DEFAULT_SEED, count=COUNTS["submissions"]):
    """The tracking codes of the generated submissions, oldest first (the benchmarks look them up)."""
    rng = random.Random(f"{seed}-tracking-codes")
    codes, seen = [], set()
    while len(codes) < count:
        code = new_tracking_code(rng)
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes


def person_name(rng):
    """A Cuban name: a first name and two surnames."""
    return f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES)} {rng.choice(words.SURNAMES)}"


def email_of(rng, name):
    """A plausible mailbox for a person's name."""
    first, surname = slugify(name).split("-")[:2]
    return f"{first}.{surname}{rng.randint(1, 99)}@{rng.choice(words.MAIL_DOMAINS)}"


def document_id(rng):
    """A 16-hex-digit id like the store's, but reproducible from the seed."""
    return f"{rng.getrandbits(64):016x}"


def make_entities(rng, municipalities, topics, count, now, taken):
    """Municipal directorates, offices and centres, one kind per municipality at most."""
    pairs = [(kind, municipality) for municipality in municipalities for kind in words.ENTITY_KINDS]
    rng.shuffle(pairs)
    entities = []
    for number in range(count):
        (kind, acronym, topic), municipality = pairs[number % len(pairs)]
        name = f"{kind} de {municipality['name']}"
        topic_name = topics.get(topic, {}).get("name") or {"es": topic, "en": topic}
        reviewed = now - timedelta(days=rng.randint(30, 700))
        entities.append({
            "id": document_id(rng), "slug": unique_slug(name, taken), "name": name, "acronym": acronym,
            "description": {
                "es": f"Atiende a la población de {municipality['name']} en {topic_name['es'].lower()}.",
                "en": f"Serves the people of {municipality['name']} in {topic_name['en'].lower()}.",
            },
            "head": person_name(rng),
            "address": f"{rng.choice(words.STREETS)} No. {rng.randint(1, 250)}, {municipality['name']}",
            "municipality": municipality["slug"],
            "phone": f"+53 48 {rng.randint(700000, 799999)}",
            "email": f"{acronym.lower()}.{municipality['slug']}@pinar.example.cu",
            "hours": {"es": "lunes a viernes, de 8:00 a 16:30", "en": "Monday to Friday, 8:00 to 16:30"},
            "topics": [topic],
            "created": utc_iso(reviewed), "updated": utc_iso(reviewed),
        })
    return entities


def entity_finder(entities):
    """A function (rng, topic, municipality) -> a fitting entity."""
    by_place, by_topic = {}, {}
    for entity in entities:
        for topic in entity.get("topics") or []:
            by_place.setdefault((topic, entity.get("municipality")), []).append(entity)
            by_topic.setdefault(topic, []).append(entity)

    def find(rng, topic, municipality):
        """An entity of that topic in that municipality, else of that topic, else any."""
        candidates = by_place.get((topic, municipality)) or by_topic.get(topic) or entities
        return rng.choice(candidates)
    return find


def make_procedures(rng, municipalities, entities, count, now, taken):
    """Procedures of the whole province or of one municipality, each with its office and costs."""
    scopes = [None] + municipalities
    plans = [(title, subject, scope) for title in words.PROCEDURE_TITLES
             for subject in words.PROCEDURE_SUBJECTS for scope in scopes]
    rng.shuffle(plans)
    find_entity = entity_finder(entities)
    procedures = []
    for number in range(count):
        (title_es, title_en), (subject_es, subject_en, topic), scope = plans[number % len(plans)]
        where_es = f" en {scope['name']}" if scope else ""
        where_en = f" in {scope['name']}" if scope else ""
        title = {"es": title_es.format(subject=subject_es) + where_es,
                 "en": title_en.format(subject=subject_en) + where_en}
        entity = find_entity(rng, topic, scope["slug"] if scope else rng.choice(municipalities)["slug"])
        slug = unique_slug(title["es"], taken)
        reviewed = now - timedelta(days=rng.randint(1, 400))
        procedures.append({
            "id": document_id(rng), "slug": slug, "title": title,
            "summary": {"es": f"Cómo obtener {subject_es}: requisitos, documentos, costo y plazos.",
                        "en": f"How to obtain {subject_en}: requirements, documents, cost and time limits."},
            "topic": topic, "entity": entity["slug"],
            "who_may_apply": "Personas residentes en " + (scope["name"] if scope else "la provincia"),
            "requirements": rng.sample(words.REQUIREMENTS, 2),
            "documents": rng.sample(words.DOCUMENTS, 3),
            "steps": list(words.STEPS),
            "offices": [{"name": entity["name"], "address": entity["address"],
                         "municipality": entity["municipality"], "hours": entity["hours"]["es"]}],
            "cost": {"cup": rng.choice([None, 5, 10, 20, 50, 100]),
                     "stamps": rng.choice(["", "Sellos del timbre por valor de 10 CUP"]), "note": ""},
            "time_to_resolve": rng.choice(words.TIMES_TO_RESOLVE),
            "validity": rng.choice(["Indefinida", "1 año", "5 años", "10 años"]),
            "legal_basis": rng.sample(words.LEGAL_BASES, rng.randint(1, 2)),
            "forms": [{"title": f"Modelo de solicitud: {subject_es}", "url": f"/documentos/{slug}.pdf"}],
            "related": [],
            "reviewed": reviewed.date().isoformat(), "review_period_days": 365,
            "responsible_entity": entity["slug"],
            "municipalities": [scope["slug"]] if scope else "all",
            "popularity": rng.randint(0, 5000),
            "created": utc_iso(reviewed), "updated": utc_iso(reviewed),
        })
    for procedure in procedures:
        procedure["related"] = [other["slug"] for other in rng.sample(procedures, 2) if other is not procedure]
    return procedures


def make_news(rng, municipalities, count, start, now, taken):
    """News of the last 24 months, about every municipality."""
    news = []
    span = (now - start).total_seconds()
    for _ in range(count):
        subject_es, subject_en, topic = rng.choice(words.NEWS_SUBJECTS)
        municipality = rng.choice(municipalities)
        headline_es, headline_en = rng.choice(words.NEWS_HEADLINES)
        summary_es, summary_en = rng.choice(words.NEWS_SUMMARIES)
        spanish = {"subject": subject_es, "Subject": capitalized(subject_es), "municipality": municipality["name"]}
        english = {"subject": subject_en, "Subject": capitalized(subject_en), "municipality": municipality["name"]}
        published = start + timedelta(seconds=rng.uniform(0, span))
        title = {"es": capitalized(headline_es.format(**spanish)), "en": capitalized(headline_en.format(**english))}
        paragraphs = [paragraph.format(**spanish) for paragraph in rng.sample(words.BODY_PARAGRAPHS, 3)]
        news.append({
            "id": document_id(rng), "slug": unique_slug(f"{title['es']} {published:%Y-%m-%d}", taken),
            "title": title,
            "summary": {"es": summary_es.format(**spanish), "en": summary_en.format(**english)},
            "body": "\n\n".join(paragraphs[:2] + ["## Más información", paragraphs[2]]),
            "topic": topic, "municipality": municipality["slug"], "published": local_iso(published),
            "created": utc_iso(published), "updated": utc_iso(published),
        })
    news.sort(key=lambda item: item["created"])
    return news


def make_events(rng, municipalities, entities, count, now, taken):
    """Cultural, sports and entertainment events over the coming six months."""
    find_entity = entity_finder(entities)
    events = []
    for _ in range(count):
        kind_es, kind_en, category, topic = rng.choice(words.EVENT_KINDS)
        municipality = rng.choice(municipalities)
        place = f"{rng.choice(words.EVENT_PLACES)}, {municipality['name']}"
        day = (now + timedelta(days=rng.randint(1, 180))).astimezone(PROVINCE_TIME)
        start = day.replace(hour=rng.randint(9, 21), minute=rng.choice([0, 30]), second=0, microsecond=0)
        # Fairs and carnivals last days; the rest an evening or a morning.
        days = rng.randint(1, 3) if category == "entertainment" or "Feria" in kind_es else 0
        end = start + timedelta(days=days, hours=rng.randint(2, 5))
        price = rng.choice(["Gratis", "Gratis", "Gratis", "10 CUP", "20 CUP", "50 CUP"])
        entry_es, entry_en = ("gratis", "free") if price == "Gratis" else (price, price)
        events.append({
            "id": document_id(rng), "slug": unique_slug(f"{kind_es} {municipality['name']} {start:%Y-%m-%d}", taken),
            "title": {"es": f"{kind_es} en {municipality['name']}", "en": f"{kind_en} in {municipality['name']}"},
            "summary": {"es": f"Para toda la familia. Lugar: {place}. Entrada: {entry_es}.",
                        "en": f"For the whole family. Venue: {place}. Entry: {entry_en}."},
            "description": f"{kind_es} en {municipality['name']}.\n\n**Lugar:** {place}. **Entrada:** {entry_es}.\n\n"
                           "Se recomienda llegar con tiempo. Si llueve, el programa puede cambiar: se avisará en "
                           "este portal.",
            "category": category, "start": local_iso(start), "end": local_iso(end), "place": place,
            "municipality": municipality["slug"], "price": price,
            "organiser": find_entity(rng, topic, municipality["slug"])["name"],
            "created": utc_iso(now), "updated": utc_iso(now),
        })
    events.sort(key=lambda item: item["start"])
    return events


def status_at(rng, created, now):
    """Where a submission of that age usually is: received, in progress, answered or closed."""
    age_days = (now - created).days
    if age_days < 5:
        return "recibida"
    if age_days < 30:
        return rng.choice(["recibida", "en-tramite", "en-tramite", "respondida"])
    if age_days < 90:
        return rng.choice(["en-tramite", "respondida", "respondida", "respondida"])
    return rng.choice(["respondida", "respondida", "cerrada"])


def make_submission(rng, code, created, province, now):
    """One citizen's complaint, request, report, suggestion, opinion or question."""
    kind = rng.choices(SUBMISSION_KINDS, weights=SUBMISSION_WEIGHTS)[0]
    placeholder, pool = SUBMISSION_MATTER[kind]
    matter, topic = rng.choice(pool)
    municipality = rng.choice(province["municipalities"])
    values = {placeholder: matter, capitalized(placeholder): capitalized(matter),
              "place": rng.choice(words.PLACES), "municipality": municipality["name"],
              "duration": rng.choice(words.DURATIONS)}
    message = " ".join([
        rng.choice(words.OPENINGS), words.CORE_SENTENCES[kind].format(**values),
        *rng.sample(words.CONTEXT_SENTENCES, rng.randint(2, 3)), rng.choice(words.CLOSINGS),
    ])
    name = person_name(rng)
    status = status_at(rng, created, now)
    updated = created if status == "recibida" else min(now, created + timedelta(days=rng.randint(1, 25)))
    return {
        "id": code, "created": utc_iso(created), "updated": utc_iso(updated),
        "type": kind, "topic": topic, "municipality": municipality["slug"],
        "entity": province["find_entity"](rng, topic, municipality["slug"])["slug"],
        "subject": rng.choice(words.SUBJECTS[kind]).format(**values), "message": message,
        "name": name, "email": email_of(rng, name), "status": status,
        "due": (created + timedelta(days=province["answer_days"])).date().isoformat(),
    }


def make_submissions(seed, province, count, start, now):
    """count submissions at random moments between start and now, oldest first."""
    rng = random.Random(f"{seed}-submissions")
    span = (now - start).total_seconds()
    moments = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
    return [make_submission(rng, code, moment, province, now)
            for code, moment in zip(tracking_codes(seed, count), moments)]


def add_content(rng, site, counts, start, now):
    """Generate entities, procedures, news and events after the example's own; returns {collection: generated}."""
    municipalities = site["municipalities"]
    topics = {topic["slug"]: topic for topic in content.all_documents("topics")}
    example = {name: content.all_documents(name) for name in ("entities", "procedures", "news", "events")}
    # The example's slugs stay taken, so its cross-references keep pointing at its own documents.
    taken = {name: {document.get("slug") for document in documents} for name, documents in example.items()}
    entities = make_entities(rng, municipalities, topics, counts["entities"], now, taken["entities"])
    generated = {
        "entities": entities,
        "procedures": make_procedures(rng, municipalities, entities, counts["procedures"], now, taken["procedures"]),
        "news": make_news(rng, municipalities, counts["news"], start, now, taken["news"]),
        "events": make_events(rng, municipalities, entities, counts["events"], now, taken["events"]),
    }
    for collection, documents in generated.items():
        content.replace_collection(collection, example[collection] + documents)
    return generated


def generate(path, seed=DEFAULT_SEED, now=None, counts=None):
    """Fill the empty folder path with the example province plus a province's worth of data; returns a summary."""
    if os.path.isdir(path) and os.listdir(path):
        raise FileExistsError(f"{path} is not empty; the generator only fills a new folder")
    counts = dict(COUNTS, **(counts or {}))
    now = now or datetime.now(timezone.utc)
    start = window_start(now)
    began = time.monotonic()
    app = create_app({"DATA_DIR": os.path.abspath(path)})
    with app.app_context():
        load_demo(PROVINCE)
        site = load_site()
        generated = add_content(random.Random(f"{seed}-content"), site, counts, start, now)
        content_seconds = time.monotonic() - began
        province = {"municipalities": site["municipalities"], "find_entity": entity_finder(generated["entities"]),
                    "answer_days": site["legal_time_limits"]["answer_days"]}
        citizen_submissions = make_submissions(seed, province, counts["submissions"], start, now)
        written = submissions.import_submissions(citizen_submissions)
        shard_count = len(submissions.shard_paths())
    return {
        "path": os.path.abspath(path), "seed": seed, "month": f"{now:%Y-%m}",
        "counts": dict({name: len(documents) for name, documents in generated.items()}, submissions=written),
        "first_month": f"{start:%Y-%m}", "submission_files": shard_count,
        "content_seconds": round(content_seconds, 1), "seconds": round(time.monotonic() - began, 1),
    }


def describe(summary):
    """A few lines telling what the generator made and how long it took."""
    counts = summary["counts"]
    return (
        f"Generated {summary['path']} (seed {summary['seed']}):\n"
        f"  {counts['entities']:,} entities, {counts['procedures']:,} procedures, {counts['news']:,} news, "
        f"{counts['events']:,} events (besides the {PROVINCE} example's own)\n"
        f"  {counts['submissions']:,} submissions from {summary['first_month']} to {summary['month']} "
        f"in {summary['submission_files']:,} files\n"
        f"  in {summary['seconds']} s (content {summary['content_seconds']} s, "
        f"submissions {summary['seconds'] - summary['content_seconds']:.1f} s)"
    )


def main(argv=None):
    """Command line: generate into PATH and print what was made."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("path", help="a new or empty folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="same seed, same day: same folder")
    arguments = parser.parse_args(argv)
    try:
        summary = generate(arguments.path, seed=arguments.seed)
    except FileExistsError as error:
        parser.exit(2, f"error: {error}\n")
    print(describe(summary), flush=True)
    return summary


if __name__ == "__main__":
    main(sys.argv[1:])
