"""Exporting the large folder: `flask export-site` as a mirror and as an offline zip, timed."""
import os
import shutil
import subprocess
import sys
import time

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT_SECONDS = 1800


def _export(data_dir, *arguments):
    """(seconds, output) of one `flask export-site` in its own process, as an operator runs it."""
    environment = dict(os.environ, REDPINAR_DATA_DIR=data_dir, REDPINAR_PUBLIC_URL="https://portal.example.cu")
    started = time.monotonic()
    finished = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "export-site", *arguments],
                              cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS, check=True)
    return time.monotonic() - started, finished.stdout.strip()


def _folder_size(folder):
    return sum(os.path.getsize(os.path.join(root, name)) for root, _folders, files in os.walk(folder) for name in files)


def measure(data_dir, work_dir):
    """Export the data folder as a mirror and as a zip: times, page counts and sizes."""
    shutil.rmtree(work_dir, ignore_errors=True)
    os.makedirs(work_dir)
    mirror = os.path.join(work_dir, "mirror")
    offline = os.path.join(work_dir, "copy.zip")
    try:
        mirror_seconds, mirror_output = _export(data_dir, mirror)
        files = sum(len(names) for _root, _folders, names in os.walk(mirror))
        pages = sum(1 for root, _folders, names in os.walk(mirror) for name in names if name.endswith(".html"))
        mirror_bytes = _folder_size(mirror)
        offline_seconds, offline_output = _export(data_dir, "--offline", offline)
        zip_bytes = os.path.getsize(offline)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return {"mirror_seconds": mirror_seconds, "offline_seconds": offline_seconds, "pages": pages, "files": files,
            "mirror_bytes": mirror_bytes, "zip_bytes": zip_bytes, "output": mirror_output + "\n" + offline_output}


def markdown(result):
    """The section of docs/benchmarks.md."""
    megabyte = 1024 * 1024
    return f"""### 8. Exporting the site (`flask export-site`)

The large folder (12 months of news, the default) exported by the command in its own process, as an operator runs it:

| | |
|---|---|
| Pages / files in the copy | {result['pages']} / {result['files']} |
| Static mirror: time, size on disk | {result['mirror_seconds']:.1f} s, {result['mirror_bytes'] / megabyte:.1f} MB |
| Offline zip: time, size of the zip | {result['offline_seconds']:.1f} s, {result['zip_bytes'] / megabyte:.1f} MB |
"""
