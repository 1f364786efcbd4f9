"""The static mirror served by a real nginx: every link works, every page reads as the live one."""
import html
import os
import re
import subprocess
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import make_app
from tests.site_copy_helpers import export, headings, links_of, main_text
from tests.test_nginx import NGINX, fetch
from tests.test_server import end_process, free_port, wait_until_serving

pytestmark = [pytest.mark.slow, pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make test installs it)")]
# Pages of a copy that differ from the live page by design: the copy's list is whole where the live one is
# paginated or cut short; the form pages say where to send the form instead.
WHOLE_LISTS = re.compile(r"^/(?:[a-z]{2}/)?(?:noticias/|eventos/|temas/[^/]+/)$")
FORM_PAGES = re.compile(r"^/(?:[a-z]{2}/)?(?:participa/|participa/borrador/|seguimiento/)$")


def nginx_serving(folder, root):
    """Write an nginx.conf serving root read-only on a free port; (config path, port)."""
    port = free_port()
    temp_paths = "\n".join(f"    {kind}_temp_path {folder}/{kind}_temp;"
                           for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    workers = "user root;\n" if os.geteuid() == 0 else ""
    config = os.path.join(folder, "nginx.conf")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(workers + f"""daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp_paths}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
""")
    return config, port


@pytest.fixture
def mirror_behind_nginx(tmp_path):
    """The example province exported and served by nginx; yields (app, port)."""
    app = make_app(tmp_path / "data")
    export(app, tmp_path / "mirror")
    folder = tmp_path / "nginx"
    folder.mkdir()
    config, port = nginx_serving(str(folder), str(tmp_path / "mirror"))
    nginx = subprocess.Popen([NGINX, "-c", config, "-p", str(folder), "-e", str(folder / "error.log")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(nginx, port)
        yield app, port
    finally:
        end_process(nginx)


def test_nginx_serves_the_mirror_with_no_broken_link_and_pages_that_read_as_the_live_ones(mirror_behind_nginx):
    app, port = mirror_behind_nginx
    live = app.test_client()
    queue, seen, broken, pages = deque(["/"]), {"/"}, [], 0
    while queue:
        path = queue.popleft()
        status, response, body = fetch(port, path)
        if status != 200:
            broken.append(f"{path} answers {status}")
            continue
        if not response.getheader("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        live_page = live.get(path).get_data(as_text=True)
        if FORM_PAGES.match(path):
            assert headings(body)[0] == headings(live_page)[0], path
            assert "copy-note" in body, path
        elif WHOLE_LISTS.match(path):
            assert set(headings(live_page)) <= set(headings(body)), path
        else:
            assert main_text(body, copy=True) == main_text(live_page), path
        for link in links_of(body):
            parts = urlsplit(urljoin(path, html.unescape(link)))
            if parts.scheme or parts.netloc or link.startswith("#"):
                continue  # the live site, mail, phone
            if parts.path not in seen:
                seen.add(parts.path)
                queue.append(parts.path)
    assert broken == []
    assert pages > 100
