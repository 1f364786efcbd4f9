"""`python app.py` as an operator runs it: a real waitress server in its own process."""
import gzip
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

import pytest

from tests.conftest import PROJECT_ROOT, make_app

pytestmark = pytest.mark.slow


def free_port():
    """A TCP port on the loopback address that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(data_dir, **environment):
    """Start `python app.py` on a free port; returns (process, port).

    Its output goes to files beside the data folder: a pipe nobody reads would fill
    up under load (waitress logs its queue) and stall the server.
    """
    port = free_port()
    env = dict(os.environ, REDPINAR_DATA_DIR=str(data_dir), REDPINAR_PORT=str(port), REDPINAR_HOST="127.0.0.1")
    env.update(environment)
    logs = tempfile.mkdtemp(prefix="server-", dir=os.path.dirname(str(data_dir)))
    with open(os.path.join(logs, "stdout"), "w") as stdout, open(os.path.join(logs, "stderr"), "w") as stderr:
        process = subprocess.Popen([sys.executable, "app.py"], cwd=PROJECT_ROOT, env=env,
                                   stdout=stdout, stderr=stderr, text=True)
    process.logs = logs
    return process, port


def server_output(process):
    """(stdout, stderr) the server printed so far."""
    outputs = []
    for name in ("stdout", "stderr"):
        with open(os.path.join(process.logs, name), encoding="utf-8", errors="replace") as handle:
            outputs.append(handle.read())
    return tuple(outputs)


def wait_until_serving(process, port, timeout=30):
    """Poll the port until the server answers (or the process ends)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server ended: {server_output(process)[1]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not start in time")


def end_process(process):
    """Ask a process to end; kill it when it has not ended within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stop(process):
    """Stop the server and return what it printed."""
    end_process(process)
    return server_output(process)


def test_first_start_loads_the_example_province_and_serves_it(data_dir):
    process, port = start_server(data_dir, REDPINAR_MAX_REQUEST_MB="0.01")
    try:
        wait_until_serving(process, port)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/", headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200
        assert response.getheader("Content-Encoding") == "gzip"
        assert "Pinar del Río".encode() in gzip.decompress(body)

        # waitress refuses a body over the limit before the app reads it
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/", body=b"x" * 50_000,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert connection.getresponse().status == 413
    finally:
        stdout, stderr = stop(process)
    assert "Loaded the example province" in stdout
    assert f"serving on http://127.0.0.1:{port}/" in stdout
    assert "flask --app app create-admin USERNAME" in stdout
    assert (data_dir / "site.json").exists()


def test_server_refuses_to_start_with_colours_that_fail_contrast(data_dir):
    make_app(data_dir)
    site = json.loads((data_dir / "site.json").read_text(encoding="utf-8"))
    site["colours"]["text"] = "#aaaaaa"
    (data_dir / "site.json").write_text(json.dumps(site), encoding="utf-8")
    process, _ = start_server(data_dir)
    process.wait(timeout=30)
    stdout, stderr = server_output(process)
    assert process.returncode == 1
    assert "colours 'text' #aaaaaa on 'background' #ffffff have contrast" in stderr
