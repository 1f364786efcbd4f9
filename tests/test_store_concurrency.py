"""The store under threads, under two processes, and under SIGKILL."""
import glob
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from redpinar.store import content, submissions
from tests.conftest import PROJECT_ROOT, run_python

WRITERS = 8
WRITES_EACH = 250


def test_eight_threads_writing_250_times_each_lose_nothing(app):
    errors = []

    def writer(number):
        try:
            with app.app_context():
                for count in range(WRITES_EACH):
                    content.insert_document("stress", {"slug": f"w{number}-{count}"})
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        documents = content.all_documents("stress")
        path = os.path.join(app.config["DATA_DIR"], "content", "stress.json")
    assert len(documents) == WRITERS * WRITES_EACH
    assert len({document["id"] for document in documents}) == WRITERS * WRITES_EACH
    with open(path, encoding="utf-8") as handle:
        assert len(json.load(handle)["_default"]) == WRITERS * WRITES_EACH


WRITER_PROGRAM = """
import sys
from tests.conftest import make_app
from redpinar.store import content, submissions
app = make_app(sys.argv[1], province=None, SUBMISSION_SHARD_SIZE=int(sys.argv[3]))
label = sys.argv[2]
with app.app_context():
    for count in range(int(sys.argv[4])):
        news = content.insert_document('news', {'slug': f'{label}-{count}'})
        submission = submissions.save_submission({'subject': f'{label}-{count}'})
        # A line is printed only once both writes have returned: those are 'acknowledged'.
        print(news['id'], submission['id'], flush=True)
"""


def start_writer(data_dir, label, shard_size=7, count=100000):
    """A separate Python process writing news and submissions as fast as it can."""
    return subprocess.Popen(
        [sys.executable, "-c", WRITER_PROGRAM, str(data_dir), label, str(shard_size), str(count)],
        cwd=PROJECT_ROOT, env=dict(os.environ, PYTHONPATH=PROJECT_ROOT),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def every_json_file_parses(data_dir):
    """Parse every JSON file of the data folder; return how many there were."""
    paths = glob.glob(os.path.join(str(data_dir), "**", "*.json"), recursive=True)
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            json.load(handle)
    return len(paths)


@pytest.mark.slow
def test_two_processes_and_threads_writing_the_same_files_lose_nothing(data_dir):
    writers = [start_writer(data_dir, f"p{number}", count=150) for number in range(2)]
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_, stderr) in zip(writers, outputs):
        assert writer.returncode == 0, stderr
    acknowledged = [line.split() for stdout, _ in outputs for line in stdout.splitlines()]
    assert len(acknowledged) == 300
    from tests.conftest import make_app
    app = make_app(data_dir, province=None, SUBMISSION_SHARD_SIZE=7)
    with app.app_context():
        news_ids = {document["id"] for document in content.all_documents("news")}
        submission_ids = {submission["id"] for submission in submissions.iter_submissions()}
    assert {news for news, _ in acknowledged} == news_ids
    assert {submission for _, submission in acknowledged} == submission_ids


@pytest.mark.slow
def test_writer_killed_at_random_moments_never_leaves_a_broken_file_or_loses_an_acknowledged_write(data_dir):
    randomness = random.Random(20261128)
    acknowledged = []
    for round_number in range(20):
        writer = start_writer(data_dir, f"r{round_number}")
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(writer.stdout))
        reader.start()
        # Wait for the writer to be under way, then kill it at a random instant of its storm.
        deadline = time.monotonic() + 30
        while not lines and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert lines, writer.stderr.read()
        time.sleep(randomness.uniform(0.0, 0.3))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        reader.join(timeout=10)
        writer.stderr.close()
        # A line cut short by the kill was never acknowledged: only whole lines count.
        acknowledged.extend(line.split() for line in lines if line.endswith("\n") and line.strip())
        assert every_json_file_parses(data_dir) > 0

    from tests.conftest import make_app
    app = make_app(data_dir, province=None, SUBMISSION_SHARD_SIZE=7)
    with app.app_context():
        news_ids = {document["id"] for document in content.all_documents("news")}
        submission_ids = {submission["id"] for submission in submissions.iter_submissions()}
        for _, submission_id in acknowledged[-5:]:
            assert submissions.get_submission(submission_id)["id"] == submission_id
    assert len(acknowledged) > 20
    assert {news for news, _ in acknowledged} <= news_ids
    assert {submission for _, submission in acknowledged} <= submission_ids
    result = run_python(
        "from tests.conftest import make_app\n"
        "from redpinar.store.check import check_data_folder\n"
        f"app = make_app({str(data_dir)!r}, province=None)\n"
        "with app.app_context():\n"
        "    problems, warnings = check_data_folder()\n"
        "print([p for p in problems if not p.startswith('site.json')])\n"
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
