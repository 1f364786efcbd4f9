"""A small, known set of public content for the route tests."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from redpinar.store import content
from tests.language import english

HAVANA = ZoneInfo("America/Havana")


def at(day, hour=10):
    """ISO 8601 of a day at an hour, Havana time."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=HAVANA).isoformat()


def load_known_content(app, today=None):
    """Replace every collection with a few documents whose every field a test can check."""
    today = today or datetime.now(HAVANA).date()
    with app.app_context():
        content.replace_collection("entities", [
            {"slug": "registro-civil", "name": "Registro del Estado Civil", "acronym": "REC",
             "description": {"es": "Inscribe nacimientos, matrimonios y defunciones.",
                             "en": "Registers births, marriages and deaths."},
             "head": "Dirección provincial", "address": "Calle Maceo 12", "municipality": "pinar-del-rio",
             "phone": "+53 48 000 001", "email": "registro@pinar.example.cu",
             "hours": {"es": "lunes a viernes", "en": "Monday to Friday"}, "topics": ["servicios-juridicos"]},
            {"slug": "vivienda", "name": "Dirección Provincial de la Vivienda", "acronym": "DPV",
             "description": {"es": "Licencias de construcción.", "en": "Building licences."},
             "municipality": "vinales", "topics": ["vivienda"]},
        ])
        content.replace_collection("procedures", [
            {"slug": "inscripcion-de-nacimiento", "title": {"es": "Inscripción de nacimiento", "en": "Birth registration"},
             "summary": {"es": "Cómo inscribir a un recién nacido.", "en": "How to register a newborn."},
             "topic": "servicios-juridicos", "entity": "registro-civil", "responsible_entity": "registro-civil",
             "who_may_apply": "La madre o el padre del recién nacido.",
             "requirements": ["Certificado médico de nacimiento"], "documents": ["Carné de identidad de los padres"],
             "steps": ["Vaya a la oficina del Registro Civil", "Entregue los documentos", "Recoja la certificación"],
             "offices": [{"name": "Oficina del Registro Civil", "address": "Calle Maceo 12",
                          "municipality": "pinar-del-rio", "hours": "8:00 a 16:00"}],
             "cost": {"cup": 0, "stamps": "", "note": "Sin costo"}, "time_to_resolve": "En el acto",
             "validity": "Indefinida", "legal_basis": ["Ley del Registro del Estado Civil"],
             "forms": [], "related": ["licencia-de-construccion"],
             "reviewed": (today - timedelta(days=20)).isoformat(), "review_period_days": 180,
             "municipalities": "all", "popularity": 90},
            {"slug": "licencia-de-construccion", "title": {"es": "Licencia de construcción", "en": "Building licence"},
             "summary": {"es": "Permiso para construir o reparar una vivienda.", "en": "Permit to build or repair a home."},
             "topic": "vivienda", "entity": "vivienda", "responsible_entity": "vivienda",
             "steps": ["Solicite", "Espere la inspección"], "cost": {"cup": 150, "stamps": "5 CUP", "note": ""},
             "reviewed": (today - timedelta(days=400)).isoformat(), "review_period_days": 365,
             "municipalities": ["vinales", "guane"], "popularity": 40},
        ])
        content.replace_collection("guides", [
            {"slug": "tener-un-bebe", "title": {"es": "Tener un bebé", "en": "Having a baby"},
             "summary": {"es": "Los trámites tras el nacimiento.", "en": "What to do after a birth."},
             "topic": "servicios-juridicos",
             "steps": [{"procedure": "inscripcion-de-nacimiento", "connector": "and", "note": "En los primeros días"},
                       {"procedure": "licencia-de-construccion", "connector": "or", "note": ""}]},
        ])
        content.replace_collection("news", [
            {"slug": f"noticia-{number}", "title": {"es": f"Noticia número {number}", "en": f"News item {number}"},
             "summary": {"es": f"Resumen {number}", "en": f"Summary {number}"},
             "body": f"Texto de la noticia {number}. <script>alert(1)</script>",
             "topic": "salud" if number % 2 else "cultura",
             "municipality": "vinales" if number % 3 == 0 else "guane",
             "published": at(today - timedelta(days=30 - number))}
            for number in range(1, 26)
        ])
        content.replace_collection("notices", [
            {"slug": "corte-de-agua", "title": {"es": "Corte de agua en Guane", "en": "Water cut in Guane"},
             "summary": {"es": "El martes no habrá agua.", "en": "No water on Tuesday."}, "body": "Detalles.",
             "municipality": "guane", "valid_from": (today - timedelta(days=2)).isoformat(),
             "valid_until": (today + timedelta(days=5)).isoformat()},
            {"slug": "vacunacion-pasada", "title": {"es": "Campaña de vacunación terminada", "en": "Past vaccination"},
             "summary": {"es": "Ya terminó.", "en": "It is over."}, "body": "Archivo.", "municipality": None,
             "valid_from": (today - timedelta(days=40)).isoformat(),
             "valid_until": (today - timedelta(days=10)).isoformat()},
        ])
        first_of_next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        content.replace_collection("events", [
            {"slug": "serie-de-beisbol", "title": {"es": "Serie de béisbol", "en": "Baseball series"},
             "summary": {"es": "Vegueros contra Artemisa.", "en": "Vegueros against Artemisa."},
             "description": "Juego en el **estadio**.", "category": "sports",
             "start": at(first_of_next_month + timedelta(days=4), 19), "end": at(first_of_next_month + timedelta(days=4), 22),
             "place": "Estadio Capitán San Luis", "municipality": "pinar-del-rio", "price": "5 CUP",
             "organiser": "INDER"},
            {"slug": "festival-de-vinales", "title": {"es": "Festival de Viñales", "en": "Viñales festival"},
             "summary": {"es": "Tres días de música.", "en": "Three days of music."}, "category": "culture",
             "start": at(first_of_next_month + timedelta(days=9), 18),
             "end": at(first_of_next_month + timedelta(days=11), 23),
             "place": "Valle de Viñales", "municipality": "vinales", "price": "Gratis", "organiser": "Cultura"},
            {"slug": "concierto-pasado", "title": {"es": "Concierto pasado", "en": "Past concert"},
             "summary": {"es": "Ya fue.", "en": "Already happened."}, "category": "entertainment",
             "start": at(today - timedelta(days=3), 20), "end": at(today - timedelta(days=3), 22),
             "place": "Teatro Milanés", "municipality": "pinar-del-rio", "price": "10 CUP", "organiser": "Cultura"},
        ])
        content.replace_collection("pages", [
            {"slug": "como-presentar-una-queja", "title": {"es": "Cómo presentar una queja", "en": "How to complain"},
             "body": "Use el formulario **Participa**.", "topic": "servicios-juridicos"},
        ])
    return {"today": today, "next_month": first_of_next_month}


# Every type of public page a citizen can land on, with the known content above: name -> path.
PUBLIC_PAGES = {
    "home": "/",
    "topics": "/temas/",
    "topic": "/temas/servicios-juridicos/",
    "page": "/temas/servicios-juridicos/como-presentar-una-queja/",
    "procedures": "/tramites/",
    "procedures-filtered": "/tramites/?tema=vivienda&municipio=vinales",
    "procedure": "/tramites/inscripcion-de-nacimiento/",
    "guides": "/guias/",
    "guide": "/guias/tener-un-bebe/",
    "entities": "/entidades/",
    "entity": "/entidades/registro-civil/",
    "news": "/noticias/",
    "news-page-2": "/noticias/?pagina=2",
    "news-item": "/noticias/noticia-3/",
    "notices": "/avisos/",
    "notice-current": "/avisos/corte-de-agua/",
    "notice-expired": "/avisos/vacunacion-pasada/",
    "events": "/eventos/",
    "events-month": "/eventos/?mes={next_month:%Y-%m}",
    "event": "/eventos/serie-de-beisbol/",
    "search-results": "/buscar?q=inscripcion",
    "search-no-results": "/buscar?q=xilofonista",
    "search-empty": "/buscar?q=",
}
LANGUAGES = ("es", "en")
ATOM_FEEDS = ("/feeds/noticias.atom", "/feeds/avisos.atom", "/feeds/eventos.atom")


def public_page_path(name, language, next_month=None):
    """The path of a page type in a language; the month view shows the month after today's."""
    if next_month is None:
        today = datetime.now(HAVANA).date()
        next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    path = PUBLIC_PAGES[name].format(next_month=next_month)
    return english(path) if language == "en" else path
