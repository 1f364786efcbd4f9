"""Every interface text exists in English, and the compiled catalogue matches its source."""
import os
import subprocess
import sys

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import PROJECT_ROOT

CATALOGUE = os.path.join(PROJECT_ROOT, "redpinar", "translations", "en", "LC_MESSAGES")


def read_catalogue(name, reader):
    """One file of the English catalogue, parsed."""
    with open(os.path.join(CATALOGUE, name), "rb") as handle:
        return reader(handle)


def test_every_text_in_code_and_templates_has_an_english_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l",
         "-o", str(template), "--no-location", "--omit-header", "."],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )
    with open(template, "rb") as handle:
        extracted = {message.id for message in read_po(handle) if message.id}
    english = read_catalogue("messages.po", read_po)
    assert len(extracted) > 40
    untranslated = []
    for message_id in extracted:
        message = english.get(message_id if isinstance(message_id, str) else message_id[0])
        strings = [] if message is None else (
            list(message.string) if isinstance(message.string, tuple) else [message.string])
        if message is None or not all(strings) or message.fuzzy:
            untranslated.append(message_id)
    assert untranslated == [], "run `make translations` and translate these"


def test_compiled_catalogue_matches_its_source():
    source = read_catalogue("messages.po", read_po)
    compiled = read_catalogue("messages.mo", read_mo)
    def entries(catalogue):
        return {
            message.id if isinstance(message.id, str) else tuple(message.id):
            message.string if isinstance(message.string, str) else tuple(message.string)
            for message in catalogue if message.id and not message.fuzzy
        }

    expected, found = entries(source), entries(compiled)
    assert found == expected, "run `make translations` to compile messages.mo"
