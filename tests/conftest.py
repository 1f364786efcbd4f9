"""Fixtures: every test gets its own data folder with the example province loaded."""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from jinja2.bccache import Bucket, BytecodeCache

from redpinar import create_app
from redpinar.store.demo import load_demo

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST_OUTPUT = os.path.join(PROJECT_ROOT, "test-output")
HAVANA = ZoneInfo("America/Havana")


def make_app(data_dir, province="pinar-del-rio", **settings):
    """An app on data_dir with a province loaded (None: leave the folder empty)."""
    copied = province and "DEMO_DIR" not in settings and _copy_loaded_example(province, settings, data_dir)
    app = create_app(_test_config(data_dir, settings))
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    if province and not copied:
        with app.app_context():
            load_demo(province)
    return app


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per test process, not once per app: half the time of a test that renders a few pages.

    A template is reused only for the same name, file, source text and compiling options; anything else
    (a province's override, a changed file, a test's own template) is compiled as it always was.
    """

    def __init__(self):
        self._code = {}
        self._lock = threading.Lock()

    def get_bucket(self, environment, name, filename, source):
        """The compiled code of this template under these compiling options (empty when not compiled yet)."""
        options = (type(environment), tuple(sorted(environment.extensions)), environment.trim_blocks,
                   environment.lstrip_blocks, environment.keep_trailing_newline, environment.newline_sequence,
                   environment.optimized, environment.block_start_string, environment.variable_start_string,
                   environment.comment_start_string, environment.line_statement_prefix,
                   environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape)
        key = self.get_cache_key(f"{name}\0{options!r}", filename)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket):
        """Fill the bucket from what an earlier app compiled."""
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        """Keep what an app compiled."""
        with self._lock:
            self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def _test_config(data_dir, settings):
    config = {"TESTING": True, "DATA_DIR": str(data_dir), "RATE_LIMITS": False, "FORM_MIN_SECONDS": 0}
    config["PUBLIC_URL"] = "http://localhost"  # the test client's own host
    config.update(settings)
    return config


# Loading the example writes and fsyncs some thirty files: half a second a test, minutes a suite. It is
# loaded once into a template folder per province and settings, and copied (without its secret key) into
# each test's empty folder. A template is dropped after a few minutes or when the day changes, so the
# example's dates, counted from the day of loading, are what a fresh load would give.
_EXAMPLE_TEMPLATES = {}
TEMPLATE_MINUTES = 5
_NOT_COPIED = shutil.ignore_patterns("secret_key", ".secret_key-*")


def _copy_loaded_example(province, settings, data_dir):
    """Copy the loaded example into data_dir when it is an empty folder; True when it did."""
    if not os.path.isdir(data_dir) or os.listdir(data_dir):
        return False  # anything but an empty folder loads the example as it always did
    now = datetime.now(timezone.utc)
    key = (province, repr(sorted(settings.items())), now.date(), datetime.now(HAVANA).date())
    template = _EXAMPLE_TEMPLATES.get(key)
    if template is None or time.monotonic() - template[1] > TEMPLATE_MINUTES * 60:
        parent = tempfile.mkdtemp(prefix="redpinar-example-")
        atexit.register(shutil.rmtree, parent, ignore_errors=True)
        folder = os.path.join(parent, "data")
        os.mkdir(folder)
        with create_app(_test_config(folder, settings)).app_context():
            load_demo(province)
        template = _EXAMPLE_TEMPLATES[key] = (folder, time.monotonic())
    shutil.copytree(template[0], data_dir, ignore=_NOT_COPIED, dirs_exist_ok=True)
    return True


@pytest.fixture
def data_dir(tmp_path):
    """A fresh, empty data folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def app(data_dir):
    """The portal on a fresh data folder holding the Pinar del Río example."""
    return make_app(data_dir)


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the app's flask commands."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def test_output():
    """The folder where tests leave screenshots and reports for people to look at."""
    os.makedirs(TEST_OUTPUT, exist_ok=True)
    return TEST_OUTPUT


def run_python(code, env=None, timeout=60, **kwargs):
    """Run Python code in a fresh interpreter from the project root."""
    environment = dict(os.environ, PYTHONPATH=PROJECT_ROOT)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=environment, timeout=timeout,
        capture_output=True, text=True, **kwargs,
    )


def copy_demo(province, destination):
    """Copy a shipped example province folder (to change it in a test)."""
    shutil.copytree(os.path.join(PROJECT_ROOT, "data", "demo", province), destination)
    return destination



# Files whose tests start several server processes and load them for seconds: under `make test`
# (pytest-xdist, 2 workers) they run one after another on one worker, never beside each other.
RUN_ONE_AFTER_ANOTHER = (
    "tests/test_nginx.py",
    "tests/test_participation_server.py",
    "tests/test_processes_share_state.py",
    "tests/test_server_bounds.py",
    "tests/test_appointment_server.py",
    "tests/test_requests_server.py",
    "tests/test_site_copy_nginx.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under `make test` each test file runs whole, in order, on one worker; the browser tests all on one
    worker, and the files of RUN_ONE_AFTER_ANOTHER together on one worker.

    Module fixtures (a served portal, a browser tab) are built once, and tests that follow one another
    through a module's state keep their order. (xdist's own `--dist loadgroup` cannot be used: it renames
    node ids, which pytest 9 no longer allows, so it silently spreads a group over both workers.)
    """
    if config.getvalue("dist") != "load":
        return None  # a --dist asked for by name is xdist's own
    from xdist.scheduler import LoadScopeScheduling

    class ByFile(LoadScopeScheduling):
        """xdist's --dist loadfile, with some files sharing one unit of work."""

        def _split_scope(self, nodeid):
            path = nodeid.split("::")[0]
            if path in RUN_ONE_AFTER_ANOTHER:
                return "processes"
            # One chromium at a time: two would fight over the two cores and time out.
            return "browser" if path.startswith("tests/browser/") else path

    return ByFile(config, log)
