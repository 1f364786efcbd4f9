"""A request form's answers: read from the post as typed, then checked question by question."""
import re
from datetime import date

from flask_babel import lazy_gettext as _l

from ..participation.cases import clean_text
from ..store.site import localized

TEXT_LIMITS = {"short_text": 200, "long_text": 5000, "email": 200, "phone": 20, "number": 30, "date": 10,
               "id_card": 20, "street": 200}
NUMBER = re.compile(r"^-?\d{1,12}([.,]\d{1,6})?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9 +()-]{6,20}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_OPTIONS = 100


def field_id(question):
    """The id of the input an error links to (the first one of a group)."""
    key = question["key"]
    if question["type"] in ("choice", "choices", "yes_no"):
        return f"q-{key}-0"
    if question["type"] == "address":
        return f"q-{key}-municipio"
    return f"q-{key}"


def _text(form, name, limit):
    return clean_text(str(form.get(name, ""))[: limit * 2])[:limit]


def raw_values(questions, form):
    """What the citizen typed or ticked, per question, bounded in length (files are held apart)."""
    raw = {}
    for question in questions:
        key, kind = question["key"], question["type"]
        name = f"q-{key}"
        if kind == "choices":
            raw[key] = [str(value)[:4] for value in form.getlist(name)][:MAX_OPTIONS]
        elif kind == "address":
            raw[key] = {"municipality": _text(form, name + "-municipio", 60),
                        "street": _text(form, name + "-calle", TEXT_LIMITS["street"])}
        elif kind == "file":
            continue
        else:
            raw[key] = _text(form, name, TEXT_LIMITS.get(kind, 10))
    return raw


def _real_birth_date(digits, today):
    """The date of birth an 11-digit Cuban identity number encodes, or None (the 7th digit gives the century)."""
    century = {"9": 1800}.get(digits[6], 1900 if digits[6] in "012345" else 2000)
    try:
        born = date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None
    return born if born <= today else None


def _check(question, value, site, today):
    """(answer, problem) for one question that is not a file."""
    kind = question["type"]
    if kind in ("short_text", "long_text"):
        return value, None
    if kind == "number":
        return (value.replace(",", "."), None) if NUMBER.match(value) else (None, _l("Escriba solo un número, por ejemplo 3 o 2,5."))
    if kind == "date":
        try:
            day = date.fromisoformat(value) if ISO_DATE.match(value) else None
        except ValueError:
            day = None
        if day is None or not 1900 <= day.year <= 2100:
            return None, _l("Escriba una fecha real con la forma AAAA-MM-DD, por ejemplo 2026-03-15.")
        return value, None
    if kind == "choice":
        options = question.get("options") or []
        if not value.isdigit() or int(value) >= len(options):
            return None, _l("Elija una de las opciones.")
        return int(value), None
    if kind == "choices":
        options = question.get("options") or []
        if any(not item.isdigit() or int(item) >= len(options) for item in value):
            return None, _l("Elija solo entre las opciones que se muestran.")
        return sorted({int(item) for item in value}), None
    if kind in ("yes_no", "declaration"):
        if value not in ("si", "no"):
            return None, _l("Elija sí o no.")
        return value == "si", None
    if kind == "id_card":
        digits = value.replace(" ", "")
        if not re.fullmatch(r"\d{11}", digits):
            return None, _l("El carné de identidad tiene 11 cifras, sin letras ni espacios.")
        if _real_birth_date(digits, today) is None:
            return None, _l("Las 6 primeras cifras del carné son la fecha de nacimiento (AAMMDD): revíselas.")
        return digits, None
    if kind == "email":
        return (value, None) if EMAIL.match(value) else (None, _l("Escriba un correo válido, por ejemplo nombre@ejemplo.cu."))
    if kind == "phone":
        return (value, None) if PHONE.match(value) else (None, _l("Escriba el teléfono solo con números, por ejemplo 48 123456."))
    if kind == "address":
        municipalities = {place.get("slug") for place in site.get("municipalities") or []}
        if value.get("municipality") not in municipalities:
            return None, _l("Elija el municipio.")
        if len(value.get("street", "")) < 3:
            return None, _l("Escriba la calle y el número.")
        return {"municipality": value["municipality"], "street": value["street"]}, None
    return None, _l("Esta pregunta no se puede responder.")


def _empty(question, value):
    if question["type"] == "address":
        return not (value or {}).get("municipality") and not (value or {}).get("street")
    if question["type"] == "declaration":
        return value != "si"
    return not value


def check_answers(questions, raw, held_files, site, language, file_problems=None, today=None):
    """(answers, problems): the answers to store, and [(field id, message)] in the form's order.

    held_files: {question key: file entry}; file_problems: {question key: why its upload was refused}.
    """
    file_problems = file_problems or {}
    today = today or date.today()
    answers, problems = {}, []
    for question in questions:
        key, kind = question["key"], question["type"]
        label = localized(question.get("label"), language)
        if kind == "file":
            entry = held_files.get(key)
            if key in file_problems:
                problems.append((field_id(question), _l("%(label)s: %(problem)s", label=label,
                                                        problem=file_problems[key])))
            elif entry:
                answers[key] = entry["id"]
            elif question.get("required"):
                problems.append((field_id(question), _l("%(label)s: adjunte el archivo.", label=label)))
            continue
        value = raw.get(key, [] if kind == "choices" else "")
        if _empty(question, value):
            if question.get("required"):
                message = _l("%(label)s: marque la casilla para confirmarlo.", label=label) if kind == "declaration" \
                    else _l("%(label)s: responda esta pregunta.", label=label)
                problems.append((field_id(question), message))
            continue
        answer, problem = _check(question, value, site, today)
        if problem:
            problems.append((field_id(question), _l("%(label)s: %(problem)s", label=label, problem=problem)))
        else:
            answers[key] = answer
    return answers, problems


def answer_text(question, answer, language, site=None):
    """An answer as the citizen or the office reads it (files: the file's name is shown apart)."""
    kind = question["type"]
    if answer is None or answer == "" or answer == []:
        return ""
    options = question.get("options") or []
    if kind == "choice":
        return localized(options[answer], language) if isinstance(answer, int) and answer < len(options) else ""
    if kind == "choices":
        return ", ".join(localized(options[index], language) for index in answer if index < len(options))
    if kind in ("yes_no", "declaration"):
        return str(_l("Sí") if answer else _l("No"))
    if kind == "address":
        names = {place.get("slug"): place.get("name") for place in (site or {}).get("municipalities") or []}
        return f"{answer.get('street', '')}, {names.get(answer.get('municipality'), answer.get('municipality', ''))}"
    return str(answer)
