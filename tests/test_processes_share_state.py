"""Server processes started together on one new data folder agree on what they must share."""
import threading
import types

from redpinar.store import site, submissions
from redpinar.store.demo import load_demo_if_empty
from tests.conftest import make_app
from tests.participation_helpers import hidden_fields, sent_code, submit_message

OTHER_PROCESS_KEY = "a" * 64


def test_processes_starting_together_on_a_new_folder_sign_with_the_same_key(data_dir, monkeypatch):
    real_secrets = site.secrets

    def token_hex(size):
        if size == 32 and not (data_dir / "secret_key").exists():
            # Another process writes its key after this one found none and before it writes its own.
            (data_dir / "secret_key").write_text(OTHER_PROCESS_KEY, encoding="ascii")
        return real_secrets.token_hex(size)

    monkeypatch.setattr(site, "secrets", types.SimpleNamespace(token_hex=token_hex))
    late = make_app(data_dir, SECRET_KEY=None)
    assert late.secret_key == OTHER_PROCESS_KEY
    assert (data_dir / "secret_key").read_text(encoding="ascii") == OTHER_PROCESS_KEY
    assert [path.name for path in data_dir.iterdir() if path.name.startswith(".secret_key")] == []


def test_a_form_fetched_from_one_process_is_accepted_by_another(data_dir):
    first = make_app(data_dir, SECRET_KEY=None)
    second = make_app(data_dir, province=None, SECRET_KEY=None)
    browser = first.test_client()
    form = hidden_fields(browser.get("/participa/").get_data(as_text=True))
    cookie = browser.get_cookie("session")
    other = second.test_client()
    other.set_cookie("session", cookie.value)
    assert sent_code(submit_message(other, **form)).startswith(tuple("23456789ABCDEFGHJKMNPQRSTUVWXYZ"))


def test_processes_starting_together_on_a_new_folder_load_the_example_province_once(data_dir):
    apps = [make_app(data_dir, province=None) for _ in range(3)]
    loaded = []
    errors = []

    def first_start(app):
        try:
            with app.app_context():
                loaded.append(load_demo_if_empty())
        except Exception as error:  # reported by the test thread
            errors.append(repr(error))

    threads = [threading.Thread(target=first_start, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and sorted(loaded) == [False, False, True]
    once = make_app(data_dir.parent / "once")
    with apps[0].app_context():
        codes = [submission["id"] for submission in submissions.iter_submissions()]
    with once.app_context():
        assert len(codes) == len(set(codes)) == len(list(submissions.iter_submissions()))
