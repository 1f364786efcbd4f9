"""Personal data in what others may read: flagged before a question is published, hidden from the citizen's view."""
import re

from flask_babel import lazy_gettext as _l

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Cuban identity card numbers: 11 digits (YYMMDD and five more).
IDENTITY_NUMBER = re.compile(r"(?<!\d)\d{11}(?!\d)")
# Phone numbers: 6 to 10 digits, maybe after +53 and split by spaces, dots, dashes or brackets.
PHONE = re.compile(r"(?<![\w+])(?:\+?53[\s.-]?)?\(?\d{1,3}\)?(?:[\s.-]?\d){5,9}(?![\w])")
UPPER = "A-ZÁÉÍÓÚÜÑ"
LOWER = "a-záéíóúüñ"
# Two capitalised words in a row look like a name and surname ("María Pérez").
NAME_PAIR = re.compile(rf"\b[{UPPER}][{LOWER}]+\s+(?:(?:de|del|la|los)\s+)?[{UPPER}][{LOWER}]+\b")
DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
ROLE = "webmaster"
HIDDEN_FROM_CITIZEN = ("pin_hash", "notes", "merged_into", "webmaster_seen")


def personal_data_flags(text, known_names=(), ignored=()):
    """[(kind, found text)] of what looks like a name, email, phone or identity number in text.

    known_names are the citizen's own names (found in any case, whole or word by word); ignored are
    capitalised pairs that are not people (the province's places).
    """
    text = text or ""
    flags = []

    def flag(kind, found):
        found = found.strip()
        if found and (kind, found) not in flags:
            flags.append((kind, found))

    for found in EMAIL.findall(text):
        flag("email", found)
    without_emails = EMAIL.sub(" ", text)
    for found in IDENTITY_NUMBER.findall(without_emails):
        flag("identity", found)
    for match in PHONE.finditer(DATE.sub(" ", IDENTITY_NUMBER.sub(" ", without_emails))):
        if sum(character.isdigit() for character in match.group()) >= 6:
            flag("phone", match.group())
    for name in known_names:
        whole = re.search(rf"(?<!\w){re.escape((name or '').strip())}(?!\w)", text, re.IGNORECASE) if name else None
        words = [word for word in (name or "").split() if len(word) >= 3]
        if whole and whole.group().strip():
            flag("name", whole.group())
            continue
        for word in words:
            found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
            if found:
                flag("name", found.group())
    without_places = text
    for place in sorted(filter(None, ignored), key=len, reverse=True):
        without_places = re.sub(re.escape(place), " ", without_places, flags=re.IGNORECASE)
    # Overlapping matches, so "Puede Pedro Privado" still yields "Pedro Privado".
    for found in re.findall(rf"(?=({NAME_PAIR.pattern}))", without_places):
        if not any(found.casefold() in flagged.casefold() for kind, flagged in flags if kind == "name"):
            flag("name", found)
    return flags


FLAG_KINDS = {"name": _l("nombre"), "email": _l("correo"), "phone": _l("teléfono"),
              "identity": _l("número de identidad")}


def describe_flags(flags):
    """'nombre: María; teléfono: 48 123456' for messages to the webmaster."""
    return "; ".join(f"{FLAG_KINDS[kind]}: {found}" for kind, found in flags)


def citizen_view(submission):
    """The submission as its citizen may see it: no PIN hash, no internal notes, no other message's
    code, and the role that acted ("webmaster") instead of an account name."""
    shown = {key: value for key, value in submission.items() if key not in HIDDEN_FROM_CITIZEN}
    history = []
    for step in submission.get("history") or []:
        step = dict(step)
        if step.get("by"):
            step["by"] = ROLE
        if step.get("status") == "merged":
            step["note"] = ""  # it once held the code of the other citizen's message
        history.append(step)
    shown["history"] = history
    for part in ("extension", "faq"):
        if isinstance(shown.get(part), dict) and shown[part].get("by"):
            shown[part] = dict(shown[part], by=ROLE)
    return shown
