"""A real waitress process stays bounded in memory and keeps answering whatever one client sends."""
import http.client
import socket
import threading
import time

import pytest

from tests.test_server import start_server, stop, wait_until_serving

pytestmark = pytest.mark.slow

SLOW_CONNECTIONS = 110
LONG_VALUE = "campaign" * 4000
PAGES = ("/", "/noticias/", "/eventos/", "/tramites/", "/temas/", "/buscar")


def resident_megabytes(pid):
    """The process's resident memory (VmRSS), in megabytes."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


def fetch(connection, path):
    """GET path on a kept-alive connection; returns the status."""
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    response.read()
    return response.status


def test_unique_query_strings_do_not_grow_the_server_memory(data_dir):
    process, port = start_server(data_dir, REDPINAR_RATE_LIMITS="off")
    try:
        wait_until_serving(process, port)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(3):
            for page in PAGES:
                assert fetch(connection, page + "?q=carnet") == 200
        before = resident_megabytes(process.pid)
        for number in range(4000):
            page = PAGES[number % len(PAGES)]
            # Long made-up parameters: a page that kept them would hold them in its key and its language links.
            query = f"q=carnet+{number}" if page == "/buscar" else f"utm_source={number}-{LONG_VALUE}"
            assert fetch(connection, f"{page}?{query}") == 200
        after = resident_megabytes(process.pid)
        connection.close()
    finally:
        stop(process)
    print(f"resident memory: {before:.0f} MB before, {after:.0f} MB after 4,000 unique query strings")
    assert after - before < 60, (before, after)


def test_a_normal_request_is_answered_while_110_slow_connections_stay_open(data_dir):
    process, port = start_server(data_dir)
    slow, done = [], threading.Event()

    def trickle():
        # One more byte of header on every slow connection each half second: none is silent, none ends.
        while not done.wait(0.5):
            for sock in slow:
                try:
                    sock.sendall(b"X")
                except OSError:
                    pass

    trickler = threading.Thread(target=trickle, daemon=True)
    try:
        wait_until_serving(process, port)
        for number in range(SLOW_CONNECTIONS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /?lento=%d HTTP/1.1\r\nHost: localhost\r\nX-Slow: " % number
                         if number % 2 else b"GET /noticias/?pagina=")
            slow.append(sock)
        trickler.start()
        time.sleep(2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/temas/")
        response = connection.getresponse()
        assert response.status == 200
        assert b"Temas" in response.read()
        connection.close()
    finally:
        done.set()
        if trickler.is_alive():
            trickler.join()
        for sock in slow:
            sock.close()
        stop(process)
