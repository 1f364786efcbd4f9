"""What makes an office document valid: times, periods, numbers, exceptions and references.

Each problem is a Problem (English for `flask check`, the panel's language for the webmaster) that also
names the part of the document it is about in `field`: "name", "slot_minutes", "weekly.3.1" (the second
period of Wednesdays), "exceptions.2026-12-25" and so on, so the panel puts it beside the right input.
"""
import re
from datetime import date

from flask_babel import lazy_gettext as _l

from ..problems import Problem

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WEEKDAYS = ("1", "2", "3", "4", "5", "6", "7")
WEEKDAY_NAMES = {"1": _l("Lunes"), "2": _l("Martes"), "3": _l("Miércoles"), "4": _l("Jueves"), "5": _l("Viernes"),
                 "6": _l("Sábado"), "7": _l("Domingo")}
ENGLISH_WEEKDAYS = {"1": "Monday", "2": "Tuesday", "3": "Wednesday", "4": "Thursday", "5": "Friday",
                    "6": "Saturday", "7": "Sunday"}
MAXIMUM_PERIODS = 14
MAXIMUM_EXCEPTIONS = 366
MAXIMUM_PROCEDURES = 200
SLOT_MINUTES = (5, 240)
PLACES = (1, 50)
WINDOW_DAYS = (0, 366)
CUTOFF_HOURS = (0, 720)
EXCEPTIONS_FULL = _l("Como máximo %(max)s días distintos: quite primero los que ya pasaron.")
NAME_LENGTH, ADDRESS_LENGTH, BRING_LENGTH, NOTE_LENGTH = 120, 200, 2000, 200


class OfficeProblem(Problem):
    """A problem of an office document, with the part of the document it is about."""

    def __new__(cls, field, english, message, **values):
        """field: where in the document; english and message as for Problem."""
        problem = super().__new__(cls, english, message, **values)
        problem.field = field
        return problem


class InvalidOffice(ValueError):
    """An office document the store refuses; `problems` says why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def minutes(time_of_day):
    """'08:30' -> 510."""
    hours, _, mins = time_of_day.partition(":")
    return int(hours) * 60 + int(mins)


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _number_problem(office, field, limits, english, message):
    value = office.get(field)
    if _whole(value) and limits[0] <= value <= limits[1]:
        return []
    return [OfficeProblem(field, f"'{field}' {english}, found {value!r}", message, min=limits[0], max=limits[1])]


def _text_problems(office, field, length, required, message_empty, message_long):
    value = office.get(field)
    texts = value if field in ("name", "bring") else {"es": value}
    if not isinstance(texts, dict) or not all(isinstance(text, str) for text in texts.values()):
        return [OfficeProblem(field, f"'{field}' is not text", message_empty)]
    if required and not (texts.get("es") or "").strip():
        return [OfficeProblem(field, f"'{field}' is empty", message_empty)]
    if any(len(text) > length for text in texts.values()):
        return [OfficeProblem(field, f"'{field}' is longer than {length} characters", message_long, max=length)]
    return []


def periods_problems(periods, slot_minutes, field, english_day, day_name):
    """Problems of one day's periods: HH:MM, start before end, not overlapping, each long enough for one slot.

    field is where they are ("weekly.2" or "exceptions.2026-12-25"); day_name says the day in a sentence.
    """
    if not isinstance(periods, list):
        return [OfficeProblem(field, f"{english_day}: the periods are not a list",
                              _l("%(day)s: los periodos no se pueden leer.", day=day_name))]
    problems, readable = [], []
    for index, period in enumerate(periods):
        where, number = f"{field}.{index}", index + 1
        if (not isinstance(period, (list, tuple)) or len(period) != 2
                or not all(isinstance(value, str) and TIME.match(value) for value in period)):
            problems.append(OfficeProblem(
                where, f"{english_day}, period {number}: times must be HH:MM, found {period!r}",
                _l("%(day)s, periodo %(number)s: escriba las horas como HH:MM, por ejemplo 08:30."),
                day=day_name, number=number))
            continue
        start, end = minutes(period[0]), minutes(period[1])
        if start >= end:
            problems.append(OfficeProblem(
                where, f"{english_day}, period {number}: starts at {period[0]}, not before its end {period[1]}",
                _l("%(day)s, periodo %(number)s: la hora de inicio debe ser anterior a la de fin."),
                day=day_name, number=number))
            continue
        if _whole(slot_minutes) and SLOT_MINUTES[0] <= slot_minutes <= SLOT_MINUTES[1] and end - start < slot_minutes:
            problems.append(OfficeProblem(
                where, f"{english_day}, period {number}: shorter than one appointment ({slot_minutes} minutes)",
                _l("%(day)s, periodo %(number)s: dura menos que una cita (%(slot)s minutos)."),
                day=day_name, number=number, slot=slot_minutes))
        readable.append((start, end, index))
    readable.sort()
    for (_start, end, _index), (start, _end, index) in zip(readable, readable[1:]):
        if start < end:
            problems.append(OfficeProblem(
                f"{field}.{index}", f"{english_day}: period {index + 1} overlaps another period",
                _l("%(day)s: los periodos se solapan; cada uno debe empezar cuando acabe el anterior o después."),
                day=day_name))
    return problems


def _weekly_problems(office):
    weekly = office.get("weekly")
    if not isinstance(weekly, dict) or not set(weekly) <= set(WEEKDAYS):
        return [OfficeProblem("weekly", "'weekly' must map ISO weekdays '1' to '7' to lists of periods",
                              _l("El horario semanal no se puede leer."))]
    problems = []
    for day in WEEKDAYS:
        if day in weekly:
            problems += periods_problems(weekly[day], office.get("slot_minutes"), f"weekly.{day}",
                                         f"weekly {ENGLISH_WEEKDAYS[day]}", WEEKDAY_NAMES[day])
    if sum(len(periods) for periods in weekly.values() if isinstance(periods, list)) > MAXIMUM_PERIODS:
        problems.append(OfficeProblem("weekly", f"'weekly' has more than {MAXIMUM_PERIODS} periods",
                                      _l("Como máximo %(max)s periodos por semana."), max=MAXIMUM_PERIODS))
    return problems


def real_day(value):
    """True when value is a calendar date written YYYY-MM-DD."""
    if not isinstance(value, str) or not DAY.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def exception_problems(exception, slot_minutes, taken_days=()):
    """Problems of one exception: a real day not already taken, closed or other hours and/or places, a short note."""
    if not isinstance(exception, dict):
        return [OfficeProblem("exceptions", "an exception is not an object", _l("Un día distinto no se puede leer."))]
    day = exception.get("date")
    if not real_day(day):
        return [OfficeProblem("exceptions.date", f"exception date {day!r} is not a real YYYY-MM-DD date",
                              _l("Escriba una fecha que exista: día, mes y año."))]
    field = f"exceptions.{day}"
    if day in taken_days:
        return [OfficeProblem(f"{field}.date", f"two exceptions for {day}",
                              _l("Ya hay un día distinto el %(day)s: quítelo primero si quiere cambiarlo."), day=day)]
    problems = []
    if not exception.get("closed"):
        if "hours" not in exception and "places" not in exception:
            problems.append(OfficeProblem(f"{field}.closed", f"exception {day}: neither closed nor other hours or places",
                                          _l("Marque «Cerrado ese día», o escriba otro horario o menos puestos.")))
        if "hours" in exception:
            problems += periods_problems(exception["hours"], slot_minutes, f"{field}.hours", f"exception {day}",
                                         _l("El %(day)s", day=day))
            if isinstance(exception["hours"], list) and not exception["hours"]:
                problems.append(OfficeProblem(f"{field}.hours", f"exception {day}: 'hours' is empty",
                                              _l("Escriba al menos un periodo, o marque «Cerrado ese día».")))
        places = exception.get("places", PLACES[0])
        if not (_whole(places) and PLACES[0] <= places <= PLACES[1]):
            problems.append(OfficeProblem(f"{field}.places", f"exception {day}: 'places' must be 1 to 50, found {places!r}",
                                          _l("Los puestos de ese día van de %(min)s a %(max)s."), min=PLACES[0],
                                          max=PLACES[1]))
    note = exception.get("note", {})
    if not isinstance(note, dict) or any(not isinstance(text, str) or len(text) > NOTE_LENGTH for text in note.values()):
        problems.append(OfficeProblem(f"{field}.note", f"exception {day}: the note is not text of {NOTE_LENGTH} "
                                      "characters at most", _l("La nota tiene como máximo %(max)s caracteres."),
                                      max=NOTE_LENGTH))
    return problems


def _exceptions_problems(office):
    exceptions = office.get("exceptions")
    if not isinstance(exceptions, list):
        return [OfficeProblem("exceptions", "'exceptions' is not a list", _l("Los días distintos no se pueden leer."))]
    problems, days = [], set()
    for exception in exceptions:
        problems += exception_problems(exception, office.get("slot_minutes"), days)
        if isinstance(exception, dict):
            days.add(exception.get("date"))
    if len(exceptions) > MAXIMUM_EXCEPTIONS:
        problems.append(OfficeProblem("exceptions", f"more than {MAXIMUM_EXCEPTIONS} exceptions", EXCEPTIONS_FULL,
                                      max=MAXIMUM_EXCEPTIONS))
    return problems


def office_problems(office):
    """Every problem of an office document's own values (references are checked by reference_problems)."""
    problems = _text_problems(office, "name", NAME_LENGTH, True,
                              _l("Escriba el nombre de la oficina en español."),
                              _l("El nombre tiene como máximo %(max)s caracteres."))
    problems += _text_problems(office, "address", ADDRESS_LENGTH, True,
                               _l("Escriba la dirección de la oficina."),
                               _l("La dirección tiene como máximo %(max)s caracteres."))
    problems += _text_problems(office, "bring", BRING_LENGTH, False, _l("Qué traer no se puede leer."),
                               _l("«Qué traer» tiene como máximo %(max)s caracteres."))
    procedures = office.get("procedures")
    if not isinstance(procedures, list) or not procedures or not all(isinstance(slug, str) for slug in procedures):
        problems.append(OfficeProblem("procedures", "'procedures' must name at least one procedure",
                                      _l("Elija al menos un trámite.")))
    elif len(procedures) > MAXIMUM_PROCEDURES:
        problems.append(OfficeProblem("procedures", f"'procedures' names more than {MAXIMUM_PROCEDURES} procedures",
                                      _l("Como máximo %(max)s trámites por oficina."), max=MAXIMUM_PROCEDURES))
    problems += _number_problem(office, "slot_minutes", SLOT_MINUTES, "must be 5 to 240 minutes",
                                _l("Cada cita dura de %(min)s a %(max)s minutos."))
    problems += _number_problem(office, "places", PLACES, "must be 1 to 50",
                                _l("Los puestos por turno van de %(min)s a %(max)s."))
    problems += _number_problem(office, "book_from_days", WINDOW_DAYS, "must be 0 to 366 days",
                                _l("Escriba un número de días del %(min)s al %(max)s."))
    problems += _number_problem(office, "book_until_days", WINDOW_DAYS, "must be 0 to 366 days",
                                _l("Escriba un número de días del %(min)s al %(max)s."))
    start, end = office.get("book_from_days"), office.get("book_until_days")
    if _whole(start) and _whole(end) and start > end:
        problems.append(OfficeProblem("book_until_days", f"'book_until_days' ({end}) is before 'book_from_days' ({start})",
                                      _l("El último día que se puede reservar no puede ser anterior al primero.")))
    problems += _number_problem(office, "cutoff_hours", CUTOFF_HOURS, "must be 0 to 720 hours",
                                _l("Escriba un número de horas del %(min)s al %(max)s."))
    if not isinstance(office.get("active"), bool):
        problems.append(OfficeProblem("active", "'active' must be true or false", _l("Indique si la oficina da citas.")))
    return problems + _weekly_problems(office) + _exceptions_problems(office)


def reference_problems(office, known):
    """Problems of what an office names: known is {"procedures", "entities", "municipalities": sets of slugs}."""
    problems = []
    if office.get("municipality") not in known.get("municipalities", set()):
        problems.append(OfficeProblem("municipality", f"'municipality' names municipality "
                                      f"{office.get('municipality')!r}, which does not exist",
                                      _l("Elija uno de los municipios de la provincia.")))
    if office.get("entity") and office.get("entity") not in known.get("entities", set()):
        problems.append(OfficeProblem("entity", f"'entity' names entity {office.get('entity')!r}, which does not exist",
                                      _l("La entidad «%(slug)s» no existe."), slug=office.get("entity")))
    procedures = office.get("procedures") if isinstance(office.get("procedures"), list) else []
    unknown = [slug for slug in procedures if slug not in known.get("procedures", set())]
    for slug in unknown[:5]:  # a few name the mistake; a thousand would bury the page
        problems.append(OfficeProblem("procedures", f"'procedures' names procedure {slug!r}, which does not exist",
                                      _l("El trámite «%(slug)s» no existe."), slug=slug))
    return problems
