"""Fixtures: every test gets its own data folder with the example province loaded."""
import os
import shutil
import subprocess
import sys

import pytest

from redpinar import create_app
from redpinar.store.demo import load_demo

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST_OUTPUT = os.path.join(PROJECT_ROOT, "test-output")


def make_app(data_dir, province="pinar-del-rio", **settings):
    """An app on data_dir with a province loaded (None: leave the folder empty)."""
    config = {"TESTING": True, "DATA_DIR": str(data_dir), "RATE_LIMITS": False, "FORM_MIN_SECONDS": 0}
    config["PUBLIC_URL"] = "http://localhost"  # the test client's own host
    config.update(settings)
    app = create_app(config)
    if province:
        with app.app_context():
            load_demo(province)
    return app


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
