"""Pages are valid HTML by the Nu HTML Checker (the W3C validator), run once over all of them."""
import json
import os
import shutil
import subprocess

import pytest

from tests.conftest import PROJECT_ROOT, make_app

pytestmark = pytest.mark.slow

VNU_JAR = os.path.join(PROJECT_ROOT, ".tools", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")

# file name -> (method, path, expected status)
PAGES = {
    "home-es": ("GET", "/?lang=es", 200),
    "home-en": ("GET", "/?lang=en", 200),
    "not-found-es": ("GET", "/no-existe?lang=es", 404),
    "not-found-en": ("GET", "/no-existe?lang=en", 404),
    "method-not-allowed-es": ("POST", "/robots.txt?lang=es", 405),
    "method-not-allowed-en": ("POST", "/robots.txt?lang=en", 405),
}


def nu_checker_messages(html_files):
    """Run the Nu HTML Checker once over the files; its messages (errors only)."""
    java = shutil.which("java")
    if not java or not os.path.isfile(VNU_JAR):
        missing = "java" if not java else VNU_JAR
        pytest.fail(f"The Nu HTML Checker cannot run ({missing} is missing): run `make test`, which installs it.",
                    pytrace=False)
    finished = subprocess.run(
        [java, "-jar", VNU_JAR, "--errors-only", "--format", "json", *html_files],
        capture_output=True, text=True, timeout=300,
    )
    try:  # the checker writes its JSON report on stderr
        return json.loads(finished.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"The Nu HTML Checker gave no report (exit {finished.returncode}):\n{finished.stderr}")


def describe(message):
    """One readable line per checker message: file, line, column, text."""
    file_name = os.path.basename(message.get("url", "?"))
    line = message.get("lastLine", message.get("firstLine", "?"))
    column = message.get("firstColumn", "?")
    extract = message.get("extract", "").replace("\n", " ")
    return f"{file_name}:{line}:{column}: {message.get('type')}: {message.get('message')}  [{extract}]"


def test_portal_pages_are_valid_html(data_dir, tmp_path):
    client = make_app(data_dir).test_client()
    html_files = []
    for name, (method, path, status) in PAGES.items():
        response = client.open(path, method=method)
        assert response.status_code == status, f"{method} {path} answered {response.status_code}"
        assert response.mimetype == "text/html"
        html_file = tmp_path / f"{name}.html"
        html_file.write_bytes(response.get_data())
        html_files.append(str(html_file))

    messages = nu_checker_messages(html_files)
    assert not messages, "The Nu HTML Checker found errors:\n" + "\n".join(map(describe, messages))
